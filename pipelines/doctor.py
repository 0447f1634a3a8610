"""Setup checks behind `closedloop doctor`: each says what is wrong and how to fix it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from typing import Literal

import duckdb

from pipelines.config import Paths, first_partition_day, settings
from pipelines.dbt_args import DBT_PROJECT_DIR
from pipelines.instance import INSTANCE_TEMPLATE, instance_yaml
from pipelines.monitoring.notify import WEBHOOK_ENV, InvalidWebhookUrl, notifier_from_env
from pipelines.pii import native
from pipelines.pii.pseudonym import ACCEPT_COMMAND, PiiKey, WeakKeyError, configured_key
from pipelines.secrets import SECRETS, InsecureSecretFile, read_secret
from pipelines.spark_session import read_spark_conf
from pipelines.warehouse.fingerprint import RecordedFingerprint, recorded_fingerprint

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


def run_checks(paths: Paths) -> list[Check]:
    if not paths.is_initialized:  # the other checks would only repeat that it is missing
        return [_check_home(paths), _check_settings(paths)]
    return [
        _check_home(paths),
        _check_settings(paths),
        *_check_directories(paths),
        _check_raw_permissions(paths),
        *_check_ingest_cache_permissions(paths),
        *_check_pii_key(paths),
        *_check_secret_files(),
        *_check_spark_conf(paths),
        _check_dbt_manifest(),
        _check_pii_engine(),
        _check_duckdb(paths),
        _check_dagster_instance(paths),
    ]


def _check_home(paths: Paths) -> Check:
    if not paths.is_initialized:
        return Check(
            "data home",
            "fail",
            f"{paths.home} does not exist or holds no landing/ folder and nothing from a run",
            f"fix CLOSEDLOOP_HOME / --home, or `closedloop init {paths.home}`",
        )
    return Check("data home", "ok", str(paths.home))


def _check_settings(paths: Paths) -> Check:
    try:
        loaded = settings(paths.home)
    except (ValueError, OSError) as error:
        return Check(
            "settings",
            "fail",
            str(error),
            f"fix the CLOSEDLOOP_* variables, $CLOSEDLOOP_CONFIG or {paths.settings_file}",
        )
    start = first_partition_day(loaded, paths)
    origin = "setting" if loaded.partitions_start else "derived from the landing folders"
    return Check("settings", "ok", f"{loaded!r}; partitions start {start} ({origin})")


def _check_directories(paths: Paths) -> list[Check]:
    checks = []
    for directory in (paths.home, paths.landing, paths.warehouse_dir, paths.exports, paths.reports):
        if not directory.exists():
            checks.append(
                Check(
                    f"dir {directory.name}",
                    "warn",
                    f"{directory} missing",
                    "`closedloop init` creates it",
                )
            )
        elif not os.access(directory, os.W_OK):
            checks.append(
                Check(
                    f"dir {directory.name}",
                    "fail",
                    f"{directory} not writable",
                    f"chown/chmod {directory}",
                )
            )
        else:
            checks.append(Check(f"dir {directory.name}", "ok", str(directory)))
    return checks


def _check_raw_permissions(paths: Paths) -> Check:
    if not paths.raw.exists():
        return Check("raw area", "warn", f"{paths.raw} missing", "created 0700 on the first run")
    mode = stat.S_IMODE(paths.raw.stat().st_mode)
    if mode != 0o700:
        return Check(
            "raw area",
            "fail",
            f"{paths.raw} is {oct(mode)}: unscrubbed data is exposed",
            f"chmod 700 {paths.raw}",
        )
    return Check("raw area", "ok", f"{paths.raw} is 0700")


def _check_ingest_cache_permissions(paths: Paths) -> list[Check]:
    """The judged-file cache holds unscrubbed records like raw/ (none until a run)."""
    if not paths.ingest_cache.exists():
        return []
    mode = stat.S_IMODE(paths.ingest_cache.stat().st_mode)
    if mode != 0o700:
        return [
            Check(
                "ingest cache",
                "fail",
                f"{paths.ingest_cache} is {oct(mode)}: unscrubbed data is exposed",
                f"chmod 700 {paths.ingest_cache} (or delete it: the next run rebuilds it)",
            )
        ]
    return [Check("ingest cache", "ok", f"{paths.ingest_cache} is 0700")]


RESTORE_KEY = (
    "restore the key (raw/pii.key or $CLOSEDLOOP_PII_KEY[_FILE]) from its backup, "
    "or unset a wrong $CLOSEDLOOP_PII_KEY_FILE"
)


def _check_pii_key(paths: Paths) -> list[Check]:
    """The key's source and strength, then whether it is the key the warehouse recorded."""
    try:
        key = configured_key(paths.pii_key_file)
    except InsecureSecretFile as error:
        return [Check("PII key", "fail", str(error), "chmod 600 the key file")]
    except WeakKeyError as error:
        return [Check("PII key", "fail", str(error), "set a key of 32 random bytes (hex)")]
    except OSError as error:  # a named key file that is missing, unreadable or empty
        return [Check("PII key", "fail", str(error), RESTORE_KEY)]
    except ValueError as error:  # the key file is not hex
        return [Check("PII key", "fail", str(error), "restore the key file from its backup")]
    recorded = _recorded_fingerprint(paths)
    if isinstance(recorded, Check):
        return [_key_check(paths, key), recorded]
    if key is None:
        if recorded is None:
            return [_key_check(paths, key)]
        return [
            Check(
                "PII key",
                "fail",
                f"no key, but the warehouse's pseudonyms were made with {recorded.fingerprint} "
                f"(from {recorded.key_source}); runs are refused",
                f"{RESTORE_KEY}; or deliberately `{ACCEPT_COMMAND}`",
            )
        ]
    checks = [_key_check(paths, key)]
    if recorded is None:
        return checks
    if recorded.fingerprint != key.fingerprint:
        checks.append(
            Check(
                "PII key fingerprint",
                "fail",
                f"the key from {key.source} is {key.fingerprint}, the warehouse's pseudonyms "
                f"were made with {recorded.fingerprint}; runs are refused",
                f"{RESTORE_KEY}; or deliberately `{ACCEPT_COMMAND}`",
            )
        )
    else:
        checks.append(
            Check("PII key fingerprint", "ok", f"{key.fingerprint} matches the warehouse")
        )
    return checks


