"""The layer rules hold in the code, and ARCHITECTURE.md's import table is the code's."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FIRST_PARTY = ("pipelines", "schemas")
# Statements that create, change or probe tables: pipelines/warehouse/ only.
DDL = re.compile(
    r"\b(create|alter|drop)\s+(or\s+replace\s+)?(table|schema|view)\b|information_schema"
    r"|\bdelete\s+from\b|\binsert\s+into\b|\bbegin\s+transaction\b",
    re.IGNORECASE,
)


def _unit(module: str) -> str:
    """The row of the table a module belongs to: a top-level module or package."""
    parts = module.split(".")
    return parts[0] if parts[0] == "schemas" else ".".join(parts[:2])


def _imports_by_unit() -> dict[str, set[str]]:
    graph = grimp.build_graph(*FIRST_PARTY)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if module in FIRST_PARTY:
            continue
        edges.setdefault(_unit(module), set())
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in FIRST_PARTY and _unit(imported) != _unit(module):
                edges[_unit(module)].add(_unit(imported))
    return edges


def _documented() -> dict[str, set[str]]:
    text = (ROOT / "ARCHITECTURE.md").read_text()
    section = text.split("## Packages and who may import what", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`(pipelines/[\w/.]+|schemas/)`", cells[0]) if cells else None
        if not match:
            continue
        unit = match.group(1).removesuffix("/").removesuffix(".py").replace("/", ".")
        rows[unit] = set(re.findall(r"`([\w.]+)`", cells[2]))
    return rows


def test_the_import_table_lists_exactly_what_each_package_imports() -> None:
    actual, documented = _imports_by_unit(), _documented()
    assert set(documented) == set(actual), (
        f"rows missing for {sorted(set(actual) - set(documented))}, "
        f"rows for nothing: {sorted(set(documented) - set(actual))}"
    )
    wrong = {
        unit: ", ".join(f"`{name}`" for name in sorted(actual[unit])) or "(nothing first-party)"
        for unit in actual
        if documented[unit] != actual[unit]
    }
    assert not wrong, f"ARCHITECTURE.md's 'may import' cells should read: {wrong}"


def test_the_import_linter_contracts_hold() -> None:
    result = subprocess.run(
        [str(BIN / "lint-imports")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_only_the_warehouse_package_runs_ddl_or_writes_tables() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in FIRST_PARTY
        for path in sorted((ROOT / package).rglob("*.py"))
        if "warehouse" not in path.relative_to(ROOT).parts[:2]
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if DDL.search(line)
    ]
    assert not offenders, offenders


def test_nothing_reads_settings_or_the_environment_at_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An invalid setting must not break importing the code location's modules: only
    loading it (the @dg.definitions function) reads settings."""
    monkeypatch.setenv("CLOSEDLOOP_MIN_N", "not a number")
    code = (
        "import importlib, pkgutil, pipelines.defs, pipelines.definitions, pipelines.runner\n"
        "for info in pkgutil.iter_modules(pipelines.defs.__path__):\n"
        "    importlib.import_module(f'pipelines.defs.{info.name}')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_dg_loads_and_validates_the_code_location(tmp_path: Path) -> None:
    """What `make lint` runs: `dg check defs` on the project (pyproject's [tool.dg])."""
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "CLOSEDLOOP_HOME": str(tmp_path)}
    env.pop("CLOSEDLOOP_CONFIG", None)
    result = subprocess.run(
        [str(BIN / "dg"), "check", "defs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "All definitions loaded successfully" in result.stdout + result.stderr
