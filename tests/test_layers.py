"""The layers as a contract: `lint-imports` (import-linter, configured in pyproject.toml)
must find every contract kept. The tool is the check; this test only runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_import_contract_is_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    assert lint_imports.is_file(), f"{lint_imports} missing: pip install '.[test]'"
    # The repository's source, not whichever copy is installed, is what gets checked.
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, text=True,
                            capture_output=True, env=os.environ | {"PYTHONPATH": path},
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "0 broken" in result.stdout
