"""Scale bench: generated days of 10k / 100k / 1M conversations through the real run path.

For every size and format it generates one day (``closedloop generate``) into a fresh
data home under ``--workdir``, runs ``closedloop run --start D --end D`` on it, and
prints per stage: seconds, throughput and the peak RSS of the whole process tree.

Run:
  .venv/bin/python bench/bench_scale.py                                  # 10k and 100k, jsonl and csv
  .venv/bin/python bench/bench_scale.py --sizes 10000,100000,1000000     # adds the 1M day
  .venv/bin/python bench/bench_scale.py --growth                         # 30 nights of 100k/day
  .venv/bin/python bench/bench_scale.py --growth --dbt-only              # the same, dbt alone

How it measures:
- Stage seconds come from the run's own event log in the home's Dagster instance
  (STEP_START / STEP_SUCCESS of every step), so they are the steps' real boundaries.
  Steps are grouped into stages by what they are: ``raw_transcripts`` = ingest, the
  scrub step, the dbt step, steps that only evaluate asset checks = checks, publish,
  and everything else (annotation, monitoring, report) = downstream. "startup" is the
  CLI process start to the run's start (imports, definitions, instance); "between
  steps" is the run's time outside any step; the whole-process wall is printed too.
- Peak RSS is the sum of VmRSS over the command's whole process tree (the CLI and
  every descendant, e.g. dbt's subprocess), sampled from /proc every 0.2 s; a stage's
  peak is the largest sample inside its steps. Shared pages count once per process,
  so it is an upper bound. Every step (each downstream asset is its own step: the
  run executes in process, one step at a time) is listed too with its seconds, the
  RSS at its start, its peak and its growth (peak minus start: what the step itself
  added, since freed memory mostly stays resident for the next step). A watchdog kills the tree above ``--memory-cap-gb``
  (default 20 GB) and the row says "did not fit".
- Throughput: ingest events/s and scrub messages/s (events with text) use the counts
  loaded into the warehouse; dbt is conversations/s of the day.
- The machine's load average (1 min) is printed before and after every measurement:
  the machine may be shared, and a loaded machine stretches every figure.

``--growth`` generates ``--growth-days`` days of ``--growth-per-day`` in one generator
call (customers return across days) into a source home, runs them one night at a time
in another home whose landing/ receives each day's folder just before its night (as
deliveries arrive; a night never sees later days' files) and prints night 1 against the
last night, and the median CPU of the nights once the rebuild window is full (from
night 14; one night alone moves by 0.2x between identical runs). ``--dbt-only`` skips
ingest and scrubbing: each night's day is loaded straight into the scrubbed tables
(text dropped, ids hashed with md5; a scratch warehouse) and only ``dbt build`` runs,
with the arguments the dbt asset passes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from pipelines.dbt_args import DBT_PROJECT_DIR, dbt_build_args, oldest_provisional_day

BIN = Path(sys.executable).parent
DAY = date(2026, 1, 8)  # a Thursday: the weekday factor is 1.00, so --per-day N gives ~N
GROWTH_START = date(2026, 2, 2)
SAMPLE_SECONDS = 0.2
# The first night whose rebuild window is full: a day stays open 12 days after it
# (recontact 7, DST 1, late landing 3, partial day 1), so from night 13 on a night
# rebuilds 13 days. One night's CPU moves by 0.2x of night 1 between identical runs
# (docs/performance.md, *Only the changed rows of fct_conversations*); the median of
# the nights from here on is the steadier growth figure.
WINDOW_FULL_NIGHT = 14
CPU_TREE = "CPU (tree)"
GB = 1024**3
STAGES = ("startup", "ingest", "scrub", "dbt", "checks", "downstream", "publish", "between steps")
# The run's settings the dbt asset passes (defaults of pipelines.config.Settings).
RECONTACT_DAYS, MIN_N, LANDING_LOOKBACK_DAYS = 7, 30, 3


# ---------------------------------------------------------------- process-tree sampling


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss(root: int) -> int:
    """Sum of VmRSS (bytes) over ``root`` and all its descendants."""
    tree, total, stack = _children(), 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, ()))
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError):
            continue
    return total


@dataclass
class Measured:
    """One command: wall time, RSS samples (epoch seconds, bytes), and how it ended."""

    command: list[str]
    began: float
    ended: float
    returncode: int
    samples: list[tuple[float, int]]
    killed_at_rss: int | None = None
    log: Path | None = None
    # CPU seconds (user + sys) of the command and every descendant it waited for (dbt,
    # the scrub pool's workers): unlike the wall, it hardly moves with the machine's load.
    cpu: float = 0.0

    @property
    def seconds(self) -> float:
        return self.ended - self.began

    @property
    def peak(self) -> int:
        return max((rss for _, rss in self.samples), default=0)

    def peak_between(self, start: float, end: float) -> int:
        inside = [rss for at, rss in self.samples if start <= at <= end]
        return max(inside, default=0)


def measure(command: list[str], env: dict[str, str], log: Path, cap: int) -> Measured:
    """Run ``command`` (its own process group), sampling its tree's RSS; kill it above ``cap``."""
    samples: list[tuple[float, int]] = []
    killed: list[int] = []
    with log.open("wb") as out:
        # This process runs one command at a time, so the growth of its reaped children's
        # usage is the command's tree.
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.time()
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                rss = tree_rss(process.pid)
                samples.append((time.time(), rss))
                if rss > cap and not killed:
                    killed.append(rss)
                    os.killpg(process.pid, signal.SIGKILL)
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        ended = time.time()
        done.set()
        sampler.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(
        command, began, ended, returncode, samples, killed[0] if killed else None, log, cpu
    )


