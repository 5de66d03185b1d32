"""The help in Japanese (`--lang ja`): every part of it in Japanese (the keys, what the
plots show, the sweep map's story), wrapped between characters as Japanese is, where
Textual wraps only at spaces (a Japanese reviewer: half-empty lines, a line starting
with "、", a key's line cut short with "…")."""

from __future__ import annotations

import math

import pytest
from rich.cells import cell_len
from textual.content import Content
from ui_support import ScriptedSource, wait_for

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.help_markdown import markdown_content
from rnn_tui.ui.help_plots import plots_text
from rnn_tui.ui.help_text import horizon_span, unwrap_japanese
from rnn_tui.ui.japanese_wrap import NO_LINE_END, NO_LINE_START, wrap_japanese
from rnn_tui.ui.keys_ja import key_text_ja
from rnn_tui.ui.screens.help import HelpScreen, HelpText, KeyTable
from rnn_tui.ui.sources import ReplaySource

PLOTS_JA = markdown_content(plots_text("ja"))


def fill(lines: list[str], paragraphs: list[str], width: int) -> float:
    """The mean share of the width used by lines that are not a paragraph's last."""
    ends = {p.rstrip() for p in paragraphs}
    inner, text = [], ""
    for line in lines:
        text += line
        if line and not any(text.replace(" ", "").endswith(e.replace(" ", "")[-8:])
                            for e in ends if e):
            inner.append(cell_len(line) / width)
        if not line:
            text = ""
    return sum(inner) / len(inner)


@pytest.mark.parametrize("width", [30, 57, 94])
def test_japanese_lines_fit_break_where_japanese_breaks_and_lose_nothing(width: int) -> None:
    lines = wrap_japanese(PLOTS_JA, width).plain.split("\n")
    paragraphs = PLOTS_JA.plain.split("\n")
    assert all(cell_len(line) <= width for line in lines)
    assert not [line for line in lines if line[:1] in NO_LINE_START]
    assert not [line for line in lines if line[-1:] in NO_LINE_END]
    assert "".join(lines).replace(" ", "") == "".join(paragraphs).replace(" ", "")
    # Latin runs stay whole: a formula, a number.
    assert any("‖∂L/∂h_t‖" in line for line in lines)
    assert any("1e-17" in line for line in lines)
    # Lines are full, where Textual's own wrap (at spaces only) leaves them half empty.
    ours = fill(lines, paragraphs, width)
    textuals = fill([c.plain for c in PLOTS_JA.wrap(width)], paragraphs, width)
    assert ours > 0.93 and textuals < ours - 0.1, (ours, textuals)


def test_japanese_wrap_never_breaks_at_a_no_break_space() -> None:
    text = unwrap_japanese("勾配が 100 分の 1 になるまでの γ = 1 の経路 `c_t = f_t * c_{t-1}` です")
    for width in range(12, 40):
        lines = wrap_japanese(markdown_content(text), width).plain.split("\n")
        assert all(cell_len(line) <= width for line in lines)
        joined = "\n".join(lines)
        assert "100\u00a0分の\u00a01" in joined and "γ\u00a0=\u00a01" in joined, lines


def test_the_keys_say_who_with_any_number_of_panels() -> None:
    assert key_text_ja("reseed", 3) == "3 つとも新しいシードで再スタート"
    assert key_text_ja("step", 2) == "両方とも一時停止中に 1 ステップ学習する"
    assert key_text_ja("step", 1) == "一時停止中に 1 ステップ学習する"
    assert key_text_ja("select_panel(2)", 3) == "パネル 3 を選ぶ"
    assert key_text_ja("select_panel(0)", 2) == "左のパネルを選ぶ"
    assert horizon_span(math.inf, 100, "ja") == "100 ステップ超"


def test_japanese_wrap_keeps_bold_and_code() -> None:
    source = "**太字の語**を含む長い文を、狭い幅で折り返しても、`x` と強調は消えません。" * 3
    content = markdown_content(source)
    wrapped = wrap_japanese(content, 24)

    def styled(c: Content) -> str:
        return "".join(c.plain[s.start:s.end] for s in c.spans).replace("\n", "")

    assert styled(wrapped) == styled(content) and "太字の語" in styled(wrapped)


@pytest.mark.parametrize("lines, joined", [
    ("RNN は\n到達範囲", "RNN は到達範囲"),      # Japanese meets Japanese: nothing between
    ("損失が\n0.01 以下", "損失が 0.01 以下"),    # Japanese meets a number: a space
    ("消えますが、\n1 より", "消えますが、1 より"),  # but never after punctuation
    ("30 ステップ です。 次", "30 ステップです。次"),  # a filled-in value's space dropped
    ("範囲は **30 ステップ** です", "範囲は **30 ステップ**です"),  # bold or not
    # Quantities and formulas stay on one line (no break at a no-break space).
    ("100 分の 1 になり、γ = 1、「> T」",
     "100\u00a0分の\u00a01 になり、γ\u00a0=\u00a01、「>\u00a0T」"),
    ("経路 `c_t = f_t * c_{t-1}` を", "経路 `c_t\u00a0=\u00a0f_t\u00a0*\u00a0c_{t-1}` を"),
])
def test_unwrap_japanese_spaces_as_japanese_is_spaced(lines: str, joined: str) -> None:
    assert unwrap_japanese(lines) == joined


async def test_the_whole_help_is_japanese_and_no_key_is_cut_short(
        scripted: ScriptedSource) -> None:
    app = RnnTuiApp(scripted, lang="ja")  # (live: the `c` key, the longest, is there)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        await pilot.pause()
        table = app.screen.query_one(KeyTable)
        width = table.content_size.width
        lines = table.wrapped(width).plain.split("\n")
        assert all(cell_len(line) <= width for line in lines)
        assert not any("…" in line for line in lines), lines
        words = dict(app.screen.keys)
        assert words["v"].startswith("選択中のパネルのビュー")
        assert all(not what.isascii() for what in words.values()), words  # none left English
        # The `c` key's whole line is there: its last words on a line of their own.
        assert "シードから再スタートする" in "".join(lines).replace(" ", "")
        plots = app.screen.query_one("#help-text", HelpText)
        assert "画面の見かた" in plots.source
        shown = plots.wrapped(plots.content_size.width).plain.split("\n")
        assert all(cell_len(line) <= plots.content_size.width for line in shown)
        assert not [line for line in shown if line[:1] in NO_LINE_START]


async def test_the_sweep_maps_help_in_japanese(tmp_path) -> None:
    from rnn_tui.ui.screens.sweep_map import SweepMapScreen

    (tmp_path / "sweep.toml").write_text('cells = ["rnn", "lstm"]\nseq_len = [20]\n')
    app = RnnTuiApp(ReplaySource([]), lang="ja", first_screen=SweepMapScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SweepMapScreen), "the map")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "?: the help")
        shown = " ".join(text.source for text in app.screen.query(HelpText) if text.display)
        assert "スイープのマップ" in shown and "The map of a sweep" not in shown
        assert "続く" in dict(app.screen.keys)["q"]  # the map's own q: the sweep carries on
