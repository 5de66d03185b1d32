"""Rendered lines are freed when dropped, not left to Python's cyclic collector: Textual's
`Strip` kept itself in its own caches, and full collections of thousands of stale lines
took 15-80 ms on the event loop, at times in a key's frame (ui/strips.py)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from ui_support import replay_of, wait_for

from rnn_tui.ui import strips
from rnn_tui.ui.app import RnnTuiApp

RED = Style(color="red")
LINES = [Strip([Segment("loss ", RED), Segment("0.167")]),
         Strip([Segment("ab"), Segment("日本", RED), Segment("cd")]),
         Strip([])]


@contextmanager
def cyclic_garbage() -> Iterator[list[object]]:
    """What Python's cyclic collector frees in the block's end (gc.garbage, kept)."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    found: list[object] = []
    try:
        yield found
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def calls(length: int) -> list[tuple[str, tuple]]:
    """Each method with the arguments that return the strip itself, and others."""
    return [("adjust_cell_length", (length,)), ("adjust_cell_length", (length + 3, RED)),
            ("adjust_cell_length", (max(0, length - 2),)), ("crop_extend", (0, length, None)),
            ("crop_extend", (-1, length, RED)), ("crop_extend", (1, length + 2, RED)),
            ("divide", ([length],)), ("divide", ([1, length],)), ("divide", ([length + 5],))]


@pytest.mark.parametrize("line", LINES, ids=["styled", "wide", "empty"])
def test_each_method_gives_what_textuals_own_gives(line: Strip) -> None:
    originals: dict[str, Callable] = {"adjust_cell_length": strips.ADJUST_CELL_LENGTH,
                                      "crop_extend": strips.CROP_EXTEND,
                                      "divide": strips.DIVIDE}
    strips.keep_strips_acyclic()
    for name, args in calls(line.cell_length):
        ours = getattr(line, name)(*args)
        theirs = originals[name](Strip(list(line), line.cell_length), *args)
        if name == "divide":
            assert [list(s) for s in ours] == [list(s) for s in theirs], (name, args)
            assert [s.cell_length for s in ours] == [s.cell_length for s in theirs]
        else:
            assert (list(ours), ours.cell_length) == (list(theirs), theirs.cell_length)


def test_a_strip_asked_for_itself_is_freed_when_dropped() -> None:
    strips.keep_strips_acyclic()
    with cyclic_garbage() as garbage:
        for line in [Strip([Segment("x" * n)]) for n in (1, 5, 9)]:
            for name, args in calls(line.cell_length):
                getattr(line, name)(*args)
        del line
    assert not [o for o in garbage if isinstance(o, Strip)]


async def test_the_dashboards_frames_leave_no_lines_to_the_cyclic_collector() -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.panels), "the panels")
        await pilot.pause(0.5)
        with cyclic_garbage() as garbage:
            for key in ["v", "v", "tab", "v", "question_mark", "q", "v"]:
                await pilot.press(key)
                await pilot.pause(0.1)
    lines = [o for o in garbage if isinstance(o, Strip)]
    assert not lines, f"{len(lines)} rendered lines left to the cyclic collector"
