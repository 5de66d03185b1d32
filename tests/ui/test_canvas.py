"""The hand-drawn plot (`ui/canvas.py`): dots land where the values say, ticks sit on
the rows and columns of their values, and every size gives whole lines."""

from __future__ import annotations

import math
import warnings

from hypothesis import given
from hypothesis import strategies as st

from rnn_tui.ui.canvas import QUARTERS, Canvas
from rnn_tui.ui.raster import line_dots

INK, AXIS, PAPER = (220, 220, 220), (120, 120, 120), (20, 20, 20)
RED, BLUE = (255, 0, 0), (0, 0, 255)


def text_of(canvas: Canvas, width: int, height: int) -> list[str]:
    return [strip.text for strip in canvas.build(width, height, INK, AXIS, PAPER)]


def data_rows(canvas: Canvas, width: int, height: int) -> list[str]:
    """The data area only: right of the axis line, above the x axis."""
    frame = canvas.frame(width, height)
    lines = text_of(canvas, width, height)
    return [line[frame.left + 1:frame.left + 1 + frame.cols] for line in lines[:frame.rows]]


def unit_canvas() -> Canvas:
    canvas = Canvas()
    canvas.xlim(0, 1)
    canvas.ylim(0, 1)
    return canvas


def test_a_point_at_each_corner_is_that_corner_s_quarter() -> None:
    canvas = unit_canvas()
    for x, y in ((0, 0), (1, 1)):
        canvas.scatter([x], [y], RED, marker="o")  # (a mark: a whole character)
    canvas.plot([0], [1], BLUE)  # the top-left dot: upper left quarter
    canvas.plot([1], [0], BLUE)  # the bottom-right dot
    rows = data_rows(canvas, 20, 8)
    assert rows[0][0] == QUARTERS[1] == "▘"
    assert rows[-1][-1] == QUARTERS[8] == "▗"
    assert rows[-1][0] == "o" and rows[0][-1] == "o"


def test_a_level_line_at_the_top_fills_the_upper_dots_of_the_top_row() -> None:
    canvas = unit_canvas()
    canvas.plot([0, 1], [1, 1], RED)
    rows = data_rows(canvas, 30, 10)
    assert set(rows[0]) == {"▀"} and all(set(row) == {" "} for row in rows[1:])


def test_a_diagonal_is_continuous() -> None:
    """Each character column of a rising line holds dots, and no row is skipped."""
    canvas = unit_canvas()
    canvas.plot([0, 1], [0, 1], RED)
    rows = data_rows(canvas, 42, 12)
    assert all(any(row[c] != " " for row in rows) for c in range(len(rows[0])))
    assert all(row.strip() for row in rows)


def test_values_that_are_not_finite_break_the_line() -> None:
    canvas = unit_canvas()
    canvas.plot([0, 0.5, 1], [0.5, math.nan, 0.5], RED)
    rows = data_rows(canvas, 30, 9)
    drawn = "".join(rows)
    assert drawn.count("▘") + drawn.count("▖") + drawn.count("▝") + drawn.count("▗") == 2


def test_a_later_series_takes_the_whole_character() -> None:
    canvas = unit_canvas()
    canvas.plot([0, 1], [0, 0], RED)
    canvas.plot([0, 1], [0, 0], BLUE)
    strips = canvas.build(20, 6, INK, AXIS, PAPER)
    frame = canvas.frame(20, 6)
    colours = {seg.style.color.triplet for seg in strips[frame.rows - 1]
               if seg.text.strip("▄▖▗") == "" and seg.text.strip()}
    assert {(c.red, c.green, c.blue) for c in colours} == {BLUE}


def test_text_and_a_level_line_sit_on_their_value_s_row() -> None:
    canvas = unit_canvas()
    canvas.ylim(0, 10)
    canvas.hline(5, RED)
    canvas.text("baseline 5", x=0, y=5, color=RED)
    canvas.yticks([0, 5, 10], ["0", "5", "10"])
    lines = text_of(canvas, 40, 12)
    row = next(i for i, line in enumerate(lines) if "baseline 5" in line)
    assert lines[row].lstrip().startswith("5 ┤baseline 5─")


