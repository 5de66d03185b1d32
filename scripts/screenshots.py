"""Regenerate the dashboard images in screenshots/ (SVG, and PNG when rsvg-convert is
installed):

    python scripts/screenshots.py            # ~2 min on two quiet cores, 22 on busy ones
    python scripts/screenshots.py --sweep sweeps/map   # the map of a sweep's folder

Each experiment is a shipped preset with its fixed seed, trained for a fixed number of
steps by the headless `rnn-tui train` (real worker processes, real run logs). The
logs are then shown in the dashboard as it looked at that moment (every event fed
through the same path a live run takes) and saved with Textual's own screenshot.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import Event, RunEnded, RunStarted
from rnn_tui.run.runlog import read_run_log
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.sweep_map import SweepMapScreen
from rnn_tui.ui.sources import ReplaySource
from rnn_tui.ui.svg import split_runs_at_spaces

ROOT = Path(__file__).resolve().parents[1]

# name -> (preset, steps, [(file stem, terminal size, keys to press first)])
SHOTS: dict[str, tuple[str, int, list[tuple[str, tuple[int, int], tuple[str, ...]]]]] = {
    "adding-100": ("adding-100", 2500, [
        ("dashboard-adding-100", (160, 48), ()),
        ("dashboard-adding-100-80x24", (80, 24), ()),
        ("help", (120, 44), ("question_mark",)),
    ]),
    "copy-50": ("copy-50", 1500, [("dashboard-copy-50", (160, 48), ())]),
    "relu-exploding": ("relu-exploding", 600, [("dashboard-relu-exploding", (160, 48), ())]),
}


class StillSource:
    """A live-looking source that has already said everything (no processes)."""

    live = True

    def __init__(self, configs: list[RunConfig], log_paths: list[Path | None]) -> None:
        self.configs, self.log_paths = configs, log_paths

    def start(self) -> None: ...
    def poll(self, timeout: float = 0.0) -> list[tuple[int, Event]]:
        return []

    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def step_once(self) -> None: ...
    def restart(self, slot: int, config: RunConfig) -> None: ...
    def close(self) -> None: ...


def train(preset: str, steps: int, log_dir: Path) -> list[Path]:
    rnn_tui = Path(sys.executable).with_name("rnn-tui")
    log_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(rnn_tui), "train", "--preset", preset, "--steps", str(steps),
                    "--log-dir", str(log_dir)], check=True, stdout=subprocess.DEVNULL)
    # runs/<stamp>-<slot>-<cell>-<task>.jsonl: order by slot
    return sorted(log_dir.glob("*.jsonl"), key=lambda p: int(p.name.split("-")[2]))


async def shoot(logs: list[Path], out: Path, size: tuple[int, int],
                keys: tuple[str, ...]) -> Path:
    runs = [read_run_log(p) for p in logs]
    configs = [RunConfig.from_dict(r[0].config) for r in runs if isinstance(r[0], RunStarted)]
    source = StillSource(configs, [Path("runs") / p.name for p in logs])
    app = RnnTuiApp(source)
    async with app.run_test(size=size) as pilot:
        # Everything but the end: the screen as it was while the models trained.
        app.apply([(slot, e) for slot, run in enumerate(runs) for e in run
                   if not isinstance(e, RunEnded)])
        await pilot.pause()
        app.redraw(force=True)
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await pilot.pause()
        svg = out.with_suffix(".svg")
        app.save_screenshot(svg.name, str(svg.parent))
    return svg


async def shoot_sweep_map(folder: Path, out: Path, size: tuple[int, int]) -> Path:
    """`rnn-tui sweep-view FOLDER` as it opens (the screen only reads the folder)."""
    app = RnnTuiApp(ReplaySource([]), first_screen=SweepMapScreen(folder))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        svg = out.with_suffix(".svg")
        app.save_screenshot(svg.name, str(svg.parent))
    return svg


def to_png(svg: Path) -> Path | None:
    rsvg = shutil.which("rsvg-convert")
    if rsvg is None:
        return None
    png = svg.with_suffix(".png")
    fixed = split_runs_at_spaces(svg.read_text(encoding="utf-8"))
    subprocess.run([rsvg, "-o", str(png)], input=fixed.encode(), check=True)
    return png


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--only", choices=sorted(SHOTS), action="append",
                        help="just these experiments (repeatable)")
    parser.add_argument("--keep-logs", type=Path, metavar="DIR",
                        help="keep the training logs here and reuse them next time "
                             "(re-render without retraining)")
    parser.add_argument("--png", type=Path, nargs="+", metavar="SVG",
                        help="only convert these SVGs to PNG, train nothing")
    parser.add_argument("--sweep", type=Path, metavar="DIR",
                        help="only shoot the map of this sweep's folder (sweep-map.svg), "
                             "train nothing")
    args = parser.parse_args()
    if args.sweep:
        svg = asyncio.run(shoot_sweep_map(args.sweep, args.out / "sweep-map", (120, 16)))
        print(svg, to_png(svg))
        return 0
    if args.png:
        for svg in args.png:
            print(to_png(svg))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    keep = args.keep_logs or Path(tempfile.mkdtemp(prefix="rnn-tui-shots-"))
    for name in args.only or SHOTS:
        preset, steps, shots = SHOTS[name]
        log_dir = keep / f"{name}-{steps}"
        logs = sorted(log_dir.glob("*.jsonl")) if log_dir.is_dir() else []
        if len(logs) != 2:
            shutil.rmtree(log_dir, ignore_errors=True)
            print(f"{name}: training {steps} steps ...", flush=True)
            logs = train(preset, steps, log_dir)
        for stem, size, keys in shots:
            svg = asyncio.run(shoot(logs, args.out / stem, size, keys))
            png = to_png(svg)
            print(f"  {svg}" + (f", {png.name}" if png else ""))
    if args.keep_logs is None:
        shutil.rmtree(keep, ignore_errors=True)
    if shutil.which("rsvg-convert") is None:
        print("(no PNGs: install rsvg-convert, e.g. apt-get install librsvg2-bin)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
