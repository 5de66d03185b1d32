"""`rnn-tui` with tracemalloc on, for the soak's `--trace DIR`: every minute a snapshot of
the app's Python allocations goes to DIR/snap-<minute>.tracemalloc (and the traced total
and RSS to DIR/memory.txt), to be compared afterwards (benchmarks/memory_diff.py).

    python benchmarks/traced_app.py DIR [rnn-tui arguments...]
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import tracemalloc
from pathlib import Path


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def dump_every_minute(out: Path) -> None:
    start, minute = time.monotonic(), 0
    while True:
        time.sleep(max(0.0, start + 60 * (minute + 1) - time.monotonic()))
        minute += 1
        gc.collect()
        traced, _ = tracemalloc.get_traced_memory()
        overhead = tracemalloc.get_tracemalloc_memory()
        tracemalloc.take_snapshot().dump(str(out / f"snap-{minute}.tracemalloc"))
        with (out / "memory.txt").open("a") as f:
            f.write(f"min {minute}: rss {rss_kib() / 1024:.1f} MB, traced "
                    f"{traced / 2**20:.1f} MB, tracemalloc's own {overhead / 2**20:.1f} MB, "
                    f"threads {threading.active_count()}\n")


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    tracemalloc.start(4)  # frames: enough to see whose allocation it is
    threading.Thread(target=dump_every_minute, args=(out,), daemon=True).start()
    from rnn_tui.cli import main as rnn_tui

    sys.exit(rnn_tui(sys.argv[2:]))


if __name__ == "__main__":
    main()
