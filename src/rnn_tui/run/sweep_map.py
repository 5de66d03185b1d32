"""The map of a sweep: rows are cells, columns one swept key (T by default), and each
entry the share of seeds that solved the task and the median steps they took.

Pure data, from the grid and the results so far: the terminal summary and the
dashboard's map screen draw the same numbers.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ROW_KEY = "cell"
REPEAT_KEY = "seed"  # the runs one entry of the map summarises


@dataclass
class MapEntry:
    runs: int = 0  # in the grid
    finished: int = 0  # with a result
    ids: list[str] = field(default_factory=list)  # of the runs, finished or not
    solved_steps: list[int] = field(default_factory=list)
    failed: int = 0
    diverged: int = 0  # its loss or gradient went NaN/Inf: exploded, not merely unsolved

    @property
    def solved(self) -> int:
        return len(self.solved_steps)

    @property
    def median_steps(self) -> float | None:
        return statistics.median(self.solved_steps) if self.solved_steps else None

    @property
    def counted(self) -> int:
        """Runs with a result that says something about memory: a failed one (it raised,
        or Dask gave up on it) does not."""
        return self.finished - self.failed

    @property
    def share_solved(self) -> float | None:
        return self.solved / self.counted if self.counted else None


@dataclass
class SweepMap:
    """One table: `fixed` names what the other swept keys are set to (task = "copy")."""

    column: str
    fixed: dict[str, Any]
    rows: list[str]
    columns: list[Any]
    entries: dict[tuple[str, Any], MapEntry]


def default_column(swept: Iterable[str]) -> str:
    """T when it is swept, else the first swept key that is neither cell nor seed."""
    swept = list(swept)
    if "seq_len" in swept:
        return "seq_len"
    return next((k for k in swept if k not in (ROW_KEY, REPEAT_KEY)), "seq_len")


def sweep_maps(grid_runs: Iterable[dict[str, Any]], results: dict[str, dict[str, Any]],
               swept: Iterable[str], column: str = "seq_len") -> list[SweepMap]:
    """One map per combination of the swept keys that are neither the rows, the column
    nor the seed. `grid_runs` are the grid's {"id", "config"}; `results` by id."""
    others = [k for k in swept if k not in (ROW_KEY, column, REPEAT_KEY)]
    maps: dict[tuple, SweepMap] = {}
    for run in grid_runs:
        config = run["config"]
        fixed = {k: config[k] for k in others}
        table = maps.setdefault(tuple(fixed.values()),
                                SweepMap(column, fixed, [], [], {}))
        row, col = config[ROW_KEY], config[column]
        if row not in table.rows:
            table.rows.append(row)
        if col not in table.columns:
            table.columns.append(col)
        entry = table.entries.setdefault((row, col), MapEntry())
        entry.runs += 1
        entry.ids.append(run["id"])
        result = results.get(run["id"])
        if result is None:
            continue
        entry.finished += 1
        entry.failed += result.get("state") == "failed"
        entry.diverged += result.get("state") == "diverged"
        if result.get("solved_step") is not None:
            entry.solved_steps.append(result["solved_step"])
    for table in maps.values():
        table.columns.sort()
    return list(maps.values())
