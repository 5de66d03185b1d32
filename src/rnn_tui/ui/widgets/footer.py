"""The dashboard's footer: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen) -> Hashable:
    """What a footer on `screen` shows: each shown binding as displayed, enabled or not,
    its tooltip."""
    return tuple((binding, screen.app.get_key_display(binding), enabled, tooltip)
                 for _, binding, enabled, tooltip in screen.active_bindings.values()
                 if binding.show)


class KeyFooter(Footer):
    """Textual's Footer rebuilds its ~20 key widgets (about 100 ms of CPU here) whenever
    its screen's bindings are refreshed, and Textual refreshes them on every push and pop
    of a screen over it: opening the help (`?`) and closing it cost two rebuilds of the
    same keys, on the event loop, in the way of the next key. This one rebuilds only when
    the keys it would show changed (a key enabled or disabled, another set of bindings)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: Hashable = None  # what the last rebuild showed

    def bindings_changed(self, screen: Screen) -> None:
        keys = shown_keys(screen)
        if self._bindings_ready and keys == self.shown:
            return
        super().bindings_changed(screen)
        if self.app.app_focus and screen is self.screen:  # (as Footer, which then rebuilt)
            self.shown = keys
