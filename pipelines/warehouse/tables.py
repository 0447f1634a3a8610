"""Every warehouse table the Python assets write: its name, fixed Arrow schema and DDL.

One definition per table. The DDL is generated from the Arrow schema, and writers cast
each incoming batch to that schema (:func:`pipelines.warehouse.io.replace_partitions`),
so a column's type and nullability never depend on what one batch happened to hold
(an all-null ``intent`` column would otherwise arrive as ``null`` type). dbt's tables
are dbt's: they are not declared here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from schemas.canonical import TS
from schemas.judgements import JUDGEMENT_SCHEMA, LLM_USAGE_SCHEMA

# DuckDB type of each Arrow type used below. A column can override it (JSON).
_SQL_TYPES: dict[pa.DataType, str] = {
    pa.date32(): "date",
    pa.string(): "varchar",
    pa.int8(): "tinyint",
    pa.int32(): "integer",
    pa.int64(): "bigint",
    pa.float64(): "double",
    pa.bool_(): "boolean",
    TS: "timestamptz",
    pa.list_(pa.string()): "varchar[]",
    pa.list_(pa.int32()): "integer[]",
    pa.list_(pa.float64()): "double[]",
    pa.list_(pa.list_(pa.float64())): "double[][]",
}


@dataclass(frozen=True)
class Table:
    """A warehouse table: ``schema.name``, its columns, and the column that partitions it
    (None: the table is replaced whole)."""

    name: str
    columns: pa.Schema
    partition_column: str | None = "partition_date"
    sql_types: tuple[tuple[str, str], ...] = ()  # (column, DuckDB type) overrides

    @property
    def schema_name(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def table_name(self) -> str:
        return self.name.split(".", 1)[1]

    def sql_type(self, column: pa.Field) -> str:
        return dict(self.sql_types).get(column.name) or _SQL_TYPES[column.type]

    def column_ddl(self, column: pa.Field) -> str:
        return f'"{column.name}" {self.sql_type(column)}' + ("" if column.nullable else " not null")

    @property
    def ddl(self) -> str:
        columns = ",\n    ".join(self.column_ddl(column) for column in self.columns)
        return f"create table if not exists {self.name} (\n    {columns}\n)"


def _fields(*columns: tuple[str, pa.DataType] | tuple[str, pa.DataType, bool]) -> pa.Schema:
    """``(name, type)`` is nullable; ``(name, type, False)`` is not."""
    return pa.schema(
        [pa.field(c[0], c[1], nullable=c[2] if len(c) == 3 else True) for c in columns]  # type: ignore[misc]
    )


# --- Scrubbed transcripts (dbt sources) --------------------------------------------

SCRUBBED_CONVERSATIONS = Table(
    "scrubbed.conversations",
    _fields(
        ("partition_date", pa.date32(), False),
        ("conversation_id", pa.string(), False),
        ("source", pa.string(), False),
        ("started_at", TS, False),
        ("ended_at", TS),
        ("channel", pa.string()),
        ("locale", pa.string()),
        ("market", pa.string()),
        ("customer_key", pa.string()),
        ("bot_version", pa.string()),
        ("intent", pa.string()),
        ("csat_score", pa.int8()),
        ("csat_submitted_at", TS),
    ),
)
SCRUBBED_EVENTS = Table(
    "scrubbed.events",
    _fields(
        ("partition_date", pa.date32(), False),
        ("conversation_id", pa.string(), False),
        ("seq", pa.int32(), False),
        ("sent_at", TS, False),
        ("actor", pa.string(), False),
        ("event_type", pa.string(), False),
        ("text", pa.string()),
        ("agent_key", pa.string()),
        ("payload", pa.string()),
    ),
)
PII_DETECTIONS_DAILY = Table(
    "main.pii_detections_daily",
    _fields(
        ("partition_date", pa.date32(), False),
        ("entity_type", pa.string(), False),
        ("count", pa.int64(), False),
    ),
)

# --- Ingest --------------------------------------------------------------------------

INGEST_AUDIT = Table(
    "main.ingest_audit",
    _fields(
        ("partition_date", pa.date32(), False),
        ("source_file", pa.string(), False),
        ("records_read", pa.int64(), False),
        ("records_loaded", pa.int64(), False),
        ("records_quarantined", pa.int64(), False),
        ("reason_counts", pa.string(), False),
    ),
    sql_types=(("reason_counts", "json"),),
)

# --- The PII key's fingerprint (see pipelines.warehouse.fingerprint) -----------------

PII_KEY_FINGERPRINT = Table(
    "main.pii_key_fingerprint",
    _fields(
        ("fingerprint", pa.string(), False),
        ("key_source", pa.string(), False),
        ("reason", pa.string(), False),
        ("recorded_at", TS, False),
    ),
    partition_column=None,
)

# --- The dbt run's rebuild window (see pipelines.dbt_args.dbt_window) -----------------

# One row, written before every dbt invocation of a run: dbt reads the window from here
# (var window_from_warehouse) rather than from --vars, so the vars stay the same from
# run to run and dbt keeps its partial parse (docs/performance.md).
DBT_RUN_WINDOW = Table(
    "main.dbt_run_window",
    _fields(("min_date", pa.date32(), False), ("max_date", pa.date32(), False)),
    partition_column=None,
)

# Which tables (and which of their days) every write since the warehouse began has
# touched: the publish re-reads only those (pipelines/warehouse/journal.py). NULL days:
# the whole table.
CHANGE_JOURNAL = Table(
    "main._closedloop_changes",
    _fields(
        ("seq", pa.int64(), False),
        ("table_name", pa.string(), False),
        ("first_day", pa.date32()),
        ("last_day", pa.date32()),
        ("recorded_at", TS, False),
    ),
    partition_column=None,
)

# --- Annotation ----------------------------------------------------------------------

ANNOTATION_SAMPLE = Table(
    "annotation.sample",
    _fields(
        ("batch_date", pa.date32()),
        ("batch_id", pa.string()),
        ("conversation_id", pa.string()),
        ("conversation_date", pa.date32()),
        ("intent", pa.string()),
        ("channel", pa.string()),
        ("bot_version", pa.string()),
        ("outcome", pa.string()),
        ("stratum", pa.string()),
        ("stratum_population", pa.int64()),
        ("stratum_sample_size", pa.int64()),
        ("inclusion_prob", pa.float64()),
        ("is_gold", pa.bool_()),
        ("assigned_labelers", pa.string()),
    ),
    partition_column="batch_date",
)
ANNOTATION_LABELS = Table(
    "annotation.labels",
    _fields(
        ("batch_id", pa.string()),
        ("guideline_version", pa.string()),
        ("item_id", pa.string()),
        ("annotator_id", pa.string()),
        ("field", pa.string()),
        ("value", pa.string()),
        ("is_gold", pa.bool_()),
        ("is_adjudication", pa.bool_()),
        ("imported_at", TS),
    ),
    partition_column=None,
)
# The annotation marts (agreement per batch x field, labelers, calibrated resolution)
# are small and recomputed whole from the statistics in pipelines.stats, whose column
# lists they follow; they are written with pipelines.warehouse.io.replace_table_from_frame.
ANNOTATION_MARTS = (
    "main.mart_annotation_agreement",
    "main.mart_resolution_calibrated",
    "main.mart_annotation_labelers",
)

# --- Monitoring (docs/monitoring.md) --------------------------------------------------

METRIC_ANOMALIES = Table(
    "main.mart_metric_anomalies",
    _fields(
        ("date", pa.date32()),
        ("metric", pa.string()),
        ("dimension", pa.string()),
        ("slice", pa.string()),
        ("value", pa.float64()),
        ("expected", pa.float64()),
        ("expected_low", pa.float64()),
        ("expected_high", pa.float64()),
        ("n", pa.int64()),
        ("z_score", pa.float64()),
        ("direction", pa.string()),
        ("severity", pa.string()),
        ("is_final", pa.bool_()),
    ),
    partition_column="date",
)
METRIC_MOVERS = Table(
    "main.mart_metric_movers",
    _fields(
        ("date", pa.date32()),
        ("comparison", pa.string()),
        ("metric", pa.string()),
        ("is_final", pa.bool_()),
        ("dimension", pa.string()),
        ("slice", pa.string()),
        ("share_before", pa.float64()),
        ("share_after", pa.float64()),
        ("rate_before", pa.float64()),
        ("rate_after", pa.float64()),
        ("mix_effect", pa.float64()),
        ("rate_effect", pa.float64()),
        ("contribution", pa.float64()),
        ("rank", pa.int32()),
        ("total_change", pa.float64()),
    ),
    partition_column="date",
)
BOT_VERSIONS = Table(
    "main.mart_bot_versions",
    _fields(
        ("date", pa.date32()),
        ("window_start", pa.date32()),
        ("intent", pa.string()),
        ("metric", pa.string()),
        ("version_latest", pa.string()),
        ("version_previous", pa.string()),
        ("n_latest", pa.int64()),
        ("n_previous", pa.int64()),
        ("rate_latest", pa.float64()),
        ("rate_latest_ci_low", pa.float64()),
        ("rate_latest_ci_high", pa.float64()),
        ("rate_previous", pa.float64()),
        ("rate_previous_ci_low", pa.float64()),
        ("rate_previous_ci_high", pa.float64()),
        ("difference", pa.float64()),
        ("z_stat", pa.float64()),
        ("p_value", pa.float64()),
        ("p_adjusted", pa.float64()),
        ("tested", pa.bool_()),
        ("significant", pa.bool_()),
        ("is_final", pa.bool_()),
    ),
    partition_column="date",
)
MONITORING_TABLES = {
    table.table_name: table for table in (METRIC_ANOMALIES, METRIC_MOVERS, BOT_VERSIONS)
}

# --- Judges (docs/judges.md) -----------------------------------------------------------

# One row per conversation and judge (the signals judge always, the configured judge
# and sampled LLM verdicts besides); dbt reads the configured judge's verdict.
CONVERSATION_JUDGEMENTS = Table(
    "main.conversation_judgements",
    pa.schema([JUDGEMENT_SCHEMA.field("partition_date"), *JUDGEMENT_SCHEMA.remove(1)]),
)
LLM_USAGE = Table("main.llm_usage", LLM_USAGE_SCHEMA)
# The FAQ drafter's LLM calls (pipelines.knowledge.llm_drafts), same columns: a table of
# their own because the judge replaces llm_usage's days whole on every re-run.
KB_DRAFT_LLM_USAGE = Table("main.kb_draft_llm_usage", LLM_USAGE_SCHEMA)
# Which judge versions may drive the headline `verified` rung (the trust gate), with
# the agreement behind each decision; recomputed whole by judge_marts.
JUDGE_TRUST = Table(
    "main.judge_trust",
    _fields(
        ("judge", pa.string(), False),
        ("judge_version", pa.string(), False),
        ("in_force", pa.bool_(), False),
        ("trusted", pa.bool_(), False),
        ("n", pa.int64(), False),
        ("gwet_ac1", pa.float64()),
        ("gwet_ac1_ci_low", pa.float64()),
        ("threshold", pa.float64(), False),
        ("message", pa.string(), False),
        ("evaluated_at", TS, False),
    ),
    partition_column=None,
)
# Judge-vs-human agreement and intent routing: recomputed whole from the statistics in
# pipelines.judge.marts, whose column lists they follow (like ANNOTATION_MARTS).
JUDGE_MARTS = (
    "main.mart_judge_agreement",
    "main.mart_intent_accuracy",
    "main.mart_intent_confusions",
)

# --- Knowledge base (docs/knowledge-base.md) -----------------------------------------

# Every version an article has had (pipelines.knowledge.versions); never deleted, so a
# metric change can be tied to the article change before it. Small: replaced whole.
KB_ARTICLE_VERSIONS = Table(
    "main.kb_article_versions",
    _fields(
        ("article_id", pa.string(), False),
        ("version", pa.int64(), False),
        ("content_hash", pa.string(), False),
        ("first_seen", TS, False),
        ("last_seen", TS, False),
        ("is_current", pa.bool_(), False),
        ("source", pa.string(), False),
        ("origin", pa.string(), False),
        ("title", pa.string(), False),
        ("locale", pa.string(), False),
        ("status", pa.string(), False),
        ("updated_at", TS),
        ("intents", pa.string(), False),
        ("lint_ignore", pa.string(), False),
        ("body", pa.string(), False),
        ("body_line", pa.int64(), False),
        ("topic_id", pa.string()),
    ),
    partition_column=None,
    sql_types=(("intents", "json"), ("lint_ignore", "json")),
)
# One row per finding per article version (pipelines.knowledge.marts.kb_lint_rows).
KB_LINT = Table(
    "main.mart_kb_lint",
    _fields(
        ("article_id", pa.string(), False),
        ("version", pa.int64(), False),
        ("rule", pa.string(), False),
        ("category", pa.string(), False),
        ("severity", pa.string(), False),
        ("line", pa.int64(), False),
        ("column", pa.int64(), False),
        ("excerpt", pa.string(), False),
        ("suggestion", pa.string(), False),
        ("message", pa.string(), False),
    ),
    partition_column=None,
)
# One row per finding per distinct bot answer per day (bot_answer_lint_rows), by the
# day the answers were sent, so a run pays for its window only.
BOT_ANSWER_LINT = Table(
    "main.mart_bot_answer_lint",
    _fields(
        ("partition_date", pa.date32(), False),
        ("answer_hash", pa.string(), False),
        ("answer_text", pa.string(), False),
        ("times_sent", pa.int64(), False),
        ("rule", pa.string(), False),
        ("category", pa.string(), False),
        ("severity", pa.string(), False),
        ("excerpt", pa.string(), False),
        ("suggestion", pa.string(), False),
        ("message", pa.string(), False),
    ),
)

# Topics of customers' opening turns (pipelines.knowledge.topics): the registry keeps
# every topic ever found, so an id is never reused; replaced whole.
KB_TOPICS = Table(
    "main.kb_topics",
    _fields(
        ("topic_id", pa.string(), False),
        ("label", pa.string(), False),
        ("top_terms", pa.string(), False),
        ("representative_utterance", pa.string(), False),
        ("centroid", pa.string(), False),
        ("conversations", pa.int64(), False),
        ("first_seen", pa.date32(), False),
        ("last_seen", pa.date32(), False),
    ),
    partition_column=None,
    sql_types=(("top_terms", "json"), ("centroid", "json")),
)
# One row per bot-involved conversation of the last fit's window (topic_id NULL: outlier).
KB_TOPIC_ASSIGNMENTS = Table(
    "main.kb_topic_assignments",
    _fields(
        ("conversation_date", pa.date32(), False),
        ("conversation_id", pa.string(), False),
        ("topic_id", pa.string()),
        ("similarity", pa.float64(), False),
    ),
    partition_column="conversation_date",
)
# The topic model in force (pipelines.knowledge.topics.TopicModel), one row, replaced
# whole with the registry when a run refits: what assigns each new day's openings.
KB_TOPIC_MODEL = Table(
    "main.kb_topic_model",
    _fields(
        ("fitted_on", pa.date32(), False),
        ("version", pa.string(), False),
        ("terms", pa.list_(pa.string()), False),
        ("idf", pa.list_(pa.float64()), False),
        ("topic_ids", pa.list_(pa.string()), False),
        ("centers", pa.list_(pa.list_(pa.float64())), False),
        ("outlier_bar", pa.float64(), False),
        ("loose_share", pa.float64(), False),
        ("texts_fitted", pa.int64(), False),
        ("window_texts", pa.int64(), False),
    ),
    partition_column=None,
)
# One row per distinct cleaned opening per day of bot-involved conversations: what a
# refit samples from without reading the window's events again.
KB_TOPIC_TEXTS = Table(
    "main.kb_topic_texts",
    _fields(
        ("conversation_date", pa.date32(), False),
        ("text", pa.string(), False),
        ("original", pa.string(), False),
        ("conversations", pa.int64(), False),
        ("first_conversation_id", pa.string(), False),
    ),
    partition_column="conversation_date",
)
# pipelines.knowledge.gaps.GAP_COLUMNS, one row per (as_of_date, window_days, topic).
KB_GAPS = Table(
    "main.mart_kb_gaps",
    _fields(
        ("as_of_date", pa.date32(), False),
        ("window_days", pa.int64(), False),
        ("rank", pa.int64(), False),
        ("topic_id", pa.string(), False),
        ("label", pa.string(), False),
        ("representative_utterance", pa.string(), False),
        ("conversations", pa.int64(), False),
        ("unresolved", pa.int64(), False),
        ("resolution_rate", pa.float64(), False),
        ("resolution_points_lost", pa.float64(), False),
        ("best_article_id", pa.string()),
        ("best_article_score", pa.float64(), False),
        ("is_gap", pa.bool_(), False),
        ("matched_by", pa.string()),
        ("example_conversation_ids", pa.string(), False),
        ("first_seen", pa.date32()),
        ("trend", pa.float64()),
    ),
    partition_column="as_of_date",
    sql_types=(("example_conversation_ids", "json"),),
)
# pipelines.knowledge.uplift.UPLIFT_COLUMNS, one row per (as_of_date, article).
KB_UPLIFT = Table(
    "main.mart_kb_uplift",
    _fields(
        ("as_of_date", pa.date32(), False),
        ("article_id", pa.string(), False),
        ("topic_id", pa.string(), False),
        ("published_date", pa.date32(), False),
        ("window_days", pa.int64(), False),
        ("n_before", pa.int64(), False),
        ("rate_before", pa.float64()),
        ("rate_before_ci_low", pa.float64()),
        ("rate_before_ci_high", pa.float64()),
        ("n_after", pa.int64(), False),
        ("rate_after", pa.float64()),
        ("rate_after_ci_low", pa.float64()),
        ("rate_after_ci_high", pa.float64()),
        ("difference", pa.float64()),
        ("difference_ci_low", pa.float64()),
        ("difference_ci_high", pa.float64()),
        ("others_rate_before", pa.float64()),
        ("others_rate_after", pa.float64()),
        ("diff_in_diff", pa.float64()),
        ("diff_in_diff_ci_low", pa.float64()),
        ("diff_in_diff_ci_high", pa.float64()),
        ("inconclusive", pa.bool_(), False),
    ),
    partition_column="as_of_date",
)

# --- Read from dbt (not owned here; named once so a rename is one line) ----------------

FCT_CONVERSATIONS = "main.fct_conversations"

TABLES: tuple[Table, ...] = (
    SCRUBBED_CONVERSATIONS,
    SCRUBBED_EVENTS,
    PII_DETECTIONS_DAILY,
    INGEST_AUDIT,
    PII_KEY_FINGERPRINT,
    DBT_RUN_WINDOW,
    CHANGE_JOURNAL,
    ANNOTATION_SAMPLE,
    ANNOTATION_LABELS,
    METRIC_ANOMALIES,
    METRIC_MOVERS,
    BOT_VERSIONS,
    CONVERSATION_JUDGEMENTS,
    LLM_USAGE,
    KB_DRAFT_LLM_USAGE,
    JUDGE_TRUST,
    KB_ARTICLE_VERSIONS,
    KB_LINT,
    BOT_ANSWER_LINT,
    KB_TOPICS,
    KB_TOPIC_ASSIGNMENTS,
    KB_TOPIC_MODEL,
    KB_TOPIC_TEXTS,
    KB_GAPS,
    KB_UPLIFT,
)
