"""Line breaks for Japanese text. Textual wraps only at spaces, and Japanese puts none
between words: a long run of it went whole to the next line (leaving half-empty lines)
or was cut at the width (a line could start with "、"). Here a line may break between
any two Japanese characters, as Japanese typesetting does, except before closing
punctuation or a small kana and after an opening bracket (kinsoku, the usual short
lists), and never inside a run of Latin letters, digits or symbols (ρ(W), 1e-5)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

NO_LINE_START = frozenset("、。，．・：；？！ー）」』】〕〉》”’ぁぃぅぇぉっゃゅょゎ"
                          "ァィゥェォッャュョヮヵヶ々…‥,.;:!?)]}%")
NO_LINE_END = frozenset("（「『【〔〈《“‘([{")


def may_break(text: str, at: int) -> bool:
    """Whether a line may end before `text[at]`."""
    before, after = text[at - 1], text[at]
    if before == " " or after == " ":
        return True
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return cell_len(before) == 2 or cell_len(after) == 2  # next to a wide character


def line_spans(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` wrapped to `width` cells: spaces at a break
    are dropped; a run with no break that is wider than a line is cut at the width."""
    spans: list[tuple[int, int]] = []
    start, size = 0, len(text)
    while True:
        while start < size and text[start] == " ":
            start += 1
        if start >= size:
            return spans or [(0, 0)]
        cells, at, last_break = 0, start, 0
        while at < size:
            cells += cell_len(text[at])
            if cells > width and text[at] != " ":  # (a space may hang past the edge)
                break
            at += 1
            if at < size and may_break(text, at):
                last_break = at
        else:
            spans.append((start, size))
            return spans
        end = last_break if last_break > start else max(at, start + 1)
        spans.append((start, end))
        start = end


def wrap_japanese(content: Content, width: int) -> Content:
    """`content` with a line break wherever its lines must wrap at `width` cells, so
    that no line is wider (Textual then wraps nothing)."""
    if width < 2:  # (narrower than one Japanese character)
        return content
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        lines += [line[start:end].rstrip() for start, end in line_spans(line.plain, width)]
    return Content("\n").join(lines)
