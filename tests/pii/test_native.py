"""The mypyc-compiled PII engine (``pipelines.pii.native``): used only when current and
whole, pickles that load in either engine, and byte for byte the output of the
pure-Python engine. ``make test`` runs this file in both engines."""

from __future__ import annotations

import copy
import importlib
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.pii import ConversationScrubber, Detector, Span, native, scrub
from pipelines.pii.custom import CustomPattern
from tests.shared_data import shared_data

REPO = Path(__file__).resolve().parents[2]
PURE = {native.SWITCH: "0"}


def _require_build() -> None:
    """Skip without a build: it is optional (no C compiler, no build), ``make install``
    says why it was not built and ``closedloop doctor`` warns about it."""
    if native.status() == "on" or native.switched_off():
        return
    pytest.skip(f"the compiled PII engine is not in use here: {native.status()}")


def _python(code: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> bytes:
    """Run ``code`` in a fresh interpreter (``env`` over this one's); its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout


def test_the_compiled_modules_are_imported_when_the_build_is_current() -> None:
    _require_build()
    modules = [importlib.import_module(f"pipelines.pii.{name}") for name in ("detector", "scrub")]
    origins = [Path(module.__spec__.origin) for module in modules]
    if native.switched_off():
        assert not native.active()
        assert [o.name for o in origins] == ["detector.py", "scrub.py"]
    else:
        assert native.active()
        assert all(o.parent == native.NATIVE_DIR and o.suffix == ".so" for o in origins)


def _fake_build(folder: Path, **changes: object) -> Path:
    """A build folder whose manifest says ``changes`` over a current build's; the
    libraries are empty files."""
    folder.mkdir(exist_ok=True)
    for name in [*native.COMPILED, f"{native.GROUP}__mypyc"]:
        (folder / f"{name}.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    manifest = {
        "sources": native.source_digest(),
        "cache_tag": sys.implementation.cache_tag,
        "compiler": native.MYPY_REQUIREMENT,
        "group_library": f"{native.GROUP}__mypyc.cpython-311-x86_64-linux-gnu.so",
        **changes,
    }
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest))
    return path


def test_only_a_current_and_whole_build_is_on(tmp_path: Path) -> None:
    assert native.check(_fake_build(tmp_path / "current")) == "on"
    stale = _fake_build(tmp_path / "stale", sources="0" * 64)
    assert native.check(stale).startswith("off: stale")
    other = _fake_build(tmp_path / "other", cache_tag="cpython-39")
    assert native.check(other).startswith("off: built for cpython-39")
    older = _fake_build(tmp_path / "older", compiler="mypy==1.0.0")
    assert native.check(older).startswith("off: built by mypy==1.0.0")
    partial = _fake_build(tmp_path / "partial")
    next(partial.parent.glob("custom.*.so")).unlink()  # half of a replaced build
    assert native.check(partial) == "off: incomplete build (missing custom); rebuild"
    assert native.check(tmp_path / "none" / "manifest.json").startswith("off: not built")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "manifest.json").write_text("{not json")
    assert native.check(tmp_path / "bad" / "manifest.json").startswith("off: unreadable")


def test_an_edit_to_a_compiled_module_makes_the_build_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in native.COMPILED:
        (sources / f"{name}.py").write_bytes((native.PACKAGE_DIR / f"{name}.py").read_bytes())
    monkeypatch.setattr(native, "PACKAGE_DIR", sources)
    manifest = _fake_build(tmp_path / "build")
    assert native.check(manifest) == "on"
    with open(sources / "asked.py", "a") as handle:
        handle.write("\n# an edit\n")
    assert native.check(manifest).startswith("off: stale")


def test_a_build_that_does_not_load_is_off_and_leaves_the_path_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _fake_build(tmp_path / "build")  # empty files: no library loads
    monkeypatch.setattr(native, "MANIFEST", manifest)
    monkeypatch.setattr(native, "NATIVE_DIR", manifest.parent)
    monkeypatch.setattr(native, "GROUP", "closedloop_test_group")
    monkeypatch.setattr(native, "_ACTIVE", None)
    monkeypatch.delenv(native.SWITCH, raising=False)
    path = ["/somewhere"]
    state = native.activate(path)
    assert state.startswith("off: the build does not load"), state
    assert path == ["/somewhere"]
    assert native.status() == state and not native.active()
    assert "closedloop_test_group__mypyc" not in sys.modules


def _values() -> list[object]:
    detector = Detector((CustomPattern("ORDER_ID", re.compile(r"(?i)\bORD-\d{6}\b"), 0.9),))
    scrubbed = scrub("Hi, I am Maria Lopez, call 415-555-0132, order ord-123456", detector)
    return [Span("PERSON", 3, 14, 0.8), scrubbed, detector.custom_patterns[0]]


def test_engine_objects_pickle_and_copy_and_load_in_the_other_engine() -> None:
    values = _values()
    for value in values:
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.copy(value) == value and copy.deepcopy(value) == value
    detector = pickle.loads(pickle.dumps(Detector(values[2:])))  # type: ignore[list-item]
    assert scrub("order ord-123456 from 415-555-0132", detector).text == (
        "order <ORDER_ID_1> from <PHONE_1>"
    )
    # A pickle of this engine's objects, read by the other engine (a worker or an
    # executor may run either): equal field by field.
    other = {} if native.switched_off() else PURE
    code = (
        "import pickle, sys\n"
        "from tests.pii.test_native import _values\n"
        "loaded = pickle.loads(sys.stdin.buffer.read())\n"
        "print(loaded == _values())\n"
    )
    assert _python(code, other, pickle.dumps(values)).strip() == b"True"


def test_a_conversation_scrubs_the_same_after_a_pickled_detector() -> None:
    texts = ["What is your mother's maiden name?", "it's sanchez", "and my PIN is 9431"]
    actors = ["agent", "customer", "customer"]
    fresh = ConversationScrubber(Detector())
    copied = ConversationScrubber(pickle.loads(pickle.dumps(Detector())))
    for text, actor in zip(texts, actors, strict=True):
        assert fresh.scrub(text, actor) == copied.scrub(text, actor)


def test_the_compiled_and_the_pure_python_engines_give_the_same_output(tmp_path: Path) -> None:
    """bench/pii_digest.py over PII-dense, realistic and presidio messages and a
    generated day through ``scrub_events``, once per engine: the digests must match."""
    _require_build()
    if native.switched_off():
        pytest.skip("this run is the pure-Python pass; the comparison runs in the other")
    compiled = _python("import pipelines.pii.native as n, pipelines.pii; print(n.status())")
    assert compiled.strip() == b"on"  # the second run below is the compiled engine
    data = shared_data("sgd").parent
    pure = tmp_path / "pure.json"
    command = [
        sys.executable,
        str(REPO / "bench" / "pii_digest.py"),
        *("--data", str(data), "--messages", "3000", "--day-conversations", "600"),
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    first = subprocess.run(
        [*command, "--save", str(pure)],
        env={**env, **PURE},
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
