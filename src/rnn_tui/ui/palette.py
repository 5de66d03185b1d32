"""The colours every drawing takes from the app theme, so light and dark themes read."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.color import Color

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """Series colours taken from the app theme."""

    loss: RGB
    faint: RGB
    baseline: RGB
    hidden: RGB
    cell: RGB
    hidden_faint: RGB
    cell_faint: RGB
    zero: RGB
    canvas: RGB

    @classmethod
    def from_theme(cls, variables: dict[str, str], dark: bool) -> Palette:
        def colour(name: str, fallback: str) -> Color:
            return Color.parse(variables.get(name) or fallback)

        surface = colour("surface", "#1e1e1e" if dark else "#f0f0f0")
        primary = colour("primary", "#0178d4")
        secondary = colour("secondary", "#004578")
        accent = colour("accent", "#ffa62b")
        warning = colour("warning", "#ffa62b")
        error = colour("error", "#ba3c5b")
        foreground = colour("foreground", "#e0e0e0" if dark else "#202020")

        def faint(c: Color) -> RGB:
            return c.blend(surface, 0.6).rgb

        return cls(loss=primary.rgb, faint=faint(primary), baseline=warning.rgb,
                   hidden=accent.rgb, cell=secondary.lighten(0.15 if dark else -0.1).rgb,
                   hidden_faint=faint(accent), cell_faint=faint(secondary),
                   zero=error.rgb if error != surface else foreground.rgb, canvas=surface.rgb)


def swatch(colour: RGB, label: str, mark: str = "━━") -> Text:
    """A caption's legend entry: the series' mark in its colour, then its name."""
    r, g, b = colour
    return Text.assemble((mark, f"bold rgb({r},{g},{b})"), " ", label, "  ")
