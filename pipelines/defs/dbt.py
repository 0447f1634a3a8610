"""dbt models as Dagster assets, built for the run's partition window."""

import contextlib
import functools
import io
import json
import sys
from collections.abc import Iterator, Mapping
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from pydantic import PrivateAttr

from pipelines.dbt_args import (
    DBT_PROJECT_DIR,
    dbt_build_args,
    dbt_window,
    failed_nodes,
    failed_row_checks,
    model_columns,
    oldest_provisional_day,
    run_target_dir,
    save_parse_state,
)
from pipelines.dbt_warm import LAUNCHER, WarmDbt
from pipelines.defs.partitions import (
    DAILY_WAREHOUSE_WRITER,
    partition_days,
)
from pipelines.defs.preload import import_later_modules_in_background
from pipelines.defs.resources import WarehouseResource
from pipelines.warehouse.io import write_dbt_window
from pipelines.warehouse.journal import dbt_write_scope, record_dbt_writes
from pipelines.warehouse.spark import export_sources, import_marts

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# The manifest is prepared by `closedloop dbt-prepare`, which every make target runs
# when a model changed. Loading code never re-parses (not even under `dg dev`,
# as prepare_if_dev() would): a parse rewrites target/ while another process's run
# may be reading the manifest and partial-parse state from it.

if not dbt_project.manifest_path.exists():
    raise FileNotFoundError(
        f"dbt manifest missing at {dbt_project.manifest_path}; run `closedloop dbt-prepare` "
        "(or `make demo` / `make test`, which do it)"
    )


_DBT = str(Path(sys.executable).with_name("dbt"))
# The warm dbt's launcher (pipelines/dbt_warm.py), a console script of this package: a
# venv installed before it existed runs the venv's dbt directly, as before.
_LAUNCHER = Path(sys.executable).with_name(LAUNCHER)


class _DbtCli(DbtCliResource):
    """dagster-dbt's resource without two costs it pays per ``cli()`` call that this
    asset has no use for (docs/performance.md, *A run's fixed cost*):

    - ``dbt --version`` in a subprocess (dbt's imports: ~2.5 CPU s) to learn the
      executable's version: the executable is this venv's ``dbt``, so the version is
      the installed dbt-core's;
    - an in-process dbt adapter, for which dagster-dbt parses every macro of the project
      again: only ``fetch_row_counts`` / ``fetch_column_metadata`` use it, which this
      asset does not call.

    dbt itself runs with the same arguments and events. With the launcher as the
    executable, each run starts one warm dbt process when it starts (the resource's
    setup) and every invocation is a fork of it (``pipelines.dbt_warm``): dbt's imports
    once per run, beside the first steps, instead of ~3 CPU s at the start of each dbt
    step."""

    _warm: WarmDbt | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        super().setup_for_execution(context)
        if Path(self.dbt_executable).name == LAUNCHER:
            self._warm = WarmDbt.start()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._warm is not None:
            self._warm.stop()
            self._warm = None

    def cli(self, args: Any, *, target_path: Path | None = None, **kwargs: Any) -> Any:  # type: ignore[override]
        if self._warm is not None and target_path is not None:
            self._warm.announce(target_path)
        return super().cli(args, target_path=target_path, **kwargs)

    @cached_property
    def _cli_version(self) -> Any:
        from packaging.version import parse

        return parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Any) -> Any:
        return None  # read only by the two fetch_ methods above


@functools.cache
def _write_scope() -> tuple[dict[str, str], set[str]]:
    """The manifest's models that rewrite only the window, and the tables dbt never
    writes (pipelines/warehouse/journal.py dbt_write_scope)."""
    return dbt_write_scope(json.loads(dbt_project.manifest_path.read_text()))


