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

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from ..engine.names import SettingError
from ..engine.vocabulary import as_written
from .config import (
    CELL_KINDS,
    SETTINGS,
    RunConfig,
    check_cell,
    check_setting,
    check_task_length,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_PRESET = "adding-100"


class PresetError(ValueError):
    """A preset (or a flag overriding one) that cannot be used; the message says why."""


# Every setting a preset may give is a RunConfig field; its allowed range is the engine's.
assert set(SETTINGS) | {"cell"} == {f.name for f in fields(RunConfig)}
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
    # (/dev/null: neither a file nor a folder, but there: not a preset's name either.)
    if path.suffix == ".toml" or path.is_file() or (path.exists() and not path.is_dir()):
        if path.is_dir():
            raise PresetError(f"preset file {path} is a folder, not a .toml file")
        if path.exists() and not path.is_file():  # (read, a pipe would wait forever)
            raise PresetError(f"preset file {path} is not a regular file (a pipe or a "
                              "device?)")
        if not path.is_file():
            raise PresetError(f"preset file {path} does not exist")
        return path
    shipped = presets_dir() / f"{name_or_path}.toml"
    if not shipped.is_file() and str(name_or_path) and path.is_dir():  # ('' is '.': no)
        # (No preset's name: the folder was meant.)
        raise PresetError(f"preset file {path} is a folder, not a .toml file")
    if not shipped.is_file():
        raise PresetError(f"no preset named {str(name_or_path)!r}; shipped presets: "
                          f"{', '.join(list_presets())} (or give a path to a .toml file)")
    return shipped


def read_preset(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise PresetError(f"{path}: not valid TOML: {err}") from None
    except UnicodeDecodeError:
        raise PresetError(f"{path}: not a preset (not UTF-8 text)") from None
    except OSError as err:
        raise PresetError(f"{path}: cannot read: {err.strerror or err}") from None


def check_value(source: str, key: str, value: Any, tables: bool = True,
                in_cell: bool = False) -> Any:
    """The value if it is allowed for `key`, else a PresetError naming source and key
    (and, where a cell's table may stand, `tables`, saying so). `in_cell`: a key of a
    cell's own table, where the shared settings and the tables are not allowed."""
    if key not in SETTINGS:
        allowed = (sorted(k for k in SETTINGS if k not in SHARED) if in_cell
                   else sorted(SETTINGS | dict.fromkeys(TOP_ONLY)))
        raise PresetError(f"{source}: unknown key {key!r}; allowed keys: {', '.join(allowed)}"
                          + (", or a table named after one of the cells"
                             if tables and not in_cell else ""))
    try:
        return check_setting(key, value)
    except SettingError as err:
        raise PresetError(f"{source}: {err}") from None


def check_cells(source: str, cells: Any) -> list[str]:
    if (not isinstance(cells, list) or not 1 <= len(cells) <= 4
            or not all(isinstance(c, str) and c.strip() for c in cells)):
        raise PresetError(f"{source}: cells = {as_written(cells)} is not allowed; cells must be "
                          f"a list "
                          f"of 1 to 4 names from {', '.join(CELL_KINDS)}")
    for cell in cells:
        try:
            check_cell(cell)
        except SettingError as err:
            raise PresetError(f"{source}: cells: {err}") from None
    return cells


def configs_from(data: dict[str, Any], source: str, overrides: dict[str, Any] | None = None,
                 name_of: Callable[[str], str] | None = None) -> list[RunConfig]:
    """Validated RunConfigs, one per cell, from preset data and then the overrides, whose
    errors name each as `name_of(key)` (the command line's flag; from Python, the key)."""
    name_of = name_of or override_name
    data = dict(data)
    cells = check_cells(source, data.pop("cells", ["rnn", "lstm"]))
    per_cell = {k: data.pop(k) for k in list(data) if k in CELL_KINDS}
    # Lists of values make a grid: a sweep file, not a preset.
    refuse_lists(source, data, f"lists make a sweep; run it with: rnn-tui sweep {source}")
    shared = {k: check_value(source, k, v) for k, v in data.items()}
    flags: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        if key == "cells":
            cells = check_cells(name_of("cells"), value)
        elif value is not None:
            # (no cell tables here: the message offered one, then refused it)
            flags[key] = check_value(name_of(key), key, value, tables=False)
    # Every cell's table is checked, also of a cell not in `cells` (--cells may bring it
    # in; a wrong value there used to pass unseen until then).
    own = {cell: cell_table(source, cell, table) for cell, table in per_cell.items()}
    # A flag is the last word, over a cell's own table too: `--lr` given and then
    # ignored for one cell (relu-exploding's [relu] lr) looked like a bug in the run.
    configs = [RunConfig(cell=cell, **(shared | own.get(cell, {}) | flags)) for cell in cells]
    given = [k for k in ("seq_len", "task") if (overrides or {}).get(k) is not None]
    check_length(name_of(given[0]) if given else source, configs[0])
    return configs


def override_name(key: str) -> str:
    """How an override from Python is named in an error (`--hiden-size` named a flag
    that does not exist)."""
    return f"overrides[{key!r}]"


# What makes the batches: the same for every cell, or the panels are not one experiment.
SHARED = ("task", "seq_len", "seed", "batch_size")


def cell_table(source: str, cell: str, table: Any) -> dict[str, Any]:
    """A cell's table of settings, checked."""
    if not isinstance(table, dict):
        raise PresetError(f"{source}: {cell} must be a table of settings for that cell")
    shared = next((key for key in SHARED if key in table), None)
    if shared:
        # ([lstm] task = "copy" trained the rnn on adding and the lstm on copy "side by
        # side", without a word.)
        raise PresetError(f"{source} [{cell}]: {shared} cannot be set for one cell: every "
                          f"cell trains on the same batches ({', '.join(SHARED)} are set "
                          "at the top, for all)")
    # (Also in a sweep file: its cell tables are not swept.)
    refuse_lists(f"{source} [{cell}]", table, "a cell's table holds one value per "
                 "setting (values to sweep over go at the top of a sweep file)")
    return {k: check_value(f"{source} [{cell}]", k, v, in_cell=True) for k, v in table.items()}


def refuse_lists(where: str, table: dict[str, Any], why: str) -> None:
    """PresetError naming the first setting of `table` given a list of values."""
    listed = next((k for k, v in table.items() if isinstance(v, list)), None)
    if listed is not None:
        raise PresetError(f"{where}: {listed} = {as_written(table[listed])} is a list: {why}")


# The flags whose names are not the setting's (cli.py: --hidden sets hidden_size).
FLAGS = {"hidden_size": "--hidden", "batch_size": "--batch"}


def flag_of(key: str) -> str:
    """The command-line flag that sets `key`, as the user typed it."""
    return FLAGS.get(key, f"--{key.replace('_', '-')}")


def check_length(source: str, config: RunConfig) -> None:
    """The task's own lower bound on seq_len (adding needs a marker in each half)."""
    try:
        check_task_length(config.task, config.seq_len)
    except SettingError as err:
        raise PresetError(f"{source}: {err}") from None


def load_preset(name_or_path: str | Path = DEFAULT_PRESET,
                overrides: dict[str, Any] | None = None,
                name_of: Callable[[str], str] | None = None) -> list[RunConfig]:
    """The RunConfigs of a shipped preset (by name) or a preset file (by path), with
    `overrides` over it (`configs_from`): settings for every cell, a value of None
    meaning not given (as a flag left out)."""
    path = resolve_preset(name_or_path)
    return configs_from(read_preset(path), str(path), overrides, name_of)


@dataclass(frozen=True)
class Preset:
    """A preset as it was asked for: its name or path and the flags given over it. The
    dashboard's `c` reads the settings of the cell it switches to from here (a cell's own
    table in the preset, then the flags), not from the cell it leaves."""

    name: str | Path = DEFAULT_PRESET
    flags: dict[str, Any] = field(default_factory=dict)

    def configs(self) -> list[RunConfig]:
        return load_preset(self.name, self.flags, flag_of)

    def config_for(self, cell: str) -> RunConfig:
        """The preset's configuration for `cell`, whether or not its `cells` lists it."""
        return load_preset(self.name, self.flags | {"cells": [cell]}, flag_of)[0]
