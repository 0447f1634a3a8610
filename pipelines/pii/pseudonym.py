"""Keyed, non-reversible pseudonyms for customer and agent ids, and the key itself.

The key is also guarded: the warehouse records a fingerprint of the key its
pseudonyms were made with, and a run with any other key (or with none, where a new
one would be generated) is refused, because every pseudonym would change and new
days would no longer join old ones.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.secrets import find_secret

if TYPE_CHECKING:
    import duckdb

    from pipelines.warehouse.fingerprint import RecordedFingerprint

# The warehouse's fingerprint functions are imported where they are used: importing
# pipelines.warehouse loads DuckDB and pandas (about a second), which `closedloop pii
# scrub` and everything else that only detects or pseudonymizes must not pay for.

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
    ``CLOSEDLOOP_PII_KEY_FILE`` (hex, or any text used as raw bytes); None when neither
    is set.

    Raises ``WeakKeyError`` below ``MIN_KEY_BYTES``: with a short key, one known id and
    its pseudonym are enough to recover the key by trying them all. A named key file
    that is missing or empty raises ``pipelines.secrets.SecretFileError``.
    """
    secret = find_secret(KEY_ENV)
    return None if secret is None else _parse_env_key(secret.value, secret.source)


def _parse_env_key(value: str, source: str) -> bytes:
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = value.encode("utf-8")
    check_key_strength(key, source)
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


# --- The key in use, and its fingerprint in the warehouse ---------------------------

FINGERPRINT_CONTEXT = b"closedloop-key-fingerprint"
FINGERPRINT_HEX_CHARS = 16  # 64 bits: two keys never share one by chance
ACCEPT_COMMAND = "closedloop pii accept-key"


def key_fingerprint(key: bytes) -> str:
    """``kf_`` + 16 hex chars of HMAC-SHA256(key, "closedloop-key-fingerprint").

    Tells two keys apart without revealing either: HMAC output gives nothing about the
    key away, and the key is at least ``MIN_KEY_BYTES`` random bytes, so it cannot be
    found by trying candidates against the fingerprint.
    """
    digest = hmac.new(key, FINGERPRINT_CONTEXT, hashlib.sha256).hexdigest()
    return "kf_" + digest[:FINGERPRINT_HEX_CHARS]


@dataclass(frozen=True)
class PiiKey:
    """The key in use and where it came from (for messages; the key is never printed)."""

    key: bytes = field(repr=False)
    source: str
    created: bool = False

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.key)


class PiiKeyChanged(RuntimeError):
    """The available PII key is not the one the warehouse's pseudonyms were made with."""


def configured_key(key_file: Path) -> PiiKey | None:
    """The key from ``CLOSEDLOOP_PII_KEY[_FILE]``, else from ``key_file`` if it exists;
    None when there is none. Never creates one: see :func:`create_key`."""
    secret = find_secret(KEY_ENV)
    if secret is not None:
        return PiiKey(_parse_env_key(secret.value, secret.source), secret.source)
    key_file = Path(key_file)
    if key_file.exists():
        return PiiKey(_read_key(key_file), str(key_file))
    return None


def create_key(key_file: Path) -> PiiKey:
    """A new random key in ``key_file`` (0600), or the one another process just made."""
    key, created = load_or_create_key(key_file)
    return PiiKey(key, str(key_file), created=created)


def verify_key(
    key: PiiKey | None,
    recorded: RecordedFingerprint | None,
    *,
    key_file: Path,
    holds_pseudonyms: bool,
) -> PiiKey:
    """``key`` if it may pseudonymize into this warehouse, else raise ``PiiKeyChanged``.

    Refused: a key whose fingerprint differs from the recorded one, and no key at all
    once the warehouse holds pseudonyms (recorded, or rows made before fingerprints
    were recorded), because generating a new one would silently change them all.
    """
    restore = (
        f"Nothing was written. To fix: restore {key_file} (or the key behind "
        f"${KEY_ENV} / ${KEY_ENV}_FILE) from its backup; or, to switch keys "
        f"deliberately, run `{ACCEPT_COMMAND}`."
    )
    consequence = (
        "every customer and agent pseudonym would change, so new days would no longer "
        "join earlier ones (returning customers, recontacts and resolution rates would move)"
    )
    if key is None and (recorded is not None or holds_pseudonyms):
        made_with = (
            f"the key with fingerprint {recorded.fingerprint} (from {recorded.key_source})"
            if recorded is not None
            else "an earlier key"
        )
        raise PiiKeyChanged(
            f"no PII key found: ${KEY_ENV} and ${KEY_ENV}_FILE are unset and {key_file} "
            f"does not exist, but the warehouse's pseudonyms were made with {made_with}. "
            f"A new key is not generated, because {consequence}. {restore}"
        )
    if key is None:
        raise ValueError("verify_key: no key and no pseudonyms yet; create one first")
    if recorded is not None and recorded.fingerprint != key.fingerprint:
        raise PiiKeyChanged(
            f"PII key changed: the key from {key.source} has fingerprint {key.fingerprint}, "
            f"but the warehouse's pseudonyms were made with the key with fingerprint "
            f"{recorded.fingerprint} (from {recorded.key_source}, recorded "
            f"{recorded.recorded_at:%Y-%m-%d %H:%M %Z}, {recorded.reason}). "
            f"With this key {consequence}. {restore}"
        )
    return key


def guarded_key(con: duckdb.DuckDBPyConnection, key_file: Path) -> PiiKey:
    """The key to pseudonymize into the warehouse behind ``con``: the configured key if
    its pseudonyms were made with it, a new key in ``key_file`` only for a warehouse
    without pseudonyms. Raises ``PiiKeyChanged`` otherwise, and ``SecretFileError`` /
    ``ValueError`` for a broken key setting. Call before writing anything."""
    from pipelines.warehouse.fingerprint import holds_pseudonyms, recorded_fingerprint

    key = configured_key(key_file)
    recorded = recorded_fingerprint(con)
    earlier = holds_pseudonyms(con)
    if key is None and recorded is None and not earlier:
        key = create_key(key_file)
    return verify_key(key, recorded, key_file=key_file, holds_pseudonyms=earlier)


def record_or_verify_fingerprint(con: duckdb.DuckDBPyConnection, key: PiiKey) -> None:
    """Inside the caller's write transaction: record ``key`` on first use, or raise
    ``PiiKeyChanged`` if another process recorded a different key since
    :func:`guarded_key` checked."""
    from pipelines.warehouse.fingerprint import record_fingerprint, recorded_fingerprint

    recorded = recorded_fingerprint(con)
    if recorded is None:
        record_fingerprint(con, key, "first use")
    elif recorded.fingerprint != key.fingerprint:
        raise PiiKeyChanged(
            f"the warehouse's PII key fingerprint changed to {recorded.fingerprint} (from "
            f"{recorded.key_source}) while this run used {key.fingerprint}; nothing was written"
        )