def test_y_labels_sit_on_the_row_their_value_is_drawn_on() -> None:
    canvas = unit_canvas()
    canvas.ylim(-3, 0)
    ticks = [0.0, -1.0, -2.0, -3.0]
    canvas.yticks(ticks, ["1", "0.1", "1e-2", "1e-3"])
    canvas.plot([0.5, 0.5], [-2.0, -2.0], RED)  # one dot, at 1e-2
    lines = text_of(canvas, 30, 14)
    dot_row = next(i for i, line in enumerate(lines) if "▘" in line or "▖" in line
                   or "▝" in line or "▗" in line)
    assert lines[dot_row].lstrip().startswith("1e-2 ┤")


def test_x_labels_are_centred_under_their_ticks_and_never_touch() -> None:
    canvas = unit_canvas()
    canvas.xlim(0, 100)
    ticks = list(range(0, 101, 5))  # too many for 40 columns: some are left out
    canvas.xticks(ticks, [str(t) for t in ticks])
    canvas.xlabel("training step")
    lines = text_of(canvas, 40, 10)
    frame = canvas.frame(40, 10)
    rule, labels = lines[frame.rows], lines[frame.rows + 1]
    words = [(labels.index(w), w) for w in labels.split()]
    assert len(words) >= 3 and lines[frame.rows + 2].strip() == "training step"
    for start, word in words:  # under a tick mark: the word's middle, or next to it
        middle = start + len(word) // 2
        assert "┬" in rule[middle - 1:middle + 1], (word, rule, labels)
    for (a, word), (b, _) in zip(words, words[1:], strict=False):
        assert b > a + len(word)


def test_an_axis_title_gives_way_to_a_shorter_form_before_it_is_cut() -> None:
    """Four panels in 80 columns read "steps back from…" (review, 2026-11-30)."""
    canvas = unit_canvas()
    canvas.xlabel("steps back from the loss", shorter=["steps back"])
    assert text_of(canvas, 40, 10)[-1].strip() == "steps back from the loss"
    assert text_of(canvas, 17, 10)[-1].strip() == "steps back"
    assert text_of(canvas, 6, 10)[-1].strip() == "steps…"


@given(width=st.integers(1, 200), height=st.integers(1, 60),
       values=st.lists(st.floats(allow_subnormal=False), min_size=1,
                             max_size=50))
def test_every_size_gives_whole_lines(width: int, height: int, values: list[float]) -> None:
    """(No subnormal values: the engine's tests set flush-to-zero in this process, and
    hypothesis cannot make them then.)"""
    canvas = Canvas()
    canvas.xlim(0, max(1, len(values) - 1))
    canvas.ylim(-10, 10)  # most values fall outside: clipped, never an error
    canvas.plot(range(len(values)), values, RED)
    canvas.plot(range(len(values)), values, BLUE, marker="dot")
    canvas.yticks([-10, 0, 10], ["-10", "0", "10"])
    canvas.xticks([0, 1], ["0", "1"])
    canvas.text("a label longer than the plot is wide", 0, 0, RED)
    strips = canvas.build(width, height, INK, AXIS, PAPER)
    assert len(strips) == height
    assert all(len(strip.text) == width for strip in strips)


