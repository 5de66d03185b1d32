"""The help's Markdown as one Content reads as CommonMark reads it: every text the help
shows (the plots' story, the teaching text with live numbers, the sweep map's and the
compare screen's story, in English and Japanese)
is parsed by markdown-it, the parser of Textual's Markdown widget, and compared with
help_markdown's Content: the same text, the same bold / italic / code / headings, the
blocks spaced as Textual's Markdown spaces them."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from ui_support import history_of

from rnn_tui.ui.help_markdown import markdown_content
from rnn_tui.ui.help_plots import plots_text
from rnn_tui.ui.help_text import teaching_text
from rnn_tui.ui.history import RunHistory
from rnn_tui.ui.screens.compare import CompareScreen
from rnn_tui.ui.screens.sweep_map import SweepCompareScreen, SweepMapScreen

# Blank lines above a block: Textual's Markdown gives a `##` heading a top margin of 2,
# a `###` heading and a paragraph 1 (margins collapse); at the top only the heading's.
SPACE = {"h2": 2, "h3": 1, "p": 1}
FIRST_SPACE = {"h2": 2, "h3": 1, "p": 0}

Span = tuple[int, int, str]


def commonmark(source: str) -> tuple[str, set[Span]]:
    """The text and its styled spans as markdown-it parses the source."""
    plain, spans = "", set()
    tokens = MarkdownIt("commonmark").parse(source)
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        kind = tokens[index - 1].tag  # h2, h3 or p
        plain += "\n" * ((SPACE if plain else FIRST_SPACE)[kind] + bool(plain))
        start, open_at = len(plain), []
        for child in token.children or []:
            if child.type == "text":
                plain += child.content
            elif child.type == "softbreak":  # (Textual's Markdown: a space)
                plain += " "
            elif child.type == "code_inline":
                spans.add((len(plain), len(plain) + len(child.content), "code"))
                plain += child.content
            elif child.type in ("strong_open", "em_open"):
                open_at.append(len(plain))
            elif child.type in ("strong_close", "em_close"):
                spans.add((open_at.pop(), len(plain), child.type.split("_")[0]))
            else:
                raise AssertionError(f"the help uses Markdown not drawn: {child.type}")
        if kind != "p":
            spans.add((start, len(plain), kind))
    return plain, spans


def ours(source: str) -> tuple[str, set[Span]]:
    """The same, read from help_markdown's Content (its styles named as above)."""
    content = markdown_content(source)
    names = {"bold": "strong", "italic": "em"}
    spans = set()
    for span in content.spans:
        style = str(span.style)
        name = names.get(style) or ("code" if "warning" in style else
                                    "h2" if "markdown-h2" in style else
                                    "h3" if "markdown-h3" in style else style)
        spans.add((span.start, span.end, name))
    return content.plain, spans


TEXTS = {
    "plots": lambda: plots_text("en"),
    "plots-ja": lambda: plots_text("ja"),
    **{f"{screen.__name__}-{lang}": (lambda screen=screen, lang=lang: screen.ABOUT[lang])
       for screen in (CompareScreen, SweepCompareScreen, SweepMapScreen) for lang in ("en", "ja")},
    "teaching": lambda: teaching_text([history_of("rnn-underflow300"),
                                       history_of("adding-lstm")]),
    "teaching-old-log": lambda: teaching_text([history_of("adding-rnn")]),
    "teaching-ja": lambda: teaching_text([history_of("relu-exploding100", until=1),
                                          history_of("gru-adding30")], "ja"),
    "waiting": lambda: teaching_text([RunHistory(), RunHistory()]),
}


@pytest.mark.parametrize("name", TEXTS)
def test_reads_as_commonmark(name: str) -> None:
    source = TEXTS[name]()
    plain, spans = ours(source)
    expected_plain, expected_spans = commonmark(source)
    assert plain == expected_plain
    assert spans == expected_spans
    assert any(kind == "strong" for *_, kind in spans)  # (the texts do use bold)


def test_emphasis_is_kept_apart_and_code_is_taken_as_it_is() -> None:
    source = "**γ** below, the **horizon**; *learns*; `c_t = f_t * c_{t-1}` and a * b"
    plain, spans = ours(source)
    assert plain == "γ below, the horizon; learns; c_t = f_t * c_{t-1} and a * b"
    words = {(plain[start:end], kind) for start, end, kind in spans}
    assert words == {("γ", "strong"), ("horizon", "strong"), ("learns", "em"),
                     ("c_t = f_t * c_{t-1}", "code")}
