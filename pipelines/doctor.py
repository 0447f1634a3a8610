"""Setup checks behind `closedloop doctor`: each says what is wrong and how to fix it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from typing import Literal

import duckdb

from pipelines.config import Paths, settings
from pipelines.dbt_args import DBT_PROJECT_DIR
from pipelines.instance import INSTANCE_TEMPLATE
from pipelines.pii.pseudonym import WeakKeyError, key_from_env, load_or_create_key
from pipelines.secrets import SECRETS, InsecureSecretFile, read_secret

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


def run_checks(paths: Paths) -> list[Check]:
    return [
        _check_settings(),
        *_check_directories(paths),
        _check_raw_permissions(paths),
        _check_pii_key(paths),
        *_check_secret_files(),
        _check_dbt_manifest(),
        _check_duckdb(paths),
        _check_dagster_instance(paths),
    ]


def _check_settings() -> Check:
    try:
        return Check("settings", "ok", repr(settings()))
    except (ValueError, OSError) as error:
        return Check(
            "settings", "fail", str(error), "fix the CLOSEDLOOP_* variables or $CLOSEDLOOP_CONFIG"
        )


def _check_directories(paths: Paths) -> list[Check]:
    checks = []
    for directory in (paths.home, paths.landing, paths.warehouse_dir, paths.exports, paths.reports):
        if not directory.exists():
            checks.append(
                Check(
                    f"dir {directory.name}",
                    "warn",
                    f"{directory} missing",
                    "run `closedloop demo` or create it",
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


def _check_pii_key(paths: Paths) -> Check:
    try:
        if read_secret("CLOSEDLOOP_PII_KEY"):
            key_from_env()
            return Check("PII key", "ok", "from the environment")
    except InsecureSecretFile as error:
        return Check("PII key", "fail", str(error), "chmod 600 the key file")
    except WeakKeyError as error:
        return Check("PII key", "fail", str(error), "set a key of 32 random bytes (hex)")
    key_file = paths.pii_key_file
    if not key_file.exists():
        return Check(
            "PII key",
            "warn",
            "no key yet",
            "one is generated into the raw area on the first run; back it up",
        )
    mode = stat.S_IMODE(key_file.stat().st_mode)
    if mode & 0o077:
        return Check("PII key", "fail", f"{key_file} is {oct(mode)}", f"chmod 600 {key_file}")
    try:
        load_or_create_key(key_file)
    except ValueError as error:  # not hex, or too short
        return Check("PII key", "fail", str(error), "restore the key file from its backup")
    return Check("PII key", "ok", f"{key_file} (0600)")


def _check_secret_files() -> list[Check]:
    checks = []
    for name, purpose in SECRETS.items():
        if name == "CLOSEDLOOP_PII_KEY":
            continue
        try:
            present = read_secret(name) is not None
        except (InsecureSecretFile, OSError) as error:
            checks.append(Check(name, "fail", str(error), "store secrets owner-only (chmod 600)"))
            continue
        checks.append(Check(name, "ok", "set" if present else f"not set ({purpose}; optional)"))
    return checks


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
    if installed.read_bytes() != INSTANCE_TEMPLATE.read_bytes():
        return Check(
            "dagster instance",
            "warn",
            f"{installed} differs from {INSTANCE_TEMPLATE.name}",
            "re-installed by the next run/ui command",
        )
    return Check("dagster instance", "ok", str(installed))
