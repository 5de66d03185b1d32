"""Lines cut to a panel's width after a word, never inside a number."""

from __future__ import annotations

import pytest
from rich.text import Text

from rnn_tui.ui.cut import cut_plain, cut_text, first_that_fits


@pytest.mark.parametrize("line, width, shown", [
    # A number cut short is another number: "> 100" read "> 10…".
    ("horizon ━━ ‖∂L/∂h_t‖ γ=0.994 → > 100", 34, "horizon ━━ ‖∂L/∂h_t‖ γ=0.994 …"),
    ("loss 0.00218  beat @441  solved @506", 30, "loss 0.00218  beat @441 …"),
    # A legend's line sample goes with its cut label; a word takes the ellipsis itself.
    ("loss ━━ smoothed  ┄┄ raw  ━━ baseline 0.167", 30, "loss ━━ smoothed  ┄┄ raw…"),
    ("gradient ━━ ‖∂L/∂h_t‖  step 600, faint: init", 33, "gradient ━━ ‖∂L/∂h_t‖  step 600 …"),
    # What fits is whole (a swatch's trailing gap aside); one long word is cut anyway.
    ("loss ━━ smoothed  ", 16, "loss ━━ smoothed"),
    ("abcdefghijkl", 5, "abcd…"),
])
def test_cut_after_a_word(line, width, shown) -> None:
    cut = cut_text(Text(line), width)
    assert cut.plain == shown and cut.cell_len <= width


def test_styles_stay_on_what_is_kept() -> None:
    line = Text.assemble(("loss ", "bold"), ("0.167", "red"), "  beat @441")
    cut = cut_text(line, 12)
    assert cut.plain == "loss 0.167 …" and cut.spans[0].style == "bold"


def test_an_axis_title_is_cut_after_a_word_or_left_out() -> None:
    assert cut_plain("steps back from the loss", 18) == "steps back from…"
    assert cut_plain("steps back from the loss", 4) == ""


def test_the_first_form_that_fits_is_measured_without_its_trailing_gap() -> None:
    forms = [Text("loss ━━ smoothed  "), Text("━━ loss  "), Text("━━ a very long last one")]
    assert first_that_fits(forms, 16).plain == "loss ━━ smoothed  "  # 16 cells, then a gap
    assert first_that_fits(forms, 15).plain == "━━ loss  "
    assert first_that_fits(forms, 3) is forms[-1]  # (for cut_text to cut)
