"""Where a line falls on a `canvas.Frame`: the dots along it, and the quarter-block bits
of each character it crosses. In numpy, all segments at once: a plot is ~1000 points,
and a Python loop over them took most of the lines of a `v` press.

Per segment a-b between two finite points: the part inside the plot's box (`clip`,
Liang-Barsky), then dots a unit apart from its start to its end, a + k (b - a) / steps
for k = 0..steps, steps = the longer side in dots. `tests/ui/test_canvas.py` holds the
same as a plain loop and checks the two agree on any values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .canvas import Frame


def line_points(frame: Frame, xs: Sequence[float],
                ys: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Dot coordinates (x, y) along the line through the points, one or more per dot it
    crosses inside the plot (a gap where a value is not finite). A segment's start is
    left out where it is the previous one's end (inside the box); a point with no
    finite neighbour before it is a dot of its own."""
    box = (-1.0, 2.0 * frame.cols, -1.0, 2.0 * frame.rows)  # a dot's margin round it
    x_scale, y_scale = frame.scales
    with np.errstate(all="ignore"):  # (huge values overflow to inf: not finite, a gap)
        x = (np.asarray(xs, dtype=float) - frame.x_lim[0]) * x_scale
        y = (np.asarray(ys, dtype=float) - frame.y_lim[0]) * y_scale
    finite = np.isfinite(x) & np.isfinite(y)
    inside = finite & (box[0] <= x) & (x <= box[1]) & (box[2] <= y) & (y <= box[3])
    joined = finite[1:] & finite[:-1]  # segment i runs from point i to point i + 1
    alone = inside & ~np.concatenate([[False], finite[:-1]])  # a line's first point
    a = np.flatnonzero(joined)
    x0, y0, x1, y1, kept = clip(x[a], y[a], x[a + 1], y[a + 1], box)
    both = inside[a] & inside[a + 1]  # (inside already: its own ends, not recomputed)
    x0, y0 = np.where(both, x[a], x0), np.where(both, y[a], y0)
    x1, y1 = np.where(both, x[a + 1], x1), np.where(both, y[a + 1], y1)
    first = inside[a][kept].astype(int)  # 1: the start is the previous segment's end
    x0, y0, x1, y1 = x0[kept], y0[kept], x1[kept], y1[kept]
    steps = np.maximum(1, np.ceil(np.maximum(abs(x1 - x0), abs(y1 - y0)))).astype(int)
    counts = steps + 1 - first
    segment = np.repeat(np.arange(len(steps)), counts)
    k = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts - first, counts)
    dx, dy = (x1 - x0) / steps, (y1 - y0) / steps
    return (np.concatenate([x[alone], x0[segment] + dx[segment] * k]),
            np.concatenate([y[alone], y0[segment] + dy[segment] * k]))


def clip(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray,
         box: tuple[float, float, float, float]) -> tuple[np.ndarray, ...]:
    """The parts of segments (x0, y0)-(x1, y1) inside the box (Liang-Barsky), and which
    segments have any: a line from a value far off the axis costs no more than one
    across the plot."""
    t0, t1 = np.zeros_like(x0), np.ones_like(x0)
    kept = np.ones(len(x0), dtype=bool)
    with np.errstate(all="ignore"):  # (p = 0: t unused; far values: dropped below)
        dx, dy = x1 - x0, y1 - y0
        for p, q in ((-dx, x0 - box[0]), (dx, box[1] - x0), (-dy, y0 - box[2]),
                     (dy, box[3] - y0)):
            kept &= (p != 0) | (q >= 0)  # parallel to this edge, and outside it
            t = q / p
            t0 = np.where(p < 0, np.maximum(t0, t), t0)
            t1 = np.where(p > 0, np.minimum(t1, t), t1)
        ends = x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy
    kept &= (t0 <= t1) & np.isfinite(ends).all(axis=0)  # (1e308 - -1e308 is inf)
    # Into the box: from values far off it, rounding can leave an end outside (1e38
    # dots away from 1e306), and the dots between would be as many.
    (left, right, bottom, top), (xa, ya, xb, yb) = box, ends
    return (np.clip(xa, left, right), np.clip(ya, bottom, top), np.clip(xb, left, right),
            np.clip(yb, bottom, top), kept)


def line_dots(frame: Frame, xs: Sequence[float], ys: Sequence[float]) -> dict[
        tuple[int, int], int]:
    """The quarter-block bits of each character (row, col) the line passes through."""
    top, right = 2 * frame.rows - 1, 2 * frame.cols
    dx, dy = line_points(frame, xs, ys)
    px, py = np.rint(dx).astype(int), np.rint(dy).astype(int)
    on = (0 <= px) & (px < right) & (0 <= py) & (py <= top)
    px, down = px[on], top - py[on]  # dots from the top
    bits = np.zeros(frame.rows * frame.cols, dtype=np.uint8)
    np.bitwise_or.at(bits, (down // 2) * frame.cols + px // 2,
                     (1 << (2 * (down % 2) + px % 2)).astype(np.uint8))
    cells = np.flatnonzero(bits)
    rows, cols = np.divmod(cells, frame.cols)
    return dict(zip(zip(rows.tolist(), cols.tolist(), strict=True), bits[cells].tolist(),
                    strict=True))


def dot_cells(frame: Frame, xs: Sequence[float], ys: Sequence[float]) -> set[tuple[int, int]]:
    """The characters (row, col) a dotted line passes through (some may be off the plot:
    the grid leaves those out)."""
    dx, dy = line_points(frame, xs, ys)
    rows = frame.rows - 1 - np.rint(dy).astype(int) // 2
    cols = np.rint(dx).astype(int) // 2
    return set(zip(rows.tolist(), cols.tolist(), strict=True))
