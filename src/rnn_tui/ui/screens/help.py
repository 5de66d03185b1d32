"""`?`: the keys, and what each plot shows and why."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from ..help_markdown import markdown_content
from ..help_plots import TITLE, plots_text
from ..japanese_wrap import wrap_japanese


class WidthWrapped(Static):
    """A Static whose Content is made for the width it is laid out at (`content_at`),
    kept while that width and the text stay: Textual breaks lines only at spaces, and
    Japanese has none between words (`japanese_wrap`)."""

    def __init__(self, id: str, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self._wrapped: tuple[int, Content] | None = None  # (width, the content at it)

    def content_at(self, width: int) -> Content:
        raise NotImplementedError

    def wrapped(self, width: int) -> Content:
        """The content as shown at `width` cells."""
        if self._wrapped is None or self._wrapped[0] != width:
            self._wrapped = (width, self.content_at(width))
        return self._wrapped[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.wrapped(width).get_height(self.styles, width) if width else 0

    def render(self) -> RenderResult:
        return self.wrapped(self.content_size.width)


class HelpText(WidthWrapped):
    """Markdown shown as one Content (help_markdown), not as Textual's Markdown widget:
    that one takes a few hundred ms to build and lay out, this a few. `source` is the
    Markdown it shows; Japanese is wrapped here, other text by Textual."""

    def __init__(self, source: str, dark: bool, id: str, japanese: bool = False) -> None:
        super().__init__(id=id, classes="help-markdown")
        self.source, self.dark, self.japanese = source, dark, japanese
        self.markdown = markdown_content(source, dark)
        self.display = bool(source)

    def content_at(self, width: int) -> Content:
        return wrap_japanese(self.markdown, width) if self.japanese else self.markdown

    def show(self, source: str, dark: bool | None = None) -> bool:
        """Show `source` (in the colours for a dark or a light theme, if given); whether
        that changed what it shows."""
        dark = self.dark if dark is None else dark
        if (source, dark) == (self.source, self.dark):
            return False
        self.source, self.dark = source, dark
        self.markdown, self._wrapped = markdown_content(source, dark), None
        # The live numbers change digits, rarely the text's height: the help is laid
        # out again only if it moved (a layout there cost the `?` frame 5-10 ms, and
        # a scrollbar update a second whole-screen frame after it).
        width, height = self.content_size
        relayout = not (self.display and source and width
                        and self.wrapped(width).get_height(self.styles, width) == height)
        self.display = bool(source)
        self.refresh(layout=relayout)
        return True


class KeyTable(WidthWrapped):
    """The keys and what each does, in two columns, the second wrapped under itself
    (Rich's table breaks lines only at spaces, and cut a Japanese line short with "…")."""

    def __init__(self, keys: list[tuple[str, str]], japanese: bool, id: str) -> None:
        super().__init__(id=id)
        self.keys, self.japanese = keys, japanese

    def show(self, keys: list[tuple[str, str]]) -> None:
        self.keys, self._wrapped = keys, None
        self.refresh(layout=True)

    def content_at(self, width: int) -> Content:
        key_width = max((cell_len(key) for key, _ in self.keys), default=0) + 2
        text_width = max(width - key_width - 2, 10)  # (two cells kept free on the right)
        rows: list[Content] = []
        for key, what in self.keys:
            lines = (wrap_japanese(Content(what), text_width).split("\n") if self.japanese
                     else Content(what).wrap(text_width))
            for index, line in enumerate(lines):
                # ($accent, not the colour of now: it follows a theme changed under it)
                head = Content.styled(key, "bold $accent") if index == 0 else Content()
                rows.append(Content.assemble(head, " " * (key_width - head.cell_length),
                                             line.rstrip()))
        return Content("\n").join(rows)


class HelpScreen(ModalScreen[None]):
    """Keys and the story of the plots; any of escape, ?, q closes it."""

    # `s` too: the help lists it, and a modal screen keeps the app's keys from working
    # under it (a teacher's screenshot of this screen did nothing, said nothing).
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close help"),
                Binding("s", "app.screenshot", "screenshot", show=False)]

    def __init__(self, keys: Iterable[tuple[str, str]], teaching: str = "",
                 lang: str = "en") -> None:
        super().__init__()
        self.keys = list(keys)
        self.lang = lang  # "ja": the title and the plots' text in Japanese, wrapped as it
        self.teaching = teaching  # the insight views' text, with the live numbers
        self.prepared = False  # laid out and rendered before it was first shown (by the app)
        self.plots = plots_text(lang)  # what the panels' plots show ("" on the sweep map)
        self.styled: tuple[object, ...] | None = None  # `styles_key` when last restyled

    def compose(self) -> ComposeResult:
        dark = self.app.current_theme.dark
        with VerticalScroll(id="help-body"):
            yield Static(TITLE.get(self.lang, TITLE["en"]), id="help-title")
            japanese = self.lang == "ja"
            yield KeyTable(self.keys, japanese, id="help-keys")
            yield HelpText(self.teaching, dark, id="help-teaching", japanese=japanese)
            yield HelpText(self.plots, dark, id="help-text", japanese=japanese)

    def bring_up_to_date(self, keys: Iterable[tuple[str, str]], teaching: str,
                         plots: str | None = None) -> bool:
        """Shown again (the app keeps it): the keys, the live numbers and the theme's
        colours as they are now; `plots` "" on a screen without the panels (None: the
        panels' plots). Whether anything changed."""
        keys = list(keys)
        self.plots = plots_text(self.lang) if plots is None else plots
        if not self.is_mounted:  # not built yet: `compose` takes these
            self.keys, self.teaching = keys, teaching
            return True
        changed = keys != self.keys
        if changed:
            self.keys = keys
            self.query_one("#help-keys", KeyTable).show(keys)
        self.teaching = teaching
        dark = self.app.current_theme.dark
        changed |= self.query_one("#help-teaching", HelpText).show(teaching, dark)
        return self.query_one("#help-text", HelpText).show(self.plots, dark) or changed

    def action_close(self) -> None:
        self.dismiss(None)

    def styles_key(self) -> tuple[object, ...]:
        """What its styles depend on beyond its own DOM: the app's CSS (a new theme
        counts up) and the app's classes (-compact at a small size)."""
        return self.app._css_update_count, frozenset(self.app.classes)  # (private, pinned)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles a pushed screen's every widget, and a restyle throws away each
        # one's rendered lines: a `?` re-rendered the whole help (7-8 ms of its frame,
        # on a core shared with the workers) to the styles it had.
        key = self.styles_key()
        if key == self.styled:
            event.refresh_styles = False
        self.styled = key
        super()._on_screen_resume(event)
