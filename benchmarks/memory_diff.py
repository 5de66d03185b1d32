"""Compare two tracemalloc snapshots written by benchmarks/traced_app.py: the allocation
sites that grew most between them, by line and by the deepest frame of ours or a library's.

    python benchmarks/memory_diff.py DIR/snap-1.tracemalloc DIR/snap-5.tracemalloc [--top 25]
"""

from __future__ import annotations

import argparse
import tracemalloc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--traceback", type=int, default=3, help="tracebacks shown in full")
    args = parser.parse_args()
    before = tracemalloc.Snapshot.load(args.before)
    after = tracemalloc.Snapshot.load(args.after)
    print(f"traced: {sum(s.size for s in before.statistics('filename')) / 2**20:.1f} MB -> "
          f"{sum(s.size for s in after.statistics('filename')) / 2**20:.1f} MB")
    for key in ("lineno", "filename"):
        print(f"\ngrowth by {key}, top {args.top}:")
        for stat in after.compare_to(before, key)[:args.top]:
            frame = stat.traceback[0]
            print(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  "
                  f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}")
    print(f"\nthe {args.traceback} biggest growths, with their tracebacks:")
    for stat in after.compare_to(before, "traceback")[:args.traceback]:
        print(f"\n  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks")
        for line in stat.traceback.format():
            print(f"    {line}")


if __name__ == "__main__":
    main()