def _key_check(paths: Paths, key: PiiKey | None) -> Check:
    """Where the key comes from; the key file must be owner-only."""
    if key is None:
        return Check(
            "PII key",
            "warn",
            "no key yet",
            "one is generated into the raw area on the first run; back it up",
        )
    if key.source != str(paths.pii_key_file):
        return Check("PII key", "ok", f"from {key.source}")
    mode = stat.S_IMODE(paths.pii_key_file.stat().st_mode)
    if mode & 0o077:
        return Check(
            "PII key",
            "fail",
            f"{paths.pii_key_file} is {oct(mode)}",
            f"chmod 600 {paths.pii_key_file}",
        )
    return Check("PII key", "ok", f"{paths.pii_key_file} (0600)")


def _recorded_fingerprint(paths: Paths) -> RecordedFingerprint | Check | None:
    """The warehouse's key fingerprint, None without one, or a warn when unreadable."""
    if not paths.warehouse.exists():
        return None
    try:
        with duckdb.connect(str(paths.warehouse), read_only=True) as con:
            return recorded_fingerprint(con)
    except duckdb.Error as error:  # e.g. locked by a running pipeline
        return Check(
            "PII key fingerprint",
            "warn",
            f"cannot read {paths.warehouse}: {error}",
            "run doctor again when no run is in progress",
        )


def _check_secret_files() -> list[Check]:
    checks = []
    for name, purpose in SECRETS.items():
        if name == "CLOSEDLOOP_PII_KEY":
            continue
        try:
            present = read_secret(name) is not None
        except InsecureSecretFile as error:
            checks.append(Check(name, "fail", str(error), "store secrets owner-only (chmod 600)"))
            continue
        except OSError as error:  # a named _FILE that is missing, unreadable or empty
            checks.append(Check(name, "fail", str(error), f"fix or unset {name}_FILE"))
            continue
        checks.append(Check(name, "ok", "set" if present else f"not set ({purpose}; optional)"))
    checks.append(_check_webhook_url())
    return checks


