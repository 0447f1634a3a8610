"""The Spark engine's costs: scrub throughput on 1 vs 2 local cores, and the fixed
overhead of a Spark run vs a DuckDB run on the same small day.

1. Scrub: one generated day (``closedloop generate``, the synthetic mix, then the
   ingest stage into the raw store) is scrubbed by ``pipelines.pii.spark``'s job
   (``scrub_window_on_spark``: mapInArrow over the same domain code, Parquet staged)
   in a child process per core count, ``local[1]`` then ``local[2]``. Each child runs
   the job twice: the first (cold) run, on the day before, includes starting Python
   workers and building their detectors; the second (warm), on the measured day (other
   texts, so the detectors' per-text caches do not answer it), is the throughput.
   Messages/s on the warm run's
   wall time, and the ratio 2 cores / 1 core.
2. Overhead: ``closedloop run --start D --end D`` on a fresh home with a small generated
   day, once with the default engine and once with ``CLOSEDLOOP_ENGINE=spark`` (scrub on
   Spark, dbt on Spark, marts copied back).

Every timing is wall and CPU seconds of the whole process tree (the JVM and Python
workers included: /proc is polled, so CPU is the last sample, a slight undercount),
with the load average before and after: the machine may be shared.

Run: ``.venv/bin/python bench/bench_spark.py [--scrub-conversations 3000]
[--run-conversations 200] [--skip-run]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

BIN = Path(sys.executable).parent
DAY = date(2026, 11, 30)
# The cold run scrubs the day before: the detector caches its results per text inside
# each Python worker, so a warm run over the same day would time cache hits, not
# scrubbing (it did until 2026-12-02: 21k "messages/s" on one core, ratio ~1x).
WARMUP_DAY = date(2026, 11, 29)
KEY = b"bench-spark-key-0123456789abcdef"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


def _cpu_by_pid() -> dict[int, tuple[int, float]]:
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(pid)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return found


def _with_descendants(snapshot: dict[int, tuple[int, float]], roots: set[int]) -> set[int]:
    tree = set(roots)
    grown = True
    while grown:
        new = {pid for pid, (ppid, _) in snapshot.items() if ppid in tree} - tree
        tree |= new
        grown = bool(new)
    return tree


def tree_cpu(root: int) -> float:
    """CPU seconds so far of ``root`` and every live descendant (the JVM, Python workers)."""
    snapshot = _cpu_by_pid()
    return sum(snapshot[pid][1] for pid in _with_descendants(snapshot, {root}) if pid in snapshot)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``command``; its wall seconds, the CPU seconds of its process tree, stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    tree, cpu = {process.pid}, {}
    while process.poll() is None:
        snapshot = _cpu_by_pid()
        tree = _with_descendants(snapshot, tree)
        cpu.update({pid: snapshot[pid][1] for pid in tree if pid in snapshot})
        time.sleep(0.2)
    out = process.stdout.read() if process.stdout else ""
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    return time.perf_counter() - started, sum(cpu.values()), out


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOSEDLOOP_", "DAGSTER_"))}
    return {**env, "CLOSEDLOOP_HOME": str(home), **extra}


def generate(home: Path, conversations: int, first: date = DAY) -> None:
    subprocess.run(
        [
            str(BIN / "closedloop"), "generate", "--start", first.isoformat(),
            "--end", DAY.isoformat(), "--per-day", str(conversations), "--seed", "7",
            "--format", "jsonl", "--home", str(home),
        ],
        check=True, stdout=subprocess.DEVNULL, env=isolated_env(home),
    )  # fmt: skip


def scrub_child(home: Path, cores: int) -> None:
    """In a child process: the Spark scrub job on ``local[cores]``, on the warm-up day
    (cold: JVM, Python workers, detectors) and then on the measured day; prints JSON."""
    from pipelines.config import paths
    from pipelines.pii.spark import discard, scrub_window_on_spark, spark_session

    home_paths = paths(home)
    seconds, cpu = [], []
    with spark_session("closedloop-bench-spark", cores=cores) as spark:
        for day in (WARMUP_DAY, DAY):
            started, cpu_before = time.perf_counter(), tree_cpu(os.getpid())
            staged = scrub_window_on_spark(spark, home_paths, [day], KEY, str(home / "store"))
            seconds.append(time.perf_counter() - started)
            cpu.append(tree_cpu(os.getpid()) - cpu_before)
            discard(spark, staged)
    print(json.dumps({"cold": seconds[0], "warm": seconds[1], "warm_cpu": cpu[1]}))


def bench_scrub(workdir: Path, conversations: int) -> None:
    from pipelines.config import Settings, paths
    from pipelines.sources import ingest_days

    home = workdir / "scrub"
    generate(home, conversations, first=WARMUP_DAY)
    ingest_days(paths(home).ensure(), [WARMUP_DAY, DAY], Settings())
    events = pq.read_table(paths(home).raw_day(DAY) / "events.parquet")
    messages = len(pc.drop_null(events.column("text")))
    print(f"scrub on Spark: {conversations:,} conversations, {messages:,} messages")
    rates = {}
    for cores in (1, 2):
        command = [sys.executable, __file__, "--child", str(home), "--cores", str(cores)]
        before = load()
        wall, cpu, out = timed(command)
        times = json.loads(out.strip().splitlines()[-1])
        rates[cores] = messages / times["warm"]
        print(
            f"  local[{cores}]: warm run {times['warm']:.1f} s = {rates[cores]:,.0f} messages/s, "
            f"{times['warm_cpu']:.1f} CPU s = {times['warm_cpu'] / times['warm']:.2f} cores busy "
            f"(cold run {times['cold']:.1f} s); child process {wall:.1f} s wall, "
            f"{cpu:.1f} CPU s (JVM and workers included); load {before} -> {load()}"
        )
        print(f"    command: {' '.join(command)}")
    print(f"  2 cores / 1 core: {rates[2] / rates[1]:.2f}x")


def bench_run(workdir: Path, conversations: int) -> None:
    print(f"closedloop run on one generated day of {conversations:,} conversations:")
    command = [str(BIN / "closedloop"), "run", "--start", DAY.isoformat(), "--end", DAY.isoformat()]
    for engine in ("duckdb", "spark"):
        home = workdir / f"run-{engine}"
        generate(home, conversations)
        before = load()
        wall, cpu, _ = timed(command, isolated_env(home, CLOSEDLOOP_ENGINE=engine))
        print(
            f"  CLOSEDLOOP_ENGINE={engine}: {wall:.1f} s wall, {cpu:.1f} CPU s; "
            f"load {before} -> {load()}"
        )
    print(
        f"    command: CLOSEDLOOP_HOME=<fresh home> CLOSEDLOOP_ENGINE=<engine> {' '.join(command)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scrub-conversations", type=int, default=3000)
    parser.add_argument("--run-conversations", type=int, default=200)
    parser.add_argument("--skip-run", action="store_true", help="only the scrub bench")
    parser.add_argument("--skip-scrub", action="store_true", help="only the run overhead")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cores", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        scrub_child(args.child, args.cores)
        return
    print(f"{' '.join([Path(sys.executable).name, *sys.argv])}; load {load()}")
    with tempfile.TemporaryDirectory(prefix="closedloop-bench-spark-") as folder:
        if not args.skip_scrub:
            bench_scrub(Path(folder), args.scrub_conversations)
        if not args.skip_run:
            bench_run(Path(folder), args.run_conversations)


if __name__ == "__main__":
    main()
