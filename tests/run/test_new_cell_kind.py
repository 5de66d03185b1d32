"""A cell kind registered in the engine reaches presets and the command line, with no
other change (the recipe of docs/extending.md)."""

from __future__ import annotations

import pytest

from rnn_tui.cli import build_parser, configs_from_args
from rnn_tui.run.config import CELL_KINDS, SIMPLE_CELLS
from rnn_tui.run.presets import PresetError, load_preset
from rnn_tui.run.training import build_trainer


def test_a_registered_cell_is_in_the_vocabulary(toy_cell: str) -> None:
    assert CELL_KINDS[-1] == toy_cell and toy_cell in SIMPLE_CELLS


def test_a_registered_cell_is_accepted_by_presets_and_trains(toy_cell: str) -> None:
    configs = load_preset("adding-100", {"cells": ["rnn", toy_cell], "seq_len": 10,
                                         "hidden_size": 8, "batch_size": 4})
    assert [c.cell for c in configs] == ["rnn", toy_cell]
    trainer = build_trainer(configs[1])
    first = trainer.step()
    assert first.finite and type(trainer.model).__name__ == "LinearRNN"


def test_a_registered_cell_is_accepted_by_the_command_line(toy_cell: str) -> None:
    parser = build_parser()
    assert f"rnn,relu,irnn,lstm,gru,{toy_cell}" in " ".join(parser.format_help().split())
    configs = configs_from_args(parser.parse_args(["--cells", f"lstm,{toy_cell}"]))
    assert [c.cell for c in configs] == ["lstm", toy_cell]


def test_an_unregistered_cell_is_refused_by_name() -> None:
    assert "linear" not in CELL_KINDS  # the fixture's registration did not leak
    with pytest.raises(PresetError, match='unknown cell "linear"; choose from rnn, relu'):
        load_preset("adding-100", {"cells": ["linear"]})