def _check_webhook_url() -> Check:
    """The alert webhook's form (https, or http to localhost when allowed); never printed."""
    try:
        allow_http = settings().alert_webhook_allow_http_localhost
    except (ValueError, OSError):
        allow_http = False  # the settings check reports the error
    try:
        notifier_from_env(allow_http_localhost=allow_http)
    except InvalidWebhookUrl as error:
        return Check("alert webhook URL", "fail", str(error), f"fix {WEBHOOK_ENV}")
    except OSError as error:  # its _FILE; reported by the secret check above
        return Check("alert webhook URL", "warn", str(error), f"fix {WEBHOOK_ENV}_FILE")
    return Check("alert webhook URL", "ok", "valid or not set")


def _check_spark_conf(paths: Paths) -> list[Check]:
    """The spark_conf file, when set: readable, every line a Spark property, and owner-only
    (it may hold object-storage keys). Its values are never printed."""
    try:
        conf_file = settings(paths.home).spark_conf
    except (ValueError, OSError):
        return []  # the settings check reports it
    if not conf_file:
        return []
    fix = f"fix the file {conf_file} or the spark_conf setting (docs/scale-out.md)"
    try:
        count = len(read_spark_conf(conf_file))
    except InsecureSecretFile as error:  # it may hold keys: a Spark stage refuses it too
        return [Check("spark_conf", "fail", str(error), f"chmod 600 {conf_file}")]
    except (ValueError, OSError) as error:
        return [Check("spark_conf", "fail", str(error), fix)]
    return [Check("spark_conf", "ok", f"{count} Spark properties (values not shown)")]


def _check_dbt_manifest() -> Check:
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    if not manifest.exists():
        return Check("dbt manifest", "fail", f"{manifest} missing", "closedloop dbt-prepare")
    sources = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in ("models", "macros", "tests"):
        sources.extend(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    newest = max((p for p in sources if p.exists()), key=lambda p: p.stat().st_mtime)
    if newest.stat().st_mtime > manifest.stat().st_mtime:
        return Check(
            "dbt manifest",
            "fail",
            f"stale: {newest.relative_to(DBT_PROJECT_DIR)} is newer",
            "closedloop dbt-prepare",
        )
    return Check("dbt manifest", "ok", str(manifest))


def _check_pii_engine() -> Check:
    """The compiled PII engine is a speed-up, never a requirement: a warning at most."""
    state = native.status()
    if state == "on":
        return Check("PII engine", "ok", "compiled (mypyc), current with its sources")
    if state.endswith(f"{native.SWITCH}=0"):
        return Check("PII engine", "ok", f"pure Python ({native.SWITCH}=0)")
    return Check(
        "PII engine",
        "warn",
        f"pure Python, about 30% more CPU per message; compiled build {state.removeprefix('off: ')}",
        "python -m pipelines.pii.native_build (needs a C compiler)",
    )


def _check_duckdb(paths: Paths) -> Check:
    version = duckdb.__version__
    cli = shutil.which("duckdb")
    if cli:
        out = subprocess.run([cli, "--version"], capture_output=True, text=True, check=False).stdout
        cli_version = out.split()[0].lstrip("v") if out else "?"
        if cli_version != version:
            return Check(
                "duckdb",
                "warn",
                f"python duckdb {version}, CLI {cli_version}",
                "use a CLI of the same version to open the files (older CLIs cannot read newer files)",
            )
    target = paths.analytics if paths.analytics.exists() else None
    if target:
        try:
            duckdb.connect(str(target), read_only=True).close()
        except duckdb.Error as error:
            return Check(
                "duckdb",
                "fail",
                f"cannot open {target}: {error}",
                "re-run the pipeline to republish",
            )
    return Check("duckdb", "ok", f"python duckdb {version}" + (f", CLI at {cli}" if cli else ""))


def _check_dagster_instance(paths: Paths) -> Check:
    installed = paths.dagster_home / "dagster.yaml"
    if not installed.exists():
        return Check(
            "dagster instance",
            "warn",
            f"{installed} missing",
            "installed by any closedloop run/ui command",
        )
    if installed.read_text() != instance_yaml(paths):
        return Check(
            "dagster instance",
            "warn",
            f"{installed} differs from {INSTANCE_TEMPLATE.name}",
            "re-installed by the next run/ui command",
        )
    return Check("dagster instance", "ok", str(installed))
