"""The digest that tells which rnn-tui code ran (a sweep's workers may run another)."""

from __future__ import annotations

import shutil
from pathlib import Path

from rnn_tui.run.code_digest import PACKAGE, code_digest


def test_the_digest_follows_the_source_not_where_it_lies(tmp_path: Path) -> None:
    copy = tmp_path / "rnn_tui"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert code_digest(copy) == code_digest()
    engine = tmp_path / "edited" / "rnn_tui"
    shutil.copytree(copy, engine)
    lstm = engine / "engine" / "lstm.py"
    lstm.write_text(lstm.read_text() + "\n# one comment more\n")
    assert code_digest(engine) != code_digest()
    assert len(code_digest()) == 12
