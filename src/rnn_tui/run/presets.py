"""Presets: one TOML file per experiment in the top-level `tasks/` folder (shipped inside
the package as `rnn_tui.presets`). A preset names a task and the cells to compare; a
table named after a cell overrides settings for that cell alone:

    task = "adding"
    seq_len = 100
    cells = ["relu", "lstm"]
    lr = 0.01
    [relu]
    recurrent_scale = 1.5
"""

from __future__ import annotations

import math
import sys
from dataclasses import fields
from importlib import resources
from pathlib import Path
from typing import Any

from .config import CELL_KINDS, TASK_NAMES, RunConfig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_PRESET = "adding-100"


class PresetError(ValueError):
    """A preset (or a flag overriding one) that cannot be used; the message says why."""


# key -> (type, check, what is allowed)
def _positive_int(v: Any) -> bool:
    return v >= 1


def _non_negative_int(v: Any) -> bool:
    return v >= 0


def _positive_float(v: Any) -> bool:
    return math.isfinite(v) and v > 0


RULES: dict[str, tuple[type | tuple[type, ...], Any, str]] = {
    "task": (str, lambda v: v in TASK_NAMES, f"one of {', '.join(TASK_NAMES)}"),
    "seq_len": (int, _positive_int, "an integer >= 1 (adding needs >= 2)"),
    "hidden_size": (int, lambda v: 1 <= v <= 4096, "an integer from 1 to 4096"),
    "batch_size": (int, lambda v: 1 <= v <= 65536, "an integer from 1 to 65536"),
    "optimizer": (str, lambda v: v in ("adam", "sgd"), "adam or sgd"),
    "lr": ((int, float), lambda v: math.isfinite(v) and 0 < v <= 10, "a number in (0, 10]"),
    "momentum": ((int, float), lambda v: 0 <= v < 1, "a number in [0, 1)"),
    "clip": ((int, float), lambda v: math.isfinite(v) and v >= 0, "a number >= 0 (0: no clipping)"),
    "dtype": (str, lambda v: v in ("float32", "float64"), "float32 or float64"),
    "seed": (int, _non_negative_int, "an integer >= 0"),
    "steps": (int, _non_negative_int, "an integer >= 0 (0: until stopped)"),
    "recurrent_scale": ((int, float), _positive_float, "a number > 0"),
}
assert set(RULES) | {"cell"} == {f.name for f in fields(RunConfig)}
TOP_ONLY = {"cells"}


def presets_dir() -> Path:
    return Path(str(resources.files("rnn_tui") / "presets"))


def list_presets() -> list[str]:
    """Names of the shipped presets (file stems), sorted."""
    folder = presets_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def resolve_preset(name_or_path: str | Path) -> Path:
    path = Path(name_or_path)
    # A path when it says so (.toml) or names a file; a folder that happens to share a
    # preset's name (./adding-100/ holding its runs, say) does not hide the preset.
    if path.suffix == ".toml" or path.is_file():
        if not path.is_file():
            raise PresetError(f"preset file {path} does not exist")
        return path
    shipped = presets_dir() / f"{name_or_path}.toml"
    if not shipped.is_file():
        raise PresetError(f"no preset named {str(name_or_path)!r}; shipped presets: "
                          f"{', '.join(list_presets())} (or give a path to a .toml file)")
    return shipped


def read_preset(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise PresetError(f"{path}: not valid TOML: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise PresetError(f"{path}: cannot read: {err}") from None


def check_value(source: str, key: str, value: Any) -> Any:
    """The value if it is allowed for `key`, else a PresetError naming source and key."""
    if key not in RULES:
        raise PresetError(f"{source}: unknown key {key!r}; allowed keys: "
                          f"{', '.join(sorted(RULES | dict.fromkeys(TOP_ONLY)))}, "
                          "or a table named after one of the cells")
    kind, check, allowed = RULES[key]
    if isinstance(value, bool) or not isinstance(value, kind) or not check(value):
        raise PresetError(f"{source}: {key} = {value!r} is not allowed; {key} must be {allowed}")
    return float(value) if kind == (int, float) else value


def check_cells(source: str, cells: Any) -> list[str]:
    if (not isinstance(cells, list) or not 1 <= len(cells) <= 4
            or not all(isinstance(c, str) for c in cells)):
        raise PresetError(f"{source}: cells = {cells!r} is not allowed; cells must be a list "
                          f"of 1 to 4 names from {', '.join(CELL_KINDS)}")
    for cell in cells:
        if cell not in CELL_KINDS:
            raise PresetError(f"{source}: cells: unknown cell {cell!r}; "
                              f"choose from {', '.join(CELL_KINDS)}")
    return cells


def configs_from(data: dict[str, Any], source: str,
                 overrides: dict[str, Any] | None = None) -> list[RunConfig]:
    """Validated RunConfigs, one per cell, from preset data and then flag overrides."""
    data = dict(data)
    cells = check_cells(source, data.pop("cells", ["rnn", "lstm"]))
    per_cell = {k: data.pop(k) for k in list(data) if k in CELL_KINDS}
    shared = {k: check_value(source, k, v) for k, v in data.items()}
    for key, value in (overrides or {}).items():
        if key == "cells":
            cells = check_cells("--cells", value)
        elif value is not None:
            shared[key] = check_value(f"--{key.replace('_', '-')}", key, value)
    configs = []
    for cell in cells:
        table = per_cell.get(cell, {})
        if not isinstance(table, dict):
            raise PresetError(f"{source}: {cell} must be a table of settings for that cell")
        own = {k: check_value(f"{source} [{cell}]", k, v) for k, v in table.items()}
        configs.append(RunConfig(cell=cell, **(shared | own)))
    check_task_length(source, configs[0])
    return configs


def check_task_length(source: str, config: RunConfig) -> None:
    if config.task == "adding" and config.seq_len < 2:
        raise PresetError(f"{source}: seq_len = {config.seq_len} is too short for adding; "
                          "seq_len must be an integer >= 2 (one marker in each half)")


def load_preset(name_or_path: str | Path = DEFAULT_PRESET,
                overrides: dict[str, Any] | None = None) -> list[RunConfig]:
    """The RunConfigs of a shipped preset (by name) or a preset file (by path)."""
    path = resolve_preset(name_or_path)
    return configs_from(read_preset(path), str(path), overrides)
