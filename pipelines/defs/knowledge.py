"""Knowledge-base assets: article versions, their US-norms lint, and the lint of the bot's answers."""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from pipelines.config import kb_dir
from pipelines.defs.partitions import (
    DAILY_WAREHOUSE_WRITER,
    partition_days,
)
from pipelines.defs.resources import WarehouseResource
from pipelines.judge.load import llm_client
from pipelines.knowledge.drafts import Drafter, ExtractiveDrafter
from pipelines.knowledge.gap_load import (
    draft_top_gaps,
    refresh_topics,
    rewrite_gaps,
    rewrite_uplift,
)
from pipelines.knowledge.gaps import GapParams
from pipelines.knowledge.linter import Linter
from pipelines.knowledge.llm_drafts import LLMDrafter
from pipelines.knowledge.load import (
    current_lint_problems,
    refresh_articles,
    rewrite_bot_answer_lint,
    rewrite_kb_lint,
)
from pipelines.knowledge.rules import LintConfig

LOAD_CHECK = "every_article_loads"
NORMS_CHECK = "published_articles_meet_us_norms"
SCRUBBED_EVENTS = dg.AssetKey(["scrubbed", "events"])
FCT_CONVERSATIONS = dg.AssetKey("fct_conversations")
UPLIFT_WINDOW_DAYS = 28


def _linter(warehouse: WarehouseResource) -> Linter:
    return Linter(LintConfig(readability_grade=warehouse.loaded_settings.kb_readability_grade))


def _drafter(warehouse: WarehouseResource, context: dg.AssetExecutionContext) -> Drafter:
    """The ``kb_drafter`` setting's drafter (Settings require the llm_* values for llm)."""
    settings = warehouse.loaded_settings
    client = llm_client(settings, warehouse.paths) if settings.kb_drafter == "llm" else None
    return LLMDrafter(client, log=context.log) if client else ExtractiveDrafter()


