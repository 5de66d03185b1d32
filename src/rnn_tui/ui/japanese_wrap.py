"""Line breaks for Japanese text. Textual wraps only at spaces, and Japanese puts none
between words: a long run of it went whole to the next line (leaving half-empty lines)
or was cut at the width (a line could start with "、"). Here a line may break between
any two Japanese characters, as Japanese typesetting does, except before closing
punctuation or a small kana and after an opening bracket (kinsoku, the usual short
lists), and never inside a run of Latin letters, digits or symbols (ρ(W), 1e-5) nor
inside a quantity the text joins with no-break spaces ("100 分の 1", "γ = 1")."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

NO_LINE_START = frozenset("、。，．・：；？！ー）」』】〕〉》”’ぁぃぅぇぉっゃゅょゎ"
                          "ァィゥェォッャュョヮヵヶ々…‥,.;:!?)]}%")
NO_LINE_END = frozenset("（「『【〔〈《“‘([{")
NO_BREAK_SPACE = "\u00a0"
SPACES = (" ", NO_BREAK_SPACE)


def may_break(text: str, at: int) -> bool:
    """Whether a line may end before `text[at]`."""
    before, after = text[at - 1], text[at]
    if before == " " or after == " ":
        return True
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return cell_len(before) == 2 or cell_len(after) == 2  # next to a wide character


def glued(text: str) -> set[int]:
    """Positions inside a quantity joined by no-break spaces ("100 分の 1", "γ = 1"),
    where no line may break: each no-break space with the run of characters of one
    width on either side of it."""
    inside: set[int] = set()
    size = len(text)
    for at, char in enumerate(text):
        if char != NO_BREAK_SPACE or at == 0 or at == size - 1:
            continue
        start, end = at, at + 1
        while start > 0 and text[start - 1] not in SPACES and (
                cell_len(text[start - 1]) == cell_len(text[at - 1])):
            start -= 1
        while end < size and text[end] not in SPACES and (
                cell_len(text[end]) == cell_len(text[at + 1])):
            end += 1
        inside.update(range(start + 1, end))
    return inside


def line_spans(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` wrapped to `width` cells: spaces at a break
    are dropped; a run with no break that is wider than a line is cut at the width."""
    spans: list[tuple[int, int]] = []
    start, size, inside = 0, len(text), glued(text)
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
            if at < size and at not in inside and may_break(text, at):
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
