"""The perception engine's findings as JSON (``Description.findings`` of ``seesay-perception``).

Contract: ``findings_dict(found, answered, scale=, read_out=)`` gives a JSON-ready dict with
every key the engine documents, always present: a part that did not look leaves its keys
``null`` and is named in ``unavailable`` (see :mod:`.perception` for the parts and their
keys). Boxes are multiplied by ``scale`` (work pixels to the sender's pixels) and rounded.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from seesay.engines.vision.findings import Findings
from seesay.engines.vision.kind import image_kind
from seesay.engines.vision.layout import blocks
from seesay.engines.vision.readouts import codes_and_charts_findings
from seesay.engines.vision.screen_reading import screen_findings
from seesay.engines.vision.subject import CONFIDENT, POSSIBLE

__all__ = ["findings_dict"]


def _box(box: tuple[int, int, int, int], scale: float) -> list[int]:
    return [round(v * scale) for v in box]


def findings_dict(
    f: Findings, answered: bool, *, scale: float, read_out: list[str]
) -> dict[str, Any]:
    """JSON-ready findings; boxes are mapped back to the original image's pixels. A part
    that did not look leaves its keys ``null`` and is named in ``unavailable``."""
    out: dict[str, Any] = {"unavailable": list(f.unavailable)}
    out.update(labels=None, subject=None)
    if f.labels is not None:
        out["labels"] = [
            {"label": lb.name, "score": round(lb.score, 4), "index": lb.index} for lb in f.labels
        ]
    if f.subject is not None:
        out["subject"] = {
            "label": f.subject.label,
            "score": round(f.subject.score, 4),
            "certainty": f.subject.certainty,
            "group": f.subject.group,
        }
    out["text"] = None
    if f.text is not None:
        out["text"] = {
            "full": " ".join(line.text for line in f.text),
            "lines": [
                {
                    "text": line.text,
                    "score": round(line.score, 3),
                    "box": _box(line.box, scale),
                    "unsure": [w.text for w in line.words if w.unsure],
                }
                for line in f.text
            ],
            "blocks": [{"kind": b.kind, "text": b.text} for b in blocks(f.text)],
        }
    out.update(people=None, faces=None, safety=None)
    if f.people is not None:
        seen = f.people
        out["people"] = seen.people
        out["faces"] = [
            {
                "box": _box(face.box, scale),
                "score": round(face.score, 3),
                "source": face.source,
                "presentation": face.presentation,
            }
            for face in seen.faces
        ]
        out["safety"] = {
            "rating": seen.safety.rating,
            "harmful": seen.safety.harmful,
            "flags": [{"label": k, "score": v} for k, v in seen.safety.flags],
        }
    look = f.look
    out["colors"] = [{"name": n, "share": s} for n, s in look.colors] if look else None
    out["lighting"] = look.lighting if look else None
    out["brightness"] = look.brightness if look else None
    out["orientation"] = look.orientation if look else None
    out.update(codes_and_charts_findings(f.codes, f.charts, scale))
    out["screen"] = screen_findings(f.readings, scale)
    out["kind"] = image_kind(f)
    out["size"] = list(f.size)
    out["prompt_answered"] = answered
    out["read_out"] = read_out
    out["thresholds"] = {"confident": CONFIDENT, "possible": POSSIBLE}
    out["appearance"] = (
        {k: v for k, v in asdict(look).items() if k in ("flat_share", "white_share")}
        if look
        else None
    )
    return out
