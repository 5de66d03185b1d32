"""Dashboard responsiveness, measured as a user sees it: the real `rnn-tui` in a
pseudo-terminal, its output read as the terminal would.

1. First frame: from starting the command to the header's text on the terminal.
2. Throughput: steps/s of each model inside the dashboard against `rnn-tui train` on
   the same preset, run for as long, both read from their run logs over the same
   window of each run (its first WARM_UP seconds left out).
3. Key latency: `space` 50 times, both models training; each press is timed until
   the terminal shows its effect ("paused" in the header, then "running" again; the
   header does not repaint while paused, so neither word can come from before the
   press). Target p95 < 50 ms. Also the dashboard process's own CPU over the
   throughput window (what it takes from the workers).
   The headless run's workers run at the dashboard's worker niceness (`nice -n 5`), so
   the ratio compares like with like.
4. Memory (--memory): 100,000 steps and 2,000 profiles folded into a headless app;
   resident memory before and after (history buffers must stay bounded).
5. Time to insight (--solve SEED ...): `rnn-tui --seed SEED` with no other flags, from an
   empty folder, timed from the command to "solved @" on the terminal (only the LSTM
   solves the default preset), for each seed; then nothing else is measured.

    python benchmarks/bench_ui.py [--seconds 30] [--presses 50] [--memory] [--trials 1]
    python benchmarks/bench_ui.py --solve 0 1 2
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

PRESET = "adding-100"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[PX^_].*?\x1b\\|\x1b.")
# A whole escape sequence (a read may end inside one: the rest waits for the next read).
WHOLE = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07]*\x07|[PX^_].*?\x1b\\|[^\[\]PX^_])",
                   re.DOTALL)


class Terminal:
    """A process on a pseudo-terminal of a given size; its output kept as plain text."""

    def __init__(self, argv: list[str], cols: int = 160, rows: int = 48,
                 cwd: Path | None = None) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                        env=env, cwd=cwd, start_new_session=True)
        os.close(slave)
        self.text = bytearray()
        self.pending = b""  # the start of an escape sequence cut by the last read
        self.lock = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            data, self.pending = self.pending + chunk, b""
            cut = data.rfind(b"\x1b")
            if cut >= 0 and len(data) - cut < 4096 and not WHOLE.match(data, cut):
                data, self.pending = data[:cut], data[cut:]
            with self.lock:
                self.text += ANSI.sub(b"", data)
                self.lock.notify_all()

    def mark(self) -> int:
        with self.lock:
            return len(self.text)

    def wait_for(self, needle: bytes, since: int = 0, timeout: float = 30.0) -> float:
        """Seconds (perf_counter) at which `needle` appeared after offset `since`."""
        deadline = time.perf_counter() + timeout
        with self.lock:
            while self.text.find(needle, since) < 0:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"{needle!r} did not appear within {timeout} s")
                self.lock.wait(left)
            return time.perf_counter()

    def press(self, key: bytes) -> None:
        os.write(self.master, key)

    def close(self) -> int:
        if self.process.poll() is None:
            self.press(b"q")
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.reader.join(2)
        os.close(self.master)
        return self.process.returncode


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (its threads, not its children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


WARM_UP = 2.0  # seconds of each run left out of its rate (start-up, first frames)


def steps_per_second(log: Path, window: tuple[float, float]) -> float:
    """Steps/s of one run log between two wall-clock offsets from its start."""
    steps = [json.loads(line) for line in log.read_text().splitlines()
             if '"event":"step"' in line]
    inside = [s for s in steps if window[0] <= s["seconds"] <= window[1]]
    if len(inside) < 2:
        return float("nan")
    return (inside[-1]["step"] - inside[0]["step"]) / (inside[-1]["seconds"] - inside[0]["seconds"])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_dashboard(rnn_tui: str, seconds: float, presses: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(tmp) / "runs"
        term = Terminal([rnn_tui, "--preset", PRESET, "--log-dir", str(logs)], cwd=Path(tmp))
        try:
            first = term.wait_for(b"rnn-tui adding", timeout=30) - term.started
            # Throughput over a window that starts once both workers are training.
            term.wait_for(b"/s running", timeout=60)  # a panel status: its worker trains
            cpu0, wall0 = cpu_seconds(term.process.pid), time.perf_counter()
            time.sleep(seconds)  # the bench's clock, not the app's: training runs untouched
            app_cpu = (cpu_seconds(term.process.pid) - cpu0) / (time.perf_counter() - wall0)
            rss = rss_mib(term.process.pid)
            latencies = []
            for i in range(presses):
                word = b"paused" if i % 2 == 0 else b"running"
                time.sleep(0.2)  # let the screen settle between presses, as a person would
                since = term.mark()
                pressed = time.perf_counter()
                term.press(b" ")
                latencies.append(term.wait_for(word, since, timeout=10) - pressed)
            code = term.close()
        finally:
            if term.process.poll() is None:
                os.killpg(term.process.pid, signal.SIGKILL)
        runs = sorted(logs.glob("*.jsonl"))
        rates = {p.name.split("-")[3]: steps_per_second(p, (WARM_UP, seconds)) for p in runs}
        ended = all('"run_ended"' in p.read_text().splitlines()[-1] for p in runs)
    return {"first_frame_s": first, "latencies_ms": [1000 * t for t in latencies],
            "rates": rates, "rss_mib": rss, "app_cpu": app_cpu, "exit_code": code,
            "logs_ended": ended}


def seconds_to_solve(rnn_tui: str, seed: int, timeout: float = 300.0) -> float:
    """From starting `rnn-tui --seed SEED` in an empty folder to "solved @" on screen."""
    with tempfile.TemporaryDirectory() as tmp:
        term = Terminal([rnn_tui, "--seed", str(seed)], cwd=Path(tmp))
        try:
            return term.wait_for(b"solved @", timeout=timeout) - term.started
        finally:
            term.close()


def default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def bench_headless(rnn_tui: str, seconds: float) -> dict[str, float]:
    """`rnn-tui train` on the same preset, interrupted after the same time, its workers
    as nice as the dashboard's."""
    from rnn_tui.ui.sources import WORKER_NICENESS

    logs = Path(tempfile.mkdtemp())
    argv = ["nice", "-n", str(WORKER_NICENESS), rnn_tui, "train", "--preset", PRESET,
            "--json", "--log-dir", str(logs)]
    # SIGINT at its default in the child: started from a background job of a script, it
    # would inherit SIGINT ignored, and the Ctrl-C below would not stop the run.
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, preexec_fn=default_sigint)
    time.sleep(seconds + 3.0)
    process.send_signal(signal.SIGINT)
    try:
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:  # (it did not stop: no run left training behind us)
            process.kill()
            process.wait()
    # The same measure as the dashboard's: steps/s in its logs over the same window.
    return {p.name.split("-")[3]: steps_per_second(p, (WARM_UP, seconds))
            for p in sorted(logs.glob("*.jsonl"))}


