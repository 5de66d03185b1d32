"""`rnn-tui sweep-view DIR`: the map of a sweep's folder, a screen of the one app, that
follows the folder while the sweep writes, and opens an entry's runs on compare."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from ui_support import fixture_path, wait_for

from rnn_tui.run.sweep_grid import Sweep, expand
from rnn_tui.run.sweep_results import ResultsWriter, log_path, prepare, result_record
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.sweep_map import (
    OpenDashboard,
    SweepCompareScreen,
    SweepMapScreen,
    shown_path,
)
from rnn_tui.ui.sources import ReplaySource


def sweep_folder(out: Path, source: str = "map.toml") -> Sweep:
    sweep = expand({"task": "adding", "cells": ["rnn", "lstm"], "seq_len": [20, 40],
                    "hidden_size": 8, "steps": 2000}, source)
    prepare(out, sweep)
    return sweep


def finish(out: Path, sweep: Sweep, cell: str, seq_len: int, solved: int | None) -> None:
    """Write a run's result (and its log, from a fixture) as the sweep would."""
    run = next(r for r in sweep.runs if (r.config.cell, r.config.seq_len) == (cell, seq_len))
    shutil.copy(fixture_path(f"lstm-adding{seq_len}"), log_path(out, run.id))
    writer = ResultsWriter(out)
    writer.write(result_record(run.id, run.config, {
        "state": "finished", "steps": solved or 2000, "solved_step": solved,
        "worker": "tcp://127.0.0.1:1"}))
    writer.close()


def cell_text(pilot: Pilot, row: str, column: int) -> str:
    table = pilot.app.screen.query_one("#sweep-map", DataTable)
    return str(table.get_cell(row, str(column)))


async def test_the_map_follows_the_folder_and_opens_an_entrys_runs(tmp_path) -> None:
    sweep = sweep_folder(tmp_path)
    finish(tmp_path, sweep, "lstm", 20, solved=300)
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SweepMapScreen), "the map")
        await wait_for(pilot, lambda: cell_text(pilot, "lstm", 20) == "1/1 · 300",
                       "lstm T=20 shown solved")
        assert cell_text(pilot, "rnn", 40) == "… / 1"

        finish(tmp_path, sweep, "rnn", 40, solved=None)          # the sweep writes on
        await wait_for(pilot, lambda: cell_text(pilot, "rnn", 40) == "0/1",
                       "a result written after opening shown")

        app.screen.query_one("#sweep-map", DataTable).move_cursor(row=1, column=1)
        await pilot.press("enter")                               # lstm, T=20
        await wait_for(pilot, lambda: isinstance(app.screen, SweepCompareScreen),
                       "the entry's runs on the compare screen")
        assert len(app.screen.histories) == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SweepMapScreen),
                       "back on the map")


async def test_a_run_whose_log_was_cut_reads_as_its_result_says(tmp_path) -> None:
    # A full disk cut a run's log at step 150; its result says it finished 300 steps.
    # The overlay said "not solved by step 150" (review).
    sweep = sweep_folder(tmp_path)
    run = next(r for r in sweep.runs if (r.config.cell, r.config.seq_len) == ("lstm", 20))
    lines = fixture_path("lstm-adding20").read_text().splitlines()
    kept = [line for line in lines if '"run_ended"' not in line]
    log_path(tmp_path, run.id).write_text("\n".join(kept[:len(kept) // 2]) + "\n")
    writer = ResultsWriter(tmp_path)
    writer.write(result_record(run.id, run.config, {
        "state": "finished", "steps": 2000, "solved_step": None,
        "warnings": ["run log x not written (No space left on device): ..."]}))
    writer.close()
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: cell_text(pilot, "lstm", 20) == "0/1", "the entry")
        app.screen.query_one("#sweep-map", DataTable).move_cursor(row=1, column=1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SweepCompareScreen), "runs")
        legend = str(app.screen.query_one("#legend", Static).content)
        assert "finished at step 2000, not solved; its log stops at step" in legend, legend


async def test_d_asks_for_the_run_and_its_other_cell_side_by_side(tmp_path) -> None:
    sweep = sweep_folder(tmp_path)
    finish(tmp_path, sweep, "lstm", 20, solved=300)
    finish(tmp_path, sweep, "rnn", 20, solved=None)
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SweepMapScreen), "the map")
        await wait_for(pilot, lambda: cell_text(pilot, "lstm", 20) == "1/1 · 300",
                       "lstm T=20 shown")
        app.screen.query_one("#sweep-map", DataTable).move_cursor(row=1, column=1)
        await pilot.press("d")
        await wait_for(pilot, lambda: app.return_value is not None, "the app ending")
    asked = app.return_value
    assert isinstance(asked, OpenDashboard) and asked.cursor == (1, 1)
    assert [p.name.split("-")[0] for p in asked.logs] == ["lstm", "rnn"]

    again = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(tmp_path, asked))
    async with again.run_test(size=(120, 30)) as pilot:                # the way back
        await wait_for(pilot, lambda: isinstance(again.screen, SweepMapScreen), "the map")
        table = again.screen.query_one("#sweep-map", DataTable)
        await wait_for(pilot, lambda: table.cursor_coordinate == (1, 1),
                       "the cursor where it was")


