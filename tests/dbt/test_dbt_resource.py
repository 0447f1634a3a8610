"""The dbt resource skips two costs of dagster-dbt's ``cli()`` that the asset has no use
for (docs/performance.md, *A run's fixed cost*): the ``dbt --version`` subprocess and
the in-process adapter (a second parse of every macro)."""

from __future__ import annotations

from dagster_dbt import DbtCliResource
from dagster_dbt.core import resource as dagster_dbt_resource
from dbt.version import __version__ as dbt_core_version
from packaging.version import parse

from pipelines.defs import dbt as dbt_defs


def test_the_version_is_the_installed_dbt_core_s_without_a_subprocess(monkeypatch):
    def no_subprocess(*args, **kwargs):
        raise AssertionError("dbt --version was run")

    monkeypatch.setattr(dagster_dbt_resource, "check_output", no_subprocess)
    resource = dbt_defs.defs.resources["dbt"]
    assert isinstance(resource, DbtCliResource)
    # the executable dbt runs is this venv's (directly, or forked from the run's warm dbt
    # by the launcher: tests/dbt/test_dbt_warm.py), whose dbt-core is the one installed here
    assert resource.dbt_executable in {dbt_defs._DBT, str(dbt_defs._LAUNCHER)}
    assert resource._cli_version == parse(dbt_core_version)
    assert resource._cli_version.major < 2  # dbt Core, not Fusion: dagster-dbt's branch


def test_no_in_process_adapter_and_dagster_dbt_still_has_the_hooks_overridden():
    # If dagster-dbt renamed them, the overrides would silently stop saving anything.
    assert hasattr(DbtCliResource, "_initialize_dbt_core_adapter")
    assert isinstance(DbtCliResource.__dict__["_cli_version"], type(dbt_defs._DbtCli._cli_version))
    assert dbt_defs.defs.resources["dbt"]._initialize_dbt_core_adapter(["build"]) is None
