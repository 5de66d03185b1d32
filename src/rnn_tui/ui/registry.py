"""The views a panel can show, in the order the `v` key cycles them.

A view is a widget that lays out figures (see `View`); `register` adds one. The
panel composes one of each registered view and reads them through this protocol
alone, so it imports no particular view: a new view is one new module under
`views/` and one `register` line in `views/__init__.py` (docs/extending.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.containers import Vertical
from textual.widget import Widget

from .figure import Figure
from .history import RunHistory


@runtime_checkable
class View(Protocol):
    """What a panel needs of a view."""

    def figures(self, history: RunHistory, compact: bool) -> list[Figure]:
        """The figures to draw for this history (a restart may change its cell), on a
        short screen when `compact`; the view hides the ones that do not apply."""
        ...


class FigureColumn(Vertical):
    """A view that is a column of figures (each classed by `figure_box`), all of which
    apply. Views that choose by cell or screen height override `applies`."""

    def applies(self, name: str, history: RunHistory, compact: bool) -> bool:
        return True

    def figures(self, history: RunHistory, compact: bool) -> list[Figure]:
        shown = []
        for figure in self.query_children(".figure"):
            name = next((c for c in figure.classes if c != "figure"), "")
            if not self.applies(name, history, compact):
                figure.display = False  # set directly: the panel reads it in the same tick
                continue
            if figure.styles.inline.has_rule("display"):
                figure.styles.clear_rule("display")  # it applies again: the stylesheet says
            # (The stylesheet hides some figures on a short screen.)
            if figure.display and isinstance(figure, Figure):
                shown.append(figure)
        return shown


@dataclass(frozen=True)
class ViewEntry:
    name: str  # the widget id in the panel, and what `ModelPanel.view` holds
    title: str  # what the `v` key's notification says
    make: Callable[[], Widget]  # a new view widget (it must implement `View`)


VIEWS: dict[str, ViewEntry] = {}


def register(name: str, title: str, make: Callable[[], Widget]) -> ViewEntry:
    """Add a view to the panels and to the `v` cycle (after those registered before)."""
    VIEWS[name] = entry = ViewEntry(name, title, make)
    return entry


def unregister(name: str) -> None:
    VIEWS.pop(name, None)


def next_view(current: str, direction: int = 1) -> str:
    order = list(VIEWS)
    index = order.index(current) if current in order else 0
    return order[(index + direction) % len(order)]


def view_title(name: str) -> str:
    entry = VIEWS.get(name)
    return entry.title if entry else name
