"""Build the mypyc-compiled PII engine: ``python -m pipelines.pii.native_build [TOOLS_DIR]``.

``make install`` runs it; see ``pipelines.pii.native`` for what is compiled, where it
goes and when it is used. ``--status`` prints whether this interpreter would use it.
"""

from __future__ import annotations

import json
import os
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
    source_digest,
    status,
)

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
    """Compile ``COMPILED`` into ``NATIVE_DIR``; returns a process exit code."""
    if status() == "on":
        MANIFEST.touch()  # newer than the sources, for make
        print("pipelines.pii.native: the build is current")
        return 0
    began = time.perf_counter()
    if shutil.which(os.environ.get("CC", "cc")) is None:
        print("pipelines.pii.native: no C compiler (cc); the PII engine runs as pure Python")
        return 1
    if not _tools_ready(tools):
        print(f"pipelines.pii.native: installing {MYPY_REQUIREMENT} into {tools}")
        install = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(tools),
             MYPY_REQUIREMENT, "setuptools"],
            check=False,
        )  # fmt: skip
        if install.returncode != 0:
            print("pipelines.pii.native: could not install mypy; pure Python stays")
            return 1
    digest = source_digest()
    with tempfile.TemporaryDirectory(prefix="pii-native-") as scratch_name:
        scratch = Path(scratch_name)
        package = scratch / "pipelines" / "pii"
        package.mkdir(parents=True)
        # Empty package files: mypy then reads only the compiled modules, and an import
        # of anything else is an untyped (Any) module to the compiler.
        (scratch / "pipelines" / "__init__.py").write_text("")
        (package / "__init__.py").write_text("")
        for name in COMPILED:
            shutil.copy2(PACKAGE_DIR / f"{name}.py", package / f"{name}.py")
        paths = [f"pipelines/pii/{name}.py" for name in COMPILED]
        (scratch / "setup.py").write_text(_SETUP.format(group=GROUP, paths=paths))
        print(f"pipelines.pii.native: compiling {len(COMPILED)} modules with mypyc")
        env = {**os.environ, "PYTHONPATH": str(tools), "MYPYC_OPT_LEVEL": "3"}
        compiled = subprocess.run(
            [sys.executable, "setup.py", "--quiet", "build_ext", "--inplace",
             f"--parallel={jobs}"],
            cwd=scratch, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if compiled.returncode != 0:
            print(compiled.stdout[-4000:], compiled.stderr[-4000:], sep="\n")
            print("pipelines.pii.native: the compile failed; the PII engine runs as pure Python")
            return 1
        group_library = next(scratch.glob(f"{GROUP}__mypyc.*.so"))
        staging = Path(tempfile.mkdtemp(prefix="_native.", dir=PACKAGE_DIR))
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
    if source_digest() != digest:
        shutil.rmtree(staging)
        print("pipelines.pii.native: the sources changed during the build; run it again")
        return 1
    # The old build goes first, then the new one takes its name: a process importing
    # the package in between sees no build and runs pure Python.
    shutil.rmtree(NATIVE_DIR, ignore_errors=True)
    staging.rename(NATIVE_DIR)
    print(f"pipelines.pii.native: built in {time.perf_counter() - began:.0f} s -> {NATIVE_DIR}")
    return 0


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
    tools = Path(argv[0]) if argv else PACKAGE_DIR.parents[1] / "build" / "mypyc"
    return build(tools)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
