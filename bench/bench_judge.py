"""Judges against real outcomes, their speed on a generated day, and the learned judge on
simulated labels.

Run: ``.venv/bin/python bench/bench_judge.py [--data ../shared/data] [--per-day 100000]
[--full-pipeline] [--skip-speed] [--skip-learned]``

1. **Real outcomes.** SGD and STAR dialogues (``pipelines/judge/datasets.py`` has the
   outcome mapping and the fixed develop/holdout split) are landed as canonical JSONL
   and go through the real ingest and PII-scrub functions (or, with
   ``--full-pipeline``, through ``closedloop run`` in a temporary data home, which also
   gives the dbt ladder's ``durable_resolved``). Printed per dataset and split: the
   signals judge and the behaviour-only ladder against the outcome, with n, accuracy,
   balanced accuracy, Cohen's kappa and Gwet's AC1 with 95% bootstrap CIs.
2. **Speed.** A generated day (``pipelines.synth``) is ingested, then judged by the
   signals judge over its canonical event tables; prints seconds, conversations/s and
   the share of a 60-130 s day run that adds, the verdict and reason-code
   distribution, and agreement with the generator's latent ``truly_resolved``.
3. **Learned judge.** A stratified annotation sample of that day is labeled by
   simulated labelers (``pipelines.annotation.simulate``), scrubbed, and the learned
   judge is trained on it (model card: CV agreement); it and the signals judge are
   then scored against ``truly_resolved`` on scrubbed conversations nobody labeled.

Everything is written under a temporary directory (``/tmp/judge-bench-*``), never the repo.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.annotation.labelstudio import parse_export
from pipelines.annotation.simulate import simulate_export
from pipelines.config import Settings, paths
from pipelines.judge.agreement import Agreement, binary_agreement
from pipelines.judge.base import judge_partition
from pipelines.judge.datasets import SGD_DAY, SPLITS, STAR_DAY, sgd_corpus, star_corpus, write_jsonl
from pipelines.judge.evaluation import (
    EVALUATION_KEY,
    evaluate,
    ingest_and_scrub,
    read_warehouse,
    reason_counts,
)
from pipelines.judge.learned import LearnedJudge, train
from pipelines.judge.signals import SignalsJudge
from pipelines.pii import scrub_events
from pipelines.sources import ingest_days
from pipelines.stats.sampling import SamplingPlan, stratified_sample
from pipelines.synth import generate

ROOT = Path(__file__).resolve().parents[1]
DAY_RUN_SECONDS = (60, 130)  # a 100k-conversation day, whole pipeline, on this machine class


def fmt(agreement: Agreement, name: str) -> str:
    value = agreement.statistics[name]
    low, high = agreement.ci_low[name], agreement.ci_high[name]
    return f"{value:6.3f} [{low:5.2f},{high:5.2f}]"


def print_table(rows) -> None:
    print(
        f"{'dataset':12} {'split':8} {'rater':17} {'n':>5} {'accuracy':>21} "
        f"{'balanced acc.':>21} {'Cohen kappa':>21} {'Gwet AC1':>21} {'unsure':>6}"
    )
    for row in rows:
        a = row.agreement
        print(
            f"{row.dataset:12} {row.split:8} {row.rater:17} {a.n:5d} {fmt(a, 'accuracy')} "
            f"{fmt(a, 'balanced_accuracy')} {fmt(a, 'cohen_kappa')} {fmt(a, 'gwet_ac1')} "
            f"{row.n_unsure:6d}"
        )


def real_outcomes(data: Path, work: Path, full_pipeline: bool) -> None:
    sgd = sgd_corpus(data / "sgd")
    star = star_corpus(data / "star")
    survey = star_corpus(data / "star", user_reported=True)
    dialogues = sgd.dialogues + star.dialogues + survey.dialogues
    print("== 1. Real outcomes (bot-involved dialogues) ==")
    for name, corpus in (("sgd", sgd), ("star", star), ("star-survey", survey)):
        print(
            f"  {name}: {len(corpus.dialogues)} with an outcome; excluded {dict(corpus.excluded)}"
        )
    print(f"  split: {SPLITS}")
    started = time.perf_counter()
    if full_pipeline:
        home = work / "real-home"
        unique = {d.conversation_id: d for d in dialogues}.values()
        for day in (SGD_DAY, STAR_DAY):
            members = [d for d in unique if str(d.record["started_at"])[:10] == day.isoformat()]
            write_jsonl(members, paths(home).landing_day(day) / "dialogues.jsonl")
        env = {**os.environ, "CLOSEDLOOP_HOME": str(home)}
        command = [
            str(ROOT / ".venv/bin/closedloop"),
            "run",
            "--start",
            str(SGD_DAY),
            "--end",
            str(STAR_DAY),
        ]
        subprocess.run(command, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        scrubbed = read_warehouse(paths(home).analytics)
        how = "closedloop run (ingest, scrub, dbt ladder)"
    else:
        scrubbed = ingest_and_scrub(dialogues, work / "real-home")
        how = "ingest_days + scrub_events; ladder = pipelines.synth.ladder"
    print(f"  loaded through {how} in {time.perf_counter() - started:.1f} s")
    print_table(evaluate([SignalsJudge()], dialogues, scrubbed))
    print()


def generated_day(work: Path, per_day: int) -> tuple[pa.Table, pa.Table, pd.DataFrame, float]:
    day = date(2026, 1, 5)
    data = paths(work / "synth-home").ensure()
    started = time.perf_counter()
    generate(
        day, day, per_day, 7, landing=data.landing, truth_dir=data.raw / "synth_truth", fmt="jsonl"
    )
    generated = time.perf_counter() - started
    started = time.perf_counter()
    ingest_days(data, [day], Settings())
    ingested = time.perf_counter() - started
    print(f"  generated {per_day:,}/day in {generated:.1f} s, ingested in {ingested:.1f} s")
    conversations = pq.read_table(data.raw_day(day) / "conversations.parquet")
    events = pq.read_table(data.raw_day(day) / "events.parquet")
    truth = pd.read_json(data.raw / "synth_truth" / f"dt={day}" / "truth.jsonl", lines=True)
    return conversations, events, truth.set_index("conversation_id"), ingested


def speed(conversations: pa.Table, events: pa.Table, truth: pd.DataFrame) -> None:
    print("== 2. Speed and reasons on a generated day ==")
    judge = SignalsJudge()
    warm = conversations.slice(0, 50)
    judge_partition(
        judge, warm, events.filter(pc.is_in(events["conversation_id"], warm["conversation_id"]))
    )
    timings, cpu = [], []
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        judged = judge_partition(judge, conversations, events)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    seconds = float(np.median(timings))
    n = conversations.num_rows
    per_100k = seconds * 100_000 / n
    print(
        f"  signals judge: {n:,} conversations, {events.num_rows:,} events in {seconds:.2f} s "
        f"(median of 3; {n / seconds:,.0f} conversations/s; {per_100k:.2f} s per 100k = "
        f"{per_100k / DAY_RUN_SECONDS[1]:.1%}-{per_100k / DAY_RUN_SECONDS[0]:.1%} of a "
        f"{DAY_RUN_SECONDS[0]}-{DAY_RUN_SECONDS[1]} s day run)"
    )
    print(
        f"  CPU time {float(np.median(cpu)):.2f} s (wall time depends on what else runs; "
        f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"  peak RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    verdicts = Counter(judged["verdict"].to_pylist())
    print(f"  verdicts: {dict(verdicts)}")
    print("  reason codes (conversations):")
    for code, count in reason_counts(judged).items():
        print(f"    {code:28} {count:8,d} {count / n:6.1%}")
    ids = judged["conversation_id"].to_pylist()
    bot = truth.loc[ids, "bot_involved"].to_numpy(bool)
    latent = truth.loc[ids, "truly_resolved"].to_numpy(bool)
    said = np.array(judged["verdict"].to_pylist()) == "resolved"
    assumed = truth.loc[ids, "assumed_resolved"].to_numpy(bool)
    for name, rater in (
        ("assumed_resolved (ladder)", assumed),
        ("signals judge", said),
        ("ladder AND judge", assumed & said),
    ):
        a = binary_agreement(rater[bot], latent[bot], n_boot=500)
        print(
            f"  vs generator truth, {name:26} n={a.n:,} kappa {fmt(a, 'cohen_kappa')} AC1 {fmt(a, 'gwet_ac1')}"
        )
    print()


def learned(
    conversations: pa.Table, events: pa.Table, truth: pd.DataFrame, work: Path, sample_size: int
) -> None:
    print("== 3. Learned judge on simulated human labels ==")
    ids = conversations["conversation_id"].to_pylist()
    frame = truth.loc[ids].reset_index()
    frame = frame.loc[frame["bot_involved"]].assign(
        conversation_date=frame["partition_date"], durable_resolved=frame["assumed_resolved"]
    )
    labelers = ["labeler_1", "labeler_2", "labeler_3", "labeler_4"]
    plan = SamplingPlan(sample_size=sample_size, gold_rate=0.0, overlap=2, seed=3)
    items = stratified_sample(frame, plan, labelers=labelers, batch_id="bench").items
    tasks = [
        {
            "data": {
                "conversation_id": row.conversation_id,
                "batch_id": "bench",
                "guideline_version": "bench",
                "assigned_labelers": row.assigned_labelers.split(","),
            }
        }
        for row in items.itertuples()
    ]
    answers = pd.DataFrame(
        {
            "item_id": items["conversation_id"],
            "field": "resolved",
            "value": np.where(truth.loc[items["conversation_id"], "truly_resolved"], "yes", "no"),
        }
    )
    error_rates = dict(zip(labelers, (0.03, 0.05, 0.08, 0.1), strict=True))
    labels = parse_export(simulate_export(tasks, answers, error_rates, seed=4)).labels
    rest = frame.loc[~frame["conversation_id"].isin(items["conversation_id"])]
    held_out = rest.sample(min(10_000, len(rest)), random_state=5)["conversation_id"]
    chosen = pa.array(pd.concat([items["conversation_id"], held_out]).tolist())
    subset = conversations.filter(pc.is_in(conversations["conversation_id"], chosen))
    started = time.perf_counter()
    scrubbed = scrub_events(
        events.filter(pc.is_in(events["conversation_id"], chosen)), EVALUATION_KEY
    ).events
    print(
        f"  {len(items):,} sampled conversations labeled by {len(labelers)} simulated labelers "
        f"(error rates {list(error_rates.values())}, 2 per item); scrubbed with "
        f"{len(held_out):,} held-out ones in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    card = train(labels, subset, scrubbed, work / "models")
    print(
        f"  trained {card.version} on {card.n_labels:,} consensus labels in {time.perf_counter() - started:.1f} s"
    )
    for name, summary in (
        ("learned, 5-fold CV", card.cv),
        ("signals, same items", card.signals_on_same_labels),
    ):
        print(
            f"    {name:20} vs labels: accuracy {summary['accuracy']:.3f} kappa {summary['cohen_kappa']:.3f} "
            f"[{summary['cohen_kappa_ci_low']:.2f},{summary['cohen_kappa_ci_high']:.2f}] AC1 {summary['gwet_ac1']:.3f} "
            f"[{summary['gwet_ac1_ci_low']:.2f},{summary['gwet_ac1_ci_high']:.2f}]"
        )
    held = subset.filter(pc.is_in(subset["conversation_id"], pa.array(held_out.tolist())))
    held_events = scrubbed.filter(pc.is_in(scrubbed["conversation_id"], held["conversation_id"]))
    latent = truth.loc[held["conversation_id"].to_pylist(), "truly_resolved"].to_numpy(bool)
    for judge in (LearnedJudge(work / "models"), SignalsJudge()):
        started = time.perf_counter()
        rows = judge_partition(judge, held, held_events)
        elapsed = time.perf_counter() - started
        said = np.array(rows["verdict"].to_pylist()) == "resolved"
        a = binary_agreement(said, latent, n_boot=500)
        print(
            f"    {judge.name:8} on {a.n:,} unlabeled conversations vs truth: kappa {fmt(a, 'cohen_kappa')} "
            f"AC1 {fmt(a, 'gwet_ac1')} ({elapsed:.2f} s, {elapsed * 100_000 / held.num_rows:.1f} s per 100k)"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--per-day", type=int, default=100_000)
    parser.add_argument(
        "--sample-size", type=int, default=2_800, help="labeled conversations (demo: 14 days x 200)"
    )
    parser.add_argument(
        "--full-pipeline", action="store_true", help="real outcomes through `closedloop run`"
    )
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-learned", action="store_true")
    args = parser.parse_args()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    with tempfile.TemporaryDirectory(prefix="judge-bench-", dir="/tmp") as tmp:
        work = Path(tmp)
        real_outcomes(args.data, work, args.full_pipeline)
        if args.skip_speed and args.skip_learned:
            return
        print("== generating a day ==")
        conversations, events, truth, _ = generated_day(work, args.per_day)
        if not args.skip_speed:
            speed(conversations, events, truth)
        if not args.skip_learned:
            learned(conversations, events, truth, work, args.sample_size)


if __name__ == "__main__":
    main()