def bench_memory() -> tuple[float, float, float]:
    """RSS before and after folding 100,000 steps (and 2,000 T=100 LSTM profiles) into
    a headless dashboard, and the RSS after 10,000 steps (the "one minute" mark)."""
    import asyncio

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ui"))
    from ui_support import ScriptedSource

    from rnn_tui.run.config import RunConfig
    from rnn_tui.run.events import Profile, RunStarted, Step
    from rnn_tui.ui.app import RnnTuiApp

    configs = [RunConfig(cell="rnn"), RunConfig(cell="lstm")]
    app = RnnTuiApp(ScriptedSource(configs))
    T = 100
    series = {k: [0.5] * T for k in ("c_norms", "dc_norms", "forget_mean", "forget_hold",
                                     "forget_q10", "forget_q50", "forget_q90")}

    async def run() -> tuple[float, float, float]:
        async with app.run_test(size=(160, 48)) as pilot:
            for slot, c in enumerate(configs):
                app.apply([(slot, RunStarted(config=c.to_dict(), seed=0, baseline_loss=1 / 6))])
            before = rss_mib(os.getpid())
            at_10k = before
            for step in range(1, 100_001):
                events = [(slot, Step(step, 0.16 / (1 + step / 1e4), 0.5, 1.0, step / 50))
                          for slot in (0, 1)]
                if step % 50 == 0:
                    events += [(slot, Profile(step, [1e-3 * step] * T, [1.0] * T, series))
                               for slot in (0, 1)]
                app.apply(events)
                if step % 5000 == 0:
                    app.redraw()
                    await pilot.pause()
                if step == 10_000:
                    at_10k = rss_mib(os.getpid())
            return before, at_10k, rss_mib(os.getpid())

    return asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--presses", type=int, default=50)
    parser.add_argument("--memory", action="store_true", help="also the 100,000-step run")
    parser.add_argument("--trials", type=int, default=1,
                        help="dashboard and headless runs, alternated, this many times "
                             "(a model's steps/s swings from run to run: the median ratio)")
    parser.add_argument("--solve", type=int, nargs="+", metavar="SEED",
                        help="only time the default demo to the LSTM's 'solved', per seed")
    args = parser.parse_args()
    rnn_tui = str(Path(sys.executable).with_name("rnn-tui"))

    if args.solve:
        times = [seconds_to_solve(rnn_tui, seed) for seed in args.solve]
        for seed, t in zip(args.solve, times, strict=True):
            print(f"seed {seed}: 'solved' on screen {t:.1f} s after starting `rnn-tui`")
        print(f"median {statistics.median(times):.1f} s  (target <= 25 s, each <= 30 s)")
        return 0

    if args.memory:
        before, at_10k, after = bench_memory()
        print(f"memory: {before:.0f} MiB at start, {at_10k:.0f} MiB after 10,000 steps, "
              f"{after:.0f} MiB after 100,000 steps and 2,000 profiles per model "
              f"(growth after 10k: {after - at_10k:+.1f} MiB)")

    ratios: dict[str, list[float]] = {}
    for trial in range(args.trials):
        if args.trials > 1:
            print(f"trial {trial + 1} of {args.trials}:")
        for cell, ratio in trial_figures(rnn_tui, args.seconds, args.presses).items():
            ratios.setdefault(cell, []).append(ratio)
    if args.trials > 1:
        for cell, values in ratios.items():
            print(f"steps/s {cell:5s}: median ratio over {len(values)} trials "
                  f"{statistics.median(values):.2f} (each: "
                  f"{', '.join(f'{v:.2f}' for v in values)})")
    return 0


