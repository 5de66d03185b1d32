"""Sweep files: a preset where any key may be a list. The runs are the product of the
lists, and each run trains one of the `cells`:

    task = "adding"
    cells = ["rnn", "lstm", "gru"]
    seq_len = [10, 20, 50, 100]
    seed = [0, 1, 2]
    steps = 2000

Every expanded run goes through the presets' own validation (`configs_from`), so a bad
value gets the same message as in a preset. A run is named by its whole configuration,
so a grid that grows keeps the names (and the logs) of the runs it already had.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.names import SettingError
from ..engine.vocabulary import as_written
from .config import CELL_KINDS, RunConfig, check_cell
from .presets import (
    PresetError,
    check_value,
    configs_from,
    presets_dir,
    read_preset,
)

# Order of the product: seeds outermost, so the first results already cover the whole
# map once; cells innermost, so the cells of one column finish close together.
OUTER_FIRST = ("seed",)


@dataclass(frozen=True)
class SweepRun:
    """One run of a sweep: its name (stable as the grid grows) and its configuration."""

    id: str
    config: RunConfig


@dataclass(frozen=True)
class Sweep:
    source: str
    text: str  # the sweep file as written, kept beside the results
    swept: tuple[str, ...]  # keys given as lists of more than one value ("cell" included)
    runs: tuple[SweepRun, ...]


def run_id(config: RunConfig) -> str:
    """lstm-adding100-h64-s0-1a2b3c4d: readable, plus a hash of the whole config (so two
    runs differing only in, say, lr never share a name)."""
    digest = hashlib.sha1(json.dumps(config.to_dict(), sort_keys=True).encode()).hexdigest()
    return (f"{config.cell}-{config.task}{config.seq_len}-h{config.hidden_size}"
            f"-s{config.seed}-{digest[:8]}")


def shipped_sweeps() -> list[str]:
    """Names of the sweep files shipped with the package (tasks/sweeps/), sorted."""
    folder = presets_dir() / "sweeps"
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def resolve_sweep(name_or_path: str | Path) -> Path:
    """A sweep file by path, or a shipped one by name (`map`, `horizon`, ...)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    shipped = presets_dir() / "sweeps" / f"{name_or_path}.toml"
    if path.suffix != ".toml" and shipped.is_file():
        return shipped
    if path.is_dir():
        raise PresetError(f"sweep file {path} is a folder, not a .toml file (to watch a "
                          f"sweep's folder: rnn-tui sweep-view {path})")
    if path.exists():  # (read, a pipe would wait forever)
        raise PresetError(f"sweep file {path} is not a regular file (a pipe or a device?)")
    raise PresetError(f"sweep file {path} does not exist; shipped sweeps: "
                      f"{', '.join(shipped_sweeps())}")


STEPS_RULE = "steps must be an integer >= 1 (a run ends when solved or at steps)"


# Runs one sweep may hold. The map is read by eye, and a grid of 480,000 runs (a slip in
# one list) took minutes and 1.4 GB before its first run started, then as long to stop.
MAX_RUNS = 5000


def load_sweep(name_or_path: str | Path) -> Sweep:
    """The expanded, validated grid of a sweep file (PresetError when it cannot run)."""
    path = resolve_sweep(name_or_path)
    data = read_preset(path)
    return expand(data, str(path), path.read_text(encoding="utf-8"))


def expand(data: dict[str, Any], source: str, text: str = "") -> Sweep:
    data = dict(data)
    cells = _cells(source, data.pop("cells", ["rnn", "lstm"]))
    per_cell = {k: data.pop(k) for k in list(data) if k in CELL_KINDS}
    steps_given = "steps" in data or any("steps" in table for table in per_cell.values())
    axes = {key: _values(source, key, value) for key, value in data.items()}
    _check_size(source, cells, axes)
    order = sorted(axes, key=lambda k: (k not in OUTER_FIRST, list(axes).index(k)))
    runs: dict[str, SweepRun] = {}
    for combo in itertools.product(*(axes[k] for k in order)):
        for cell in cells:
            preset = dict(zip(order, combo, strict=True)) | per_cell | {"cells": [cell]}
            (config,) = configs_from(preset, source)
            _check_ends(source, config, steps_given)
            run = SweepRun(run_id(config), config)
            runs.setdefault(run.id, run)  # a value listed twice is one run, not two
    swept = (("cell",) if len(cells) > 1 else ()) + tuple(
        k for k in data if len(axes[k]) > 1)
    return Sweep(source=source, text=text, swept=swept, runs=tuple(runs.values()))


def _check_size(source: str, cells: list[str], axes: dict[str, list[Any]]) -> None:
    # A value listed twice is one run (as in `expand`): counted once here too.
    distinct = {key: len(dict.fromkeys(values)) for key, values in axes.items()}
    n_cells = len(dict.fromkeys(cells))
    sizes = [(f"{n_cells} cell{'s' * (n_cells != 1)}", n_cells)] + [
        (f"{n} values of {key}", n) for key, n in distinct.items() if n > 1]
    total = math.prod(n for _, n in sizes)
    if total > MAX_RUNS:
        raise PresetError(
            f"{source}: the grid has {total} runs ({' x '.join(s for s, _ in sizes)}); a "
            f"sweep holds at most {MAX_RUNS}: shorten its lists, or split it into sweeps "
            "of their own (each with its own --out)")


def _cells(source: str, cells: Any) -> list[str]:
    if isinstance(cells, str):
        cells = [cells]
    if not isinstance(cells, list) or not cells:
        raise PresetError(f"{source}: cells = {as_written(cells)} is not allowed; cells must be "
                          f"a list "
                          f"of names from {', '.join(CELL_KINDS)}")
    for cell in cells:
        try:
            check_cell(cell)  # (a sweep may have more than a preset's 4)
        except SettingError as err:
            raise PresetError(f"{source}: cells: {err}") from None
    return list(dict.fromkeys(cells))


def _values(source: str, key: str, value: Any) -> list[Any]:
    """The values a key takes: a list's items, or the one value; each checked as a preset
    checks it, so the messages are the same."""
    values = value if isinstance(value, list) else [value]
    if not values:
        raise PresetError(f"{source}: {key} = [] is an empty list; give at least one value")
    for v in values:
        if key == "steps" and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
            # (the preset's own rule allows 0, "until stopped": not a sweep's)
            raise PresetError(f"{source}: steps = {as_written(v)} is not allowed in a sweep; "
                              f"{STEPS_RULE}")
        check_value(source, key, v)
    return values


def _check_ends(source: str, config: RunConfig, steps_given: bool) -> None:
    if config.steps < 1 and not steps_given:
        # (else "steps = 0 is not allowed": a preset's default the file never showed)
        raise PresetError(f"{source}: steps is not set; {STEPS_RULE}")
    if config.steps < 1:
        raise PresetError(f"{source}: steps = {config.steps} is not allowed in a sweep; "
                          f"{STEPS_RULE}")
