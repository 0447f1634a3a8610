"""Secrets come only from the environment or from owner-only files, and are never logged.

For each secret ``NAME`` the value is ``$NAME``, else the contents of the file named by
``$NAME_FILE``; such a file must not be readable by group or others. A ``_FILE`` that
is named but missing, unreadable or empty is an error, never "unset": silently falling
back would, for the PII key, mint a new key and change every pseudonym.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

SECRETS = {
    "CLOSEDLOOP_PII_KEY": "HMAC key that pseudonymizes customer and agent ids",
    "CLOSEDLOOP_ALERT_WEBHOOK": "Slack-compatible webhook URL for metric alerts",
}


class InsecureSecretFile(PermissionError):
    pass


class SecretFileError(OSError):
    """A ``NAME_FILE`` secret that names a missing, unreadable or empty file."""


@dataclass(frozen=True)
class Secret:
    """A secret's value and where it came from (``$NAME`` or ``$NAME_FILE (path)``)."""

    value: str = field(repr=False)  # never printed by accident
    source: str


def check_owner_only(path: Path) -> None:
    """Refuse a secret file that group or others can read or write."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InsecureSecretFile(
            f"{path} has permissions {oct(mode)}; secrets must be owner-only: chmod 600 {path}"
        )


def find_secret(name: str) -> Secret | None:
    """The secret ``name`` from the environment or its ``_FILE``; None when neither is set.

    Raises ``SecretFileError`` when ``$NAME_FILE`` is set but its file is missing,
    unreadable or empty, and ``InsecureSecretFile`` when others may read it.
    """
    value = os.environ.get(name)
    if value:
        return Secret(value, f"${name}")
    file_name = os.environ.get(f"{name}_FILE")
    if not file_name:
        return None
    path = Path(file_name)
    source = f"${name}_FILE ({path})"
    unset_hint = f"fix the path, or unset {name}_FILE if {name} should not be configured"
    try:
        check_owner_only(path)
        text = path.read_text().strip()
    except InsecureSecretFile:
        raise
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise SecretFileError(f"{source}: cannot read the secret: {reason}; {unset_hint}") from None
    if not text:
        raise SecretFileError(f"{source}: the secret file is empty; {unset_hint}")
    return Secret(text, source)


def read_secret(name: str) -> str | None:
    """The value of :func:`find_secret`; None when unset."""
    secret = find_secret(name)
    return secret.value if secret else None