# ---------------------------------------------------------------- the run's steps


@dataclass(frozen=True)
class Step:
    key: str
    start: float
    end: float
    checks_only: bool


@dataclass(frozen=True)
class RunSteps:
    start: float
    end: float
    steps: tuple[Step, ...]


def last_run_steps(home: Path, until: float | None = None) -> RunSteps | None:
    """Step boundaries of the home's latest run, from its Dagster instance's event log.

    Dagster's public instance API is the one reader of its event log; this bench is
    tooling, not domain code, so it may import Dagster.
    """
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(home / "dagster"))
    runs = instance.get_runs(limit=1)
    if not runs:
        return None
    run_id = runs[0].run_id
    starts: dict[str, float] = {}
    ends: dict[str, float] = {}
    materialized: set[str] = set()
    run_start = run_end = None
    run_ends = (dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE)
    step_ends = (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE)
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None:
            continue
        kind, key = event.event_type, event.step_key
        if kind == dg.DagsterEventType.RUN_START:
            run_start = record.timestamp
        elif kind in run_ends:
            run_end = record.timestamp
        elif kind == dg.DagsterEventType.STEP_START and key:
            starts[key] = record.timestamp
        elif kind in step_ends and key:
            ends[key] = record.timestamp
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION and key:
            materialized.add(key)
    if run_start is None:
        return None
    # A killed run's last step has no end: it ran until the process died (``until``),
    # and only a step that finished can be told to be checks-only.
    last = max([*ends.values(), run_start, until or 0.0])
    steps = tuple(
        sorted(
            (
                Step(key, start, ends.get(key, last), key in ends and key not in materialized)
                for key, start in starts.items()
            ),
            key=lambda step: step.start,
        )
    )
    return RunSteps(run_start, run_end or last, steps)


def stage_of(step: Step) -> str:
    key = step.key
    if "dbt" in key:
        return "dbt"
    if key == "raw_transcripts" or key.startswith("raw_transcripts"):
        return "checks" if step.checks_only else "ingest"
    if "scrub" in key:
        return "checks" if step.checks_only else "scrub"
    if step.checks_only:
        return "checks"
    if "publish" in key:
        return "publish"
    return "downstream"


@dataclass
class StageRow:
    seconds: float = 0.0
    peak: int = 0
    steps: list[str] = field(default_factory=list)


