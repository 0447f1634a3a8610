"""A data home is created only by `init` or `demo`; run, ui, the schedule and doctor
refuse a missing or empty one; its partitions start at a setting that init writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli.main import app
from pipelines.config import Settings, first_partition_day, paths, settings
from pipelines.home import init_home, record_partitions_start
from pipelines.runner import BeforePartitionsStart, run_range


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CLOSEDLOOP_CONFIG", "CLOSEDLOOP_PARTITIONS_START", "CLOSEDLOOP_HOME"):
        monkeypatch.delenv(name, raising=False)


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("command", ["run", "ui"])
@pytest.mark.parametrize("exists", [False, True])
def test_run_and_ui_refuse_a_missing_or_empty_home_and_create_nothing(
    tmp_path: Path, command: str, exists: bool
) -> None:
    home = tmp_path / "typo"
    if exists:
        home.mkdir()
    args = ["--start", "2026-01-01", "--end", "2026-01-01"] if command == "run" else []
    result = _cli(command, *args, "--home", str(home))
    assert result.exit_code == 2, result.output
    assert str(home) in result.output and "closedloop init" in result.output
    assert (sorted(p.name for p in home.iterdir()) if home.exists() else None) == (
        [] if exists else None
    )


LABEL_STUDIO_EXPORT = (
    Path(__file__).parents[1] / "annotation" / "fixtures" / "labelstudio_export.json"
)


@pytest.mark.parametrize(
    "command",
    [["annotate", "import", str(LABEL_STUDIO_EXPORT)], ["pii", "accept-key", "--yes"]],
    ids=["annotate import", "pii accept-key"],
)
@pytest.mark.parametrize("exists", [False, True])
def test_commands_that_write_into_a_home_refuse_a_missing_or_empty_one(
    tmp_path: Path, command: list[str], exists: bool
) -> None:
    home = tmp_path / "typo"
    if exists:
        home.mkdir()
    result = _cli(*command, "--home", str(home))
    assert result.exit_code == 2, result.output
    assert str(home) in result.output and "closedloop init" in result.output
    assert (sorted(p.name for p in home.iterdir()) if home.exists() else None) == (
        [] if exists else None
    )


def test_a_team_made_home_with_landing_files_is_a_home(tmp_path: Path) -> None:
    (tmp_path / "landing" / "dt=2026-02-10").mkdir(parents=True)
    (tmp_path / "landing" / "dt=2026-02-10" / "chats.jsonl").write_text("")
    layout = paths(tmp_path)
    assert layout.is_initialized
    # no setting: partitions start at the first landed day, less the late-data lookback
    assert first_partition_day(Settings(landing_lookback_days=3), layout) == date(2026, 2, 7)


def test_init_creates_landing_and_a_settings_file_that_the_loader_reads(tmp_path: Path) -> None:
    home = tmp_path / "new"
    result = _cli("init", str(home), "--partitions-start", "2025-06-01")
    assert result.exit_code == 0, result.output
    layout = paths(home)
    assert layout.landing.is_dir() and layout.is_initialized
    text = layout.settings_file.read_text()
    assert "partitions_start: 2025-06-01" in text
    assert "# recontact_days: 7" in text  # every other setting shown at its default
    assert settings(home).partitions_start == "2025-06-01"
    assert settings(home).recontact_days == 7
    # a second init keeps the file (it may hold a team's edits)
    layout.settings_file.write_text(text.replace("# recontact_days: 7", "recontact_days: 5"))
    assert _cli("init", str(home)).exit_code == 0
    assert settings(home).recontact_days == 5


def test_init_starts_the_partitions_at_the_first_landed_day(tmp_path: Path) -> None:
    for day in ("2026-03-09", "2026-03-04"):
        (tmp_path / "landing" / f"dt={day}").mkdir(parents=True)
    assert _cli("init", str(tmp_path)).exit_code == 0
    lookback = Settings().landing_lookback_days
    expected = date(2026, 3, 4).toordinal() - lookback
    assert settings(tmp_path).partitions_start == date.fromordinal(expected).isoformat()


def test_backfilling_before_the_start_is_refused_until_the_setting_moves(tmp_path: Path) -> None:
    layout = paths(tmp_path)
    init_home(layout, date(2026, 3, 1))
    with pytest.raises(BeforePartitionsStart, match="partitions_start"):
        run_range(layout, date(2026, 2, 20), date(2026, 2, 21))
    record_partitions_start(layout, date(2026, 2, 1))
    assert first_partition_day(settings(tmp_path), layout) == date(2026, 2, 1)
    assert "# recontact_days" in layout.settings_file.read_text()  # the rest is kept


def test_the_code_location_partitions_start_at_the_setting(tmp_path: Path) -> None:
    from pipelines.definitions import build_definitions

    layout = paths(tmp_path)
    init_home(layout, date(2026, 3, 1))
    job = build_definitions(settings(tmp_path), tmp_path).resolve_job_def("nightly")
    keys = job.partitions_def.get_partition_keys()  # type: ignore[union-attr]
    assert keys[0] == "2026-03-01"
    record_partitions_start(layout, date(2026, 2, 1))  # an earlier backfill is a setting away
    job = build_definitions(settings(tmp_path), tmp_path).resolve_job_def("nightly")
    assert job.partitions_def.get_partition_keys()[0] == "2026-02-01"  # type: ignore[union-attr]


def test_doctor_fails_on_a_missing_home_and_passes_the_home_check_after_init(
    tmp_path: Path,
) -> None:
    from pipelines.doctor import run_checks

    home = tmp_path / "typo"
    assert _cli("doctor", "--home", str(home)).exit_code == 1
    check = next(c for c in run_checks(paths(home)) if c.name == "data home")
    assert check.status == "fail" and "closedloop init" in check.fix
    assert not home.exists()
    _cli("init", str(home))
    check = next(c for c in run_checks(paths(home)) if c.name == "data home")
    assert check.status == "ok"
