"""Secrets come only from the environment or from owner-only files, and are never logged.

For each secret ``NAME`` the value is ``$NAME``, else the contents of the file named by
``$NAME_FILE``; such a file must not be readable by group or others.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SECRETS = {
    "CLOSEDLOOP_PII_KEY": "HMAC key that pseudonymizes customer and agent ids",
    "CLOSEDLOOP_ALERT_WEBHOOK": "Slack-compatible webhook URL for metric alerts",
    "CLOSEDLOOP_LLM_API_KEY": "API key of the LLM that drafts FAQ entries",
}


class InsecureSecretFile(PermissionError):
    pass


def check_owner_only(path: Path) -> None:
    """Refuse a secret file that group or others can read or write."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InsecureSecretFile(
            f"{path} has permissions {oct(mode)}; secrets must be owner-only: chmod 600 {path}"
        )


def read_secret(name: str) -> str | None:
    """The secret ``name`` from the environment or its ``_FILE``; None when unset."""
    value = os.environ.get(name)
    if value:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if not file_name:
        return None
    path = Path(file_name)
    check_owner_only(path)
    return path.read_text().strip() or None
