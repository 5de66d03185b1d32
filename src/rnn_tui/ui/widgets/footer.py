"""The dashboard's footer: Textual's, rebuilt only when the keys it shows change, and
showing only the keys that fit whole."""

from __future__ import annotations

from collections.abc import Hashable

from textual import events
from textual.screen import Screen
from textual.widget import Widget
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

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.fit_keys)

    def on_resize(self, event: events.Resize) -> None:
        for child in self.children:
            child.display = True  # (measured again at the new width)
        self.call_after_refresh(self.fit_keys)

    def fit_keys(self) -> None:
        """Hide the keys from the first one that does not fit whole: at 80 columns the
        last one was cut by the palette's key, and "space pause" showed as "s", the
        screenshot's key. (The help and the palette list them all.)"""
        palette = [c for c in self.children if c.has_class("-command-palette")]
        right = self.region.right - sum(c.outer_size.width for c in palette)
        keys: list[Widget] = [c for c in self.children if c not in palette and c.display]
        cut = next((i for i, key in enumerate(keys) if key.region.right > right), None)
        for key in keys[cut:] if cut is not None else []:
            key.display = False
