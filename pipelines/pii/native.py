"""The PII engine compiled to C by mypyc, used when a build is present and current.

Why: the detector's time is spread over some forty regex scans and the Python that
reads their matches (docs/pii.md, *Measured speed*); no single scan is worth a rewrite.
mypyc, the mypy project's compiler of type-annotated Python to C extension modules,
compiles that Python as it is written: the same source and the same output, about 30%
less CPU per message (round 13 in docs/pii.md).

How: ``make install`` runs ``python -m pipelines.pii.native_build``, which installs mypy
into a tools folder of its own (mypy's pathspec pin conflicts with dbt's, so it stays
out of the project's environment), compiles ``COMPILED`` from a scratch copy of their
sources and puts the extension modules in ``pipelines/pii/_native/`` with a manifest:
the digest of the sources compiled and the interpreter's tag. Importing
``pipelines.pii`` calls ``activate``: when the manifest matches the sources on disk and
this interpreter, ``_native`` goes in front of the package's ``__path__`` and its
extension modules are imported instead of the ``.py`` files. A missing or stale build
(a ``.py`` edited since), another interpreter, or ``CLOSEDLOOP_PII_NATIVE=0`` leaves
the pure-Python modules, so an edit is never shadowed by an old build. Without a C
compiler the build fails with a message and everything runs as pure Python.

Both ways are tested: ``make test`` runs tests/pii again with ``CLOSEDLOOP_PII_NATIVE=0``,
and tests/pii/test_native.py compares the two engines' output on the same conversations.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path

# The modules a message passes through in ``detect`` and ``ConversationScrubber``.
# Not compiled: the table, process-pool and Spark code around them (batch, load,
# spark), and what runs once per run (pseudonym, leakscan, identifiers).
COMPILED = (
    "addresses",
    "asked",
    "checksums",
    "cues",
    "custom",
    "detector",
    "fold",
    "matching",
    "name_model",
    "name_parts",
    "name_contexts",
    "names",
    "numbers",
    "patterns",
    "person_cues",
    "persons",
    "places",
    "scrub",
    "spans",
    "venues",
)
# The package's folder, where its data files are: a compiled module's ``__file__``
# points into the build, so the engine's modules read their files from here.
PACKAGE_DIR = Path(__file__).resolve().parent
NATIVE_DIR = PACKAGE_DIR / "_native"
MANIFEST = NATIVE_DIR / "manifest.json"
# The compiler, pinned: a new mypy is a new compiler, measured before it is taken.
MYPY_REQUIREMENT = "mypy==2.4.1"
# mypyc's shared library of the compiled group: a top-level module of this name.
GROUP = "closedloop_pii_native"
SWITCH = "CLOSEDLOOP_PII_NATIVE"


def source_digest() -> str:
    """SHA-256 over the compiled modules' sources, name by name."""
    digest = hashlib.sha256()
    for name in COMPILED:
        digest.update(name.encode() + b"\0")
        digest.update((PACKAGE_DIR / f"{name}.py").read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def switched_off() -> bool:
    """Whether ``CLOSEDLOOP_PII_NATIVE`` turns the build off."""
    return os.environ.get(SWITCH, "").strip().lower() in {"0", "off", "false", "no"}


def check(manifest_path: Path | None = None) -> str:
    """``on`` when the build on disk is current (its manifest names these sources, this
    interpreter and the pinned compiler, and every module's library is there), else
    ``off: <why>``. Ignores ``SWITCH``; reads the disk, not what this process loaded."""
    return _inspect(MANIFEST if manifest_path is None else manifest_path)[0]


def _inspect(manifest_path: Path) -> tuple[str, dict[str, object]]:
    """``check``'s answer and the manifest it read (empty when unreadable)."""
    try:
        manifest = json.loads(manifest_path.read_text())
        present = {name.split(".", 1)[0] for name in os.listdir(manifest_path.parent)}
        digest = source_digest()
    except FileNotFoundError:
        return "off: not built (make install builds it; needs a C compiler)", {}
    except (OSError, ValueError) as exc:
        return f"off: unreadable build ({type(exc).__name__})", {}
    if not isinstance(manifest, dict):
        return "off: unreadable build (manifest)", {}
    if manifest.get("cache_tag") != sys.implementation.cache_tag:
        tag = sys.implementation.cache_tag
        return f"off: built for {manifest.get('cache_tag')}, not {tag}", manifest
    if manifest.get("compiler") != MYPY_REQUIREMENT:
        return (
            f"off: built by {manifest.get('compiler')}, not {MYPY_REQUIREMENT}; rebuild",
            manifest,
        )
    if manifest.get("sources") != digest:
        return (
            "off: stale (the sources changed since the build; make install rebuilds it)",
            manifest,
        )
    missing = sorted(set(COMPILED) - present)
    group = str(manifest.get("group_library", ""))
    if missing or group.split(".", 1)[0] not in present:
        return f"off: incomplete build (missing {', '.join(missing) or group}); rebuild", manifest
    return "on", manifest


_ACTIVE: str | None = None


def status() -> str:
    """``on``, or ``off: <why>``: in a process that imported ``pipelines.pii``, what
    ``activate`` did (a build that failed to load is off here); before that, what it
    would do."""
    if _ACTIVE is not None:
        return _ACTIVE
    return f"off: {SWITCH}=0" if switched_off() else check()


def activate(package_path: list[str]) -> str:
    """Put the build in front of ``package_path`` (the package's ``__path__``) when it is
    current and loads; returns the status. Called once, by ``pipelines.pii``."""
    global _ACTIVE
    if _ACTIVE is not None:
        return _ACTIVE
    state, manifest = (f"off: {SWITCH}=0", {}) if switched_off() else _inspect(MANIFEST)
    if state == "on":
        try:
            _load_group(str(manifest["group_library"]))
        except (ImportError, OSError, KeyError) as exc:
            state = f"off: the build does not load ({type(exc).__name__}: {exc}); rebuild"
        else:
            package_path.insert(0, str(NATIVE_DIR))
    _ACTIVE = state
    return state


def active() -> bool:
    """Whether this process runs the compiled modules."""
    return _ACTIVE == "on"


def compiled_source(module: str) -> Path | None:
    """The ``.py`` file a compiled module was built from, for code that reads a module's
    source by its spec (a compiled module's origin is its extension file); None for a
    module that is not compiled. While the build is in use, that file is exactly what
    was compiled (``status`` checks the digest)."""
    package, _, name = module.rpartition(".")
    if package == __package__ and name in COMPILED:
        return PACKAGE_DIR / f"{name}.py"
    return None


def _load_group(filename: str) -> None:
    """Import the group's shared library under its module name: the compiled modules
    import it by that name, and it lives in ``_native``, not on ``sys.path``."""
    name = f"{GROUP}__mypyc"
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, NATIVE_DIR / filename)
    if spec is None or spec.loader is None:
        raise ImportError(f"no loader for {filename}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
