"""App and web screens with known controls: a title (large, or on a coloured top bar, sometimes
after a menu button), tabs with one selected, sections under headings, labelled fields (label
above or beside, empty, with a grey placeholder or with a value), filled and outlined buttons,
switches on and off, checkboxes checked or not, radio buttons, links in blue, and plain text;
and sparse screens (a title over a single control, a dialog with "OK"), which a describer must
still take for screens (``bench.quality.screen_parts`` draws the smaller controls).

Labels are random words of :data:`WORDS` in the installed fonts, colours and sizes random, in
light and dark themes, phone and desktop sizes; saved as PNG as a screenshot is. ``truth`` holds
the title and the items in reading order as (role, label). Scored on ``findings["screen"]``:
``screen_title`` (the title read), ``screen_recall`` and ``screen_precision`` of the (role,
label) items (headings, fields, buttons, links, tabs, and switches, checkboxes and radio
buttons with their state), ``screen_order``
(the share of the items found that come in the drawn order).
"""

from __future__ import annotations

import random
from typing import Any

from PIL import Image, ImageDraw

from bench.quality.registry import Item, Kind, register
from bench.quality.render import font, pick_font, text_size
from bench.quality.scoring import normalise
from bench.quality.screen_parts import (
    draw_checkbox,
    draw_icon_button,
    draw_radios,
    draw_tabs,
)
from bench.quality.words import WORDS

__all__ = ["make_screen", "score_screen"]

Colour = tuple[int, int, int]

_ACCENTS: tuple[Colour, ...] = ((37, 99, 235), (22, 163, 74), (147, 51, 234), (220, 38, 38))


def _label(rng: random.Random, most: int = 2) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, most))).capitalize()


def _grey(v: int) -> Colour:
    return (v, v, v)


def _theme(rng: random.Random) -> dict[str, Colour]:
    if rng.random() < 0.5:
        g = rng.randint(238, 255)
        return {
            "page": (g, g, min(255, g + 2)),
            "ink": _grey(rng.randint(10, 40)),
            "hint": _grey(rng.randint(140, 165)),
            "field": (255, 255, 255),
            "link": (29, 78, 216),
        }
    g = rng.randint(15, 35)
    return {
        "page": (g, g + 2, g + 6),
        "ink": _grey(rng.randint(225, 245)),
        "hint": _grey(rng.randint(110, 135)),
        "field": (g + 18, g + 20, g + 26),
        "link": (96, 165, 250),
    }