def stages(measured: Measured, run: RunSteps) -> dict[str, StageRow]:
    rows = {name: StageRow() for name in STAGES}
    rows["startup"].seconds = run.start - measured.began
    rows["startup"].peak = measured.peak_between(measured.began, run.start)
    in_steps = 0.0
    for step in run.steps:
        row = rows[stage_of(step)]
        row.seconds += step.end - step.start
        row.peak = max(row.peak, measured.peak_between(step.start, step.end))
        row.steps.append(step.key)
        in_steps += step.end - step.start
    rows["between steps"].seconds = (run.end - run.start) - in_steps
    return rows


@dataclass(frozen=True)
class StepRow:
    """One step (one asset, or dbt's multi-asset, or a check step) of the run.

    ``start_rss`` is the tree's RSS at the step's start (the last sample before it),
    ``peak`` the largest sample inside it, ``growth`` the difference: the step's own
    high-water mark above what earlier steps left resident. The allocator rarely hands
    freed memory back to the OS, so a step's peak can be an earlier step's residue;
    its growth cannot.
    """

    key: str
    stage: str
    seconds: float
    start_rss: int
    peak: int

    @property
    def growth(self) -> int:
        return max(self.peak - self.start_rss, 0)


def step_rows(measured: Measured, run: RunSteps) -> list[StepRow]:
    rows = []
    for step in run.steps:
        before = [rss for at, rss in measured.samples if at <= step.start]
        start_rss = before[-1] if before else 0
        peak = max(measured.peak_between(step.start, step.end), start_rss)
        rows.append(StepRow(step.key, stage_of(step), step.end - step.start, start_rss, peak))
    return rows


# ---------------------------------------------------------------- counts


@dataclass(frozen=True)
class Counts:
    conversations: int
    events: int
    messages: int  # events with text: what the scrub stage works on


def warehouse_counts(home: Path) -> Counts | None:
    path = home / "warehouse" / "warehouse.duckdb"
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        try:
            row = con.execute(
                "select (select count(*) from scrubbed.conversations), count(*), count(text) "
                "from scrubbed.events"
            ).fetchone()
        except duckdb.Error:
            return None
    if row is None:
        return None
    conversations, events, messages = row
    return Counts(conversations, events, messages)


_GENERATED = re.compile(r"generated ([\d,]+) conversations, ([\d,]+) events")


def generated_counts(log: Path) -> tuple[int, int]:
    found = _GENERATED.search(log.read_text(errors="replace"))
    if not found:
        raise RuntimeError(f"no generation summary in {log}")
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


# ---------------------------------------------------------------- commands


