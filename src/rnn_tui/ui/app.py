"""The dashboard: one panel per model, driven from the keyboard.

Events flow one way. A thread worker pumps `(slot, event)` batches from the source
(worker processes, or nothing in a replay) into `RunEvents` messages; the handler
folds them into each panel's `RunHistory` (cheap); a timer redraws what moved a few
times a second (a plot's redraw costs a few milliseconds: never per event).
"""

from __future__ import annotations

import asyncio
import gc
import math
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.actions import parse as parse_action
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.dom import NoScreen
from textual.events import Key, Resize
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from ..run.config import CELL_KINDS, SETTINGS, TASK_NAMES, RunConfig
from ..run.events import Event, LogStopped, RunFailed, RunStarted
from . import views as _views  # noqa: F401 - registers the built-in views
from .help_text import teaching_text
from .history import RunHistory
from .keys_ja import BACK_TO_MAP_JA, QUIT_REPLAY_JA, key_text_ja
from .palette import Palette
from .registry import next_view
from .sources import EventSource, ReplaySource
from .strips import keep_strips_acyclic
from .svg import split_runs_at_spaces
from .widgets.footer import KeyFooter
from .widgets.header import RunHeader, header_text
from .widgets.panel import ModelPanel

if TYPE_CHECKING:
    from ..run.presets import Preset

MIN_WIDTH, MIN_HEIGHT = 80, 24
COMPACT_HEIGHT = 34  # below this the state plot gives its rows to the other two
SEQ_LENGTHS = (10, 20, 50, 100, 200, 400, 1000)
REDRAW_HZ = 5.0  # text every tick; plots staggered, at most PLOTS_PER_TICK a tick
PLOTS_PER_TICK = 1  # a plot's redraw and compositing cost a few ms: one per frame
LAY_OUT_AFTER = 0.3  # seconds after start or a resize: the hidden views laid out
HELP_BUILT_AFTER = 1.0  # seconds after start: the help is built while nothing is asked
HELP_FRESH = 2.0  # seconds: how old the help's live numbers may be when `?` opens it
AHEAD_EVERY = 0.1  # seconds between figures of the next view drawn ahead (when due)
AHEAD_MAX_AGE = 2.0  # seconds: a figure drawn ahead this recently shows as it is at `v`
AHEAD_AFTER_KEY = 0.05  # seconds after a `v` or a tab: that key's frame is out by then
PUMP_GATHER_SECONDS = 0.05  # batch events this long into one message

PANEL = Binding.Group("panel", compact=True)
CELL = Binding.Group("cell", compact=True)
LENGTH = Binding.Group("T", compact=True)
RATE = Binding.Group("lr", compact=True)
SCRUB = Binding.Group("scrub", compact=True)

QUIT_LIVE = "quit: workers stopped and joined, logs closed"
QUIT_REPLAY = "quit (a replay: no workers, no logs open)"
BACK_TO_MAP = "back to the sweep's map"
# Actions that change training: hidden (and refused) in a replay.
TRAINING_ACTIONS = {"cell", "toggle_pause", "step", "task", "seq_len", "lr", "reseed", "preset"}
REPLAY_ACTIONS = {"scrub", "scrub_to"}
# What acts on the panels: off while a screen hides them (compare).
PANEL_ACTIONS = {"next_panel", "select_panel", "view", *TRAINING_ACTIONS, *REPLAY_ACTIONS}
# What an app without runs (`rnn-tui sweep-view`: its screens only) still offers.
APP_ACTIONS = {"help", "quit", "help_quit", "screenshot"}  # (help_quit: Ctrl-C)


class RunEvents(Message):
    """A batch of events from the source, in arrival order."""

    def __init__(self, events: list[tuple[int, Event]]) -> None:
        super().__init__()
        self.events = events


def next_in(ladder: Iterable[float], value: float, direction: int) -> float:
    """The next rung above (direction 1) or below (-1) value, or value at the end."""
    rungs = sorted(ladder)
    if direction > 0:
        return next((r for r in rungs if r > value), value)
    return next((r for r in reversed(rungs) if r < value), value)


def screenshot_name(folder: Path, stamp: str) -> str:
    """rnn-tui-STAMP.svg, or -2, -3, ...: two taken in one second (s, v, s) are two files,
    not one overwritten."""
    names = (f"rnn-tui-{stamp}.svg" if n == 1 else f"rnn-tui-{stamp}-{n}.svg"
             for n in count(1))
    return next(name for name in names if not (folder / name).exists())


def scaled_lr(lr: float, direction: int) -> float:
    """The next rung up or down the 1-3-10 ladder (1e-3, 3e-3, 1e-2, ...); from a rate
    between rungs, the nearest one that way."""
    decade = math.floor(math.log10(lr))
    return next_in([float(f"{m}e{k}") for k in range(decade - 1, decade + 2) for m in (1, 3)],
                   lr, direction)