def make_screen(rng: random.Random) -> Item:
    """One screen; ``truth`` = {"title", "items": [[role, label], ...]} in reading order.
    A third are sparse (:func:`make_sparse_screen`): one control or a dialog."""
    if rng.random() < 0.35:
        return make_sparse_screen(rng)
    phone = rng.random() < 0.5
    width, height = (720, 1400) if phone else (rng.choice((1280, 1440)), 1000)
    t = _theme(rng)
    accent = rng.choice(_ACCENTS)
    image = Image.new("RGB", (width, height), t["page"])
    draw = ImageDraw.Draw(image)
    regular = pick_font(rng, bold=False, mono=False)
    bold = pick_font(rng, bold=True, mono=False)
    size = rng.randint(22, 30)
    body = font(regular, size)
    margin = rng.randint(40, 80)
    items: list[list[str]] = []
    title = _label(rng, 3)
    if rng.random() < 0.5:  # an app bar across the top
        bar = rng.randint(int(2.4 * size), int(3.2 * size))
        shade = accent if rng.random() < 0.5 else (30, 41, 59)
        draw.rectangle((0, 0, width, bar), fill=shade)
        face = font(bold, int(size * 1.3))
        x = margin
        if rng.random() < 0.4:  # a menu button before the title
            side = int(bar * 0.7)
            top = (bar - side) // 2
            lighter: Colour = (shade[0] + 50, shade[1] + 50, min(255, shade[2] + 50))
            icon = (margin // 2, top, margin // 2 + side, top + side)
            items += draw_icon_button(draw, icon, "Menu", lighter, "white", rng.random() < 0.5)
            x = margin // 2 + side + size
        draw.text((x, (bar - text_size(draw, title, face)[1]) // 2), title, "white", face)
        y = bar + 2 * size
    else:
        face = font(bold, int(size * rng.uniform(1.8, 2.4)))
        draw.text((margin, margin), title, fill=t["ink"], font=face)
        y = margin + int(face.size * 2)
    room = width - 2 * margin
    if rng.random() < 0.3:  # tabs under the title
        names = [_label(rng, 1) for _ in range(rng.randint(2, 4))]
        pill = len(names) >= 3 and rng.random() < 0.5
        items += draw_tabs(
            draw, (margin, y), names, rng.randrange(len(names)), body, t, accent, pill
        )
        y += int(size * 3.4)
    for _ in range(rng.randint(1, 2)):
        if y > height - 8 * size:
            break
        heading = _label(rng)
        hface = font(bold, int(size * rng.uniform(1.35, 1.7)))
        draw.text((margin, y), heading, fill=t["ink"], font=hface)
        items.append(["heading", heading])
        y += int(hface.size * 1.9)
        for _ in range(rng.randint(2, 4)):
            if y > height - 6 * size:
                break
            what = rng.choice(
                ("field", "field", "switch", "buttons", "link", "text", "checkbox", "radios")
            )
            label = _label(rng)
            if what == "field":
                box_h = int(size * rng.uniform(1.8, 2.6))
                beside = not phone and rng.random() < 0.4
                if beside:
                    draw.text((margin, y + (box_h - size) // 2), label, fill=t["ink"], font=body)
                    x0 = margin + room // 3
                else:
                    draw.text((margin, y), label, fill=t["ink"], font=body)
                    y += int(size * 1.6)
                    x0 = margin
                inside = rng.random()
                said = _label(rng, 3).lower() if inside < 0.3 else _label(rng, 2)
                # A field is wider than what it holds (an app clips text that does not fit).
                least = text_size(draw, said, body)[0] + 3 * size if inside < 0.6 else 0
                x1 = x0 + min(room - (x0 - margin), max(least, rng.randint(8, 20) * size))
                radius = rng.choice((0, 6, 10))
                draw.rounded_rectangle(
                    (x0, y, x1, y + box_h), radius, fill=t["field"], outline=t["hint"], width=2
                )
                if inside < 0.6:
                    ink = t["hint"] if inside < 0.3 else t["ink"]
                    draw.text((x0 + size // 2 + 4, y + (box_h - size) // 2), said, ink, body)
                items.append(["field", label])
                y += box_h + int(size * 1.4)
            elif what == "switch":
                on = rng.random() < 0.5
                draw.text((margin, y), label, fill=t["ink"], font=body)
                sw_h = int(size * 1.2)
                x1 = width - margin
                x0 = x1 - 2 * sw_h
                draw.rounded_rectangle(
                    (x0, y - 2, x1, y - 2 + sw_h), sw_h // 2, fill=accent if on else t["hint"]
                )
                knob = (x1 - sw_h // 2) if on else (x0 + sw_h // 2)
                r = sw_h // 2 - 3
                draw.ellipse((knob - r, y - 2 + 3, knob + r, y - 2 + sw_h - 3), fill="white")
                items.append(["switch", f"{label} ({'on' if on else 'off'})"])
                y += int(size * 2.6)
            elif what == "buttons":
                x = margin
                for k in range(rng.randint(1, 2)):
                    text = _label(rng)
                    tw, _ = text_size(draw, text, body)
                    bw, bh = tw + 2 * rng.randint(size, 2 * size), int(size * 2.2)
                    if phone and k == 0 and rng.random() < 0.5:
                        bw = room
                    filled = k == 0 or rng.random() < 0.3
                    shape = (x, y, x + bw, y + bh)
                    if filled:
                        draw.rounded_rectangle(shape, rng.choice((4, 8, 20)), fill=accent)
                    else:
                        draw.rounded_rectangle(shape, 8, outline=t["ink"], width=2)
                    label_ink: Colour | str = "white" if filled else t["ink"]
                    tx = x + (bw - tw) // 2
                    draw.text((tx, y + (bh - size) // 2 - 2), text, fill=label_ink, font=body)
                    items.append(["button", text])
                    x += bw + size
                    if x + 8 * size > width - margin:
                        break
                y += int(size * 3.6)
            elif what == "checkbox":
                checked = rng.random() < 0.5
                items += draw_checkbox(draw, (margin, y), label, size, body, t, accent, checked)
                y += int(size * 2.4)
            elif what == "radios":
                names = [_label(rng) for _ in range(rng.randint(2, 3))]
                drawn, y = draw_radios(
                    draw, (margin, y), names, rng.randrange(len(names)), size, body, t, accent
                )
                items += drawn
                y += int(size * 0.6)
            elif what == "link":
                draw.text((margin, y), label + "?", fill=t["link"], font=body)
                items.append(["link", label + "?"])
                y += int(size * 2.2)
            else:
                words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 8)))
                draw.text((margin, y), words.capitalize() + ".", fill=t["ink"], font=body)
                y += int(size * 2.2)
    return Item(image, "screenshot", {"title": title, "items": items})


def make_sparse_screen(rng: random.Random) -> Item:
    """A screen with little on it: a title (large, or on an app bar) over a line of text and a
    single button, switch or checkbox; or a dialog (a card on a dimmed page) with its title, a
    message, "OK" (and "Cancel") and sometimes a close button in its corner."""
    phone = rng.random() < 0.5
    width, height = (720, 1400) if phone else (rng.choice((1280, 1440)), 1000)
    t = _theme(rng)
    accent = rng.choice(_ACCENTS)
    regular = pick_font(rng, bold=False, mono=False)
    bold = pick_font(rng, bold=True, mono=False)
    size = rng.randint(22, 30)
    body = font(regular, size)
    title = _label(rng, 3)
    message = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize() + "."
    items: list[list[str]] = []
    if rng.random() < 0.4:  # a dialog
        dim = tuple(v // 2 for v in t["page"])
        image = Image.new("RGB", (width, height), dim)  # type: ignore[arg-type]
        draw = ImageDraw.Draw(image)
        card_w = min(width - 80, rng.randint(20, 26) * size)
        x0, y0 = (width - card_w) // 2, int(height * rng.uniform(0.18, 0.3))
        pad = int(size * 1.2)
        face = font(bold, int(size * rng.uniform(1.4, 1.7)))
        card = (x0, y0, x0 + card_w, y0 + int(size * 9.5))
        draw.rounded_rectangle(card, rng.choice((8, 16)), fill=t["field"])
        draw.text((x0 + pad, y0 + pad), title, fill=t["ink"], font=face)
        if rng.random() < 0.4:
            side = int(size * 1.4)
            box = (card[2] - pad - side, y0 + pad, card[2] - pad, y0 + pad + side)
            shade: Colour = (
                (17 * t["field"][0] + 3 * t["ink"][0]) // 20,
                (17 * t["field"][1] + 3 * t["ink"][1]) // 20,
                (17 * t["field"][2] + 3 * t["ink"][2]) // 20,
            )
            items += draw_icon_button(draw, box, "Close", shade, t["ink"], True)
        draw.text((x0 + pad, y0 + pad + int(face.size * 2)), message, fill=t["ink"], font=body)
        names = ["OK"] if rng.random() < 0.5 else ["Cancel", "OK"]
        x = card[2] - pad
        drawn = []
        for name in reversed(names):
            tw, _ = text_size(draw, name, body)
            bw, bh = tw + 2 * size, int(size * 2)
            shape = (x - bw, card[3] - pad - bh, x, card[3] - pad)
            if name == "OK":
                draw.rounded_rectangle(shape, 8, fill=accent)
            else:
                draw.rounded_rectangle(shape, 8, outline=t["ink"], width=2)
            ink: Colour | str = "white" if name == "OK" else t["ink"]
            draw.text((x - bw + size, shape[1] + (bh - size) // 2 - 2), name, fill=ink, font=body)
            drawn.insert(0, ["button", name])
            x -= bw + size
        return Item(image, "screenshot", {"title": title, "items": items + drawn})
    image = Image.new("RGB", (width, height), t["page"])
    draw = ImageDraw.Draw(image)
    margin = rng.randint(40, 80)
    if rng.random() < 0.5:
        bar = int(size * 2.8)
        draw.rectangle((0, 0, width, bar), fill=accent if rng.random() < 0.5 else (30, 41, 59))
        face = font(bold, int(size * 1.3))
        draw.text((margin, (bar - text_size(draw, title, face)[1]) // 2), title, "white", face)
        y = bar + 2 * size
    else:
        face = font(bold, int(size * rng.uniform(1.8, 2.4)))
        draw.text((margin, margin), title, fill=t["ink"], font=face)
        y = margin + int(face.size * 2)
    if rng.random() < 0.7:
        draw.text((margin, y), message, fill=t["ink"], font=body)
        y += int(size * 2.6)
    what = rng.choice(("button", "button", "switch", "checkbox"))
    label = _label(rng)
    if what == "button":
        tw, _ = text_size(draw, label, body)
        bw, bh = tw + 2 * rng.randint(size, 2 * size), int(size * 2.2)
        draw.rounded_rectangle((margin, y, margin + bw, y + bh), rng.choice((4, 8, 20)), accent)
        tx = margin + (bw - tw) // 2
        draw.text((tx, y + (bh - size) // 2 - 2), label, fill="white", font=body)
        items.append(["button", label])
    elif what == "switch":
        on = rng.random() < 0.5
        draw.text((margin, y), label, fill=t["ink"], font=body)
        sw_h = int(size * 1.2)
        x1 = width - margin
        x0 = x1 - 2 * sw_h
        shape = (x0, y - 2, x1, y - 2 + sw_h)
        draw.rounded_rectangle(shape, sw_h // 2, fill=accent if on else t["hint"])
        knob, r = ((x1 - sw_h // 2) if on else (x0 + sw_h // 2)), sw_h // 2 - 3
        draw.ellipse((knob - r, y - 2 + 3, knob + r, y - 2 + sw_h - 3), fill="white")
        items.append(["switch", f"{label} ({'on' if on else 'off'})"])
    else:
        checked = rng.random() < 0.5
        items += draw_checkbox(draw, (margin, y), label, size, body, t, accent, checked)
    return Item(image, "screenshot", {"title": title, "items": items})


def _key(role: str, label: str) -> tuple[str, tuple[str, ...]]:
    return role, tuple(normalise(label))


def score_screen(item: Item, result: Any) -> dict[str, float]:
    screen = (result.findings or {}).get("screen") or {}
    truth = [_key(role, label) for role, label in item.truth["items"]]
    said: list[tuple[str, tuple[str, ...]]] = []
    for c in screen.get("items", []):
        if c["role"] == "text":
            continue
        label = f"{c['label']} ({c['state']})" if c.get("state") else c["label"]
        said.append(_key(c["role"], label))
    left = list(said)
    hits = []
    for key in truth:
        if key in left:
            left.remove(key)
            hits.append(key)
    found = [k for k in said if k in hits]
    in_order = sum(a == b for a, b in zip(found, [k for k in truth if k in hits], strict=False))
    title = normalise(screen.get("title") or "") == normalise(item.truth["title"])
    return {
        "screen_title": float(title),
        "screen_recall": len(hits) / max(1, len(truth)),
        "screen_precision": len(hits) / max(1, len(said)) if said else 0.0,
        "screen_order": in_order / max(1, len(hits)),
    }


register(Kind("screen", make_screen, score_screen, detail="standard"))