def isolated_env(home: Path) -> dict[str, str]:
    """The caller's environment minus any closedloop settings, plus this home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOSEDLOOP_", "DAGSTER_"))}
    env["CLOSEDLOOP_HOME"] = str(home)
    return env


def generate_command(
    home: Path, first: date, last: date, per_day: int, fmt: str, seed: int
) -> list[str]:
    return [
        str(BIN / "closedloop"), "generate",
        "--start", first.isoformat(), "--end", last.isoformat(),
        "--per-day", str(per_day), "--seed", str(seed), "--format", fmt, "--home", str(home),
    ]  # fmt: skip


def run_command(day: date) -> list[str]:
    return [str(BIN / "closedloop"), "run", "--start", day.isoformat(), "--end", day.isoformat()]


def load() -> float:
    return os.getloadavg()[0]


def gb(value: int) -> str:
    return f"{value / GB:.2f} GB"


def rate(count: int, seconds: float, unit: str) -> str:
    return f"{count / seconds:>12,.0f} {unit}/s" if seconds > 0 else ""


# ---------------------------------------------------------------- one day


@dataclass
class DayResult:
    size: int
    fmt: str
    conversations: int
    events: int
    landing_mb: float
    generate: Measured
    run: Measured
    run_steps: RunSteps | None
    counts: Counts | None
    loads: tuple[float, float]

    @property
    def fitted(self) -> bool:
        return self.run.killed_at_rss is None and self.run.returncode == 0


@dataclass(frozen=True)
class DayPlan:
    day: date
    seed: int
    cap: int
    landing_from: Path | None  # a kept home whose landing/ already holds the day


def bench_day(workdir: Path, size: int, fmt: str, plan: DayPlan) -> DayResult:
    home = Path(tempfile.mkdtemp(prefix=f"day-{size}-{fmt}-", dir=workdir))
    env = isolated_env(home)
    before = load()
    if plan.landing_from is None:
        command = generate_command(home, plan.day, plan.day, size, fmt, plan.seed)
        generated = measure(command, env, home / "generate.log", plan.cap)
        if generated.returncode != 0:
            raise RuntimeError(f"generate failed, see {generated.log}")
    else:
        # Reuse an earlier generation (a 1M day takes ~20 min to generate); its
        # generate.log, if kept, still gives the counts and the generation figures.
        link_landing(plan.landing_from / "landing", home / "landing", [plan.day])
        shutil.copy2(plan.landing_from / "generate.log", home / "generate.log")
        generated = Measured([], 0.0, 0.0, 0, [])
    conversations, events = generated_counts(home / "generate.log")
    landing_mb = sum(p.stat().st_size for p in (home / "landing").rglob("*") if p.is_file()) / 1e6
    ran = measure(run_command(plan.day), env, home / "run.log", plan.cap)
    result = DayResult(
        size, fmt, conversations, events, landing_mb, generated, ran,
        last_run_steps(home, ran.ended), warehouse_counts(home), (before, load()),
    )  # fmt: skip
    print_day(result)
    return result


def print_day(result: DayResult) -> None:
    print(
        f"\n== {result.size:,}/day as {result.fmt}: {result.conversations:,} conversations, "
        f"{result.events:,} events, {result.landing_mb:,.0f} MB landing; "
        f"load avg {result.loads[0]:.1f} before, {result.loads[1]:.1f} after"
    )
    gen = result.generate
    print(f"{'stage':<14}{'seconds':>9}  {'throughput':<26}{'peak RSS':>10}")
    if gen.command:
        print(
            f"{'generate':<14}{gen.seconds:>9.1f}  "
            f"{rate(result.conversations, gen.seconds, 'conv'):<26}{gb(gen.peak):>10}"
        )
    else:
        print(f"{'generate':<14}{'reused':>9}  (--landing-from)")
    run = result.run
    if run.killed_at_rss is not None:
        print(
            f"{'run':<14}{run.seconds:>9.1f}  did not fit: killed at {gb(run.killed_at_rss)} "
            f"(cap) after {run.seconds:.0f} s; log {run.log}"
        )
    elif run.returncode != 0:
        print(f"{'run':<14}{run.seconds:>9.1f}  FAILED (exit {run.returncode}); log {run.log}")
    if result.run_steps is None:
        return
    rows = stages(run, result.run_steps)
    counts = result.counts
    throughput = {
        "ingest": rate(counts.events, rows["ingest"].seconds, "events") if counts else "",
        "scrub": rate(counts.messages, rows["scrub"].seconds, "messages") if counts else "",
        "dbt": rate(counts.conversations, rows["dbt"].seconds, "conv") if counts else "",
    }
    for name in STAGES:
        row = rows[name]
        peak = gb(row.peak) if name != "between steps" else ""
        print(f"  {name:<12}{row.seconds:>9.1f}  {throughput.get(name, ''):<26}{peak:>10}")
    label = "run (wall)" if result.fitted else "run (partial)"
    print(f"{label:<14}{run.seconds:>9.1f}  {'':<26}{gb(run.peak):>10}")
    if counts:
        print(
            f"loaded: {counts.conversations:,} conversations, {counts.events:,} events, "
            f"{counts.messages:,} messages with text"
        )
    print(
        f"    {'step':<63}{'seconds':>8}  {'RSS at start':>12}{'peak RSS':>10}{'growth':>10}  stage"
    )
    for row in step_rows(run, result.run_steps):
        print(
            f"    {row.key:<63}{row.seconds:>8.1f}  {gb(row.start_rss):>12}{gb(row.peak):>10}"
            f"{gb(row.growth):>10}  [{row.stage}]"
        )


def print_summary(results: list[DayResult]) -> None:
    print("\n== summary (seconds; peak RSS of the run's process tree)")
    header = f"{'day':<16}{'events':>11}{'run':>8}{'startup':>9}{'ingest':>8}{'scrub':>8}{'dbt':>8}"
    print(header + f"{'checks':>8}{'other':>8}{'peak RSS':>10}  ingest ev/s  scrub msg/s")
    for r in results:
        name = f"{r.size:,} {r.fmt}"
        if r.run_steps is None or not r.fitted:
            print(f"{name:<16}{r.events:>11,}  did not fit / failed after {r.run.seconds:.0f} s "
                  f"at {gb(r.run.killed_at_rss or r.run.peak)}")  # fmt: skip
            continue
        rows = stages(r.run, r.run_steps)
        other = rows["downstream"].seconds + rows["publish"].seconds + rows["between steps"].seconds
        ev = r.counts.events / rows["ingest"].seconds if r.counts and rows["ingest"].seconds else 0
        msg = r.counts.messages / rows["scrub"].seconds if r.counts and rows["scrub"].seconds else 0
        print(
            f"{name:<16}{r.events:>11,}{r.run.seconds:>8.1f}{rows['startup'].seconds:>9.1f}"
            f"{rows['ingest'].seconds:>8.1f}{rows['scrub'].seconds:>8.1f}{rows['dbt'].seconds:>8.1f}"
            f"{rows['checks'].seconds:>8.1f}{other:>8.1f}{gb(r.run.peak):>10}"
            f"{ev:>12,.0f}{msg:>13,.0f}"
        )


# ---------------------------------------------------------------- growth


def growth_days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


@dataclass(frozen=True)
class Growth:
    days: int
    per_day: int
    seed: int
    cap: int
    dbt_only: bool
    landing_from: Path | None  # a home whose landing/ already holds these generated days
    dbt_project: Path
    fill: bool


def bench_growth(workdir: Path, growth: Growth) -> None:
    home = Path(tempfile.mkdtemp(prefix=f"growth-{growth.days}x{growth.per_day}-", dir=workdir))
    env = isolated_env(home)
    nights = growth_days(GROWTH_START, growth.days)
    # The days are generated (or reused) in a source home and each night's landing folder
    # is linked into the run's home just before its night: a night's run reads folders up
    # to landing_lookback_days AFTER its day, and with all 30 days landed in advance every
    # night judged about four days of files instead of one (ingest 31-40 s a night at
    # 100k/day against 8.5 s for the day alone), which no real nightly sees.
    source = growth.landing_from
    if source is not None:
        print(f"reusing the generated landing files of {source}")
    else:
        source = Path(tempfile.mkdtemp(prefix="generated-", dir=workdir))
        print(
            f"generating {growth.days} days x {growth.per_day:,}/day into {source} ...", flush=True
        )
        command = generate_command(
            source, nights[0], nights[-1], growth.per_day, "jsonl", growth.seed
        )
        generated = measure(command, isolated_env(source), source / "generate.log", growth.cap)
        if generated.returncode != 0:
            raise RuntimeError(f"generate failed, see {generated.log}")
        conversations, events = generated_counts(source / "generate.log")
        print(f"generated {conversations:,} conversations, {events:,} events "
              f"in {generated.seconds:.0f} s, peak {gb(generated.peak)}")  # fmt: skip
    # --growth-fill (dbt only): the nights between the first and the last are loaded and
    # built as one window, like a backfill; incremental builds equal a full refresh
    # (tests/dbt), so the last night starts from the same warehouse either way.
    batches = [[day] for day in nights]
    if growth.fill and growth.dbt_only and len(nights) > 2:
        batches = [[nights[0]], nights[1:-1], [nights[-1]]]
    results: list[tuple[float, dict[str, float], int]] = []
    probes: list[float] = []
    slowest: list[list[tuple[float, str]]] = []
    print(f"{'night':<7}{'days':<24}{'seconds':>9}{'peak RSS':>10}{'load':>6}  stages (s)")
    for number, batch in enumerate(batches, start=1):
        link_landing(source / "landing", home / "landing", batch)
        probes.append(machine_probe())
        if growth.dbt_only:
            result, nodes = _dbt_night(home, env, batch, growth)
            slowest.append(nodes)
        else:
            result = _run_night(home, env, batch[0], growth.cap)
        results.append(result)
        seconds, parts, peak = result
        shown = "  ".join(f"{name} {value:.1f}" for name, value in parts.items())
        span = f"{batch[0]}..{batch[-1]}" if len(batch) > 1 else batch[0].isoformat()
        print(f"{number:<7}{span:<24}{seconds:>9.1f}{gb(peak):>10}{load():>6.1f}  "
              f"{shown}  probe {probes[-1]:.2f}", flush=True)  # fmt: skip
    (first_total, first, first_peak), (last_total, last, last_peak) = results[0], results[-1]
    mode = "dbt only" if growth.dbt_only else "closedloop run"
    print(f"\n== growth: night {len(nights)} vs night 1 ({growth.per_day:,}/day, {mode})")
    for name, one, other in [
        *((name, first[name], last.get(name, 0.0)) for name in first),
        ("total", first_total, last_total),
    ]:
        ratio = f"{other / one:.2f}x" if one > 0 else ""
        print(f"  {name:<14}{one:>9.1f}{other:>9.1f}  {ratio}")
    print(f"  {'peak RSS':<14}{gb(first_peak):>9}{gb(last_peak):>9}")
    steady = steady_growth([parts.get(CPU_TREE, 0.0) for _, parts, _ in results])
    if steady is not None:
        median, ratio, within, count = steady
        print(
            f"  nights {WINDOW_FULL_NIGHT}-{len(results)}: median {CPU_TREE} {median:.1f} "
            f"({ratio:.2f}x night 1); {within} of {count} within 1.3x"
        )
    drift = steady_growth(probes)
    if drift is not None:
        print(
            f"  machine probe (CPU-s of a fixed workload before each night): night 1 "
            f"{probes[0]:.2f}, nights {WINDOW_FULL_NIGHT}-{len(probes)} median {drift[0]:.2f} "
            f"({drift[1]:.2f}x): the machine's own drift, not the pipeline's growth"
        )
    if slowest:
        for label, nodes in (("night 1", slowest[0]), (f"night {len(nights)}", slowest[-1])):
            print(f"slowest dbt nodes, {label}: " + ", ".join(f"{n} {t:.1f}s" for t, n in nodes))


# A fixed workload timed before each night (its own process: Python's start, DuckDB on
# two threads, a Python loop): the machine's speed that night. This machine is a shared
# VM whose speed drifts by 10% within a run (two runs of the same code: nights 14-30
# median 1.32x and 1.36x; scrub, unchanged, 6.6 -> 7.3 s between runs), so the growth
# table prints how the probe moved beside how the nights did.
MACHINE_PROBE = (
    "import time, duckdb\n"
    "con = duckdb.connect(config={'threads': '2'})\n"
    "con.execute(\"select sum(hash(i::varchar || 'x')) from range(4000000) as t(i)\").fetchall()\n"
    "total = 0\n"
    "for i in range(1500000):\n"
    "    total += hash(str(i))\n"
    "print(time.process_time())\n"
)


def machine_probe() -> float:
    """CPU seconds of MACHINE_PROBE in a fresh process of this interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", MACHINE_PROBE], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def steady_growth(cpu: list[float]) -> tuple[float, float, int, int] | None:
    """Over the nights from WINDOW_FULL_NIGHT on: the median of their CPU seconds, its
    ratio to night 1's, and how many of them are within 1.3x night 1 (of how many).
    None when there are no such nights or night 1 has no CPU figure."""
    steady = cpu[WINDOW_FULL_NIGHT - 1 :]
    if not steady or not cpu[0] > 0:
        return None
    median = statistics.median(steady)
    return median, median / cpu[0], sum(c <= 1.3 * cpu[0] for c in steady), len(steady)