class _Translator(DagsterDbtTranslator):
    """Every dbt model in the "marts" group: staging -> intermediate -> marts is one
    stage of the architecture (the lineage view shows the layers inside it)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "marts"


# dbt's tests on the scrubbed sources become asset checks of the scrub step's tables
# (by default dagster-dbt only logs them as observations).
_translator = _Translator(settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=_translator,
    project=dbt_project,
    **DAILY_WAREHOUSE_WRITER,
)
def closedloop_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[object]:
    """Staging, the resolution ladder and the metric marts for the partition window."""
    settings = warehouse.loaded_settings
    # engine spark: dbt builds on Spark from a Parquet export of the warehouse's input
    # tables, and the marts come back into the warehouse below (docs/scale-out.md).
    spark_dir = warehouse.paths.spark if settings.engine == "spark" else None
    days = partition_days(context)
    # Closed before dbt starts: dbt opens the warehouse in its own process.
    with warehouse.connect() as con:
        provisional_since = oldest_provisional_day(con)
        # dbt reads the window here, not from --vars: same vars every run, so dbt
        # keeps the home's parse (save_parse_state) instead of parsing it all again.
        # On Spark too: the table is exported with the sources.
        window = dbt_window(days, settings.recontact_days, provisional_since)
        write_dbt_window(con, *window)
        # before dbt writes: what the publish must read again (warehouse/journal.py)
        record_dbt_writes(con, window[0], *_write_scope())
        if spark_dir is not None:
            exported = export_sources(con, spark_dir)
            context.log.info(f"sources exported for Spark (rows rewritten): {exported}")
    args = dbt_build_args(
        days,
        settings.recontact_days,
        settings.min_n,
        settings.landing_lookback_days,
        provisional_since,
        # dbt runs in a subprocess whose cwd is the project dir: the path must be absolute.
        warehouse=warehouse.paths.warehouse,
        judge=settings.judge,
        spark_dir=spark_dir,
        window_in_warehouse=True,
        memory_budget_mb=settings.memory_budget_mb,
    )
    if provisional_since is not None:
        context.log.info(f"oldest provisional day: {provisional_since}; the rebuild reaches it")
    # Target and logs under the data home (owner-only), never in the repo.
    target = run_target_dir(warehouse.paths.dbt_runs, context.run_id)
    invocation = dbt.cli(args, context=context, target_path=target, raise_on_error=False)
    # While dbt works in its own process, this one only reads dbt's events: import the
    # libraries and GX suites of the steps that follow now, on a thread
    # (pipelines/defs/preload.py).
    import_later_modules_in_background()
    # dagster-dbt echoes every dbt message to stdout (the terminal of `closedloop run`
    # and the compute logs), and its error message repeats dbt's errors: those quote
    # DuckDB's error text, which can quote row values. They stay in the run's dbt.log;
    # the step reports which nodes failed. Collected, not streamed, so the redirect
    # never spans a yield.
    with contextlib.redirect_stdout(io.StringIO()):
        events = list(invocation.stream())
    save_parse_state(warehouse.paths.dbt_runs, target)
    if spark_dir is not None and invocation.is_successful():
        if not any(isinstance(event, dg.Output) for event in events):
            # dagster-dbt reads dbt's events from stdout merged with stderr, where Spark
            # writes; events it cannot parse are lost, and Dagster would skip the marts
            # yet call the run a success (seen with Spark's progress bar, now off in
            # the profile). Fail loudly instead.
            raise dg.Failure(
                description=(
                    "engine spark: dbt built on Spark but reported no model results to "
                    f"Dagster; see {target / 'run_results.json'} and docs/scale-out.md"
                )
            )
        # before the materializations are reported, so the checks read Spark's marts
        manifest = target / "manifest.json"
        declared = model_columns(manifest if manifest.exists() else dbt_project.manifest_path)
        with warehouse.connect() as con:
            imported = import_marts(con, spark_dir, declared)
        context.log.info(f"marts copied back from Spark: {imported}")
    yield from events
    if not invocation.is_successful():
        nodes = []
        if (target / "run_results.json").exists():
            run_results = invocation.get_artifact("run_results.json")
            checks = {}
            if spark_dir is None:  # which checks of a consolidated test failed
                with warehouse.connect() as con:
                    checks = failed_row_checks(con, run_results)
            nodes = failed_nodes(run_results, checks)
        raise dg.Failure(
            description=(
                f"dbt build failed (exit code {invocation.process.returncode}): "
                + ("; ".join(nodes[:20]) or "no node result recorded")
                + f". dbt's own messages can quote warehouse values, so they are only in "
                f"{target / 'dbt.log'} (owner-only)."
            ),
            metadata={
                "failed_nodes": len(nodes),
                "dbt_log": dg.MetadataValue.path(str(target / "dbt.log")),
            },
        )


defs = dg.Definitions(
    assets=[closedloop_dbt_models],
    # The venv's dbt, not whatever `dbt` is first on PATH (or none, when the
    # venv is not activated).
    resources={
        "dbt": _DbtCli(
            project_dir=dbt_project,
            dbt_executable=str(_LAUNCHER) if _LAUNCHER.exists() else _DBT,
        )
    },
)
