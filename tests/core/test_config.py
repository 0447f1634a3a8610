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
