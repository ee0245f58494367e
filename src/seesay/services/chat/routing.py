"""The provider table: which upstream serves a model id, at what price.

Routing of a requested ``model`` (and optional ``provider``), in order:
1. ``provider`` given: the model of that provider whose id (or upstream id) is ``model``;
2. the models whose id is exactly ``model``: one wins; several need ``provider``
   (``InvalidRequest`` on ``provider`` lists them);
3. ``model`` written ``name:rest`` where ``name`` is a configured provider: that provider's
   model whose id or upstream id is ``rest`` (the WebVoice form
   ``openrouter:openai/gpt-oss-20b:free``);
4. otherwise ``NotFound`` with ``param="model"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from seesay.errors import InvalidRequest, NotFound
from seesay.services.chat.settings import ProviderModel, ProviderSettings

__all__ = ["ProviderTable", "Route"]


@dataclass(frozen=True, slots=True)
class Route:
    """Where a request goes. ``model_id`` is the id as listed (what responses echo back)."""

    provider: ProviderSettings
    model: ProviderModel

    @property
    def model_id(self) -> str:
        return self.model.id

    @property
    def upstream_model(self) -> str:
        if self.model.upstream_model:
            return self.model.upstream_model
        prefix = self.provider.name + ":"
        return self.model.id[len(prefix) :] if self.model.id.startswith(prefix) else self.model.id

    @property
    def free(self) -> bool:
        return self.model.free


class ProviderTable:
    def __init__(self, providers: Sequence[ProviderSettings]) -> None:
        names = [p.name for p in providers]
        if len(names) != len(set(names)):
            raise ValueError("two chat providers share a name")
        self._providers = {p.name: p for p in providers}

    @property
    def providers(self) -> list[ProviderSettings]:
        return list(self._providers.values())

    def routes(self) -> list[Route]:
        """Every configured model, in table order."""
        return [Route(p, m) for p in self._providers.values() for m in p.models]

    def resolve(self, model: str, provider: str | None = None) -> Route:
        """The route for ``model``; see the module docstring for the rules."""
        if provider:
            found = self._providers.get(provider)
            if found is None:
                known = ", ".join(self._providers) or "none"
                raise InvalidRequest(
                    f"unknown provider {provider!r}; configured providers: {known}",
                    param="provider",
                )
            route = self._in(found, model)
            if route is None and model.startswith(provider + ":"):
                route = self._in(found, model[len(provider) + 1 :])
            if route is None:
                raise NotFound(
                    f"The model `{model}` does not exist on provider {provider}.", param="model"
                )
            return route
        exact = [r for r in self.routes() if r.model.id == model]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            names = ", ".join(r.provider.name for r in exact)
            raise InvalidRequest(
                f"model {model!r} is served by several providers ({names}); name one in `provider`",
                param="provider",
            )
        name, sep, rest = model.partition(":")
        if sep and name in self._providers:
            route = self._in(self._providers[name], rest)
            if route is not None:
                return route
        raise NotFound(f"The model `{model}` does not exist.", param="model")

    @staticmethod
    def _in(provider: ProviderSettings, model: str) -> Route | None:
        for m in provider.models:
            route = Route(provider, m)
            if model in (m.id, route.upstream_model):
                return route
        return None
