"""The mypyc-compiled PII engine (``pipelines.pii.native``): used only when current, and
byte for byte the output of the pure-Python engine."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.pii import native
from tests.shared_data import shared_data

REPO = Path(__file__).resolve().parents[2]


def _require_build() -> None:
    """Skip without a build: it is optional (no C compiler, no build), and ``make
    install`` says why it was not built; ``closedloop doctor`` warns about it."""
    if native.status() == "on" or os.environ.get(native.SWITCH) == "0":
        return
    pytest.skip(f"the compiled PII engine is not in use here: {native.status()}")


def test_the_compiled_modules_are_imported_when_the_build_is_current() -> None:
    _require_build()
    modules = [importlib.import_module(f"pipelines.pii.{name}") for name in ("detector", "scrub")]
    origins = [Path(module.__spec__.origin) for module in modules]
    if os.environ.get(native.SWITCH) == "0":
        assert not native.active()
        assert [o.name for o in origins] == ["detector.py", "scrub.py"]
    else:
        assert native.active()
        assert all(o.parent == native.NATIVE_DIR and o.suffix == ".so" for o in origins)


def _manifest(tmp_path: Path, **changes: str) -> Path:
    manifest = {
        "sources": native.source_digest(),
        "cache_tag": sys.implementation.cache_tag,
        "group_library": "x.so",
        **changes,
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    return path


def test_a_build_of_other_sources_or_another_interpreter_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(native.SWITCH, raising=False)
    monkeypatch.setattr(native, "MANIFEST", _manifest(tmp_path))
    assert native.status() == "on"
    monkeypatch.setattr(native, "MANIFEST", _manifest(tmp_path, sources="0" * 64))
    assert native.status().startswith("off: stale")
    monkeypatch.setattr(native, "MANIFEST", _manifest(tmp_path, cache_tag="cpython-39"))
    assert native.status().startswith("off: built for cpython-39")
    monkeypatch.setattr(native, "MANIFEST", tmp_path / "missing.json")
    assert native.status().startswith("off: not built")
    (tmp_path / "bad.json").write_text("{not json")
    monkeypatch.setattr(native, "MANIFEST", tmp_path / "bad.json")
    assert native.status().startswith("off: unreadable manifest")
    monkeypatch.setattr(native, "MANIFEST", _manifest(tmp_path))
    monkeypatch.setenv(native.SWITCH, "0")
    assert native.status() == f"off: {native.SWITCH}=0"


def test_an_edit_to_a_compiled_module_changes_the_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in native.COMPILED:
        shutil.copy2(native.PACKAGE_DIR / f"{name}.py", tmp_path / f"{name}.py")
    monkeypatch.setattr(native, "PACKAGE_DIR", tmp_path)
    before = native.source_digest()
    with open(tmp_path / "asked.py", "a") as handle:
        handle.write("\n# an edit\n")
    assert native.source_digest() != before


def test_the_compiled_and_the_pure_python_engines_give_the_same_output(tmp_path: Path) -> None:
    """bench/pii_digest.py over PII-dense, realistic and presidio messages and a
    generated day through ``scrub_events``, once per engine: the digests must match."""
    _require_build()
    if os.environ.get(native.SWITCH) == "0":
        pytest.skip("this run is the pure-Python pass; the comparison runs in the other")
    data = shared_data("sgd").parent
    pure = tmp_path / "pure.json"
    command = [
        sys.executable,
        str(REPO / "bench" / "pii_digest.py"),
        "--data",
        str(data),
        "--messages",
        "3000",
        "--day-conversations",
        "600",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    first = subprocess.run(
        [*command, "--save", str(pure)],
        env={**env, native.SWITCH: "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert first.returncode == 0, first.stderr[-2000:]
    second = subprocess.run(
        [*command, "--check", str(pure)], env=env, capture_output=True, text=True, check=False
    )
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    assert "identical to" in second.stdout
