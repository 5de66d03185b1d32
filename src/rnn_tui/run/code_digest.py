"""Which rnn-tui code ran: a digest of the package's own source files. The version
string stays the same across changes, so the machines of one sweep could run different
code under one name (a worker started from another install); their digests differ."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # src/rnn_tui


@cache
def code_digest(package: Path = PACKAGE) -> str:
    """12 hex digits of SHA-256 over every .py file's path (relative) and bytes."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
