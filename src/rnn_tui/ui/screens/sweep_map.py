"""`rnn-tui sweep-view DIR`: the map of a sweep, following it while it runs.

Rows are cells, columns one swept key (T unless another is chosen with `a`), one block
of rows per value of the other swept keys (task, say). Each entry: the seeds that solved
out of the runs finished, and their median steps to solve, coloured by the share. Enter
on an entry overlays its runs (finished or still writing) on the compare screen; `d`
opens one of them side by side with the other cells' run of the same seed, in the
dashboard (replayed), and quitting that comes back here.

The screen reads only the sweep's folder (`SweepFolder`), once a second: new results and
a grown grid appear wherever the runs execute.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...run.presets import PresetError
from ...run.runlog import RunLogError
from ...run.sweep_map import REPEAT_KEY, ROW_KEY, MapEntry, SweepMap, default_column, sweep_maps
from ...run.sweep_report import entry_text as report_entry_text
from ...run.sweep_report import outcome_text
from ...run.sweep_results import CUT_SHORT, SweepFolder, log_path
from ..help_text import unwrap_japanese
from ..sources import ReplaySource
from .compare import CompareScreen

FOLLOW_SECONDS = 1.0  # a sweep's runs take seconds to minutes: once a second is plenty
COLUMN_NAMES = {"seq_len": "T", "hidden_size": "H", "batch_size": "B"}


def entry_text(entry: MapEntry | None) -> Text:
    """The entry as the terminal's map prints it (run/sweep_report.py)."""
    return Text.from_markup(report_entry_text(entry))


def shown_path(path: str | Path, shorten: bool = True) -> str:
    """`path` relative to the current folder when it is under it; else as given, or with
    `shorten` only its folder and name (`sweeps/map.toml`: a shipped sweep's whole path
    into site-packages would crowd out the counts)."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (OSError, ValueError):  # not under it (or the current folder is gone)
        pass
    if not shorten or (not path.is_absolute() and ".." not in path.parts):
        return str(path)
    return str(Path(*path.parts[-2:]))


def block_label(sweep_map: SweepMap, row: str) -> str:
    fixed = " ".join(f"{COLUMN_NAMES.get(k, k)}={v}" for k, v in sweep_map.fixed.items())
    return f"{fixed} · {row}" if fixed else row


@dataclass(frozen=True)
class OpenDashboard:
    """What the map asks of `run_sweep_view` when it ends: replay these logs side by
    side, then open the map again where it was."""

    logs: list[Path]
    column: str
    cursor: tuple[int, int]


class SweepCompareScreen(CompareScreen):
    """The compare screen over one entry's runs; escape goes back to the map."""

    BINDINGS = [Binding("escape", "dismiss", "back to the map")]

    ABOUT = {"en": """\
## The runs of one entry of the map

Each run of the entry, one colour per seed, named in the legend with how it ended and
its log. Above, the smoothed **loss** against training step (log scale; grey: the
task's memoryless baseline); below, the **memory horizon**: how many steps back the
gradient takes to fall 100-fold ("> T": it never did). Escape comes back to the map.
""", "ja": unwrap_japanese("""\
## マップの一項目の実行

その項目の実行を、シードごとに一色で描き、凡例にはどう終わったかとログの名前を
示します。上のグラフは平滑化した**損失**を学習ステップに対して描いたもの（対数軸。
灰色はタスクの記憶なしのベースライン）、下のグラフは**記憶の到達範囲**、つまり勾配が
100 分の 1 に落ちるまでにさかのぼるステップ数です（「> T」はそこまで落ちなかった
という意味）。escape でマップに戻ります。
""")}

    def action_dismiss(self) -> None:
        self.dismiss(None)


