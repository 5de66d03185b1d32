"""The screenshot's SVG cut into pieces that sit at their own cells (ui/svg.py)."""

from __future__ import annotations

import re

from rnn_tui.ui.svg import split_runs_at_spaces


def pieces(svg: str) -> list[tuple[str, float, float]]:
    return [(text, float(x), float(length)) for x, length, text in re.findall(
        r'<text[^>]* x="([\d.]+)"[^>]* textLength="([\d.]+)"[^>]*>([^<]*)</text>', svg)]


def test_each_piece_sits_at_its_cell_and_wide_characters_take_two() -> None:
    # Rich: a run at its first cell, textLength one cell (12.2) per character.
    run = '<text class="r1" x="10.0" y="20" textLength="85.4" clip-path="c">日本&#160;loss</text>'
    assert pieces(split_runs_at_spaces(run)) == [("日本", 10.0, 48.8), ("loss", 71.0, 48.8)]
    plain = '<text class="r1" x="0" y="20" textLength="48.8">loss</text>'
    assert split_runs_at_spaces(plain) == plain  # no space: as it was