class RnnTuiApp(App[int]):
    """Two models training side by side (or a replay of their logs)."""

    CSS_PATH = "rnn_tui.tcss"
    TITLE = "rnn-tui"

    # In the footer's order: help and quit first, then what the lesson is seen with (the
    # panel, its view, its cell, the sequence's length), as far as 80 columns go.
    BINDINGS = [
        Binding("question_mark", "help", "help", key_display="?",
                tooltip="help: the keys, and what each plot shows and why"),
        Binding("q", "quit", "quit", tooltip=QUIT_LIVE),
        Binding("tab", "next_panel", "next panel", tooltip="select the next panel",
                priority=True),
        Binding("1", "select_panel(0)", "left", tooltip="select the left panel", group=PANEL),
        Binding("2", "select_panel(1)", "right", tooltip="select the right panel",
                group=PANEL),
        # (--cells takes up to four: their titles read "3 · gru", "4 · irnn"; hidden and
        # refused with fewer panels, see check_action)
        Binding("3", "select_panel(2)", "third", tooltip="select the third panel",
                group=PANEL),
        Binding("4", "select_panel(3)", "fourth", tooltip="select the fourth panel",
                group=PANEL),
        Binding("v", "view(1)", "view", tooltip="switch the selected panel's view: "
                "gradients, gradient flow over training, the law (RNN) / gates (LSTM, GRU)"),
        # (The kinds as registered: a cell added to CELLS is named here too.)
        Binding("c", "cell(1)", "next cell", tooltip="next cell kind for the selected panel "
                f"({', '.join(CELL_KINDS)}); it restarts at the preset's settings for that "
                "cell, on the same data seed", group=CELL),
        Binding("C", "cell(-1)", "previous cell", key_display="C",
                tooltip="previous cell kind for the selected panel", group=CELL),
        Binding("plus", "seq_len(1)", "longer", key_display="+",
                tooltip="longer sequences (both restart)", group=LENGTH),
        Binding("minus", "seq_len(-1)", "shorter", key_display="-",
                tooltip="shorter sequences (both restart)", group=LENGTH),
        Binding("space", "toggle_pause", "pause", tooltip="pause / resume both"),
        Binding("n", "step", "step", tooltip="one training step for both while paused"),
        Binding("t", "task", "task", tooltip="switch task (adding, copy); both restart"),
        Binding("right_square_bracket", "lr(1)", "raise", key_display="]",
                tooltip="raise the selected panel's learning rate (restart)", group=RATE),
        Binding("left_square_bracket", "lr(-1)", "lower", key_display="[",
                tooltip="lower the selected panel's learning rate (restart)", group=RATE),
        Binding("r", "reseed", "seed", tooltip="restart both with a new seed"),
        Binding("p", "preset", "preset", tooltip="pick a preset from tasks/"),
        Binding("left", "scrub(-1)", "back", tooltip="replay: back 1/50 of the run",
                group=SCRUB),
        Binding("right", "scrub(1)", "forward", tooltip="replay: forward 1/50 of the run",
                group=SCRUB),
        Binding("home", "scrub_to(0)", "start", tooltip="replay: go to the start",
                show=False),
        Binding("end", "scrub_to(1)", "end", tooltip="replay: go to the end", show=False),
        Binding("s", "screenshot", "shot", tooltip="save a screenshot (SVG) and say where"),
    ]

    # `var`, not `reactive`: a reactive on the App repaints the whole screen when set (a
    # full frame, 10-35 ms of CPU and up to 100 ms on the wall, on every key); the
    # watchers below update just what shows each value.
    selected: var[int] = var(0)
    paused: var[bool] = var(False)
    replay_step: var[int] = var(0)

    def __init__(self, source: EventSource, screenshot_dir: Path | None = None,
                 lang: str = "en", first_screen: Screen | None = None,
                 preset: Preset | None = None) -> None:
        super().__init__()
        keep_strips_acyclic()  # (no full garbage collections of stale lines in a key's frame)
        self.first_screen = first_screen  # shown over the panels at start (compare)
        self.preset = preset  # where the runs' settings came from (see `action_cell`)
        self.lang = lang  # of the help screen's teaching text: "en" or "ja"
        self.source = source
        self.histories = [RunHistory(config=c) for c in source.configs]
        # Restarts asked for whose RunStarted has not arrived yet, per slot: until the
        # last one does, events in flight belong to runs already replaced; skip them.
        self._pending_starts = [0] * len(self.histories)
        self.screenshot_dir = screenshot_dir or Path.cwd()
        self.palette = Palette.from_theme({}, True)
        self._closed = False
        self._force_when_shown = False  # a forced redraw asked for under another screen
        # When `keep_help_fresh` last brought the help up to date, and for which runs.
        self._help_fresh: tuple[float, tuple[object, ...]] = (-math.inf, ())
        self._panels: list[ModelPanel] = []
        self._header: RunHeader | None = None

    # --- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield RunHeader(id="header")
        with Horizontal(id="panels"):
            for slot, history in enumerate(self.histories):
                yield ModelPanel(slot, history)
        yield Static(id="too-small")
        yield KeyFooter()

    @property
    def panels(self) -> list[ModelPanel]:
        """The panels, found once when mounted (a DOM query on every tick costs more
        than the redraw it serves); none once taken down."""
        return self._panels if self._panels and self.attached(self._panels[0]) else []

    @staticmethod
    def attached(widget: Widget) -> bool:
        """Whether `widget` is still on a screen (not taken down: the app is closing)."""
        try:
            return widget.screen is not None
        except NoScreen:
            return False

    @property
    def replay(self) -> ReplaySource | None:
        return self.source if isinstance(self.source, ReplaySource) else None

    def on_mount(self) -> None:
        self._panels = list(self.query(ModelPanel))
        self._header = self.query_one(RunHeader)
        self.palette = Palette.from_theme(self.theme_variables, self.current_theme.dark)
        for panel in self.panels:
            panel.mark_selected()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.watch_selected(self.selected)
        self._fit(self.size.width, self.size.height)
        if self.replay is not None:
            self.replay_step = self.replay.last_step
        else:  # the screen first: spawning workers would hold back the first frame
            self.call_after_refresh(self.start_training)
        self.set_interval(1 / REDRAW_HZ, self.redraw)
        self.call_after_refresh(self.redraw, True)
        self.call_after_refresh(self.load_maths)
        self.set_timer(LAY_OUT_AFTER, self.lay_out_views)
        self.set_timer(HELP_BUILT_AFTER, self.build_help)
        self.set_interval(HELP_FRESH / 2, self.keep_help_fresh)
        self.set_interval(AHEAD_EVERY, self.draw_ahead)
        if self.first_screen is not None:
            self.push_screen(self.first_screen)

    def _theme_changed(self, _theme: object) -> None:
        self.palette = Palette.from_theme(self.theme_variables, self.current_theme.dark)
        for panel in self.panels:
            panel.mark_selected()
        self.redraw(force=True)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)
        self.call_after_refresh(self.redraw, True)
        self.set_timer(LAY_OUT_AFTER, self.lay_out_views)  # (their sizes moved too)

    def _fit(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        if too_small != self.has_class("-too-small"):
            self.set_class(too_small, "-too-small")
            self.refresh_bindings()  # (the keys that act there: q alone)
        self.set_class(height < COMPACT_HEIGHT, "-compact")
        if self.screen_stack and self.screen is not self.screen_stack[0]:
            # Textual restyles only the screen on top when an app's class changes: the
            # dashboard under the help kept the layout of its old size (state plots in
            # 24 rows, the loss squashed to two) once the help closed.
            self.update_styles(self.screen_stack[0])
        if too_small:
            # One sentence a line: wrapped where the width fell, it centred unevenly.
            self.query_one("#too-small", Static).update(
                f"The terminal is {width}x{height}.\nrnn-tui needs at least "
                f"{MIN_WIDTH}x{MIN_HEIGHT}.\nMake it bigger (q quits).")

    # --- events in -----------------------------------------------------------------
    def start_training(self) -> None:
        if not self._closed:  # (quit before the first frame: nothing to start)
            self.source.start()
            self.pump()

    @work(thread=True, exclusive=True, group="maths")
    def load_maths(self) -> None:
        """numpy (the plots' rasteriser) imported off the event loop once the first frame
        is out: the first figure drawn with data imported it on the loop, ~100 ms of
        CPU in one slice, in the way of any key pressed then."""
        from . import raster  # noqa: F401

    @work(thread=True, exclusive=True, group="pump")
    def pump(self) -> None:
        """The one place that waits on the source: batches its events into messages."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            events = self.source.poll(timeout=0.1)
            if events and not worker.is_cancelled:
                # Gather a little more so a fast model makes ~20 messages/s, not 1000.
                events += self.source.poll(timeout=PUMP_GATHER_SECONDS)
                self.post_message(RunEvents(events))

    def on_run_events(self, message: RunEvents) -> None:
        self.apply(message.events)

    def apply(self, events: Iterable[tuple[int, Event]]) -> None:
        """Fold events into the panels' histories (the widgets catch up on redraw)."""
        for slot, event in events:
            if slot >= len(self.histories):
                continue
            if isinstance(event, LogStopped):  # the run goes on; the user must know
                self.notify(f"panel {slot + 1}: {event.message}", severity="warning",
                            timeout=15)
            if self._pending_starts[slot]:
                if isinstance(event, RunFailed):  # a restart that could not start
                    self.histories[slot].apply(event)
                if not isinstance(event, RunStarted):
                    continue
                self._pending_starts[slot] -= 1
                if self._pending_starts[slot]:
                    continue
            self.histories[slot].apply(event)

    # --- drawing -----------------------------------------------------------------
    def redraw(self, force: bool = False) -> None:
        """Text that moved, then, in the next frame, the stalest plots: a key press
        never waits behind more than PLOTS_PER_TICK plot redraws. (Textual repaints
        the box round everything that changed in a frame: the header and a plot
        further down, changed together, would repaint all between them.) `force`
        redraws everything now."""
        if self._closed:
            return
        if not self.dashboard_shown():
            # (A theme change or a resize under the help: done once the dashboard shows.)
            self._force_when_shown |= force
            return
        force, self._force_when_shown = force or self._force_when_shown, False
        for panel in self.panels:
            panel.update_text(force)
        self.update_header()
        if force:
            self.redraw_plots(force=True)
        else:
            self.call_after_refresh(self.redraw_plots)

    def dashboard_shown(self) -> bool:
        """Not under another screen. Under one (the help, a dialog), its changes would
        be painted for nothing, and worse: Textual counts the screen below a modal as
        seen through it, so each change repainted the help whole (4-13 ms of CPU at
        every redraw tick). The figures left stale catch up once it shows again."""
        try:
            return not self.panels or self.panels[0].screen is self.screen
        except NoScreen:  # (no screen at all: starting or closing)
            return False

    def redraw_plots(self, force: bool = False) -> None:
        """The stalest figures (all of them if `force`)."""
        if self._closed or not self.dashboard_shown():
            return
        now = time.monotonic()
        compact = self.has_class("-compact")
        stale = [(not figure.shows_old_run(panel.history), figure.shown_at, panel, figure)
                 for panel in self.panels for figure in panel.stale_figures(now, force, compact)]
        stale.sort(key=lambda item: item[:2])  # a restarted run's first, then the stalest
        # Every figure still showing a run before a restart goes now (the old run's
        # plots must not stand under the new run's status); else the stalest few.
        old_runs = sum(1 for item in stale if not item[0])
        for _, _, panel, figure in stale if force else stale[:max(old_runs, PLOTS_PER_TICK)]:
            panel.draw_figure(figure, self.palette, now)

    def redraw_panel(self, panel: ModelPanel) -> None:
        """One panel's figures now (a view just switched), but those drawn ahead: shown
        as they are (at most AHEAD_MAX_AGE old, or of data that has not moved since: a
        finished run, a replay), they catch up at the next redraws."""
        if self._closed:
            return
        now = time.monotonic()
        for figure in panel.figures(self.has_class("-compact")):
            if not (figure.drawn_for(panel.history, self.palette)
                    and (now - figure.shown_at < AHEAD_MAX_AGE
                         or figure.data_key(panel.history) == figure.shown_key)):
                panel.draw_figure(figure, self.palette, now)

    def draw_ahead(self) -> bool:
        """One figure of the view the selected panel's `v` shows next, if due (see
        `ModelPanel.draw_ahead`): a figure a tick, so a key waits behind one at most.
        Whether one was drawn."""
        return (not self._closed and bool(self.panels) and self.dashboard_shown()
                and self.panels[self.selected].draw_ahead(self.palette, time.monotonic(),
                                                          self.has_class("-compact")))

    async def draw_all_ahead(self) -> None:
        """Every figure of the next view that is due, one a callback: after a `v` or a
        new selection, when the next `v` may come within a second."""
        while self.draw_ahead():
            await asyncio.sleep(0)  # (a key pressed meanwhile goes first)

    @property
    def run_state(self) -> str:
        if self.replay is not None:
            return "replay"
        states = {h.state for h in self.histories}
        if states <= {"finished", "stopped", "interrupted", "diverged", "failed"}:
            # (Paused now, the next runs a key starts begin paused: said, not hidden.)
            return "finished, paused" if self.paused else "finished"
        # The header says what was asked for at once; each panel's status says what its
        # worker has confirmed (a Paused / Resumed event a few tens of ms later).
        if self.paused:
            return "paused"
        return "running" if states & {"running", "paused"} else "starting"

    def update_header(self) -> None:
        header = self._header
        if header is None or not self.attached(header):
            return  # the main screen is not mounted (starting or closing)
        replay = self.replay
        header.update(header_text(
            self.histories, self.run_state, max((h.seconds for h in self.histories),
                                                default=0.0),
            self.source.log_paths, self.replay_step if replay else None,
            replay.last_step if replay else 0,
            width=header.content_size.width or self.size.width - 2), layout=False)

    def watch_selected(self, selected: int) -> None:
        for panel in self.panels:
            panel.selected = panel.slot == selected
        self.set_timer(AHEAD_AFTER_KEY, self.draw_all_ahead)

    def watch_paused(self) -> None:
        if self.is_mounted:
            self.update_header()

    def watch_replay_step(self, step: int) -> None:
        replay = self.replay
        if replay is None:
            return
        for slot, history in enumerate(self.histories):
            self.histories[slot] = fresh = RunHistory(config=replay.configs[slot])
            fresh.version = history.version + 1
            fresh.profile_version = history.profile_version + 1
        for panel in self.panels:
            panel.history = self.histories[panel.slot]
        self.apply(replay.until(step))
        for history, last in zip(self.histories, replay.last_steps, strict=True):
            history.replayed = True
            if step >= last:
                history.end_of_log()
        if self.is_mounted:
            self.redraw()

    # --- keys --------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.histories and action not in APP_ACTIONS:  # a screen alone (sweep map)
            return False
        if self.has_class("-too-small") and action != "quit":
            return False  # (unseen: a `v` there switched a view the user found later)
        screen = self.screen_stack[-1] if self.screen_stack else None
        if not getattr(screen, "SHOWS_PANELS", True) and action in PANEL_ACTIONS:
            return False  # a screen over the panels (compare): their keys would act unseen
        if action in TRAINING_ACTIONS and self.replay is not None:
            return False
        if action in REPLAY_ACTIONS and self.replay is None:
            return False
        if action == "select_panel" and parameters and int(parameters[0]) >= len(self.panels):
            return False
        if action in ("select_panel", "next_panel") and len(self.panels) == 1:
            return False  # (one panel: "1 left" and "tab next panel" selected nothing new)
        return True

    def on_key(self, event: Key) -> None:
        """A key whose binding is off here says why it does nothing, instead of nothing
        at all: a training key in a replay, a replay's key in a live run, a panel's
        number beyond the panels there are."""
        if not self.panels or not self.dashboard_shown() or self.has_class("-too-small"):
            return
        binding = next((b for b in self.BINDINGS if isinstance(b, Binding)
                        and event.key in b.key.split(",")), None)
        if binding is None:
            return
        _, action, parameters = parse_action(binding.action)
        key = self.get_key_display(binding)
        if self.replay is not None and action in TRAINING_ACTIONS:
            self.announce(f"a replay of run logs: nothing trains here, so {key} has "
                          "nothing to change")
        elif self.replay is None and action in REPLAY_ACTIONS:
            self.announce(f"{key} scrubs through a replay (rnn-tui replay LOG…): this run "
                          "is live")
        elif (action == "select_panel" and parameters
              and int(parameters[0]) >= len(self.panels) > 1):
            self.announce(f"{key} would select panel {int(parameters[0]) + 1}: there are "
                          f"{len(self.panels)} here (--cells takes up to four)")

    def action_next_panel(self) -> None:
        # tab is a priority binding (the screen's own tab, focus next, would take it), and
        # those run as the key arrives, while any other key goes to the screen first and
        # comes back to the app's bindings: "v tab" typed fast switched the view of the
        # panel tab went to. The same round trip puts tab behind the keys before it.
        self.screen.call_later(self.call_later, self.select_next_panel)

    def select_next_panel(self) -> None:
        self.selected = (self.selected + 1) % len(self.histories)

    def action_select_panel(self, slot: int) -> None:
        if slot < len(self.histories):
            self.selected = slot

    def restart(self, slot: int, config: RunConfig) -> None:
        """Restart one panel's run; its panel shows the new config at once."""
        self.source.restart(slot, config)
        self._pending_starts[slot] += 1
        history = self.histories[slot]
        fresh = RunHistory(config=config, restarting=True)
        fresh.version, fresh.profile_version = history.version + 1, history.profile_version + 1
        self.histories[slot] = fresh
        panel = self.query_one(f"#panel-{slot}", ModelPanel)
        panel.history = fresh
        panel.update_text()
        self.update_header()

    def announce(self, message: str, timeout: float = 3) -> None:
        """A toast saying what a key changed, in the frame after the change itself: the
        toast's layout (~15 ms of CPU) then never holds back what the key shows."""
        self.call_after_refresh(self.notify, message, timeout=timeout)

    def fits(self, configs: list[RunConfig], slots: list[int]) -> bool:
        """Whether `configs` can replace the runs in `slots`; if not, a notification says
        what they need, and nothing is restarted."""
        from ..run.memory import does_not_fit

        too_big = does_not_fit(configs, [self.source.configs[s] for s in slots])
        if too_big:
            self.notify(f"not started: {too_big}; the runs carry on", severity="error",
                        timeout=8)
        return too_big is None

    def restart_all(self, change: dict[str, object], what: str) -> None:
        for slot, config in enumerate(self.source.configs):
            self.restart(slot, config.with_(**change))
        self.announce(for_panels(what, len(self.histories)), timeout=3)

    def action_cell(self, direction: int) -> None:
        slot = self.selected
        config = self.source.configs[slot]
        index = CELL_KINDS.index(config.cell) if config.cell in CELL_KINDS else 0
        cell = CELL_KINDS[(index + direction) % len(CELL_KINDS)]
        self.restart(slot, self.switched_cell(config, cell))
        self.announce(f"panel {slot + 1}: {config.cell} → {cell} (same data seed)", timeout=3)

    def switched_cell(self, config: RunConfig, cell: str) -> RunConfig:
        """`config` with `cell`, at the preset's settings for it: a cell's own table is
        its own (relu-exploding's W×1.5 and lr 1e-4 made the IRNN switched to explode and
        a tanh RNN's gradient grow). The task, T and seed stay as the keys left them."""
        from ..run.presets import PresetError

        if self.preset is None:
            return config.with_(cell=cell)
        try:
            base = self.preset.config_for(cell)
        except (PresetError, OSError):  # (its file changed or went away since)
            return config.with_(cell=cell)
        return base.with_(task=config.task, seq_len=config.seq_len, seed=config.seed)

    def action_toggle_pause(self) -> None:
        if self.paused:
            self.source.resume()
        else:
            self.source.pause()
        self.paused = not self.paused

    def action_step(self) -> None:
        if self.histories and all(h.progress.ended for h in self.histories):
            # (It did nothing, unsaid: the workers have no run to step.)
            self.notify("the runs have ended: nothing to step (r, t, + -, c C, ] [ or p "
                        "start new ones)", severity="warning")
            return
        if not self.paused:
            self.notify("n steps while paused: press space first", severity="warning")
            return
        self.source.step_once()

    def action_task(self) -> None:
        task = self.source.configs[0].task
        new = TASK_NAMES[(TASK_NAMES.index(task) + 1) % len(TASK_NAMES)]
        self.restart_all({"task": new}, f"task: {task} → {new}; both restart")

    def action_seq_len(self, direction: int) -> None:
        old = self.source.configs[0].seq_len
        new = int(next_in(SEQ_LENGTHS, old, direction))
        if new == old:
            self.notify(f"T = {old} is the {'longest' if direction > 0 else 'shortest'}",
                        severity="warning")
            return
        slots = range(len(self.histories))
        if self.fits([self.source.configs[s].with_(seq_len=new) for s in slots], list(slots)):
            self.restart_all({"seq_len": new}, f"T: {old} → {new}; both restart")

    def action_lr(self, direction: int) -> None:
        slot = self.selected
        config = self.source.configs[slot]
        lr = scaled_lr(config.lr, direction)
        if not SETTINGS["lr"].accepts(lr):  # at the end of the range: the run carries on
            self.notify(f"lr = {config.lr:g} is the {'highest' if direction > 0 else 'lowest'}"
                        f"; lr must be {SETTINGS['lr'].allowed()}", severity="warning")
            return
        self.restart(slot, config.with_(lr=lr))
        self.announce(f"panel {slot + 1}: lr {config.lr:g} → {lr:g}", timeout=3)

    def action_reseed(self) -> None:
        seed = self.source.configs[0].seed + 1
        self.restart_all({"seed": seed}, f"new seed {seed}; both restart")

    def action_preset(self) -> None:
        from .screens.presets import PresetScreen

        screen = self.preset_screen()
        if isinstance(screen, PresetScreen):
            screen.from_the_top()
        self.push_screen(screen, self.load_preset)

    def load_preset(self, name: str | None) -> None:
        if not name:
            return
        from ..run.presets import Preset, PresetError, load_preset

        try:
            models = load_preset(name)
        except PresetError as err:
            self.notify(str(err), severity="error")
            return
        preset = Preset(name)
        # Panels past the preset's models keep their cells at the preset's settings for
        # them: they kept their old task and T (copy T=50 beside adding T=100), on other
        # batches than the panels beside them.
        configs = [models[slot] if slot < len(models) else
                   preset.config_for(history.config.cell if history.config else "rnn")
                   for slot, history in enumerate(self.histories)]
        slots = list(range(len(configs)))
        if not self.fits(configs, slots):
            return
        self.preset = preset
        for slot in slots:
            self.restart(slot, configs[slot])
        self.announce(f"preset {name}{models_note(len(models), len(configs))}", timeout=3)

    def action_scrub(self, direction: int) -> None:
        replay = self.replay
        if replay is not None:
            jump = max(1, replay.last_step // 50)
            self.replay_step = min(replay.last_step, max(0, self.replay_step + direction * jump))

    def action_scrub_to(self, end: int) -> None:
        if self.replay is not None:
            self.replay_step = self.replay.last_step if end else 0

    def action_view(self, direction: int) -> None:
        panel = self.query_one(f"#panel-{self.selected}", ModelPanel)
        panel.view = next_view(panel.view, direction)
        # Drawn now, so the view shows in the frame that switches to it, drawn (the
        # plots build their lines when that frame lays them out).
        self.redraw_panel(panel)
        self.set_timer(AHEAD_AFTER_KEY, self.draw_all_ahead)

    def action_screenshot(self) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        try:
            path = self.screenshot_dir / screenshot_name(self.screenshot_dir, stamp)
            # Split for librsvg: a teacher's `rsvg-convert` then gives the PNG the screen.
            path.write_text(split_runs_at_spaces(self.export_screenshot()), encoding="utf-8")
        except OSError as err:  # a folder removed or read-only: say so, keep training
            self.notify(f"screenshot not saved: {self.screenshot_dir}: "
                        f"{err.strerror or err}", severity="error", timeout=8)
            return
        # The name on a line of its own: a toast wraps a long path anywhere, and at 80
        # columns "….s" / "vg" was copied as the wrong name.
        self.notify(f"screenshot saved:\n{path.name}\nin {path.parent}", timeout=5)

    def help_keys(self) -> list[tuple[str, str]]:
        # The screen's own keys first (the sweep map's enter, d, a), then the app's.
        # (No screen at all while the app closes: the help may be built ahead then.)
        screen = self.screen_stack[-1] if self.screen_stack else None
        rows = [(self.get_key_display(binding), self.screen_tooltip_of(binding))
                for binding in getattr(type(screen), "BINDINGS", [])
                if isinstance(binding, Binding) and binding.show]
        screen_keys = {key for key, _ in rows}
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            _, action, parameters = parse_action(binding.action)
            if not self.check_action(action, parameters):  # ("3" with two panels: not told)
                continue
            if self.get_key_display(binding) in screen_keys:  # the screen's own goes first
                continue
            rows.append((binding.key_display or binding.key, self.tooltip_of(binding)))
        return rows

    def screen_tooltip_of(self, binding: Binding) -> str:
        """What a screen's own key does (the sweep map's), in the help's language."""
        japanese = self.lang == "ja" and key_text_ja(binding.action, len(self.histories))
        return japanese or binding.tooltip or binding.description

    def tooltip_of(self, binding: Binding) -> str:
        """What the key does here (a replay's `q` stops and joins no workers; "both"
        is "all 3" with three panels), in the help's language."""
        replay_quit = binding.tooltip == QUIT_LIVE and self.replay is not None
        if self.lang == "ja":
            japanese = (QUIT_REPLAY_JA if replay_quit
                        else BACK_TO_MAP_JA if binding.tooltip == BACK_TO_MAP
                        else key_text_ja(binding.action, len(self.histories), CELL_KINDS))
            if japanese:
                return japanese
        if replay_quit:
            return QUIT_REPLAY
        return for_panels(binding.tooltip or binding.description, len(self.histories))

    def help_screen(self) -> Screen:
        """The help screen, installed once and kept: a later `?` only brings its keys
        and live numbers up to date."""
        from .screens.help import HelpScreen

        if not self.is_screen_installed("help"):
            self.install_screen(HelpScreen(self.help_keys(), self.teaching(), self.lang),
                                "help")
        return self.get_screen("help")

    async def lay_out_views(self) -> None:
        """Every panel's hidden views laid out once, unseen (nothing is painted within
        the batch), so that their figures know the size they show at: a view never
        shown has none, so the lines of its figures could not be built ahead and its
        first `v` built them all in the key's frame (7-11 ms of a 19-30 ms frame)."""
        from .screens.ahead import lay_out

        compact = self.has_class("-compact")
        for panel in self.panels:
            for name, view in panel.view_widgets.items():
                if self._closed or not self.dashboard_shown():
                    return
                if name == panel.view:
                    continue
                with self.batch_update():
                    panel.display_view(name)
                    figures = view.figures(panel.history, compact)  # (hides what does not apply)
                    lay_out(self.screen, self.size)
                    for figure in figures:
                        figure.note_size()
                    panel.display_view(panel.view)
                    lay_out(self.screen, self.size)
                await asyncio.sleep(0)  # (a key pressed meanwhile goes first)
        self.repaint_footer()

    def repaint_footer(self) -> None:
        """The footer painted again, keys and all (one row). It is rebuilt when the
        panels mount (their keys 1 2 become active), and a rebuild laid out within the
        unseen layouts above was never painted: the grouped keys (12, cC, +-, ][) stayed
        blank until a resize, in one start out of two."""
        for widget in [*self.query(KeyFooter), *self.query("KeyFooter *")]:
            widget.refresh()

    async def build_help(self) -> None:
        """The help and the presets' list, built ahead on a timer after the first frame
        (screens/ahead.py), so that the first `?` or `p` only shows them."""
        from .screens.ahead import build_ahead
        from .screens.help import HelpScreen

        if self._closed or not self.screen_stack:
            return  # closing (the timer fired as the app was taken down)
        help_screen = self.help_screen()
        if help_screen.is_running:
            return  # (already shown once)
        await build_ahead(self, "help")
        if isinstance(help_screen, HelpScreen):
            help_screen.prepared = True
        if (self.check_action("preset", ()) and not self._closed
                and not self.preset_screen().is_running):
            await build_ahead(self, "presets")
        # What is built by now (the DOM, its styles, the help) lives as long as the
        # app: out of the collector's way, its full collections (every second or so
        # while training, 30-70 ms on the event loop) scan only what came since.
        gc.freeze()

    def preset_screen(self) -> Screen:
        """The presets' list, installed once and kept while the presets stay the same
        (a new screen at each `p` cost 50-70 ms before it showed)."""
        from ..run.presets import list_presets
        from .screens.presets import PresetScreen

        names = list_presets()
        if self.is_screen_installed("presets"):
            kept = self.get_screen("presets")
            if isinstance(kept, PresetScreen) and kept.names == names:
                return kept
            self.uninstall_screen("presets")
        self.install_screen(PresetScreen(names), "presets")
        return self.get_screen("presets")

    def teaching(self) -> str:
        return teaching_text(self.histories, self.lang)

    async def keep_help_fresh(self) -> None:
        """While the dashboard shows, the built help's live numbers brought up to date and
        rendered, so that `?` only shows it: made at the key, they were half its cost
        (the Markdown parsed, then ~60 lines rendered; 9 ms of CPU beside the workers)."""
        from .screens.ahead import prepare
        from .screens.help import HelpScreen

        help_screen = self.get_screen("help") if self.is_screen_installed("help") else None
        if (self._closed or not self.panels or not isinstance(help_screen, HelpScreen)
                or not help_screen.is_mounted or not self.dashboard_shown()):
            return
        runs = self.runs_told()
        if help_screen.bring_up_to_date(self.help_keys(), self.teaching()):
            await prepare(help_screen, self.size)  # (one widget a callback: keys go first)
        self._help_fresh = (time.monotonic(), runs)

    def runs_told(self) -> tuple[object, ...]:
        """What the help's text may not be late about, however fresh: which runs (a
        restart is a new history), their cells and states. Its numbers may be."""
        return tuple((id(h), h.config, h.state) for h in self.histories)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        # A screen with a story of its own (the sweep map) tells it instead of the panels'.
        about = getattr(self.screen, "ABOUT", {}).get(self.lang, "")
        help_screen = self.help_screen()
        if isinstance(help_screen, HelpScreen):
            made_at, runs = self._help_fresh
            fresh = (not about and time.monotonic() - made_at < HELP_FRESH
                     and runs == self.runs_told())
            teaching = help_screen.teaching if fresh else about or self.teaching()
            help_screen.bring_up_to_date(self.help_keys(), teaching,
                                         plots="" if about else None)
            if about:  # (it tells another story now: not the panels' numbers)
                self._help_fresh = (-math.inf, ())
        self.push_screen(help_screen)

    async def action_quit(self) -> None:
        self.shutdown()
        self.exit(0)

    async def action_help_quit(self) -> None:
        """Ctrl-C quits, as `q` does. (Textual binds it to a note that says "press
        ctrl+q", and the dashboard trained on in front of whoever pressed it. Text
        selected with the mouse is still copied: the screen's binding comes first.)"""
        await self.action_quit()

    def shutdown(self) -> None:
        """Stop the pump, then stop and join every worker process. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.workers.cancel_group(self, "pump")
        self.source.close()

    def on_unmount(self) -> None:
        self.shutdown()

    # --- command palette -----------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Screenshot" delivers to a downloads folder, and fails where there is
        # none; ours (key s) saves in the current folder and says where.
        # (and its "Quit": ours, below, says what quitting does, so the palette listed two)
        # Its "Keys" too: a panel of its own words ("Quit the app and return to the command
        # prompt"), keys the help does not name (shift+tab), and no Esc to close it; `?`
        # lists the keys.
        yield from (command for command in super().get_system_commands(screen)
                    if command.title not in ("Screenshot", "Quit", "Keys"))
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            _, action, parameters = parse_action(binding.action)
            if not self.check_action(action, parameters):  # (the fourth panel of two)
                continue
            tooltip = self.tooltip_of(binding)
            yield SystemCommand(tooltip.split(":")[0].split(" (")[0].capitalize(),
                                f"key {binding.key_display or binding.key}: {tooltip}",
                                self._runner(binding.action))

    def _runner(self, action: str):  # a zero-argument callback
        return lambda: self.run_action(action)


def models_note(models: int, panels: int) -> str:
    """What a preset of `models` models does on `panels` panels, when they differ."""
    if models > panels:
        return f" (its first {panels} of {models} models: {plural(panels, 'panel')} here)"
    if models < panels:
        extra = f"panel {panels}" if panels == models + 1 else f"panels {models + 1}-{panels}"
        return f" ({extra}: same cell, at the preset's settings)"
    return ""


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def for_panels(text: str, panels: int) -> str:
    """The keys' words are written for two panels ("both restart", "the right panel");
    with one panel they say "it", with three or four "all 4" and "panel 2" (the third
    then "panel 3", alike)."""
    if panels == 2:
        return text
    if panels == 1:
        return text.replace("both restart", "it restarts").replace("both", "it")
    for ordinal, number in (("left", 1), ("right", 2), ("third", 3), ("fourth", 4)):
        text = text.replace(f"the {ordinal} panel", f"panel {number}")
    return text.replace("both", f"all {panels}")


class MapDashboardApp(RnnTuiApp):
    """The dashboard `d` opens from a sweep's map: quitting it brings the map back, and
    its keys say so."""

    BINDINGS = [Binding("q", "quit", "back to map", tooltip=BACK_TO_MAP)
                if binding.key == "q" else binding for binding in RnnTuiApp.BINDINGS]
