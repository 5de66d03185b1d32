"""The presets ship inside the wheel, from tasks/ (the one source), and a non-editable
install finds them from any directory."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip("not run from a source tree")
    tree = tmp_path_factory.mktemp("tree") / "rnn-tui"
    # A copy, so the build leaves nothing in the working tree; symlinks kept as they are.
    shutil.copytree(ROOT, tree, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", "runs", "build", "dist", "*.egg-info", "__pycache__", ".*cache", "tests"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(tree)], check=True, capture_output=True)
    return next(out.glob("rnn_tui-*.whl"))


@pytest.mark.parametrize("folder", ["", "sweeps/"])
def test_the_wheel_holds_every_preset_and_sweep_byte_for_byte(wheel: Path, folder: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = {Path(n).name: archive.read(n) for n in archive.namelist()
                   if Path(n).parent == Path(f"rnn_tui/presets/{folder}")
                   and n.endswith(".toml")}
    sources = {p.name: p.read_bytes() for p in (ROOT / "tasks" / folder).glob("*.toml")}
    assert shipped == sources and sources


def test_an_installed_wheel_finds_its_presets_from_elsewhere(wheel: Path, tmp_path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                    "--target", str(site), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import rnn_tui, sys; from rnn_tui.run.presets import list_presets, load_preset;"
            "assert rnn_tui.__file__.startswith(sys.argv[1]), rnn_tui.__file__;"
            "print(','.join(list_presets())); print(load_preset('copy-50')[0].task)")
    # -S: no site-packages, so the editable install of this tree cannot answer instead
    # (its .pth finder is never read). The presets' ranges are the engine's, which needs
    # numpy: its folder goes on the path by hand, after the wheel's.
    numpy_home = Path(importlib.util.find_spec("numpy").origin).parents[1]
    result = subprocess.run([sys.executable, "-S", "-c", code, str(site)], cwd=elsewhere,
                            capture_output=True, text=True,
                            env={"PYTHONPATH": os.pathsep.join([str(site), str(numpy_home)]),
                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    names, task = result.stdout.split()
    assert set(names.split(",")) >= {"adding-100", "copy-50", "relu-exploding"}
    assert task == "copy"


def test_the_wheel_holds_every_file_the_package_reads(wheel: Path) -> None:
    """Stylesheets and other non-Python files under src/ (a missing .tcss breaks the app
    only after a non-editable install)."""
    package = ROOT / "src" / "rnn_tui"
    wanted = {f"rnn_tui/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
              if p.is_file() and p.suffix not in (".py", ".pyc") and "presets" not in p.parts}
    with zipfile.ZipFile(wheel) as archive:
        assert wanted <= set(archive.namelist())
    assert wanted  # the stylesheets at least
