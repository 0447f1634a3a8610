import stat
from pathlib import Path

import pytest

from pipelines.config import paths, settings


def test_every_path_derives_from_the_home(tmp_path: Path) -> None:
    layout = paths(tmp_path / "home")
    for path in (
        layout.landing,
        layout.raw,
        layout.warehouse,
        layout.analytics,
        layout.exports,
        layout.reports,
    ):
        assert path.is_relative_to(tmp_path / "home")


def test_home_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOSEDLOOP_HOME", str(tmp_path))
    assert paths().home == tmp_path.resolve()


def test_raw_area_is_created_owner_only_even_with_a_permissive_umask(tmp_path: Path) -> None:
    import os

    old = os.umask(0o000)
    try:
        layout = paths(tmp_path).ensure()
    finally:
        os.umask(old)
    assert stat.S_IMODE(layout.raw.stat().st_mode) == 0o700
    assert stat.S_IMODE(layout.landing.stat().st_mode) == 0o700


def test_settings_precedence_env_over_yaml_over_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "closedloop.yaml"
    config.write_text("recontact_days: 5\nmin_n: 50\n")
    monkeypatch.setenv("CLOSEDLOOP_CONFIG", str(config))
    monkeypatch.setenv("CLOSEDLOOP_MIN_N", "40")
    loaded = settings()
    assert loaded.recontact_days == 5
    assert loaded.min_n == 40
    assert loaded.quarantine_threshold == 0.05


def test_unknown_setting_in_yaml_is_an_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "closedloop.yaml"
    config.write_text("recontact_dayz: 5\n")
    monkeypatch.setenv("CLOSEDLOOP_CONFIG", str(config))
    with pytest.raises(ValueError, match="recontact_dayz"):
        settings()


def test_engine_comes_from_the_environment_and_an_unknown_one_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLOSEDLOOP_CONFIG", raising=False)
    monkeypatch.setenv("CLOSEDLOOP_HOME", str(tmp_path))
    assert settings().engine == "duckdb"
    monkeypatch.setenv("CLOSEDLOOP_ENGINE", "spark")
    assert settings().engine == "spark"
    monkeypatch.setenv("CLOSEDLOOP_ENGINE", "snowflake")
    with pytest.raises(ValueError, match="engine='snowflake' is not one of duckdb, spark"):
        settings()


def test_the_layout_is_owner_only_but_the_snapshot_stays_reachable(tmp_path: Path) -> None:
    """issue 12 #6: Dagster's storage, exports and reports can hold error text."""
    import os

    old = os.umask(0o000)
    try:
        layout = paths(tmp_path).ensure()
        layout.warehouse.write_bytes(b"")  # as DuckDB creates it under a permissive umask
        layout.ensure()
    finally:
        os.umask(old)
    for folder in (layout.dagster_home, layout.exports, layout.reports, layout.raw):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    # analysts open warehouse/analytics.duckdb by name; they cannot list the folder or
    # read the pipeline's own file
    assert stat.S_IMODE(layout.warehouse_dir.stat().st_mode) == 0o711
    assert stat.S_IMODE(layout.warehouse.stat().st_mode) == 0o600


def test_every_command_creates_owner_only_files(tmp_path: Path) -> None:
    """The CLI sets an owner-only umask for itself and what it starts (dbt, `dg dev`)."""
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    command = [str(Path(sys.executable).with_name("closedloop")), "generate", "--home", str(home)]
    result = subprocess.run(
        [*command, "--start", "2025-03-01", "--end", "2025-03-01", "--per-day", "2"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CLOSEDLOOP_HOME": str(home)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    files = [p for p in home.rglob("*") if p.is_file()]
    assert files
    assert [p for p in files if stat.S_IMODE(p.stat().st_mode) & 0o077] == []
