"""`p`: pick one of the shipped presets from `tasks/`."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


def preset_blurb(name: str) -> str:
    """The first comment line of a shipped preset: what it shows."""
    from ...run.presets import resolve_preset

    try:
        for line in resolve_preset(name).read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                return line.lstrip("# ").strip()
    except (OSError, ValueError):
        pass
    return ""


class PresetScreen(ModalScreen[str | None]):
    """A list of presets; enter picks one, escape or q cancels. The app keeps it (built
    ahead, shown again at each `p`): each showing starts at the top of the list."""

    BINDINGS = [Binding("escape,q", "cancel", "Cancel")]

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
