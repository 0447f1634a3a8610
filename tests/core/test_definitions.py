"""The code location loads, and the concurrency and backfill rules hold for every asset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import dagster as dg
import pytest

from pipelines.config import paths
from pipelines.defs.partitions import WAREHOUSE_POOL, daily_partitions_from
from pipelines.home import init_home

START = date(2026, 1, 1)


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dg.RepositoryDefinition]:
    from pipelines.definitions import defs

    home = paths(tmp_path_factory.mktemp("home"))
    init_home(home, START)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CLOSEDLOOP_HOME", str(home.home))
        env.delenv("CLOSEDLOOP_CONFIG", raising=False)
        env.delenv("CLOSEDLOOP_PARTITIONS_START", raising=False)
        yield defs().get_repository_def()  # the code location as `dg` loads it


def _asset_defs(repository: dg.RepositoryDefinition) -> list[dg.AssetsDefinition]:
    return list(repository.assets_defs_by_key.values())


def test_every_partitioned_asset_backfills_as_one_run(repository: dg.RepositoryDefinition) -> None:
    # The partitions start at the home's partitions_start, for every asset, every check
    # and the nightly job alike.
    expected = daily_partitions_from(START)
    for assets in _asset_defs(repository):
        if assets.partitions_def is not None:
            assert assets.partitions_def == expected, assets.keys
            assert assets.backfill_policy == dg.BackfillPolicy.single_run(), assets.keys
        for check in assets.check_specs:
            assert check.partitions_def in (None, expected), check.key
    assert repository.get_job("nightly").partitions_def == expected


def test_a_ui_backfill_shows_one_policy_and_partitions_for_every_asset(
    repository: dg.RepositoryDefinition,
) -> None:
    # An unpartitioned asset in a date-range backfill makes the UI dialog warn about
    # "varying backfill policies" and list it as "No partitions available to materialize".
    by_name = {key.to_user_string(): a for key, a in repository.assets_defs_by_key.items()}
    unpartitioned = sorted(name for name, a in by_name.items() if a.partitions_def is None)
    assert unpartitioned == []


def test_the_main_chain_is_wired_in_order(repository: dg.RepositoryDefinition) -> None:
    graph = repository.asset_graph
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for expected in (
        "raw_transcripts",
        "scrubbed/events",
        "fct_conversations",
        "mart_resolution_daily",
        "publish",
    ):
        assert expected in keys
    assert (
        dg.AssetKey(["scrubbed", "events"])
        in graph.get(dg.AssetKey(["staging", "stg_events"])).parent_keys
    )
    assert (
        dg.AssetKey(["scrubbed", "conversations"])
        in graph.get(dg.AssetKey(["staging", "stg_conversations"])).parent_keys
    )
    assert (
        dg.AssetKey("raw_transcripts") in graph.get(dg.AssetKey(["scrubbed", "events"])).parent_keys
    )
    publish_parents = graph.get(dg.AssetKey("publish")).parent_keys
    assert dg.AssetKey("mart_resolution_daily") in publish_parents


def test_every_warehouse_writer_is_in_the_single_writer_pool(
    repository: dg.RepositoryDefinition,
) -> None:
    for assets in _asset_defs(repository):
        node = assets.node_def
        pools = getattr(node, "pools", None) or {getattr(node, "pool", None)}
        assert WAREHOUSE_POOL in pools, (
            f"{[k.to_user_string() for k in assets.keys]} is outside the warehouse pool"
        )


def test_the_nightly_schedule_covers_yesterday_and_the_landing_lookback(
    repository: dg.RepositoryDefinition,
) -> None:
    from datetime import datetime

    schedule = repository.get_schedule_def("nightly_schedule")
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 5, 10, 2, 0, tzinfo=UTC), repository_def=repository
    )
    request = schedule.evaluate_tick(context).run_requests[0]
    assert request.tags["dagster/asset_partition_range_start"] == "2026-05-06"
    assert request.tags["dagster/asset_partition_range_end"] == "2026-05-09"


def test_yesterday_is_taken_in_the_business_timezone() -> None:
    from datetime import datetime

    from pipelines.config import Settings
    from pipelines.defs.schedules import nightly_window

    los_angeles = Settings(business_timezone="America/Los_Angeles", landing_lookback_days=0)
    # 02:00 UTC on May 10 is still May 9 in Los Angeles, so "yesterday" is May 8.
    assert nightly_window(datetime(2026, 5, 10, 2, 0, tzinfo=UTC), los_angeles) == (
        datetime(2026, 5, 8).date(),
        datetime(2026, 5, 8).date(),
    )


def _nightly_tick(settings, home, first_day: date, at: datetime):
    from pipelines.defs.schedules import build_schedules

    nightly = build_schedules(settings, home, first_day)[0]
    return nightly.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=at))


def test_the_nightly_schedule_skips_a_home_that_does_not_exist(tmp_path) -> None:
    from pipelines.config import Settings

    missing = paths(tmp_path / "typo")
    tick = _nightly_tick(Settings(), missing, START, datetime(2026, 5, 10, 2, tzinfo=UTC))
    assert tick.run_requests == [] and str(missing.home) in (tick.skip_message or "")
    assert not missing.home.exists()  # the schedule never creates a home


def test_the_nightly_window_starts_no_earlier_than_the_partitions(tmp_path) -> None:
    from pipelines.config import Settings

    home = paths(tmp_path)
    init_home(home, date(2026, 5, 8))
    tick = _nightly_tick(Settings(), home, date(2026, 5, 8), datetime(2026, 5, 10, 2, tzinfo=UTC))
    assert tick.run_requests[0].tags["dagster/asset_partition_range_start"] == "2026-05-08"
    early = _nightly_tick(Settings(), home, date(2026, 5, 20), datetime(2026, 5, 10, 2, tzinfo=UTC))
    assert early.run_requests == [] and "partitions_start" in (early.skip_message or "")


def test_every_asset_has_a_stage_group_and_a_description(
    repository: dg.RepositoryDefinition,
) -> None:
    stages = {
        "ingest",
        "pii",
        "judge",
        "marts",
        "annotation",
        "knowledge",
        "monitoring",
        "publish",
    }
    graph = repository.asset_graph
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.group_name in stages, (key.to_user_string(), node.group_name)
        assert (node.description or "").strip(), key.to_user_string()
    assert graph.get(dg.AssetKey(["scrubbed", "events"])).group_name == "pii"
    assert graph.get(dg.AssetKey("mart_resolution_daily")).group_name == "marts"