def dots_one_segment_at_a_time(frame, xs: list[float], ys: list[float]) -> dict:
    """The rasteriser as a plain loop (what `raster.py` does for all segments at once
    in numpy): each segment between finite points clipped to the box
    (a dot's margin round the plot), then a dot every unit along it."""
    left, right, bottom, top = -1.0, 2.0 * frame.cols, -1.0, 2.0 * frame.rows
    (x_scale, y_scale), cells, previous = frame.scales, {}, None

    def inside(p) -> bool:
        return left <= p[0] <= right and bottom <= p[1] <= top

    def add(x: float, y: float) -> None:
        px, py = round(x), round(y)
        if 0 <= px < 2 * frame.cols and 0 <= py <= 2 * frame.rows - 1:
            down = 2 * frame.rows - 1 - py
            cell = (down // 2, px // 2)
            cells[cell] = cells.get(cell, 0) | (1 << (2 * (down % 2) + px % 2))

    for x, y in zip(xs, ys, strict=True):
        here = ((x - frame.x_lim[0]) * x_scale, (y - frame.y_lim[0]) * y_scale)
        if not (math.isfinite(here[0]) and math.isfinite(here[1])):
            previous = None
            continue
        if previous is None and inside(here):
            add(*here)
        elif previous is not None:
            (x0, y0), (x1, y1) = previous, here
            dx, dy, t0, t1 = x1 - x0, y1 - y0, 0.0, 1.0
            if not (inside(previous) and inside(here)):  # Liang-Barsky
                for p, q in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - bottom),
                             (dy, top - y0)):
                    if p == 0:
                        t0 = t0 if q >= 0 else 2.0  # parallel, outside: nothing
                    elif p < 0:
                        t0 = max(t0, q / p)
                    else:
                        t1 = min(t1, q / p)
                x0, y0, x1, y1 = x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy
            if t0 <= t1 and all(math.isfinite(v) for v in (x0, y0, x1, y1)):
                # (In the box: rounding can leave an end of a far value's line outside.)
                x0, x1 = (min(max(v, left), right) for v in (x0, x1))
                y0, y1 = (min(max(v, bottom), top) for v in (y0, y1))
                steps = max(1, math.ceil(max(abs(x1 - x0), abs(y1 - y0))))
                for k in range(1 if inside(previous) else 0, steps + 1):
                    add(x0 + (x1 - x0) / steps * k, y0 + (y1 - y0) / steps * k)
        previous = here
    return cells


finite_or_not = (st.floats(allow_subnormal=False) | st.floats(-0.5, 1.5, allow_subnormal=False)
                 | st.sampled_from([1e306, -1e306, 1e54, -1e54]))


@given(xs=st.lists(finite_or_not, max_size=40), ys=st.lists(finite_or_not, max_size=40),
       width=st.integers(5, 120), height=st.integers(3, 40))
def test_the_lines_dots_are_those_of_a_plain_loop_over_its_segments(
        xs: list[float], ys: list[float], width: int, height: int) -> None:
    """Any values (huge, infinite, not a number, far off the plot): the same dots as the
    loop, and no numpy warning on the way."""
    frame = unit_canvas().frame(width, height)
    n = min(len(xs), len(ys))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dots = line_dots(frame, xs[:n], ys[:n])
    assert dots == dots_one_segment_at_a_time(frame, xs[:n], ys[:n])


def test_a_label_is_written_whole_or_not_at_all() -> None:
    # Cut at the plot's edge, "T=100; above: > T" read "T=10".
    canvas = unit_canvas()
    canvas.text("T=100; above: > T", x=0.0, y=0.5, color=RED)
    assert any("T=100; above: > T" in row for row in data_rows(canvas, 40, 8))
    assert not any("T=1" in row for row in data_rows(canvas, 16, 8))


def test_a_label_too_long_says_the_longest_shorter_form_that_fits() -> None:
    canvas = unit_canvas()
    canvas.text("all 220 steps (T+20); above: > 220", x=0.0, y=0.5, color=RED,
                shorter=("220 steps; above: > 220", "220 steps"))
    assert any("all 220 steps (T+20); above: > 220" in row for row in data_rows(canvas, 60, 8))
    assert any("220 steps; above: > 220" in row for row in data_rows(canvas, 30, 8))
    narrow = data_rows(canvas, 16, 8)
    assert any("220 steps" in row for row in narrow) and not any(";" in r for r in narrow)
    assert not any("220" in row for row in data_rows(canvas, 8, 8))
