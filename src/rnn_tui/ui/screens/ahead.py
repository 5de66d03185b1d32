"""Screens built before they are first shown: composing, laying out and rendering a
screen costs tens of ms of CPU (~100 for the help), paid at the key that shows it
unless done ahead, while nothing is asked, in small callbacks."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.geometry import Region, Size
from textual.screen import Screen


async def build_ahead(app: App, name: str) -> Screen:
    """Start and compose installed screen `name` without showing it (push_screen's
    first step; private, textual is pinned to 8.2), then lay it out and render it."""
    screen, mounted = app._get_screen(name)
    await mounted
    await prepare(screen, app.size)
    return screen


def lay_out(screen: Screen, size: Size) -> None:
    """Lay `screen` out now (private, as showing it does; within `App.batch_update`
    nothing is painted until the batch ends)."""
    screen._refresh_layout(size)


async def prepare(screen: Screen, size: Size) -> None:
    """Lay out and render `screen` before it is shown, one widget per callback, so its
    first frame only composes lines already made."""
    if screen.is_current:
        return
    # What showing it first does (private). Its first Resize also lays out the screen
    # under it again. Twice: the first layout may find text that overflows, and the
    # second makes room for the scrollbar.
    for _ in range(2):
        screen._refresh_layout(size)
        await asyncio.sleep(0)
    for widget in screen.query("*"):
        await asyncio.sleep(0)  # (a key pressed meanwhile goes first)
        widget.render_lines(Region(0, 0, *widget.outer_size))
