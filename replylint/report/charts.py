"""Inline SVG charts for the HTML report, drawn in Python: no script, no CDN.

Colours come from the Okabe-Ito palette, which stays distinguishable with the
common colour-vision deficiencies, and are never the only cue: every bar carries
its number, failing score bands are also hatched, and series differ in dash and
marker as well as colour. Each chart is an ``<svg role="img">`` with a title and a
description that screen readers announce.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Okabe & Ito (2008), "Color Universal Design".
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
PURPLE = "#CC79A7"
GREY = "#767676"
INK = "#1a1a1a"
MUTED = "#595959"  # 7:1 on white

FAMILY_COLOURS = {
    "policy": VERMILLION,
    "tone": ORANGE,
    "structure": BLUE,
    "clarity": SKY,
    "custom": PURPLE,
}
HATCH_ID = "rl-hatch"

_uid = 0


def _next_id(prefix: str) -> str:
    global _uid
    _uid += 1
    return f"{prefix}-{_uid}"


def reset_ids() -> None:
    """Restart element ids so the same data renders the same document."""
    global _uid
    _uid = 0


def _fmt(n: float) -> str:
    return f"{n:,.0f}" if abs(n - round(n)) < 1e-9 else f"{n:,.1f}"


def _open(width: int, height: int, title: str, desc: str, cls: str = "chart") -> str:
    tid, did = _next_id("t"), _next_id("d")
    return (
        f'<svg class="{cls}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{tid} {did}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>'
    )


def nice_scale(peak: float, steps: int = 4) -> tuple[float, list[float]]:
    """A round top for an axis and its ticks (0, 5, 10 … rather than 0, 24.5, 49)."""
    if peak <= 0:
        return 1.0, [0.0, 1.0]
    raw = peak / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if step < 1:
        step = 1.0
    top = step * math.ceil(peak / step)
    return top, [i * step for i in range(round(top / step) + 1)]


def hatch_defs() -> Markup:
    """The diagonal hatching that marks failing bands (shared by every chart)."""
    return Markup(
        '<svg width="0" height="0" aria-hidden="true" style="position:absolute">'
        f'<defs><pattern id="{HATCH_ID}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#D55E00"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2" stroke-opacity=".55"/>'
        "</pattern></defs></svg>"
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = BLUE
    text: str | None = None  # shown next to the bar (default: the value)
    hatched: bool = False


def column_chart(
    bars: Sequence[Bar], *, title: str, desc: str, y_label: str = "", height: int = 220
) -> Markup:
    """Vertical bars with their values on top (the score histogram)."""
    width, left, bottom, top = 640, 44, 34, 22
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak, ticks = nice_scale(max((b.value for b in bars), default=0))
    step = plot_w / max(len(bars), 1)
    parts = [_open(width, height, title, desc)]
    for tick in ticks:
        y = top + plot_h * (1 - tick / peak)
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{_fmt(tick)}</text>'
        )
    for i, bar in enumerate(bars):
        h = plot_h * bar.value / peak
        x = left + i * step + step * 0.12
        w = step * 0.76
        y = top + plot_h - h
        fill = f"url(#{HATCH_ID})" if bar.hatched else bar.colour
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{max(h, 0):.1f}" fill="{fill}" rx="2">'
            f"<title>{escape(bar.label)}: {escape(bar.text or _fmt(bar.value))}</title></rect>"
            f'<text x="{x + w / 2:.1f}" y="{y - 5:.1f}" class="value" text-anchor="middle">'
            f"{escape(bar.text or _fmt(bar.value))}</text>"
            f'<text x="{x + w / 2:.1f}" y="{height - bottom + 16}" class="axis" text-anchor="middle">'
            f"{escape(bar.label)}</text>"
        )
    if y_label:
        parts.append(f'<text x="4" y="{top - 8}" class="axis">{escape(y_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    bars: Sequence[Bar], *, title: str, desc: str, maximum: float | None = None, label_width: int = 190
) -> Markup:
    """Horizontal bars, label on the left and the value written after each bar."""
    row, width = 28, 640
    height = row * len(bars) + 8
    peak = maximum or max((b.value for b in bars), default=0) or 1
    plot_w = width - label_width - 200
    parts = [_open(width, height, title, desc)]
    for i, bar in enumerate(bars):
        y = 4 + i * row
        w = plot_w * min(bar.value / peak, 1.0)
        fill = f"url(#{HATCH_ID})" if bar.hatched else bar.colour
        label = bar.label if len(bar.label) <= 30 else bar.label[:29] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 18}" class="label" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{plot_w}" height="18" class="track" rx="2"/>'
            f'<rect x="{label_width}" y="{y + 4}" width="{max(w, 1.5):.1f}" height="18" fill="{fill}" rx="2">'
            f"<title>{escape(bar.label)}: {escape(bar.text or _fmt(bar.value))}</title></rect>"
            f'<text x="{label_width + plot_w + 8}" y="{y + 18}" class="value">'
            f"{escape(bar.text or _fmt(bar.value))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str
    dash: str = ""
    marker: str = "circle"  # or "square"


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    low: float = 0,
    high: float = 100,
    unit: str = "",
    height: int = 240,
) -> Markup:
    """Lines over time on one 0-100 scale; a legend names each series by dash and marker."""
    width, left, right, top, bottom = 640, 40, 30, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(labels)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        y = top + plot_h * (1 - (v - low) / ((high - low) or 1))
        return x, y

    parts = [_open(width, height, title, desc)]
    for frac in (0, 0.25, 0.5, 0.75, 1):
        v = low + (high - low) * frac
        _, y = xy(0, v)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{_fmt(v)}{unit}</text>'
        )
    every = max(1, n // 8)
    for i, lab in enumerate(labels):
        if i % every == 0 or i == n - 1:
            x, _ = xy(i, low)
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 18}" class="axis" text-anchor="middle">'
                f"{escape(lab)}</text>"
            )
    for k, s in enumerate(series):
        points = [(i, v) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(
                f"{'M' if j == 0 else 'L'}{xy(i, v)[0]:.1f},{xy(i, v)[1]:.1f}"
                for j, (i, v) in enumerate(points)
            )
            dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
            parts.append(f'<path d="{path}" fill="none" stroke="{s.colour}" stroke-width="2.5"{dash}/>')
        for i, v in points:
            x, y = xy(i, v)
            tip = f"<title>{escape(s.name)}, {escape(labels[i])}: {_fmt(v)}{escape(unit)}</title>"
            if s.marker == "square":
                parts.append(
                    f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                    f'fill="{s.colour}">{tip}</rect>'
                )
            else:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{s.colour}">{tip}</circle>')
        lx = left + k * 200
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        marker = (
            f'<rect x="{lx + 11}" y="8" width="8" height="8" fill="{s.colour}"/>'
            if s.marker == "square"
            else f'<circle cx="{lx + 15}" cy="12" r="4.5" fill="{s.colour}"/>'
        )
        parts.append(
            f'<line x1="{lx}" x2="{lx + 30}" y1="12" y2="12" stroke="{s.colour}" stroke-width="2.5"{dash}/>'
            f'{marker}<text x="{lx + 36}" y="16" class="label">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(values: Sequence[float], *, label: str, low: float = 0, high: float = 100) -> Markup:
    """A small trend line with its last point marked (the number is written beside it)."""
    width, height, pad = 96, 26, 3
    if not values:
        return Markup("")
    n = len(values)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + ((width - 2 * pad) * i / (n - 1) if n > 1 else (width - 2 * pad) / 2)
        y = pad + (height - 2 * pad) * (1 - (v - low) / ((high - low) or 1))
        return x, y

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{xy(i, v)[0]:.1f},{xy(i, v)[1]:.1f}" for i, v in enumerate(values)
    )
    x, y = xy(n - 1, values[-1])
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f'<path d="{path}" fill="none" stroke="{BLUE}" stroke-width="1.8"/>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{INK}"/></svg>'
    )
