"""Build the mypyc-compiled PII engine: ``python -m pipelines.pii.native_build [TOOLS_DIR]``.

``make install`` runs it; see ``pipelines.pii.native`` for what is compiled, where it
goes and when it is used. ``--status`` prints whether this process uses it and why.

One build at a time (a lock beside the build); the new build replaces the old one by
renames, so a process importing the package meanwhile sees a whole build or none.
"""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipelines.pii.native import (
    COMPILED,
    GROUP,
    MANIFEST,
    MYPY_REQUIREMENT,
    NATIVE_DIR,
    PACKAGE_DIR,
    check,
    source_digest,
    status,
)

LOCK = PACKAGE_DIR / "_native.lock"

_SETUP = """
from setuptools import setup
from mypyc.build import mypycify

setup(
    name={group!r},
    ext_modules=mypycify(
        {paths!r} + ["--ignore-missing-imports"], group_name={group!r}, opt_level="3",
        multi_file=True,
    ),
)
"""


def build(tools: Path, jobs: int = 2) -> int:
    """Compile ``COMPILED`` into ``NATIVE_DIR`` unless it is current; returns a process
    exit code (1: no build, the engine runs as pure Python)."""
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second make waits, then finds it current
        if _current():
            MANIFEST.touch()
            print("pipelines.pii.native: the build is current")
            return 0
        return _build(tools, jobs)


def _current() -> bool:
    """Current on disk, and not a build that failed to load in this process."""
    return check() == "on" and "does not load" not in status()


def _build(tools: Path, jobs: int) -> int:
    began = time.perf_counter()
    compiler = shlex.split(os.environ.get("CC", "cc"))
    if not compiler or shutil.which(compiler[0]) is None:
        print("pipelines.pii.native: no C compiler (cc); the PII engine runs as pure Python")
        return 1
    if not _tools_ready(tools):
        print(f"pipelines.pii.native: installing {MYPY_REQUIREMENT} into {tools}")
        # A fresh folder: pip --target does not replace packages already in it.
        shutil.rmtree(tools, ignore_errors=True)
        install = subprocess.run(
            # --no-warn-conflicts: pip compares the folder's pathspec with the project's
            # environment, which never imports it (only the build's PYTHONPATH does).
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-warn-conflicts",
             "--target", str(tools), MYPY_REQUIREMENT, "setuptools"],
            check=False,
        )  # fmt: skip
        if install.returncode != 0:
            print("pipelines.pii.native: could not install mypy; pure Python stays")
            return 1
    digest = source_digest()
    staging = Path(tempfile.mkdtemp(prefix="_native.", dir=PACKAGE_DIR))
    try:
        with tempfile.TemporaryDirectory(prefix="pii-native-") as scratch:
            if not _compile(Path(scratch), tools, jobs, digest, staging):
                return 1
        if source_digest() != digest:
            print("pipelines.pii.native: the sources changed during the build; run it again")
            return 1
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the build from other users
        # Whole builds only: the old one moves aside, the new one takes its name, then
        # the old one goes. A process that loaded the old one keeps its mapped files.
        old = PACKAGE_DIR / f"_native.old-{os.getpid()}"
        if NATIVE_DIR.exists():
            NATIVE_DIR.rename(old)
        staging.rename(NATIVE_DIR)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"pipelines.pii.native: built in {time.perf_counter() - began:.0f} s -> {NATIVE_DIR}")
    return 0


def _compile(scratch: Path, tools: Path, jobs: int, digest: str, staging: Path) -> bool:
    """mypyc over a copy of the sources in ``scratch``; the libraries and the manifest
    go to ``staging``."""
    package = scratch / "pipelines" / "pii"
    package.mkdir(parents=True)
    # Empty package files: mypy then reads only the compiled modules, and an import of
    # anything else is an untyped (Any) module to the compiler.
    (scratch / "pipelines" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    for name in COMPILED:
        shutil.copy2(PACKAGE_DIR / f"{name}.py", package / f"{name}.py")
    paths = [f"pipelines/pii/{name}.py" for name in COMPILED]
    (scratch / "setup.py").write_text(_SETUP.format(group=GROUP, paths=paths))
    print(f"pipelines.pii.native: compiling {len(COMPILED)} modules with mypyc")
    env = {**os.environ, "PYTHONPATH": str(tools), "MYPYC_OPT_LEVEL": "3"}
    compiled = subprocess.run(
        [sys.executable, "setup.py", "--quiet", "build_ext", "--inplace", f"--parallel={jobs}"],
        cwd=scratch, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if compiled.returncode != 0:
        print(compiled.stdout[-4000:], compiled.stderr[-4000:], sep="\n")
        print("pipelines.pii.native: the compile failed; the PII engine runs as pure Python")
        return False
    group_library = next(scratch.glob(f"{GROUP}__mypyc.*.so"))
    shutil.copy2(group_library, staging / group_library.name)
    for library in package.glob("*.so"):
        shutil.copy2(library, staging / library.name)
    manifest = {
        "sources": digest,
        "cache_tag": sys.implementation.cache_tag,
        "compiler": MYPY_REQUIREMENT,
        "group_library": group_library.name,
        "modules": list(COMPILED),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return True


def _tools_ready(tools: Path) -> bool:
    version = MYPY_REQUIREMENT.split("==")[1]
    return any(tools.glob(f"mypy-{version}.dist-info")) and (tools / "setuptools").is_dir()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--status"]:
        print(status())
        return 0
    if argv[:1] in (["-h"], ["--help"]) or len(argv) > 1:
        print(__doc__)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    # One tools folder per interpreter: mypy's wheels are built for one.
    default = PACKAGE_DIR.parents[1] / "build" / f"mypyc-{sys.implementation.cache_tag}"
    tools = Path(argv[0]) if argv else default
    return build(tools)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
