"""`p`: pick one of the shipped presets from `tasks/`."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

MIN_BLURB = 30  # characters


def preset_blurb(name: str) -> str:
    """What a shipped preset shows: the opening sentences of its leading comment, whole
    (its first line alone stops mid-sentence: "... The tanh RNN's"), at least a clause
    long ("The default." alone says little)."""
    from ...run.presets import resolve_preset

    try:
        text = resolve_preset(name).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return ""
    comment = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comment.append(line.lstrip("# ").strip())
    blurb = ""
    for sentence in re.split(r"(?<=\.)\s+", " ".join(comment)):
        blurb = f"{blurb} {sentence}".strip()
        if len(blurb) >= MIN_BLURB:
            break
    return blurb


class PresetScreen(ModalScreen[str | None]):
    """A list of presets; enter picks one, escape or q cancels. The app keeps it (built
    ahead, shown again at each `p`): each showing starts at the top of the list."""

    # `s` as on every screen (a modal one keeps the app's keys from working under it).
    BINDINGS = [Binding("escape,q", "cancel", "Cancel"),
                Binding("s", "app.screenshot", "screenshot", show=False)]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(id="preset-box"):
            yield Label("Pick a preset (enter) · escape or q cancels", id="preset-title")
            yield OptionList(*[Option(f"{name}  [dim]{preset_blurb(name)}[/]", id=name)
                               for name in self.names], id="preset-list")

    def from_the_top(self) -> None:
        """Each `p` starts at the top of the list (not a return from the palette)."""
        if self.is_mounted:
            self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
