"""The screenshot's SVG, made to draw the same in every renderer.

Rich writes a terminal line as runs of text, each placed at its first cell and
stretched over its cells with `textLength`, with spaces as no-break spaces. librsvg
(`rsvg-convert`, the usual way to turn the SVG into a PNG for a slide) does not give
those spaces a full cell: a run that starts with them is drawn too far left ("loss
0.173metric"), centred axis labels slide to the edge, and a run with gaps drifts
right. Cut at its spaces, every piece of text sits at its own cell in any renderer.
"""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

TEXT_RUN = re.compile(
    r'<text([^>]*?) x="([\d.]+)"([^>]*?) textLength="([\d.]+)"([^>]*)>([^<]*)</text>')


def split_runs_at_spaces(svg_text: str) -> str:
    """Each text run of Rich's SVG cut at its (no-break) spaces, every piece placed at
    its own cell; runs without spaces, and everything else, unchanged."""
    def split(m: re.Match[str]) -> str:
        head, x0, middle, length, tail, body = m.groups()
        chars = html.unescape(body)
        if "\xa0" not in chars or not chars:
            return m.group(0)
        cell = float(length) / len(chars)  # (Rich's textLength: a cell per character)
        out = []
        for piece in re.finditer(r"[^\xa0]+", chars):
            # Placed by cells, as Rich places its runs: a wide character (日本語) takes two.
            x = float(x0) + cell_len(chars[:piece.start()]) * cell
            width = cell_len(piece.group()) * cell
            out.append(f'<text{head} x="{x:.1f}"{middle} textLength="{width:.1f}"'
                       f'{tail}>{html.escape(piece.group(), quote=False)}</text>')
        return "".join(out)
    return TEXT_RUN.sub(split, svg_text)
