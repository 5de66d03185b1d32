"""Soak: the real dashboard in a pseudo-terminal for N minutes, a key every few seconds
(pause, resume, next cell, previous cell, view, next panel), with resident memory and
lag sampled throughout.

    python benchmarks/soak.py --minutes 30 [--every 3] [--preset adding-100] [--trace DIR]

Memory: VmRSS of the app and of its worker processes, every 10 s. Lag: from pressing
space (pause / resume) to every run's log ending in its `paused` / `resumed` line — the
key through the app, the command pipe and the worker, back out to the log. Printed per
minute, then the drift: the target is memory flat within +-50 MB and the lag not growing.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import signal
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

KEYS = [b" ", b" ", b"c", b"C", b"v", b"\t", b"v", b"\t"]  # pause, resume, cells, views


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """Resident KiB (RssAnon: the heap and anonymous maps; RssFile: code and libraries)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def workers_of(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and b"spawn_main" in cmdline and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def last_line(path: Path) -> bytes:
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 4096))
        lines = f.read().splitlines()
    return lines[-1] if lines else b""


def newest_logs(log_dir: Path) -> list[Path]:
    """The newest log of each slot (a cell switch starts a new file)."""
    by_slot: dict[str, Path] = {}
    for path in sorted(log_dir.glob("*.jsonl"), key=lambda p: p.stat().st_mtime):
        by_slot[path.name.split("-")[2]] = path
    return list(by_slot.values())


def wait_logs_end_with(log_dir: Path, event: bytes, timeout: float = 30) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        logs = newest_logs(log_dir)
        if len(logs) >= 2 and all(f'"event":"{event.decode()}"'.encode() in last_line(p)
                                  for p in logs):
            return time.monotonic() - start
        time.sleep(0.005)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between keys")
    parser.add_argument("--preset", default="adding-100")
    parser.add_argument("--trace", type=Path, help="run the app under tracemalloc, a "
                        "snapshot a minute into this folder (benchmarks/traced_app.py)")
    args = parser.parse_args()

    log_dir = Path(tempfile.mkdtemp(prefix="rnn-tui-soak-"))
    pid, fd = pty.fork()
    if pid == 0:
        app = (["-m", "rnn_tui"] if args.trace is None else
               [str(Path(__file__).with_name("traced_app.py")), str(args.trace)])
        os.execvp(sys.executable, [sys.executable, *app, "--preset", args.preset,
                                   "--log-dir", str(log_dir)])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))

    def drain() -> None:
        while True:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return

    threading.Thread(target=drain, daemon=True).start()
    print(f"soak: {args.minutes} min, a key every {args.every} s, preset {args.preset}, "
          f"logs in {log_dir}; load {os.getloadavg()[0]:.2f}", flush=True)
    while len(newest_logs(log_dir)) < 2:
        time.sleep(0.1)

    start = time.monotonic()
    end = start + args.minutes * 60
    samples: list[tuple[float, int, int]] = []  # (minutes, app KiB, workers KiB)
    anon: list[tuple[float, int]] = []  # (minutes, the app's anonymous KiB)
    lags: list[tuple[float, float]] = []       # (minutes, seconds)
    next_sample, key = start, 0
    print(f"{'min':>5} {'app MB':>7} {'anon':>6} {'workers MB':>10} {'total MB':>8} "
          f"{'lag ms (median/max)':>20}", flush=True)
    minute_lags: list[float] = []
    last_minute = 0
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_sample:
            app, workers = rss_kib(pid), sum(rss_kib(w) for w in workers_of(pid))
            samples.append(((now - start) / 60, app, workers))
            anon.append(((now - start) / 60, rss_kib(pid, "RssAnon")))
            next_sample += 10
        k = KEYS[key % len(KEYS)]
        key += 1
        os.write(fd, k)
        if k == b" ":
            lag = wait_logs_end_with(log_dir, b"paused" if key % len(KEYS) == 1 else b"resumed")
            if lag is not None:
                lags.append(((time.monotonic() - start) / 60, lag))
                minute_lags.append(lag)
        minute = int((time.monotonic() - start) // 60)
        if minute > last_minute and samples:
            _, app, workers = samples[-1]
            ms = sorted(1000 * x for x in minute_lags) or [float("nan")]
            print(f"{minute:5d} {app / 1024:7.1f} {anon[-1][1] / 1024:6.1f} {workers / 1024:10.1f} "
                  f"{(app + workers) / 1024:8.1f} {statistics.median(ms):9.0f} / {ms[-1]:.0f}",
                  flush=True)
            minute_lags, last_minute = [], minute
        time.sleep(max(0.0, args.every - (time.monotonic() - now)))

    os.write(fd, b"q")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and os.waitpid(pid, os.WNOHANG) == (0, 0):
        time.sleep(0.1)
    if time.monotonic() >= deadline:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    warm = [s for s in samples if s[0] >= 1] or samples
    totals = [(a + w) / 1024 for _, a, w in warm]
    apps = [a / 1024 for _, a, _ in warm]
    half = len(lags) // 2
    first, second = [x for _, x in lags[:half]], [x for _, x in lags[half:]]
    print(f"memory after the first minute: total {min(totals):.0f}-{max(totals):.0f} MB "
          f"(spread {max(totals) - min(totals):.0f} MB), app {min(apps):.0f}-{max(apps):.0f} MB")
    if first and second:
        print(f"pause/resume lag: median {1000 * statistics.median(first):.0f} ms in the "
              f"first half, {1000 * statistics.median(second):.0f} ms in the second; "
              f"max {1000 * max(first + second):.0f} ms; {len(lags)} presses")
    print(f"load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
