"""`rnn-tui sweep FILE`: every run of a sweep file on Dask, resumable, with the map at
the end. The pieces: `sweep_grid` (the file to runs), `sweep_results` (the folder),
`sweep_dask` (where the runs go), `sweep_run` (one run), `sweep_report` (the screen)."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import Any, TextIO

from .code_digest import code_digest
from .memory import does_not_fit, run_bytes
from .presets import PresetError
from .sweep_dask import (
    STOPPING,
    collect,
    keep_log,
    local_client,
    scheduler_client,
    stop_name,
    submit,
)
from .sweep_grid import Sweep, SweepRun, load_sweep
from .sweep_keys import can_listen
from .sweep_map import default_column, sweep_maps
from .sweep_report import SweepProgress, print_maps
from .sweep_results import (
    GRID_FILE,
    RESULTS_FILE,
    ResultsWriter,
    log_path,
    prepare,
    read_follower,
    read_results,
    result_record,
    writing,
)

DEFAULT_ROOT = Path("sweeps")
WORKERS_PER_CORE = 4  # runs are single-threaded: more processes only share the cores


def most_workers() -> int:
    """The most worker processes a local cluster may have here."""
    return WORKERS_PER_CORE * (os.cpu_count() or 1)


def default_out(sweep_file: str | Path) -> Path:
    return DEFAULT_ROOT / Path(sweep_file).stem


def why(err: OSError) -> str:
    """"No space left on device: out/results.jsonl" (a failed flush names no file)."""
    return f"{err.strerror or err}: {err.filename}" if err.filename else str(err.strerror or err)


class CannotWrite(Exception):
    """The sweep's folder refused a result or a log (a full disk, say)."""


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def sweep(sweep_file: str | Path, out: Path | None = None, scheduler: str | None = None,
          as_json: bool = False, workers: int | None = None,
          stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr,
          retry_failed: bool = False) -> int:
    """Run what is left of the sweep (and, with `retry_failed`, the runs that failed);
    0 when every run ended, 1 when one failed or was lost (its scheduler gone), 130 when
    interrupted (Ctrl-C, SIGTERM or SIGHUP: finished results stay, a rerun resumes). Bad input
    raises PresetError (the cli prints it, exit 2)."""
    if scheduler is not None and not scheduler.strip():
        # (an unset variable, `--scheduler "$SCHEDULER"`, ran the sweep here unasked)
        raise PresetError("--scheduler needs an address, tcp://HOST:PORT (the one `dask "
                          "scheduler` prints); leave it out to run on this machine")
    port = (scheduler or "").split("//")[-1].rpartition(":")[2]
    if port.isdigit() and not 0 < int(port) < 65536:  # (else a 10 s wait, then "timed out")
        raise PresetError(f"--scheduler {scheduler}: {port} is not a port (1 to 65535); "
                          "give the address `dask scheduler` prints, tcp://HOST:8786 by "
                          "default")
    if workers is not None and scheduler is not None:
        # (it was ignored without a word: the cluster behind a scheduler has its own)
        raise PresetError("--workers is not allowed with --scheduler; --workers sizes the "
                          "local cluster, a scheduler's cluster runs as many as it has")
    if workers is not None and workers < 1:
        raise PresetError(f"--workers {workers} is not allowed; --workers must be an "
                          "integer >= 1")
    if workers is not None and scheduler is None and workers > most_workers():
        # (a typo such as --workers 1000 spawned a thousand processes on two cores)
        raise PresetError(f"--workers {workers} is not allowed; --workers must be at most "
                          f"{most_workers()} ({WORKERS_PER_CORE} per core, "
                          f"{os.cpu_count() or 1} here: each run is single-threaded)")
    grid = load_sweep(sweep_file)
    if scheduler is None:  # a remote scheduler's workers have memory this machine can't see
        refuse_what_cannot_fit(grid)
    out = Path(out) if out is not None else default_out(sweep_file)
    with ExitStack() as stack:
        # A given scheduler is reached first: a wrong address leaves no folder behind (the
        # embedded cluster starts later, only when there are runs left to do).
        client = stack.enter_context(scheduler_client(scheduler)) if scheduler else None
        if out.exists() and not out.is_dir():
            raise PresetError(f"--out {out} is a file, not a folder: give a folder for the "
                              "sweep's results and logs")
        try:
            out.mkdir(parents=True, exist_ok=True)
            stack.enter_context(writing(out))  # first: a sweep running there keeps its grid
            prepare(out, grid)
        except OSError as err:  # a file in the way, a read-only or missing disk
            try:  # (what it holds, if it can be read at all)
                left = len(runs_to_do(grid, out, retry_failed))
            except OSError:
                left = len(grid.runs)
            if not left:  # (a finished sweep on storage it may not write: the map, read)
                report(grid, out, len(grid.runs), False, as_json, stdout)
                return 0
            raise PresetError(f"--out {out}: cannot write the sweep there ({why(err)})"
                              + (f"; runs without a result: {left} of {len(grid.runs)} "
                                 f"(`rnn-tui sweep-view {out}` shows the map so far)"
                                 if (out / GRID_FILE).is_file() else "")) from None
        return run_sweep(grid, out, client, as_json, workers, stdout, stderr, scheduler,
                         retry_failed)