# Whole-table assets partitioned like every other asset only so that a date-range
# backfill from the UI runs them in the same single run, with one backfill policy, as
# `closedloop run --start --end` does (issue 13 #9): the partition records the run.
@dg.asset(
    **DAILY_WAREHOUSE_WRITER,
    group_name="knowledge",
    kinds={"python", "duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            LOAD_CHECK,
            asset="kb_articles",
            blocking=False,
            description="Every article file of the KB folder loads (id, front matter, HTML).",
        )
    ],
)
def kb_articles(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Every version of every KB article, by content hash, first and last seen (main.kb_article_versions)."""
    folder = kb_dir(warehouse.paths, warehouse.loaded_settings)
    with warehouse.connect() as con:
        refreshed = refresh_articles(con, folder, datetime.now(UTC))
    if not refreshed.folder_exists:
        context.log.warning(f"no knowledge base at {folder} (setting kb_path): nothing read")
    versions = refreshed.versions
    yield dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(folder)),
            "files_read": refreshed.loaded.files_read,
            "articles": len(refreshed.loaded.articles),
            "errors": len(refreshed.loaded.errors),
            "new_versions": refreshed.new_versions,
            "current_articles": int(versions["is_current"].sum()) if len(versions) else 0,
        }
    )
    errors = refreshed.loaded.errors
    # ERROR, not blocking: one broken file must not hold back the articles that load.
    # Messages name files, fields and lines, never article text.
    yield dg.AssetCheckResult(
        check_name=LOAD_CHECK,
        passed=not errors,
        severity=dg.AssetCheckSeverity.ERROR,
        description="\n".join(f"{e.origin}: {e.reason}: {e.message}" for e in errors[:50])
        or f"{len(refreshed.loaded.articles)} articles loaded",
        metadata={"errors": len(errors)},
    )


@dg.asset(
    deps=[kb_articles],
    # whole-table, partitioned for one-run UI backfills (see kb_articles)
    **DAILY_WAREHOUSE_WRITER,
    group_name="knowledge",
    kinds={"python", "duckdb"},
)
def mart_kb_lint(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """US-norms lint findings per article version (main.mart_kb_lint)."""
    with warehouse.connect() as con:
        rows = rewrite_kb_lint(con, _linter(warehouse))
    return dg.MaterializeResult(
        metadata={
            "findings": len(rows),
            "errors": int((rows["severity"] == "error").sum()),
            "articles_with_findings": int(rows["article_id"].nunique()),
        }
    )


@dg.asset_check(
    asset=kb_articles,
    additional_deps=[mart_kb_lint],
    blocking=False,
    description="The current version of every published article has no error-severity lint finding.",
)
def published_articles_meet_us_norms(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """WARN: a finding is a content fix for the KB team, not a reason to stop the run."""
    with warehouse.connect() as con:
        problems = current_lint_problems(con)
    lines = [
        f"{row.article_id} v{row.version} line {row.line}: {row.rule} "
        f"{row.excerpt!r} -> {row.suggestion}"
        for row in problems.itertuples(index=False)
    ]
    return dg.AssetCheckResult(
        passed=problems.empty,
        severity=dg.AssetCheckSeverity.WARN,
        description="\n".join(lines[:50]) or "no error-severity finding in published articles",
        metadata={
            "findings": len(problems),
            "articles": int(problems["article_id"].nunique()) if len(problems) else 0,
        },
    )


@dg.asset(
    deps=[SCRUBBED_EVENTS],
    **DAILY_WAREHOUSE_WRITER,
    group_name="knowledge",
    kinds={"python", "duckdb"},
)
def mart_bot_answer_lint(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """US-norms lint findings per distinct bot answer per day, with times sent (main.mart_bot_answer_lint)."""
    days = partition_days(context)
    with warehouse.connect() as con:
        rows = rewrite_bot_answer_lint(con, days, _linter(warehouse))
    return dg.MaterializeResult(
        metadata={
            "findings": len(rows),
            "answers_with_findings": int(rows["answer_hash"].nunique()) if len(rows) else 0,
            "times_sent": int(
                rows.drop_duplicates(["partition_date", "answer_hash"])["times_sent"].sum()
            )
            if len(rows)
            else 0,
        }
    )


_PARTITIONED = {
    **DAILY_WAREHOUSE_WRITER,
    "group_name": "knowledge",
    "kinds": {"python", "duckdb"},
}


@dg.asset(deps=[SCRUBBED_EVENTS, FCT_CONVERSATIONS], **_PARTITIONED)
def kb_topics(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Topics of customers' opening turns: the run's days assigned by the stored model, refitted on the 28-day window when stale (main.kb_topics, main.kb_topic_assignments)."""
    days = partition_days(context)
    with warehouse.connect() as con:
        refreshed = refresh_topics(
            con, days, refit_days=warehouse.loaded_settings.kb_topic_refit_days
        )
    return dg.MaterializeResult(
        metadata={
            "as_of": days[-1].isoformat(),
            "topics": len(refreshed.topics),
            "new_topics": refreshed.new_topics,
            "days_assigned": len(refreshed.days),
            "conversations": refreshed.conversations,
            "outlier_share": round(refreshed.outlier_share, 4),
            "loose_share": round(refreshed.loose_share, 4),
            "refit": refreshed.refit or "",
            "texts_fitted": refreshed.texts_fitted,
        }
    )


@dg.asset(deps=[kb_topics, kb_articles], **_PARTITIONED)
def mart_kb_gaps(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Topics ranked by the resolutions they cost, with the best published article and a gap flag (main.mart_kb_gaps)."""
    as_of = partition_days(context)[-1]
    with warehouse.connect() as con:
        rows = rewrite_gaps(
            con,
            as_of,
            GapParams(coverage_threshold=warehouse.loaded_settings.kb_coverage_threshold),
        )
    month = rows[rows["window_days"] == 28]
    return dg.MaterializeResult(
        metadata={
            "as_of": as_of.isoformat(),
            "rows": len(rows),
            "gaps_28d": int(month["is_gap"].sum()),
            "top_gap_28d": str(month.loc[month["is_gap"], "label"].head(1).squeeze())
            if month["is_gap"].any()
            else "",
        }
    )


@dg.asset(deps=[mart_kb_gaps], **_PARTITIONED)
def kb_faq_drafts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """FAQ drafts for the top gaps (setting kb_drafter), for review, in <kb>/drafts/ (never published by the pipeline)."""
    as_of = partition_days(context)[-1]
    folder = kb_dir(warehouse.paths, warehouse.loaded_settings)
    if not folder.is_dir():
        context.log.warning(f"no knowledge base at {folder}: no drafts written")
        return dg.MaterializeResult(metadata={"drafts_written": 0})
    drafter = _drafter(warehouse, context)
    with warehouse.connect() as con:
        written = draft_top_gaps(
            con, as_of, folder, _linter(warehouse), datetime.now(UTC), drafter=drafter
        )
    skipped = drafter.skipped if isinstance(drafter, LLMDrafter) else []
    if skipped:
        context.log.warning(
            f"llm drafter: skipped {len(skipped)} topics ({skipped[0]}); the next run retries them"
        )
    return dg.MaterializeResult(
        metadata={
            "drafter": drafter.name,
            "drafts_written": len(written),
            "topics_skipped": len(skipped),
            "files": [str(path) for path in written],
        }
    )


@dg.asset(deps=[kb_topics, kb_articles], **_PARTITIONED)
def mart_kb_uplift(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Resolution rate of each published article's topic before/after, with CIs and diff-in-diff (main.mart_kb_uplift)."""
    as_of = partition_days(context)[-1]
    with warehouse.connect() as con:
        rows = rewrite_uplift(con, as_of, UPLIFT_WINDOW_DAYS, warehouse.loaded_settings.min_n)
    return dg.MaterializeResult(
        metadata={
            "articles": len(rows),
            "conclusive": int((~rows["inconclusive"].astype(bool)).sum()) if len(rows) else 0,
        }
    )


defs = dg.Definitions(
    assets=[
        kb_articles,
        mart_kb_lint,
        mart_bot_answer_lint,
        kb_topics,
        mart_kb_gaps,
        kb_faq_drafts,
        mart_kb_uplift,
    ],
    asset_checks=[published_articles_meet_us_norms],
)