def link_landing(source: Path, target: Path, days: list[date]) -> int:
    """Hard-link (else copy) the days' landing folders of an earlier run into a fresh home."""
    count = 0
    for day in days:
        folder = target / f"dt={day}"
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted((source / f"dt={day}").iterdir()):
            try:
                os.link(path, folder / path.name)
            except OSError:
                shutil.copy2(path, folder / path.name)
            count += 1
    if count == 0:
        raise RuntimeError(f"no landing files for {days[0]}..{days[-1]} under {source}")
    return count


def _run_night(
    home: Path, env: dict[str, str], day: date, cap: int
) -> tuple[float, dict[str, float], int]:
    ran = measure(run_command(day), env, home / f"run-{day}.log", cap)
    if ran.returncode != 0:
        raise RuntimeError(f"night {day} failed (exit {ran.returncode}), see {ran.log}")
    steps = last_run_steps(home, ran.ended)
    if steps is None:
        raise RuntimeError(f"night {day}: no run in the instance")
    rows = stages(ran, steps)
    parts = {name: rows[name].seconds for name in STAGES}
    parts[CPU_TREE] = ran.cpu  # seconds of CPU, not of wall: the load-robust figure
    return ran.seconds, parts, ran.peak


def _dbt_night(
    home: Path, env: dict[str, str], days: list[date], growth: Growth
) -> tuple[tuple[float, dict[str, float], int], list[tuple[float, str]]]:
    """Load ``days`` into the scrubbed tables, then ``dbt build`` them as the dbt asset does."""
    warehouse = home / "warehouse" / "warehouse.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    began = time.time()
    with duckdb.connect(str(warehouse)) as con:
        for day in days:
            load_scrubbed_day(con, home / "landing" / f"dt={day}" / "synthetic.jsonl", day)
        provisional = oldest_provisional_day(con)
    loaded = time.time() - began
    args = dbt_build_args(days, RECONTACT_DAYS, MIN_N, LANDING_LOOKBACK_DAYS, provisional)
    project, target = str(growth.dbt_project), home / "dbt-target"
    # dbt's target/ and logs/ go to the home, so the bench never touches the project's.
    command = [
        str(BIN / "dbt"), *args, "--project-dir", project, "--profiles-dir", project,
        "--target-path", str(target), "--log-path", str(home / "dbt-logs"),
    ]  # fmt: skip
    built = measure(
        command,
        {**env, "CLOSEDLOOP_WAREHOUSE": str(warehouse)},
        home / f"dbt-{days[-1]}.log",
        growth.cap,
    )
    if built.returncode != 0:
        raise RuntimeError(f"dbt for {days[0]}..{days[-1]} failed, see {built.log}")
    results = json.loads((target / "run_results.json").read_text())["results"]
    nodes = sorted(
        ((r["execution_time"], r["unique_id"].split(".")[-1]) for r in results), reverse=True
    )
    # Node execution times by kind (inside dbt's wall; the rest is dbt's own start,
    # parse and per-node overhead).
    kinds = {"models": "model.", "data tests": "test.", "unit tests": "unit_test."}
    parts = {"load": loaded, "dbt": built.seconds, "dbt CPU": built.cpu}
    for kind, prefix in kinds.items():
        parts[kind] = sum(r["execution_time"] for r in results if r["unique_id"].startswith(prefix))
    return (loaded + built.seconds, parts, built.peak), nodes[:6]


