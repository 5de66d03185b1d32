"""The base of the insight widgets that are Rich text, not plotext: the same small
protocol as the dashboard's plots (`is_stale`, `show`, `caption`, `shown_at`), so a
panel redraws them on its own timer and rate limit, never per event."""

from __future__ import annotations

import math

from rich.console import RenderableType
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from ..history import RunHistory
from ..widgets.plots import Palette


class TextView(Static):
    """A widget drawn as Rich text from a `RunHistory`, rebuilt to fit its size."""

    MIN_INTERVAL = 1.0  # seconds between redraws, as the dashboard's plots

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.history: RunHistory | None = None
        self.palette: Palette | None = None
        self.shown_key: tuple[int, int] = (-1, -1)
        self.shown_at = -math.inf

    def data_key(self, history: RunHistory) -> tuple[int, int]:
        return (id(history), history.profile_version)

    def is_stale(self, history: RunHistory, now: float) -> bool:
        return (self.data_key(history) != self.shown_key
                and now - self.shown_at >= self.MIN_INTERVAL)

    def show(self, history: RunHistory, palette: Palette, now: float = 0.0) -> None:
        self.history, self.palette = history, palette
        self.shown_key, self.shown_at = self.data_key(history), now
        self._rebuild()

    def on_resize(self, _event: Resize) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        if self.history is None or self.palette is None:
            return
        width, height = self.content_size
        if width and height:
            self.update(self.build(self.history, self.palette, width, height), layout=False)

    def build(self, history: RunHistory, palette: Palette, width: int,
              height: int) -> RenderableType:  # pragma: no cover
        raise NotImplementedError

    def caption(self, history: RunHistory, palette: Palette) -> Text:  # pragma: no cover
        raise NotImplementedError