class SweepMapScreen(Screen[None]):
    """The map of the sweep in `out`, refreshed as the sweep writes."""

    ABOUT = {"en": """\
## The map of a sweep

Rows are cells, columns T (`a` makes another swept key the columns: lr, H, ...), one
block of rows per value of any other swept key, such as the task. Each entry reads
**seeds solved / runs finished · median steps to solve**: green when every finished
seed solved, yellow when some did, red when none; dim `… / 3` while none has finished,
and `(of 3)` while some are still to come. `· 2 diverged` counts the runs whose loss or
gradient went NaN or infinite: they exploded, where the others failed by forgetting;
`· 1 failed` the runs that raised or that Dask gave up on (their workers died): they
say nothing about memory, so they are not among the runs finished (`1 failed` alone, in
magenta, when that is all there is).

The title counts the runs finished, running (a log but no result yet) and failed; with
no sweep writing into the folder, a run with a log and no result was **cut short**
(Ctrl-C, a lost scheduler): running the sweep again runs it. The map follows the
sweep's folder once a second, wherever its runs execute.

**Enter** on an entry overlays its runs on one screen (smoothed loss and memory horizon
against training step, one colour per seed); escape comes back. **d** opens the entry's
first run in the dashboard, replayed, beside the other cells' runs of the same task, T
and seed; `q` there comes back to the map.
""", "ja": unwrap_japanese("""\
## スイープのマップ

行はセル、列は T です（`a` で、ほかのスイープしたキー、たとえば lr や H を列に
できます）。タスクのようなほかのスイープしたキーには、値ごとに行のまとまりが
できます。各項目は **seeds solved / runs finished · median steps to solve**、つまり
解けたシード数 / 終わった実行数 · 解けるまでのステップ数の中央値を示します。終わった
シードがすべて解けていれば緑、一部なら黄、一つもなければ赤です。まだ一つも終わって
いない間は薄い `… / 3`、まだ残りがある間は `(of 3)` が付きます。`· 2 diverged` は
損失か勾配が NaN や無限大になった実行の数です。ほかの実行が忘れることで失敗したのに
対し、これらは爆発したのです。`· 1 failed` は例外を出した実行、または Dask が
あきらめた実行（ワーカーが落ちた）の数です。記憶については何も語らないので、終わった
実行には数えません（それしかないときは、マゼンタで `1 failed` だけを示します）。

タイトルは終わった実行、実行中の実行（ログはあるが結果はまだ）、失敗した実行を
数えます。フォルダーに書き込んでいるスイープがないとき、ログがあって結果のない実行は
**途中で止まった**（cut short：Ctrl-C やスケジューラーを失った）ものです。スイープを
もう一度実行すれば、その実行も行われます。マップは、実行がどこで動いていても、
スイープのフォルダーを毎秒読み直します。

項目の上で **Enter** を押すと、その項目の実行を一画面に重ねて描きます（平滑化した
損失と記憶の到達範囲を学習ステップに対して、シードごとに一色）。escape で戻ります。
**d** はその項目の最初の実行をダッシュボードでリプレイし、同じタスク、T、シードの
ほかのセルの実行と並べて開きます。そこで `q` を押すとマップに戻ります。
""")}

    BINDINGS = [
        Binding("enter", "open_entry", "runs", tooltip="the entry's runs overlaid (compare)",
                show=True, priority=True),
        Binding("d", "open_dashboard", "dashboard", tooltip="one of the entry's runs side "
                "by side with the other cells' run of the same seed (replayed)"),
        Binding("a", "next_column", "columns", tooltip="columns: the next swept key"),
        # The map only watches: the dashboard's "workers stopped and joined" is not so.
        Binding("q", "app.quit", "quit", tooltip="quit the map: a sweep writing into the "
                "folder carries on"),
    ]

    def __init__(self, out: Path, back: OpenDashboard | None = None) -> None:
        super().__init__()
        self.folder = SweepFolder(Path(out))
        self.column = back.column if back else ""  # else chosen when the grid is read
        self.back_to = back.cursor if back else None
        self.entries: dict[tuple[str, str], MapEntry] = {}
        self.unreadable = ""  # why the folder cannot be read now, if it cannot

    def compose(self) -> ComposeResult:
        yield Static(id="sweep-title")
        yield DataTable(id="sweep-map", cursor_type="cell", zebra_stripes=True)
        yield Static(Text("each entry: seeds solved / runs finished · median steps to solve"
                          " (· how many diverged or failed) · enter: its runs overlaid"
                          " · a: columns", "dim"), id="sweep-legend")
        yield Footer()

    def on_mount(self) -> None:
        self.follow(force=True)
        self.set_interval(FOLLOW_SECONDS, self.follow)

    @property
    def swept(self) -> list[str]:
        return list(self.folder.grid.get("swept", []))

    def follow(self, force: bool = False) -> None:
        """Read what the sweep wrote since; redraw the table when anything moved."""
        before = len(self.folder.grid.get("runs", []))
        try:
            new = self.folder.refresh()
        except (OSError, PresetError) as err:  # moved or removed under the viewer (it
            # ended in a traceback): the last map stays, the title says why it is old
            self.unreadable = f"{getattr(err, 'strerror', None) or err}"
            self.update_title()
            return
        self.unreadable = ""
        if not self.column:
            self.column = default_column(self.swept)
        if new or force or len(self.folder.grid.get("runs", [])) != before:
            self.rebuild()
        self.update_title()

    def rebuild(self) -> None:
        table = self.query_one("#sweep-map", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        maps = sweep_maps(self.folder.grid.get("runs", []), self.folder.results, self.swept,
                          self.column)
        columns = sorted({c for m in maps for c in m.columns}, key=_sortable)
        label = COLUMN_NAMES.get(self.column, self.column)
        table.add_column(ROW_KEY, key=ROW_KEY)
        for column in columns:
            table.add_column(f"{label}={column}", key=str(column))
        self.entries = {}
        for sweep_map in maps:
            for row in sweep_map.rows:
                row_key = block_label(sweep_map, row)
                cells = [Text(row_key, "bold")]
                for column in columns:
                    entry = sweep_map.entries.get((row, column))
                    if entry is not None:
                        self.entries[(row_key, str(column))] = entry
                    cells.append(entry_text(entry))
                table.add_row(*cells, key=row_key)
        if self.back_to is not None:  # back from a dashboard: where the user left it
            cursor, self.back_to = Coordinate(*self.back_to), None
        if table.row_count:  # the cursor stays where it was as the map fills
            table.move_cursor(row=min(cursor.row, table.row_count - 1),
                              column=max(1, min(cursor.column, len(columns))), animate=False)

    def update_title(self) -> None:
        if self.unreadable:
            self.query_one("#sweep-title", Static).update(Text.assemble(
                ("sweep ", "bold"), (shown_path(self.folder.out, shorten=False), "bold"),
                (f": cannot be read now ({self.unreadable}); the map is the last one read, "
                 "and is read again once the folder is back", "bold red")), layout=False)
            return
        runs = self.folder.grid.get("runs", [])
        results = self.folder.results
        failed = sum(r.get("state") == "failed" for r in results.values())
        started = self.folder.started()
        # No sweep writing here: a run with a log and no result was cut short (Ctrl-C, a
        # lost scheduler), it is not running; a rerun of the sweep runs it again. While
        # one writes, a log that ended is not running either: interrupted, it is one the
        # sweep has not started again yet (a resumed sweep's "3 running" on two workers);
        # ended otherwise, its result is on its way ("4 running" on two workers).
        if self.folder.writing():
            ended = self.folder.ended(started)
            cut = sum(reason in CUT_SHORT for reason in ended.values())
            running = len(started) - len(ended)
        else:
            cut, running = len(started), 0
        source = shown_path(self.folder.grid.get("source", str(self.folder.out)))
        self.query_one("#sweep-title", Static).update(Text.assemble(
            ("sweep ", "bold"), (source, "bold"),
            # (A failed run is not among those finished, as on the map's entries.)
            f" · {len(results) - failed} of {len(runs)} runs finished · "
            + (f"{running} running · " if running or not cut else "")
            + (f"{cut} cut short · " if cut else "")
            + f"{failed} failed · ", (shown_path(self.folder.out, shorten=False), "dim")),
            layout=False)

    def action_next_column(self) -> None:
        keys = [k for k in self.swept if k not in (ROW_KEY, REPEAT_KEY)]
        if len(keys) < 2:
            self.notify("only one swept key besides cell and seed", timeout=3)
            return
        self.column = keys[(keys.index(self.column) + 1) % len(keys)] \
            if self.column in keys else keys[0]
        self.rebuild()
        self.notify(f"columns: {COLUMN_NAMES.get(self.column, self.column)}", timeout=2)

    def selected_logs(self) -> list[Path]:
        """Logs (with something in them) of the entry under the cursor; [] with a
        notification when there is no entry there or none of its runs has started."""
        table = self.query_one("#sweep-map", DataTable)
        if not table.row_count:
            return []
        row_key, column_key = table.coordinate_to_cell_key(table.cursor_coordinate)
        entry = self.entries.get((str(row_key.value), str(column_key.value)))
        if entry is None:
            self.notify("pick an entry of the map (not the cell's name)", timeout=3)
            return []
        paths = [p for p in (log_path(self.folder.out, i) for i in entry.ids) if _started(p)]
        if not paths:
            self.notify("none of these runs has started yet", timeout=3)
        return paths

    def action_open_dashboard(self) -> None:
        paths = self.selected_logs()
        if not paths:
            return
        chosen = paths[0].stem
        runs = {run["id"]: run["config"] for run in self.folder.grid.get("runs", [])}
        config = runs[chosen]
        # The other cells' runs that differ from the chosen one in the cell alone.
        partners = [i for i, c in runs.items() if c["cell"] != config["cell"]
                    and {**c, "cell": config["cell"]} == config
                    and _started(log_path(self.folder.out, i))]
        logs = [paths[0]] + [log_path(self.folder.out, i) for i in partners[:1]]
        cursor = self.query_one("#sweep-map", DataTable).cursor_coordinate
        self.app.exit(OpenDashboard(logs, self.column, (cursor.row, cursor.column)))

    def action_open_entry(self) -> None:
        paths = self.selected_logs()
        if not paths:
            return
        try:  # logs still being written: their last line may be cut (the reader skips it)
            source = ReplaySource.from_logs(paths)
        except (RunLogError, OSError) as err:
            self.notify(str(err), severity="error")
            return
        # A run's result says how it ended where its log stopped short (a full disk).
        results = self.folder.results
        outcomes = {path: outcome_text(results[path.stem]) for path in paths
                    if path.stem in results}
        self.app.push_screen(SweepCompareScreen(source, outcomes))


def _started(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def _sortable(value: object) -> tuple[int, object]:
    """Numbers in order, then words in order (T=10 before T=100)."""
    return (0, value) if isinstance(value, (int, float)) else (1, str(value))
