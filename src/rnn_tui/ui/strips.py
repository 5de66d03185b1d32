"""Textual's `Strip` (one rendered line) without itself in its own caches.

Three of its cached methods return the strip itself when there is nothing to do:
`adjust_cell_length` to its own length, `crop_extend` over its whole length, and
`divide` cut only at its end (as `[self]`). Each keeps that result in the strip's own
cache, so the strip refers to itself and is not freed when its last user drops it:
Python's cyclic collector has to find it. Every frame makes such strips, they pile up in
the oldest generation, and a full collection then frees thousands of them at once
(6,400 objects after 8 s of `v` presses): 15-80 ms on the event loop, at times inside a
key's frame (docs/benchmarks.md, "Garbage"). Answered before the cache is looked at, the
same strip comes back and nothing but its users refers to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.style import Style
from textual.strip import Strip

# Textual's own methods, for everything else (and for the tests' comparison).
ADJUST_CELL_LENGTH = Strip.adjust_cell_length
CROP_EXTEND = Strip.crop_extend
DIVIDE = Strip.divide


def adjust_cell_length(self: Strip, cell_length: int, style: Style | None = None) -> Strip:
    if cell_length == self.cell_length:
        return self
    return ADJUST_CELL_LENGTH(self, cell_length, style)


def crop_extend(self: Strip, start: int, end: int, style: Style | None) -> Strip:
    if start <= 0 and end == self.cell_length:  # (Textual: extended to end, cropped from 0)
        return self
    return CROP_EXTEND(self, start, end, style)


def divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    cuts = [cut for cut in cuts if cut <= self.cell_length]
    if cuts == [self.cell_length]:
        return [self]
    return DIVIDE(self, cuts)


def keep_strips_acyclic() -> None:
    """Put the three methods above in Textual's place (once; the same results)."""
    Strip.adjust_cell_length = adjust_cell_length  # type: ignore[method-assign]
    Strip.crop_extend = crop_extend  # type: ignore[method-assign]
    Strip.divide = divide  # type: ignore[method-assign]
