"""WCAG 2.1 contrast between a portal's brand colours, checked at build time."""

from __future__ import annotations

from prioportal.problems import T


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


AA_TEXT = 4.5


def brand_contrast_failures(color: str, text_color: str, link_color: str) -> list[tuple[str, str, str, float]]:
    """Pairs that miss AA for normal text: (what, foreground, background, ratio); `what` is a
    `Text`, to say in the reader's language."""
    pairs = [(T("header text on the brand colour"), text_color, color),
             (T("links on the white page"), link_color, "#ffffff")]
    return [(what, fg, bg, ratio) for what, fg, bg in pairs
            if (ratio := contrast_ratio(fg, bg)) < AA_TEXT]