async def test_the_title_names_the_sweep_file_and_folder_short(tmp_path,
                                                               monkeypatch) -> None:
    here, out = tmp_path / "here", tmp_path / "here" / "sweeps" / "map"
    out.mkdir(parents=True)
    monkeypatch.chdir(here)
    sweep_folder(out, source=str(tmp_path / "elsewhere" / "sweeps" / "map.toml"))
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(out))
    async with app.run_test(size=(120, 30)) as pilot:
        title = app.screen.query_one("#sweep-title", Static)
        await wait_for(pilot, lambda: "runs finished" in str(title.content), "the title")
        # the file outside the current folder: its folder and name; the folder relative
        assert str(title.content) == ("sweep sweeps/map.toml · 0 of 4 runs finished · "
                                      "0 running · 0 failed · sweeps/map")


async def test_the_title_counts_a_failed_run_apart_from_those_finished(tmp_path) -> None:
    # "4 of 4 runs finished · 1 failed" above entries that count it apart ("1 failed").
    sweep = sweep_folder(tmp_path)
    finish(tmp_path, sweep, "lstm", 20, solved=300)
    run = next(r for r in sweep.runs if (r.config.cell, r.config.seq_len) == ("rnn", 20))
    writer = ResultsWriter(tmp_path)
    writer.write(result_record(run.id, run.config, {"state": "failed", "message": "boom"}))
    writer.close()
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        title = app.screen.query_one("#sweep-title", Static)
        await wait_for(pilot, lambda: "runs finished" in str(title.content), "the title")
        assert "· 1 of 4 runs finished · 0 running · 1 failed" in str(title.content), title


async def test_a_run_cut_short_is_not_counted_running_once_no_sweep_writes(tmp_path) -> None:
    # The map of a sweep stopped by Ctrl-C said "2 running" for ever: the two runs cut
    # short had a log and no result.
    import os
    import socket

    sweep = sweep_folder(tmp_path)
    cut = next(r for r in sweep.runs if r.config.cell == "lstm")
    log_path(tmp_path, cut.id).write_text('{"event": "run_started"}\n')
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        title = app.screen.query_one("#sweep-title", Static)
        await wait_for(pilot, lambda: "runs finished" in str(title.content), "the title")
        assert "runs finished · 1 cut short · 0 failed" in str(title.content)
        # A sweep writing into the folder (its lock, its process alive): running.
        (tmp_path / "sweep.lock").write_text(f"{socket.gethostname()} {os.getpid()}")
        await wait_for(pilot, lambda: "· 1 running · 0 failed" in str(title.content),
                       "the run counted running while a sweep writes")
        # ... unless its log ended (Ctrl-C) and the resumed sweep has not started it
        # again: "3 running" on two workers (review, 2026-11-30).
        # Nor is one that finished, its result on its way: "4 running" on two workers
        # (review, the same day).
        with log_path(tmp_path, cut.id).open("a") as log:
            log.write('{"event":"run_ended","step":262,"reason":"finished"}\n')
        await wait_for(pilot, lambda: "· 0 running · 0 failed" in str(title.content),
                       "the finished run not counted running")
        with log_path(tmp_path, cut.id).open("a") as log:
            log.write('{"event":"run_ended","step":262,"reason":"interrupted"}\n')
        await wait_for(pilot, lambda: "runs finished · 1 cut short · 0 failed"
                       in str(title.content), "the ended run counted cut short")


async def test_a_folder_moved_away_under_the_map_keeps_the_last_map(tmp_path) -> None:
    # `mv OUT OUT.moved` (or rm -rf, to start again) under the viewer: a traceback.
    out = tmp_path / "out"
    sweep = sweep_folder(out)
    finish(out, sweep, "lstm", 20, solved=300)
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(out))
    async with app.run_test(size=(120, 30)) as pilot:
        title = app.screen.query_one("#sweep-title", Static)
        await wait_for(pilot, lambda: "runs finished" in str(title.content), "the title")
        out.rename(tmp_path / "moved")
        await wait_for(pilot, lambda: "cannot be read now" in str(title.content),
                       "the title saying the folder is gone")
        assert cell_text(pilot, "lstm", 20).startswith("1/1")  # the last map stays
        (tmp_path / "moved").rename(out)
        await wait_for(pilot, lambda: "runs finished" in str(title.content), "the map back")


