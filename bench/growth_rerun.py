"""Night N of a kept growth home against night 1, without a new 30-night run.

`bench_scale.py --growth --keep` builds a home night after night (hours at 100k/day).
To measure a code change's effect on the growth ratio, this re-runs the last night of
such a home instead, under the run path a real nightly takes:

1. night 1: the first generated day in a fresh home (as `bench_scale.py --growth
   --growth-days 1`);
2. night N: a copy of the kept home (warehouse, Dagster instance, raw store with the
   judged-file cache, reports; landing hard-linked), where night N-1 runs first as a
   warm-up with night N's landing folder withheld, then that folder is linked in and
   night N runs. Night N so finds night N-1's files in the judged-file cache and judges
   its own folder, and its dbt rebuilds its day's event facts, as a real night does.

The kept home was built by whichever code built it: night N re-runs on that state.
Printed per night: wall, CPU of the run's whole process tree, stages, peak RSS; then
the ratios. The copy and the fresh homes are deleted unless --keep.

    .venv/bin/python bench/growth_rerun.py --home <kept growth home> \\
        --landing-from <its generated landing home> --workdir /tmp/rerun --pairs 2
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import STAGES, _run_night, isolated_env, link_landing, load

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


def copy_home(kept: Path, copy: Path, withheld: date) -> Path:
    """The kept home copied (landing hard-linked) with ``withheld``'s folder set aside."""
    copy.mkdir(parents=True)
    for part in HOME_PARTS:
        if (kept / part).exists():
            shutil.copytree(kept / part, copy / part, symlinks=True)
    days = [day for day in landing_days(kept) if day != withheld]
    link_landing(kept / "landing", copy / "landing", days)
    return copy


def night_line(label: str, seconds: float, parts: dict[str, float], peak: int) -> str:
    stages = "  ".join(f"{name} {parts[name]:.1f}" for name in STAGES)
    return (
        f"{label:<22} wall {seconds:6.1f} s  CPU (tree) {parts['CPU (tree)']:6.1f} s  "
        f"peak {peak / 2**30:.2f} GB  load {load():.1f}  | {stages}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="a kept growth home")
    parser.add_argument("--landing-from", type=Path, required=True, help="the generated days' home")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=1)
    parser.add_argument("--memory-cap-gb", type=float, default=10.0)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    cap = int(args.memory_cap_gb * 2**30)
    first = landing_days(args.landing_from)[0]
    last = landing_days(args.home)[-1]
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"night 1 = {first}, night N = {last} (warm-up {last - timedelta(days=1)})")
    ratios = []
    for pair in range(1, args.pairs + 1):
        fresh = args.workdir / f"night1-{pair}"
        link_landing(args.landing_from / "landing", fresh / "landing", [first])
        one = _run_night(fresh, isolated_env(fresh), first, cap)
        print(night_line(f"pair {pair}: night 1", *one), flush=True)
        copy = copy_home(args.home, args.workdir / f"nightN-{pair}", last)
        env = isolated_env(copy)
        warm = _run_night(copy, env, last - timedelta(days=1), cap)
        print(night_line(f"pair {pair}: warm-up", *warm), flush=True)
        link_landing(args.home / "landing", copy / "landing", [last])
        nth = _run_night(copy, env, last, cap)
        print(night_line(f"pair {pair}: night N", *nth), flush=True)
        ratios.append((nth[1]["CPU (tree)"] / one[1]["CPU (tree)"], nth[0] / one[0]))
        if not args.keep:
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.rmtree(copy, ignore_errors=True)
    for pair, (cpu, wall) in enumerate(ratios, start=1):
        print(f"pair {pair}: night N / night 1: CPU {cpu:.2f}x, wall {wall:.2f}x")


if __name__ == "__main__":
    main()
