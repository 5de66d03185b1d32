"""The preset picker (`p`): each preset is described by whole sentences of its comment."""

from __future__ import annotations

import pytest

from rnn_tui.run.presets import list_presets, resolve_preset
from rnn_tui.ui.screens.presets import preset_blurb


@pytest.mark.parametrize("name", list_presets())
def test_each_preset_is_described_in_whole_sentences(name: str) -> None:
    # The picker showed each file's first comment line, which stops mid-sentence
    # ("adding-400  ... watch the boundary move. The tanh RNN's").
    blurb = preset_blurb(name)
    comment = " ".join(line.lstrip("# ").strip() for line in
                       resolve_preset(name).read_text(encoding="utf-8").splitlines()
                       if line.startswith("#"))
    assert blurb.endswith("."), f"{name}: {blurb!r} stops mid-sentence"
    assert comment.startswith(blurb), f"{name}: {blurb!r} is not how its comment opens"
    assert len(blurb) >= 30, f"{name}: {blurb!r} is too short to say what it shows"