def test_shown_path_is_relative_under_the_current_folder_else_short(tmp_path,
                                                                     monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert shown_path(tmp_path / "sweeps" / "map.toml") == "sweeps/map.toml"
    assert shown_path("/opt/rnn/presets/sweeps/map.toml") == "sweeps/map.toml"
    assert shown_path("../up/there/map.toml") == "there/map.toml"
    assert shown_path("tasks/map.toml") == "tasks/map.toml"            # as given
    assert shown_path("/opt/rnn/out", shorten=False) == "/opt/rnn/out"


def test_sweep_view_of_a_folder_without_a_sweep_is_exit_2(tmp_path) -> None:
    result = subprocess.run([sys.executable, "-m", "rnn_tui", "sweep-view", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "holds no sweep" in result.stderr


@pytest.mark.parametrize("given, said", [("gone", "gone does not exist"),
                                         ("map.toml", "map.toml is a file, not a sweep's")])
def test_sweep_view_of_no_folder_says_what_it_was_given(tmp_path, given, said) -> None:
    # Both said "holds no sweep (sweep.json is missing)".
    (tmp_path / "map.toml").write_text('cells = ["rnn"]\n')
    result = subprocess.run([sys.executable, "-m", "rnn_tui", "sweep-view", given],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith(f"rnn-tui: error: {said}")
    assert len(result.stderr.splitlines()) == 1


async def test_the_legend_is_whole_at_80_columns(tmp_path) -> None:
    # At 80x24 the one-line legend stopped at "... median steps to solve · enter: its".
    sweep_folder(tmp_path)
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SweepMapScreen), "the map")
        await pilot.pause()
        legend = app.screen.query_one("#sweep-legend", Static)
        shown = " ".join("".join(s.text for s in strip).strip()
                         for strip in legend.render_lines(legend.region.reset_offset))
        assert shown.endswith("enter: its runs overlaid · a: columns"), shown


async def test_help_on_the_map_tells_the_maps_keys_and_entries(tmp_path) -> None:
    # `?` on the map listed only ? q s and told the dashboard's story ("Both panels
    # train on the same batches..."): nothing about enter, d, a or what an entry means.
    from rnn_tui.ui.screens.help import HelpScreen, HelpText

    sweep = sweep_folder(tmp_path)
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SweepMapScreen), "the map")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        keys = [key for key, _ in app.screen.keys]
        assert {"⏎", "d", "a", "?", "q", "s"} <= set(keys), keys
        assert len(keys) == len(set(keys)), keys
        # The map only watches: quitting it stops no sweep (it said "workers stopped").
        assert "carries on" in dict(app.screen.keys)["q"]
        shown = " ".join(text.source for text in app.screen.query(HelpText) if text.display)
        assert "seeds solved / runs finished" in shown
        assert "Both panels" not in shown and "Panel 1" not in shown

        await pilot.press("escape")                              # and on an entry's runs
        finish(tmp_path, sweep, "lstm", 20, solved=300)
        await wait_for(pilot, lambda: cell_text(pilot, "lstm", 20) == "1/1 · 300",
                       "lstm T=20 shown solved")
        app.screen.query_one("#sweep-map", DataTable).move_cursor(row=1, column=1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SweepCompareScreen), "runs")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        assert "esc" in [key for key, _ in app.screen.keys]
        shown = " ".join(text.source for text in app.screen.query(HelpText) if text.display)
        assert "one colour per seed" in shown and "Both panels" not in shown


async def test_the_dashboard_d_opens_says_q_goes_back_to_the_map() -> None:
    # Its footer and help said "q quit" while q brings the map back.
    from rnn_tui.ui.app import MapDashboardApp
    from rnn_tui.ui.widgets.footer import KeyFooter, shown_keys

    app = MapDashboardApp(ReplaySource.from_logs([fixture_path("lstm-adding20"),
                                                  fixture_path("lstm-adding40")]))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.query(KeyFooter), "the dashboard")
        assert ("q", "back to the sweep's map") in app.help_keys()
        footer = {binding.key: binding.description for binding, *_ in shown_keys(app.screen)}
        assert footer["q"] == "back to map"


def test_a_block_of_rows_names_its_keys_as_the_columns_do() -> None:
    # With `a` making the task the columns, the rows read "seq_len=10 · rnn" under
    # columns that call T "T".
    from rnn_tui.run.sweep_map import SweepMap
    from rnn_tui.ui.screens.sweep_map import block_label

    table = SweepMap(column="task", fixed={"seq_len": 10, "hidden_size": 64}, rows=["rnn"],
                     columns=["adding", "copy"], entries={})
    assert block_label(table, "rnn") == "T=10 H=64 · rnn"


async def test_ctrl_c_quits_the_map_as_q_does(tmp_path) -> None:
    # The map alone (no panels) refused every action but help, quit and screenshot, and
    # Ctrl-C's is another: it did nothing, in `sweep-view` and in a sweep's `m`.
    sweep_folder(tmp_path)
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SweepMapScreen), "the map")
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: not app.is_running, "Ctrl-C: the map closed")
    assert app.return_code == 0
