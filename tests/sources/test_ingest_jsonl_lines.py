"""The JSONL reader's batches hold exactly the file's lines, whatever the batch size.

``jsonl._line_batches`` reads the file into one reused buffer and lets Arrow split the
lines out of it; ``jsonl._lines`` (the Python path's reader) reads a line at a time. Both
must give the same records: the same line numbers, the same text (CR, BOM only at the
start, blank lines skipped, invalid UTF-8 rejected), also for lines longer than a batch,
a missing final LF and gzip, and batches kept after the next one is read must not change
(the buffer is reused: a batch must not point into it).
"""

from __future__ import annotations

import codecs
import gzip
import random

import pytest

from pipelines.sources import jsonl
from pipelines.sources.landing import open_landing_file


def _expected(path) -> tuple[list[tuple[int, str]], list[int]]:
    """(line number, text) of every record and the numbers of invalid UTF-8 lines."""
    lines, invalid = [], []
    with open_landing_file(path) as file:
        for number, raw in enumerate(jsonl._lines(file), start=1):
            raw = raw.removesuffix(b"\n")
            if not raw.strip():
                continue
            try:
                lines.append((number, raw.decode("utf-8")))
            except UnicodeDecodeError:
                invalid.append(number)
    return lines, invalid


def _batched(path, batch_bytes: int) -> tuple[list[tuple[int, str]], list[int]]:
    with open_landing_file(path) as file:
        batches = list(jsonl._line_batches(file, batch_bytes))  # every batch kept
    lines = [
        (number, text)
        for kept, _ in batches
        for number, text in zip(
            kept["line_number"].to_pylist(), kept["text"].to_pylist(), strict=True
        )
    ]
    return lines, [r.record_number for _, rejects in batches for r in rejects]


def _contents() -> list[bytes]:
    rng = random.Random(3)
    words = [b'{"a": 1}', b"", b"  ", b"\r", b"x\r", b"\xc3\xa9t\xc3\xa9", b"caf\xe9", b"\t\x0b"]
    body = b"\n".join(
        rng.choice(words) * rng.randint(1, 40) + b"%d" % i for i in range(3_000)
    )  # lines of 1 to ~400 bytes
    long_line = b"y" * 5_000
    return [
        body,
        body + b"\n",
        codecs.BOM_UTF8 + body,
        codecs.BOM_UTF8 + b"\n" + body,  # a BOM alone on the first line
        b"\n\n" + codecs.BOM_UTF8 + b"x\n",  # a BOM after the first line is text
        long_line + b"\n" + body + b"\n" + long_line,  # lines longer than a batch
        codecs.BOM_UTF8 + b"no final newline",
        b"",
        b"\n",
    ]


@pytest.mark.parametrize("batch_bytes", [1, 7, 64, 1_000, 4_096, 1 << 20])
@pytest.mark.parametrize("gz", [False, True])
def test_batches_hold_the_lines_the_python_reader_reads(tmp_path, batch_bytes, gz):
    for index, content in enumerate(_contents()):
        path = tmp_path / f"f{index}.jsonl{'.gz' if gz else ''}"
        path.write_bytes(gzip.compress(content) if gz else content)
        assert _batched(path, batch_bytes) == _expected(path), (index, batch_bytes)