def trial_figures(rnn_tui: str, seconds: float, presses: int) -> dict[str, float]:
    """One dashboard run and one headless run: prints their figures, returns the
    dashboard's steps/s over the headless run's, per model."""
    dash = bench_dashboard(rnn_tui, seconds, presses)
    lat = dash["latencies_ms"]
    print(f"first frame: {dash['first_frame_s']:.2f} s after starting `rnn-tui` "
          f"(header text on the terminal)")
    print(f"key latency (space, {len(lat)} presses while both train): "
          f"p50 {statistics.median(lat):.0f} ms, p95 {percentile(lat, 0.95):.0f} ms, "
          f"max {max(lat):.0f} ms  (target p95 < 50 ms)")
    print(f"dashboard process CPU while both train: {100 * dash['app_cpu']:.0f} % of a core")
    print(f"dashboard RSS after {seconds:.0f} s: {dash['rss_mib']:.0f} MiB; "
          f"quit: exit {dash['exit_code']}, every log ended: {dash['logs_ended']}")
    headless = bench_headless(rnn_tui, seconds)
    ratios = {}
    for cell, rate in dash["rates"].items():
        solo = headless.get(cell, float("nan"))
        ratios[cell] = rate / solo
        print(f"steps/s {cell:5s}: dashboard {rate:6.1f}, `rnn-tui train` {solo:6.1f}, "
              f"ratio {rate / solo:.2f}  (target >= 0.9; workers at nice 5 in both)")
    return ratios


if __name__ == "__main__":
    sys.exit(main())
