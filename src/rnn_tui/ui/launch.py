"""Entry points the CLI calls: a live dashboard, or a replay of run logs."""

from __future__ import annotations

import sys
from pathlib import Path

from ..run.config import RunConfig


def run_dashboard(configs: list[RunConfig], log_dir: Path | None, lang: str = "en") -> int:
    """Train `configs` side by side in worker processes and show them. Exit status.
    (`lang` is for the help screen's language; only English exists today.)"""
    from .app import RnnTuiApp
    from .sources import LiveSource

    source = LiveSource(configs, log_dir)
    app = RnnTuiApp(source)
    try:
        app.run()
    finally:
        app.shutdown()  # also on Ctrl-C or an exception: no worker is left behind
    return app.return_code or 0


def run_replay(paths: list[Path], lang: str = "en") -> int:
    """Open the dashboard on recorded run logs (no training). Exit status."""
    from ..run.runlog import RunLogError
    from .app import RnnTuiApp
    from .sources import ReplaySource

    try:
        source = ReplaySource.from_logs(paths)
    except RunLogError as err:
        print(f"rnn-tui replay: {err}", file=sys.stderr)
        return 2
    app = RnnTuiApp(source)
    app.run()
    return app.return_code or 0
