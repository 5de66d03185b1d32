"""Entry points the CLI calls: a live dashboard, a replay of run logs, or a sweep's map."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..run.config import RunConfig
from ..run.events import Event

if TYPE_CHECKING:
    from ..run.presets import Preset


def run_dashboard(configs: list[RunConfig], log_dir: Path | None, lang: str = "en",
                  preset: Preset | None = None) -> int:
    """Train `configs` side by side in worker processes and show them. Exit status.
    (`lang`: the language of the help screen's teaching text, "en" or "ja"; `preset`:
    where `configs` came from, for the settings of a cell `c` switches to.)"""
    from .app import RnnTuiApp
    from .sources import LiveSource

    source = LiveSource(configs, log_dir)
    app = RnnTuiApp(source, lang=lang, preset=preset)
    try:
        app.run()
    finally:
        app.shutdown()  # also on Ctrl-C or an exception: no worker is left behind
    return app.return_code or 0


def run_replay(paths: list[Path], lang: str = "en", from_map: bool = False,
               runs: list[list[Event]] | None = None) -> int:
    """Open the dashboard on recorded run logs (no training); more than two logs open
    the compare view instead (their loss and horizon overlaid). `from_map`: opened by a
    sweep's map, to which `q` goes back. `runs`: the logs' events, if already read.
    Exit status."""
    from ..run.runlog import RunLogError
    from .app import MapDashboardApp, RnnTuiApp
    from .sources import ReplaySource

    try:
        source = (ReplaySource(runs, list(paths)) if runs is not None
                  else ReplaySource.from_logs(paths))
    except (RunLogError, OSError) as err:
        print(f"rnn-tui replay: {err}", file=sys.stderr)
        return 2
    compare = None
    if len(paths) > 2:  # too many for panels side by side: the compare screen over them
        from .screens.compare import CompareScreen

        compare = CompareScreen(source)
    app = (MapDashboardApp if from_map else RnnTuiApp)(source, lang=lang, first_screen=compare)
    app.run()
    return app.return_code or 0


def run_sweep_view(out: Path, lang: str = "en") -> int:
    """The map of the sweep in `out`, a screen of the one app, following the sweep as
    it writes (no training here: the sweep runs wherever it was started). `d` on an
    entry replays a run side by side in the dashboard; quitting that reopens the map
    where it was. Exit status."""
    from .app import RnnTuiApp
    from .screens.sweep_map import OpenDashboard, SweepMapScreen
    from .sources import ReplaySource

    back: OpenDashboard | None = None
    while True:
        app = RnnTuiApp(ReplaySource([]), lang=lang, first_screen=SweepMapScreen(out, back))
        app.run()
        if not isinstance(app.return_value, OpenDashboard):
            return app.return_code or 0
        back = app.return_value
        run_replay(back.logs, lang, from_map=True)