def runs_to_do(grid: Sweep, out: Path, retry_failed: bool = False,
               said: Callable[[str], None] | None = None) -> list[SweepRun]:
    """The grid's runs with no result in `out` yet (and, with `retry_failed`, those that
    failed); all of them when `out` holds no sweep. `said` hears of unreadable lines."""
    if not (out / GRID_FILE).is_file():
        return list(grid.runs)
    follower = read_follower(out)
    finished = follower.results
    results = out / RESULTS_FILE
    # (A last line without its newline: cut by a kill or a full disk; the writer takes
    # it out when it opens the file.)
    unreadable = follower.unreadable + (results.is_file()
                                        and results.stat().st_size > follower.offset)
    if unreadable and said is not None:
        said(f"rnn-tui: warning: {unreadable} line(s) of {results} are no result (not "
             "JSON: cut by a kill or a full disk; or without a result's fields, or with one "
             "of the wrong type: edited, "
             "or from an older rnn-tui): ignored; a run without another result line is "
             "done again")
    if retry_failed:  # (the new result's line comes later in results.jsonl, and wins)
        finished = {id: r for id, r in finished.items() if r.get("state") != "failed"}
    return [run for run in grid.runs if run.id not in finished]


def refuse_what_cannot_fit(grid: Sweep, available: int | None = None) -> None:
    """PresetError naming the biggest run when it would not fit on this machine alone
    (checked before anything is written or spawned, as `train` does)."""
    biggest = max(grid.runs, key=lambda run: run_bytes(run.config), default=None)
    too_big = biggest and does_not_fit([biggest.config], available=available)
    if too_big:
        raise PresetError(f"run {biggest.id} is too big for this machine: {too_big} "
                          "(lower seq_len, batch_size or hidden_size in the sweep file)")


