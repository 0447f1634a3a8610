"""Night N of a growth home against night 1, without a new N-night run each time.

`bench_scale.py --growth --keep` builds a home night after night (about half an hour for
30 nights at 100k/day). To measure a code change's effect on the growth ratio, build a
home of N-1 nights once (`--growth-days 29 --keep`) and re-run night N on copies of it:

1. night 1: the first generated day in a fresh home (as `bench_scale.py --growth
   --growth-days 1`);
2. night N: a copy of the kept home (warehouse, Dagster instance, raw store with the
   judged-file cache, snapshot and its spare, reports; landing hard-linked). Night N-1
   runs again first (the same files: the same warehouse), because a hard link changes a
   file's ctime, part of the judged-file cache's key, and a real night N finds the days
   it reads back to in the cache (without it, night 30's ingest took 11.5 s against 6.9
   straight: 1.56x). Then the next generated day's folder is linked in and night N runs
   through `closedloop run` as a real nightly.

The kept home must not hold night N already. An earlier version re-ran the last night of
a 30-night home after a warm-up night 29: that copy's warehouse, snapshot fingerprints and
event facts already held night 30, so its night 30 published and built less than a real
one (publish 3.1 s against 7.2-7.9 s in straight 30-night runs; 1.31x against 1.42x CPU).
The script now refuses such a home.

The kept home was built by whichever code built it: night N re-runs on that state. A
change that alters a table's definition upgrades the copy on its warm-up night; with
`--warm-ups 2` the snapshot's spare is upgraded too, as on a home two nights after an
upgrade (with one, night N's publish copies that table whole into the spare, a cost of
the upgrade, not of the code). Compare before and after with the same `--warm-ups`.
Printed per night: wall, CPU of the run's whole process tree, stages, peak RSS; then
the ratios. The copy and the fresh homes are deleted unless --keep.

    .venv/bin/python bench/bench_scale.py --growth --growth-days 29 --keep \\
        --landing-from <a generated 30-day home> --workdir /tmp/g29
    .venv/bin/python bench/growth_rerun.py --home <the kept 29-night home> \\
        --landing-from <the generated home> --workdir /tmp/rerun --pairs 2
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import date
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import STAGES, _run_night, isolated_env, link_landing, load

from pipelines.warehouse.tables import SCRUBBED_CONVERSATIONS

# What a night's run reads and writes besides landing/ (copied; landing is linked).
HOME_PARTS = ("warehouse", "dagster", "raw", "reports", "annotations", "exports", "dbt")


def landing_days(home: Path) -> list[date]:
    days = []
    for folder in sorted((home / "landing").glob("dt=*")):
        try:
            days.append(date.fromisoformat(folder.name.removeprefix("dt=")))
        except ValueError:
            continue
    if not days:
        raise SystemExit(f"no dt=YYYY-MM-DD folders under {home / 'landing'}")
    return days


def copy_home(kept: Path, copy: Path) -> Path:
    """The kept home copied (landing hard-linked; the snapshot's spare keeps its mode)."""
    copy.mkdir(parents=True)
    for part in HOME_PARTS:
        if (kept / part).exists():
            shutil.copytree(kept / part, copy / part, symlinks=True)
    link_landing(kept / "landing", copy / "landing", landing_days(kept))
    return copy


def last_loaded_day(home: Path) -> date | None:
    """The newest day in the kept home's scrubbed conversations."""
    with duckdb.connect(str(home / "warehouse" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            f"select max(partition_date) from {SCRUBBED_CONVERSATIONS.name}"
        ).fetchone()[0]


def night_line(label: str, seconds: float, parts: dict[str, float], peak: int) -> str:
    stages = "  ".join(f"{name} {parts[name]:.1f}" for name in STAGES)
    return (
        f"{label:<22} wall {seconds:6.1f} s  CPU (tree) {parts['CPU (tree)']:6.1f} s  "
        f"peak {peak / 2**30:.2f} GB  load {load():.1f}  | {stages}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="a kept growth home of N-1 nights")
    parser.add_argument("--landing-from", type=Path, required=True, help="the generated days' home")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=1)
    parser.add_argument("--memory-cap-gb", type=float, default=10.0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--warm-ups",
        type=int,
        default=1,
        help="re-runs of night N-1 before night N (2 for code that changes a table's "
        "definition: the snapshot's spare is then upgraded too, as two nights after an "
        "upgrade; with 1, night N's publish copies such a table whole into the spare)",
    )
    args = parser.parse_args()
    cap = int(args.memory_cap_gb * 2**30)
    generated = landing_days(args.landing_from)
    first, kept_last = generated[0], landing_days(args.home)[-1]
    loaded = last_loaded_day(args.home)
    later = [day for day in generated if day > kept_last]
    if (loaded is not None and loaded > kept_last) or not later:
        raise SystemExit(
            f"{args.home} holds every generated day up to {loaded or kept_last}: night N must "
            "be a day the kept home has not loaded (build N-1 nights: bench_scale.py "
            "--growth --growth-days N-1 --keep)"
        )
    night = later[0]
    number = generated.index(night) + 1
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"night 1 = {first}, night N = night {number} = {night} on a copy of {args.home}")
    ratios = []
    for pair in range(1, args.pairs + 1):
        fresh = args.workdir / f"night1-{pair}"
        link_landing(args.landing_from / "landing", fresh / "landing", [first])
        one = _run_night(fresh, isolated_env(fresh), first, cap)
        print(night_line(f"pair {pair}: night 1", *one), flush=True)
        copy = copy_home(args.home, args.workdir / f"nightN-{pair}")
        env = isolated_env(copy)
        # Linking a landing file changes its ctime, part of the judged-file cache's key:
        # night N-1 again (the same files, so the same warehouse) refills the copy's cache
        # for the days night N reads back to, as a real night N finds it.
        for _ in range(max(args.warm_ups, 1)):
            warm = _run_night(copy, env, kept_last, cap)
            print(night_line(f"pair {pair}: warm-up {kept_last}", *warm), flush=True)
        link_landing(args.landing_from / "landing", copy / "landing", [night])
        nth = _run_night(copy, env, night, cap)
        print(night_line(f"pair {pair}: night {number}", *nth), flush=True)
        ratios.append((nth[1]["CPU (tree)"] / one[1]["CPU (tree)"], nth[0] / one[0]))
        if not args.keep:
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.rmtree(copy, ignore_errors=True)
    for pair, (cpu, wall) in enumerate(ratios, start=1):
        print(f"pair {pair}: night N / night 1: CPU {cpu:.2f}x, wall {wall:.2f}x")


if __name__ == "__main__":
    main()