# The scrubbed tables' contract (ARCHITECTURE.md "Warehouse tables written by Python assets").
SCRUBBED_DDL = """
create schema if not exists scrubbed;
create table if not exists scrubbed.conversations (
    partition_date date, conversation_id varchar, source varchar,
    started_at timestamptz, ended_at timestamptz, channel varchar, locale varchar,
    market varchar, customer_key varchar, bot_version varchar, intent varchar,
    csat_score tinyint, csat_submitted_at timestamptz
);
create table if not exists scrubbed.events (
    partition_date date, conversation_id varchar, seq integer, sent_at timestamptz,
    actor varchar, event_type varchar, text varchar, agent_key varchar, payload varchar
);
create table if not exists main.ingest_audit (
    partition_date date, source_file varchar, records_read bigint,
    records_loaded bigint, records_quarantined bigint, reason_counts json
);
create table if not exists main.pii_detections_daily (
    partition_date date, entity_type varchar, count bigint
);
"""

_JSONL_COLUMNS = """{
    conversation_id: 'varchar', source: 'varchar', started_at: 'timestamptz',
    ended_at: 'timestamptz', channel: 'varchar', locale: 'varchar', market: 'varchar',
    customer_id: 'varchar', bot_version: 'varchar', intent: 'varchar',
    csat_score: 'tinyint', csat_submitted_at: 'timestamptz',
    events: 'struct(seq integer, sent_at timestamptz, actor varchar, event_type varchar,
                    text varchar, agent_id varchar, payload json)[]'
}"""


