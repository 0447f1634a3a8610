"""Judge assets: the learned judge's model, every conversation's verdicts, and the
judge-vs-human marts with the trust gate of the `verified` rung (docs/judges.md)."""

from collections.abc import Iterator

import dagster as dg

from pipelines.defs.partitions import (
    DAILY_WAREHOUSE_WRITER,
    partition_days,
)
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.scrub import SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS
from pipelines.judge.load import (
    build_judge_marts,
    judge_batch_size,
    judge_window,
    judges_for,
    retrain_learned_judge,
    write_judge_marts,
)

TRUST_CHECK = "judge_trusted"


# Whole-table assets partitioned like every other asset only so that a date-range
# backfill from the UI runs them in the same single run, with one backfill policy, as
# `closedloop run --start --end` does (issue 13 #9): the partition records the run.
@dg.asset(
    deps=[dg.AssetKey("annotations"), SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS],
    **DAILY_WAREHOUSE_WRITER,
    group_name="judge",
    kinds={"python"},
)
def learned_judge_model(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The learned judge, (re)trained on the human labels once enough of them exist."""
    with warehouse.connect() as con:
        outcome = retrain_learned_judge(
            con, warehouse.paths.judge_models, warehouse.loaded_settings
        )
    context.log.info(outcome.message)
    card = outcome.card
    metadata: dict[str, object] = {"trained_now": outcome.trained, "status": outcome.message}
    if card is not None:
        metadata |= {
            "version": card.version,
            "n_labels": card.n_labels,
            "cv_gwet_ac1": float(card.cv["gwet_ac1"]),
            "cv_gwet_ac1_ci_low": float(card.cv["gwet_ac1_ci_low"]),
            "cv_cohen_kappa": float(card.cv["cohen_kappa"]),
        }
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    deps=[SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS, learned_judge_model],
    **DAILY_WAREHOUSE_WRITER,
    group_name="judge",
    kinds={"python", "duckdb"},
)
def conversation_judgements(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Every conversation's verdict from the scrubbed text, per judge (main.conversation_judgements)."""
    days = partition_days(context)
    lineup = judges_for(warehouse.loaded_settings, warehouse.paths, log=context.log)
    for note in lineup.notes:
        context.log.warning(note)
    settings = warehouse.loaded_settings
    with warehouse.connect() as con, warehouse.scratch("judge") as scratch:
        window = judge_window(
            con,
            days,
            lineup.judges,
            scratch=scratch,
            batch_conversations=judge_batch_size(settings.memory_budget_mb),
        )
    conversations = window.conversations
    return dg.MaterializeResult(
        metadata={
            "rows": window.rows,
            "conversations": conversations,
            "judges": ", ".join(f"{judge.name} ({judge.version})" for judge in lineup.judges),
            "verdicts": window.verdicts,
            "seconds_per_100k": {
                name: round(seconds * 100_000 / conversations, 2) if conversations else 0.0
                for name, seconds in window.seconds.items()
            },
            "llm_cost_usd": round(window.llm_cost_usd, 4),
            "days": len(days),
        }
    )


@dg.asset(
    deps=[
        conversation_judgements,
        learned_judge_model,
        dg.AssetKey("annotations"),
        dg.AssetKey("annotation_sample"),
        dg.AssetKey("fct_conversations"),
    ],
    # whole-table, partitioned for one-run UI backfills (see learned_judge_model)
    **DAILY_WAREHOUSE_WRITER,
    group_name="judge",
    kinds={"python", "duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            TRUST_CHECK,
            asset="judge_marts",
            blocking=False,
            description="The judge in force agrees with the human consensus (lower 95% bound "
            "of Gwet's AC1 above judge_trust_threshold): only then is `verified` the headline.",
        )
    ],
)
def judge_marts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Judge-vs-human agreement, intent routing accuracy, and the trust gate (main.judge_trust)."""
    settings = warehouse.loaded_settings
    with warehouse.connect() as con:
        marts = build_judge_marts(con, settings, warehouse.paths.judge_models)
        write_judge_marts(con, marts)
    yield dg.MaterializeResult(
        metadata={
            "agreement_rows": len(marts.agreement),
            "intent_accuracy_rows": len(marts.intent_accuracy),
            "judge_versions": len(marts.trust),
        }
    )
    in_force = marts.in_force()
    # WARN, not ERROR: an untrusted judge is the normal state before enough labels
    # exist; the report then keeps durable as the headline and hides `verified`.
    yield dg.AssetCheckResult(
        check_name=TRUST_CHECK,
        passed=bool(in_force is not None and in_force["trusted"]),
        severity=dg.AssetCheckSeverity.WARN,
        description=str(in_force["message"]) if in_force is not None else "no judge in force",
        metadata={
            "judge": settings.judge,
            "n": int(in_force["n"]) if in_force is not None else 0,
            "threshold": settings.judge_trust_threshold,
        },
    )


defs = dg.Definitions(assets=[learned_judge_model, conversation_judgements, judge_marts])
