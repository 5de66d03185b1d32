"""Sweep files expand to the product of their lists, validated as presets are; the sweep's
folder refuses another sweep, accepts a grown one, and reads back while it grows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_tui.run.presets import PresetError, list_presets
from rnn_tui.run.sweep_grid import expand, load_sweep
from rnn_tui.run.sweep_map import sweep_maps
from rnn_tui.run.sweep_results import (
    RESULTS_FILE,
    ResultsFollower,
    ResultsWriter,
    prepare,
    read_results,
)

SWEEPS = Path(__file__).resolve().parents[2] / "tasks" / "sweeps"


def test_runs_are_the_product_of_the_lists_one_cell_each() -> None:
    sweep = expand({"task": "adding", "cells": ["rnn", "lstm", "gru"], "seq_len": [10, 20],
                    "seed": [0, 1, 2], "hidden_size": 8, "steps": 50}, "s.toml")
    assert len(sweep.runs) == 3 * 2 * 3
    assert sweep.swept == ("cell", "seq_len", "seed")
    configs = {(r.config.cell, r.config.seq_len, r.config.seed) for r in sweep.runs}
    assert len(configs) == 18 and all(r.config.hidden_size == 8 for r in sweep.runs)
    assert len({r.id for r in sweep.runs}) == 18
    assert [r.config.seed for r in sweep.runs[:6]] == [0] * 6  # seeds outermost


@settings(max_examples=30, deadline=None)
@given(cells=st.lists(st.sampled_from(["rnn", "relu", "irnn", "lstm", "gru"]), min_size=1,
                      max_size=5),
       seq_lens=st.lists(st.integers(2, 500), min_size=1, max_size=4),
       seeds=st.lists(st.integers(0, 9), min_size=1, max_size=3),
       lrs=st.lists(st.sampled_from([0.001, 0.01, 0.1]), min_size=1, max_size=3))
def test_the_grid_is_every_combination_once(cells, seq_lens, seeds, lrs) -> None:
    sweep = expand({"cells": cells, "seq_len": seq_lens, "seed": seeds, "lr": lrs,
                    "steps": 5}, "s.toml")
    wanted = {(c, t, s, lr) for c in cells for t in seq_lens for s in seeds for lr in lrs}
    got = [(r.config.cell, r.config.seq_len, r.config.seed, r.config.lr) for r in sweep.runs]
    assert len(got) == len(set(got)) and set(got) == wanted
    assert len({r.id for r in sweep.runs}) == len(got)


def test_a_value_listed_twice_is_one_run() -> None:
    sweep = expand({"cells": ["lstm", "lstm"], "seq_len": [10, 10], "steps": 5}, "s.toml")
    assert len(sweep.runs) == 1


def test_per_cell_tables_apply_to_that_cells_runs() -> None:
    sweep = expand({"cells": ["relu", "lstm"], "seq_len": [10, 20], "steps": 5,
                    "relu": {"recurrent_scale": 1.5}}, "s.toml")
    scales = {r.config.cell: r.config.recurrent_scale for r in sweep.runs}
    assert scales == {"relu": 1.5, "lstm": 1.0}


@pytest.mark.parametrize("data, message", [
    ({"seq_len": [10, -3]}, "s.toml: seq_len = -3 is not allowed; seq_len must be an integer"),
    ({"seq_len": [1, 10]}, "s.toml: seq_len = 1 is too short for adding"),
    ({"lr": []}, "s.toml: lr = [] is an empty list"),
    ({"cells": ["lstm", "tanh"]}, 's.toml: cells: unknown cell "tanh"'),
    # (It said "cells = [''] … a list of 1 to 4 names": a sweep may name five.)
    ({"cells": ["rnn", ""]}, 's.toml: cells: unknown cell ""; choose from rnn, relu'),
    ({"task": ["adding", "parity"]}, 's.toml: task = "parity" is not allowed'),
    ({"colour": [1, 2]}, "s.toml: unknown key 'colour'"),
    ({"steps": 0}, "steps = 0 is not allowed in a sweep"),
])
def test_bad_values_get_the_presets_messages(data, message) -> None:
    with pytest.raises(PresetError) as err:
        expand({"steps": 10} | data, "s.toml")
    assert message in str(err.value)


def test_a_grid_too_large_is_one_line_before_anything_is_built() -> None:
    # 480,000 runs (a slip in one list) took minutes and 1.4 GB before the first run.
    data = {"task": "adding", "cells": ["rnn", "lstm", "gru", "irnn", "relu"],
            "seq_len": list(range(10, 110, 10)), "seed": list(range(50)),
            "hidden_size": [8, 16, 24, 32, 40, 48, 56, 64],
            "lr": [0.001, 0.002, 0.005, 0.01, 0.02, 0.05], "batch_size": [16, 32, 64, 128],
            "steps": 50}
    with pytest.raises(PresetError) as refused:
        expand(data, "huge.toml")
    assert str(refused.value).startswith(
        "huge.toml: the grid has 480000 runs (5 cells x 10 values of seq_len x 50 values of "
        "seed x 8 values of hidden_size x 6 values of lr x 4 values of batch_size); a sweep "
        "holds at most 5000")
    one_cell = data | {"cells": ["lstm"], "seq_len": 10, "hidden_size": 8, "lr": 0.01,
                       "batch_size": 16, "seed": list(range(5001))}
    with pytest.raises(PresetError, match=r"\(1 cell x 5001 values of seed\)"):
        expand(one_cell, "one.toml")  # (was "1 cells x 5001 seed": review)
    assert len(expand(data | {"seed": [0], "lr": 0.01}, "fits.toml").runs) == 1600


def test_a_value_listed_twice_is_counted_once_against_the_limit() -> None:
    # 5001 copies of seed 0 are one run; they were refused as "5001 runs".
    data = {"task": "adding", "cells": ["rnn", "rnn"], "seq_len": 10, "hidden_size": 8,
            "steps": 20, "seed": [0] * 5001}
    assert len(expand(data, "twice.toml").runs) == 1


def test_shipped_sweeps_load_say_what_they_answer_and_are_not_presets() -> None:
    files = sorted(SWEEPS.glob("*.toml"))
    assert {"horizon", "map"} <= {f.stem for f in files}
    for path in files:
        assert path.read_text().startswith("# ")
        assert load_sweep(path).runs
        assert path.stem not in list_presets()
    grid = load_sweep(SWEEPS / "map.toml")
    assert len(grid.runs) == 2 * 5 * 3 * 3  # tasks x T x cells x seeds
    assert {r.config.steps for r in grid.runs} == {2000}


def small(**changes) -> dict:
    return {"task": "adding", "cells": ["rnn", "lstm"], "seq_len": [5, 6],
            "hidden_size": 4, "steps": 20} | changes


def test_a_folder_accepts_its_own_sweep_grown_and_refuses_another(tmp_path) -> None:
    prepare(tmp_path / "out", expand(small(), "a.toml"))
    prepare(tmp_path / "out", expand(small(), "a.toml"))                  # resume
    prepare(tmp_path / "out", expand(small(seq_len=[5, 6, 7]), "a.toml"))  # only adds
    assert len(json.loads((tmp_path / "out" / "sweep.json").read_text())["runs"]) == 6
    with pytest.raises(PresetError, match="holds a different sweep: 2 of its 6 runs are "
                                          "not in b.toml"):
        prepare(tmp_path / "out", expand(small(seq_len=[5, 6, 8]), "b.toml"))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(PresetError, match="is not empty and holds no sweep"):
        prepare(tmp_path / "other", expand(small(), "a.toml"))


def test_a_refused_sweep_names_the_settings_that_differ(tmp_path) -> None:
    # "o1 holds a different sweep: 12 of its 12 runs are not in b.toml": which of a
    # dozen settings was it? (steps had gone from 150 to 200)
    prepare(tmp_path, expand(small(seed=[0, 1]), "a.toml"))
    with pytest.raises(PresetError, match=r"not in b\.toml \(steps: 20 there, 40 in "
                                          r"b\.toml\)"):
        prepare(tmp_path, expand(small(seed=[0, 1], steps=40), "b.toml"))
    with pytest.raises(PresetError, match=r"\(seq_len: 5, 6 there, 6 in b\.toml; seed: "
                                          r"0, 1 there, 1 in b\.toml\)"):
        prepare(tmp_path, expand(small(seq_len=[6], seed=1), "b.toml"))
    # A cell's table changed: lr 0.5 for the lstm only, while the rnn still has 0.01,
    # said "(for one, lstm-adding5-…)".
    with pytest.raises(PresetError, match=r"\(lr of lstm: 0\.01 there, 0\.5 in b\.toml\)"):
        prepare(tmp_path, expand(small(seed=[0, 1]) | {"lstm": {"lr": 0.5}}, "b.toml"))


def result(run_id: str, **fields) -> dict:
    """A results.jsonl line as `rnn-tui sweep` writes it."""
    from rnn_tui.run.config import RunConfig
    from rnn_tui.run.sweep_results import result_record

    return result_record(run_id, RunConfig(), {"state": "finished"}) | fields


def test_the_follower_takes_complete_lines_and_survives_a_cut_one(tmp_path) -> None:
    results = tmp_path / RESULTS_FILE
    follower = ResultsFollower(tmp_path)
    assert follower.poll() == []                                  # no file yet
    results.write_text(json.dumps(result("a")) + '\n{"id": "b", "sta')
    assert [r["id"] for r in follower.poll()] == ["a"]            # b is still being written
    writer = ResultsWriter(tmp_path)  # a writer killed mid-line left b cut: ended, not merged
    writer.write(result("c"))
    writer.close()
    assert [r["id"] for r in follower.poll()] == ["c"]
    assert set(read_results(tmp_path)) == {"a", "c"}


def test_the_map_counts_solved_seeds_and_their_median_steps() -> None:
    sweep = expand(small(seed=[0, 1, 2], seq_len=[5, 6]), "a.toml")
    grid = [{"id": r.id, "config": r.config.to_dict()} for r in sweep.runs]
    lstm5 = [r.id for r in sweep.runs if (r.config.cell, r.config.seq_len) == ("lstm", 5)]
    results = {lstm5[0]: {"state": "finished", "solved_step": 100},
               lstm5[1]: {"state": "finished", "solved_step": 300},
               lstm5[2]: {"state": "finished", "solved_step": None}}
    (table,) = sweep_maps(grid, results, sweep.swept)
    assert table.rows == ["rnn", "lstm"] and table.columns == [5, 6]
    entry = table.entries[("lstm", 5)]
    assert (entry.runs, entry.finished, entry.solved, entry.median_steps) == (3, 3, 2, 200)
    assert table.entries[("rnn", 6)].finished == 0


def test_the_map_tells_runs_that_diverged_from_runs_that_did_not_learn() -> None:
    from rnn_tui.run.sweep_report import entry_text

    sweep = expand(small(seed=[0, 1, 2], seq_len=[5]), "a.toml")
    grid = [{"id": r.id, "config": r.config.to_dict()} for r in sweep.runs]
    rnn = [r.id for r in sweep.runs if r.config.cell == "rnn"]
    results = {rnn[0]: {"state": "diverged", "solved_step": None},
               rnn[1]: {"state": "finished", "solved_step": None}}
    (table,) = sweep_maps(grid, results, sweep.swept)
    entry = table.entries[("rnn", 5)]
    assert (entry.finished, entry.solved, entry.diverged) == (2, 0, 1)
    assert entry_text(entry) == "[red]0/2 · 1 diverged [dim](of 3)[/][/]"


def test_the_map_tells_runs_that_failed_from_runs_that_did_not_learn() -> None:
    # A run Dask gave up on (its workers killed) read "0/1" in red on the map, as if the
    # cell had been trained and had not learned.
    from rnn_tui.run.sweep_report import entry_text

    sweep = expand(small(seed=[0, 1, 2], seq_len=[5]), "a.toml")
    grid = [{"id": r.id, "config": r.config.to_dict()} for r in sweep.runs]
    lstm = [r.id for r in sweep.runs if r.config.cell == "lstm"]
    results = {lstm[0]: {"state": "failed", "solved_step": None},
               lstm[1]: {"state": "finished", "solved_step": 40},
               lstm[2]: {"state": "finished", "solved_step": 60}}
    (table,) = sweep_maps(grid, results, sweep.swept)
    # (Not "2/3": the legend says runs finished, and a failed run says nothing of memory.)
    assert entry_text(table.entries[("lstm", 5)]) == "[green]2/2 · 50 · 1 failed[/]"
    assert table.entries[("lstm", 5)].share_solved == 1.0
    (table,) = sweep_maps(grid, {lstm[0]: results[lstm[0]]}, sweep.swept)
    assert entry_text(table.entries[("lstm", 5)]) == "[magenta]1 failed [dim](of 3)[/][/]"


def test_a_viewer_follows_a_folder_while_the_sweep_writes(tmp_path) -> None:
    from rnn_tui.run.sweep_results import SweepFolder

    sweep = expand(small(), "a.toml")
    prepare(tmp_path, sweep)
    folder = SweepFolder(tmp_path)
    assert folder.refresh() == [] and len(folder.grid["runs"]) == 4
    writer = ResultsWriter(tmp_path)
    writer.write(result(sweep.runs[0].id, log="logs/x.jsonl"))
    assert [r["id"] for r in folder.refresh()] == [sweep.runs[0].id]
    prepare(tmp_path, expand(small(seq_len=[5, 6, 7]), "a.toml"))   # the grid grows
    writer.write(result(sweep.runs[1].id, state="failed", log="logs/y.jsonl"))
    writer.close()
    assert [r["id"] for r in folder.refresh()] == [sweep.runs[1].id]
    assert len(folder.grid["runs"]) == 6 and len(folder.results) == 2
    assert folder.log(folder.results[sweep.runs[0].id]) == tmp_path / "logs" / "x.jsonl"


def test_one_sweep_at_a_time_writes_into_a_folder(tmp_path) -> None:
    import os

    from rnn_tui.run.sweep_results import LOCK_FILE, writing

    with writing(tmp_path):
        with pytest.raises(PresetError, match=f"another sweep \\(process {os.getpid()}"):
            with writing(tmp_path):
                pass
    assert not (tmp_path / LOCK_FILE).exists()
    # A lock whose process is gone (killed) is taken over.
    (tmp_path / LOCK_FILE).write_text(f"{os.uname().nodename} 999999999")
    with writing(tmp_path):
        assert (tmp_path / LOCK_FILE).read_text().endswith(str(os.getpid()))


def test_another_hosts_lock_says_how_to_clear_it_if_stale(tmp_path) -> None:
    # It said only "another sweep (process 123 on otherhost) is writing…": a lock a
    # machine that went down left there looked like a sweep for ever.
    from rnn_tui.run.sweep_results import LOCK_FILE, writing

    (tmp_path / LOCK_FILE).write_text("otherhost 123")
    with pytest.raises(PresetError) as err, writing(tmp_path):
        pass
    assert str(err.value).endswith(f"if no sweep runs there any more (the machine went "
                                   f"down), remove {tmp_path / LOCK_FILE} and run this again")
    (tmp_path / LOCK_FILE).unlink()
    with writing(tmp_path), pytest.raises(PresetError) as err, writing(tmp_path):
        pass  # (this host's live sweep: it is one, no hint)
    assert "remove" not in str(err.value)
