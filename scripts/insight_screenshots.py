"""Images of the insight views in screenshots/insight-*.png (and .svg), from run logs
recorded by the project's own trainer:

    python scripts/insight_screenshots.py --logs DIR

DIR holds one folder per experiment, each with that experiment's run logs, as
`scripts/screenshots.py --keep-logs DIR` leaves them (adding-100-2500/,
relu-exploding-600/, ...), plus compare/ with any number of logs for the compare
view. Missing folders are skipped. The dashboard is shown at the end of the logs and
the keys are pressed (`v` cycles the selected panel's view), as a user would.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import RunEnded, RunStarted
from rnn_tui.run.runlog import read_run_log
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.compare import CompareScreen
from rnn_tui.ui.sources import ReplaySource

sys.path.insert(0, str(Path(__file__).parent))
from screenshots import ROOT, StillSource, to_png  # noqa: E402 - the dashboard's script

# folder -> [(file stem, terminal size, keys)]
SHOTS: dict[str, list[tuple[str, tuple[int, int], tuple[str, ...]]]] = {
    "adding-100-2500": [
        ("insight-flow-adding-100", (160, 48), ("v", "2", "v")),
        ("insight-why-adding-100", (160, 48), ("v", "v", "2", "v", "v")),
        ("insight-help", (120, 44), ("question_mark",)),
    ],
    "relu-exploding-600": [("insight-law-relu-exploding", (160, 48), ("v", "v", "2", "v"))],
    "irnn-vs-lstm-1200": [("insight-law-irnn-vs-lstm", (160, 48), ("v", "v", "2", "v", "v"))],
    "adding-400-200": [("insight-flow-adding-400", (160, 48), ("v", "2", "v"))],
}


async def shoot(logs: list[Path], out: Path, size: tuple[int, int], keys: tuple[str, ...],
                lang: str = "en") -> Path:
    """The dashboard at the end of `logs` (before their end events), after `keys`."""
    runs = [read_run_log(p) for p in logs]
    configs = [RunConfig.from_dict(r[0].config) for r in runs if isinstance(r[0], RunStarted)]
    app = RnnTuiApp(StillSource(configs, [Path("runs") / p.name for p in logs]), lang=lang)
    async with app.run_test(size=size) as pilot:
        app.apply([(slot, e) for slot, run in enumerate(runs) for e in run
                   if not isinstance(e, RunEnded)])
        await pilot.pause()
        await pilot.press(*keys)
        if keys == ("question_mark",):  # the teaching text, below the list of keys
            app.screen.query_one("#help-teaching").scroll_visible(top=True, animate=False)
        app.clear_notifications()  # the "panel 2: gates" toasts would hide the plots
        await pilot.pause()
        app.redraw(force=True)
        await pilot.pause()
        svg = out.with_suffix(".svg")
        app.save_screenshot(svg.name, str(svg.parent))
    return svg


async def shoot_compare(logs: list[Path], out: Path, size: tuple[int, int]) -> Path:
    source = ReplaySource.from_logs(logs)
    app = RnnTuiApp(source, first_screen=CompareScreen(source))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        svg = out.with_suffix(".svg")
        app.save_screenshot(svg.name, str(svg.parent))
    return svg


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logs", type=Path, required=True, metavar="DIR")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for folder, shots in SHOTS.items():
        logs = sorted((args.logs / folder).glob("*.jsonl"),
                      key=lambda p: int(p.name.split("-")[2]))
        if len(logs) != 2:
            print(f"{folder}: no logs, skipped")
            continue
        for stem, size, keys in shots:
            lang = "ja" if stem.endswith("-ja") else "en"
            svg = asyncio.run(shoot(logs, args.out / stem, size, keys, lang=lang))
            print(f"  {svg.name}, {to_png(svg)}")
    compare = sorted((args.logs / "compare").glob("*.jsonl"))
    if compare:
        svg = asyncio.run(shoot_compare(compare, args.out / "insight-compare", (140, 40)))
        print(f"  {svg.name}, {to_png(svg)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
