"""Fixtures of the dashboard tests."""

from __future__ import annotations

import pytest
from ui_support import ScriptedSource

from rnn_tui.run.config import RunConfig


@pytest.fixture
def scripted() -> ScriptedSource:
    return ScriptedSource([RunConfig(cell="rnn"), RunConfig(cell="lstm")])