def run_sweep(grid: Sweep, out: Path, client: Any | None, as_json: bool,
              workers: int | None, stdout: TextIO, stderr: TextIO,
              scheduler: str | None = None, retry_failed: bool = False) -> int:
    todo = runs_to_do(grid, out, retry_failed, said=lambda line: print(line, file=stderr))
    skipped = len(grid.runs) - len(todo)
    failed = interrupted = False
    cannot_write = ""
    writer = ResultsWriter(out)
    other_code: set[str | None] = set()  # workers already said to run other code

    def on_result(run: SweepRun, summary: dict[str, Any]) -> None:
        nonlocal failed
        record = result_record(run.id, run.config, summary)
        try:
            keep_log(summary, log_path(out, run.id))
            writer.write(record)
        except OSError as err:  # a full disk, say: the sweep stops, what is written stays
            raise CannotWrite(f"cannot write into {out} ({why(err)})") from None
        failed |= record["state"] == "failed"
        progress.run_done(record)
        code, worker = record.get("code"), record.get("worker")
        if code and code != code_digest() and worker not in other_code:
            other_code.add(worker)  # (said once a worker)
            progress.say(f"rnn-tui: warning: worker {worker} runs other rnn-tui code than "
                         f"this machine ({code} there, {code_digest()} here: another "
                         "install or checkout?); its results may not match the others'")

    # SIGTERM and a closed terminal (SIGHUP) stop the sweep as Ctrl-C does: under a
    # hangup it died at once, the runs in flight cut mid-line and its lock left behind.
    previous = {signum: signal.signal(signum, _raise_interrupt) for signum in STOPPING}
    progress: SweepProgress | None = None
    try:
        map_key = not as_json and can_listen(sys.stdin, stdout)
        with SweepProgress(stderr if as_json else stdout, len(todo), skipped, str(out),
                           map_key, grid.swept) as progress:
            if todo:
                # (never more processes than runs: the others would only idle)
                processes = min(workers or os.cpu_count() or 1, len(todo))
                with nullcontext(client) if client else local_client(processes) as dask:
                    stop = stop_name()
                    futures = submit(dask, todo, [log_path(out, r.id) for r in todo], stop)
                    collect(dask, futures, on_result, progress.tick, stop)
    except KeyboardInterrupt:
        interrupted = True
    except CannotWrite as err:
        cannot_write = str(err)
    finally:
        writer.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if progress is not None and progress.console.reader_left:
        raise BrokenPipeError  # (the runs are stopped and what finished is written: 141)
    report(grid, out, skipped, interrupted, as_json, stdout)
    if cannot_write:
        stderr.write(f"rnn-tui: error: {cannot_write}: the sweep stopped and cancelled the "
                     "runs in flight; the results written stay: make room and run the same "
                     "command again to resume\n")
        return 1
    results = read_results(out)
    # A failed run skipped as done is still failed: a rerun said 0 where the first said 1
    # for the same folder (`--retry-failed` runs them again).
    failed |= any(results.get(run.id, {}).get("state") == "failed" for run in grid.runs)
    # A run with no result that was not interrupted: lost with its scheduler.
    missing = len({run.id for run in todo} - set(results))
    if missing and not interrupted:  # (else exit 1 after "0 failed", without a word why)
        stderr.write(f"rnn-tui: error: {missing} runs got no result: the Dask scheduler"
                     + (f" at {scheduler}" if scheduler else "") + " went away; run the "
                     "same command again, with a scheduler running, to run them\n")
    return 130 if interrupted else 1 if failed or missing else 0


def report(grid: Sweep, out: Path, skipped: int, interrupted: bool, as_json: bool,
           stdout: TextIO) -> None:
    results = read_results(out)
    runs = [results[run.id] | {"log": str(out / results[run.id]["log"])}
            for run in grid.runs if run.id in results]
    if as_json:
        json.dump({"runs": runs, "skipped": skipped, "interrupted": interrupted}, stdout,
                  indent=1)
        stdout.write("\n")
        return
    grid_runs = [{"id": r.id, "config": r.config.to_dict()} for r in grid.runs]
    print_maps(stdout, sweep_maps(grid_runs, results, grid.swept, default_column(grid.swept)))
    failed = sum(r["state"] == "failed" for r in runs)
    # (Every run had its result by the time it stopped: nothing to resume.)
    stopped = "" if not interrupted else (
        " - interrupted: run the same command again to resume" if len(runs) < len(grid.runs)
        else " - interrupted once every run had its result")
    stdout.write(f"{len(runs)} of {len(grid.runs)} runs in {out}/results.jsonl "
                 f"({skipped} skipped: already there; {failed} failed){stopped}\n")
