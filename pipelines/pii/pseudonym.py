"""Keyed, non-reversible pseudonyms for customer and agent ids, and the key itself."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "CLOSEDLOOP_PII_KEY"
KEY_BYTES = 32
MIN_KEY_BYTES = 16
PSEUDONYM_PREFIX = "c_"
PSEUDONYM_HEX_CHARS = 20  # 80 bits: collisions are negligible at billions of ids


def pseudonymize(value: str | None, key: bytes) -> str | None:
    """``c_`` + the first 20 hex chars of HMAC-SHA256(key, value); ``None`` stays ``None``.

    Without the key the pseudonym cannot be reversed or recomputed by brute force over
    a known id space, unlike a plain hash; with the same key it is stable across runs,
    so recontacts by the same customer still join.
    """
    if value is None:
        return None
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX_CHARS]


def load_or_create_key(key_file: Path) -> tuple[bytes, bool]:
    """Read the key from ``key_file``, creating a random 0600 one if absent.

    Returns ``(key, created)`` so the caller can say once that a new key was made (and
    that pseudonyms will differ from any made with an earlier key). The file holds the
    key as hex; it is created with O_EXCL so two processes never overwrite each other.
    """
    key_file = Path(key_file)
    try:
        return _read_key(key_file), False
    except FileNotFoundError:
        pass
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return _read_key(key_file), False
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex())
    os.chmod(key_file, 0o600)  # the mode passed to open() is filtered by the umask
    return key, True


class WeakKeyError(ValueError):
    """A configured PII key too short to resist brute force."""


def key_from_env() -> bytes | None:
    """The key from ``CLOSEDLOOP_PII_KEY`` or the owner-only file named by
    ``CLOSEDLOOP_PII_KEY_FILE`` (hex, or any text used as raw bytes).

    Raises ``WeakKeyError`` below ``MIN_KEY_BYTES``: with a short key, one known id and
    its pseudonym are enough to recover the key by trying them all.
    """
    from pipelines.secrets import read_secret

    value = read_secret(KEY_ENV)
    if not value:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = value.encode("utf-8")
    check_key_strength(key, KEY_ENV)
    return key


def check_key_strength(key: bytes, origin: str) -> None:
    """Refuse keys shorter than ``MIN_KEY_BYTES``, saying where the key came from."""
    if len(key) < MIN_KEY_BYTES:
        raise WeakKeyError(
            f"{origin}: PII key is too short ({len(key)} bytes, need >= {MIN_KEY_BYTES}); "
            "generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
        )


def _read_key(key_file: Path) -> bytes:
    text = key_file.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise ValueError(f"{key_file}: PII key file must contain hex") from exc
    check_key_strength(key, str(key_file))
    return key
