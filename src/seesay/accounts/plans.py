"""Plans: request rate, concurrency, monthly credit grant and allowed features.

The defaults follow the img2voice spec's table (free 10/min, 1 concurrent, 25 image credits;
starter and paid 200/min, 10 concurrent, credits per purchase).
"""

from __future__ import annotations

from dataclasses import dataclass

from seesay.errors import InvalidRequest, PlanRequired

__all__ = ["PLANS", "Plan", "get_plan"]

CREDIT = 1000  # millicredits per credit


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    requests_per_minute: int
    concurrent_requests: int
    monthly_credits: int  # millicredits granted each month (the "regular" pool)
    features: frozenset[str]  # features beyond the basics (e.g. "batch")

    def require(self, feature: str) -> None:
        """Raise PlanRequired if ``feature`` is a plan-gated feature this plan lacks."""
        if feature in GATED_FEATURES and feature not in self.features:
            raise PlanRequired(
                f"{feature.replace('_', ' ').capitalize()} requires a paid plan; "
                f"this key's plan is {self.name}.",
                details={"feature": feature, "plan": self.name},
            )


# Features that some plans lack. Everything else is open to every plan.
GATED_FEATURES = frozenset({"batch"})

PLANS: dict[str, Plan] = {
    "free": Plan("free", 10, 1, 25 * CREDIT, frozenset()),
    "starter": Plan("starter", 200, 10, 0, frozenset({"batch"})),
    "paid": Plan("paid", 200, 10, 0, frozenset({"batch"})),
}


def get_plan(name: str) -> Plan:
    try:
        return PLANS[name]
    except KeyError:
        raise InvalidRequest(
            f"unknown plan {name!r}; plans are {', '.join(PLANS)}", param="plan"
        ) from None