def load_scrubbed_day(con: duckdb.DuckDBPyConnection, path: Path, day: date) -> None:
    """Load one generated JSONL day into the scrubbed tables as the scrub stage would shape
    them, without scrubbing: text is dropped (dbt reads none of it here) and ids are
    md5-hashed, so no planted PII lands even in this scratch warehouse."""
    con.execute("set time zone 'UTC'")
    con.execute(SCRUBBED_DDL)
    con.execute(
        f"create or replace temp table day as select * from read_json(?, format = "
        f"'newline_delimited', columns = {_JSONL_COLUMNS})",
        [str(path)],
    )
    con.execute("begin")
    con.execute("delete from scrubbed.conversations where partition_date = ?", [day])
    con.execute("delete from scrubbed.events where partition_date = ?", [day])
    con.execute(
        """insert into scrubbed.conversations
        select cast(started_at as date), conversation_id, source, started_at, ended_at, channel,
               locale, market, md5(customer_id), bot_version, intent, csat_score, csat_submitted_at
        from day"""
    )
    con.execute(
        """insert into scrubbed.events
        select cast(started_at as date), conversation_id, e.seq, e.sent_at, e.actor, e.event_type,
               null, md5(e.agent_id), cast(e.payload as varchar)
        from (select started_at, conversation_id, unnest(events) as e from day)"""
    )
    con.execute("commit")


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="10000,100000", help="conversations per day, comma-separated"
    )
    parser.add_argument("--formats", default="jsonl,csv", help="landing formats, comma-separated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--day", default=DAY.isoformat(), help="the generated day (one-day mode)")
    parser.add_argument(
        "--memory-cap-gb", type=float, default=20.0, help="kill a run's tree above this"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="a folder to hold the data homes (in a new folder of its own, removed at the end "
        "unless --keep; nothing else in it is touched); default: a new /tmp dir",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data homes afterwards")
    parser.add_argument("--growth", action="store_true", help="the nightly growth table instead")
    parser.add_argument("--growth-days", type=int, default=30)
    parser.add_argument("--growth-per-day", type=int, default=100_000)
    parser.add_argument(
        "--dbt-only",
        action="store_true",
        help="growth: load scrubbed tables directly, time dbt only",
    )
    parser.add_argument(
        "--growth-fill",
        action="store_true",
        help="growth --dbt-only: build the nights between the first and last as one window",
    )
    parser.add_argument(
        "--landing-from",
        type=Path,
        default=None,
        help="reuse the generated landing/ (and generate.log) of this kept home instead of "
        "generating (one size and format; growth: all its days)",
    )
    parser.add_argument(
        "--dbt-project",
        type=Path,
        default=DBT_PROJECT_DIR,
        help="growth --dbt-only: the dbt project to build (e.g. an older checkout's, to compare)",
    )
    args = parser.parse_args()
    if args.workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix="closedloop-bench-scale-"))
    else:
        # Homes go in a folder of their own inside the given one: removing them at the
        # end (without --keep) must not take anything else there with them.
        args.workdir.mkdir(parents=True, exist_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=args.workdir))
    cap = int(args.memory_cap_gb * GB)
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(
        f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; homes under {workdir}"
    )
    try:
        if args.growth:
            growth = Growth(
                args.growth_days,
                args.growth_per_day,
                args.seed,
                cap,
                args.dbt_only,
                args.landing_from,
                args.dbt_project.resolve(),
                args.growth_fill,
            )
            bench_growth(workdir, growth)
        else:
            plan = DayPlan(date.fromisoformat(args.day), args.seed, cap, args.landing_from)
            results = [
                bench_day(workdir, int(size), fmt, plan)
                for size in args.sizes.split(",")
                for fmt in args.formats.split(",")
            ]
            print_summary(results)
    finally:
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
