"""The daily HTML report: one self-contained file people can open offline or attach.

Rendered from DataFrames only (the caller queries the marts). Plotly.js is inlined
once in the page head and every chart div reuses it, so the file works without a
network (no CDN) and stays a single ~5 MB file instead of one copy per chart.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from pipelines.knowledge.gap_load import latest_gaps, latest_uplift
from pipelines.knowledge.load import kb_lint_summary, top_bot_answer_findings
from pipelines.monitoring import queries
from pipelines.monitoring.provisional import ESTIMATE_COLUMNS, final_rate_estimates
from pipelines.stats.wilson import wilson_interval
from pipelines.warehouse.tables import BOT_VERSIONS, METRIC_ANOMALIES, METRIC_MOVERS

# Days of history in the trend chart.
TREND_DAYS = 28
REPORT_GAPS = 5
# Weeks of routing labels pooled for the worst-routed intents: labels arrive in
# batches and lag the traffic, so one week rarely has min_n per intent.
ROUTING_DAYS = 28
WORST_ROUTED = 5

LADDER = (
    ("bot_involved", "Bot involved"),
    ("contained", "Contained"),
    ("assumed_resolved", "Assumed resolved"),
    ("confirmed_resolved", "Confirmed"),
    ("durable_resolved", "Durable"),
)
HEADLINES = (
    ("resolution_rate", "Resolution rate", "durable_resolved", "bot_involved"),
    ("containment_rate", "Containment", "contained", "bot_involved"),
    ("handoff_rate", "Handoff rate", "handed_off", "bot_involved"),
    ("abandonment_rate", "Abandonment", "abandoned", "bot_involved"),
    ("csat_top2_rate", "CSAT top-2", "csat_top2", "csat_responses"),
)
# The values of mart_metric_movers.metric (pipelines/monitoring/movers.py) in words.
MOVER_METRICS = {
    "resolution_rate": "durable resolution rate, both days final",
    "resolution_rate_equal_horizon": (
        "durable resolution rate at equal observation horizon: the day is provisional, "
        "so the earlier day counts only recontacts seen within the same time"
    ),
}
INK, ACCENT, MUTED, ALERT = "#1f2933", "#2563eb", "#94a3b8", "#dc2626"
PROVISIONAL = "#d97706"


@dataclass(frozen=True)
class JudgeStatus:
    """The judge in force and whether it may drive the headline (``main.judge_trust``).
    ``verified``: (verified_resolved, bot_involved) of the day, read only when trusted."""

    judge: str
    judge_version: str
    trusted: bool
    n: int
    gwet_ac1: float
    gwet_ac1_ci_low: float
    threshold: float
    message: str
    verified: tuple[int, int] | None = None


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows; frames may be empty (the section then says so).

    - ``daily``: one row per date of the trailing window (up to and including
      ``day``) with ``date``, ``is_final`` and the count columns of ``LADDER`` and
      ``HEADLINES``.
    - ``anomalies``: rows of ``pipelines.stats.control.ANOMALY_COLUMNS`` for ``day``.
    - ``movers``: rows of ``pipelines.stats.decomposition.MOVER_COLUMNS`` for ``day``.
    - ``handoff_reasons``: ``handoff_reason, conversations`` for ``day``.
    - ``csat_scores``: ``csat_score, conversations`` for ``day``.
    - ``intents``: ``intent, n, durable_resolved`` over the trailing week.
    - ``version_tests``: rows of ``pipelines.stats.versions.VERSION_TEST_COLUMNS``
      for ``day`` (only significant ones are shown).
    - ``judge``: the judge in force and its trust; the verified rung is shown only
      while it is trusted.
    - ``estimates``: ``pipelines.monitoring.provisional.ESTIMATE_COLUMNS`` for the
      provisional days of ``daily``: their estimated final resolution rate.
    - ``ingest``: ``main.ingest_audit`` rows of ``day`` (``queries.ingest_audit``).
    - ``pii``: PII detections of ``day`` by entity type (``queries.pii_detections``).
    - ``kb_lint``: ``category, severity, findings, articles`` of the current KB
      articles (``pipelines.knowledge.load.kb_lint_summary``).
    - ``bot_answer_findings``: the most-sent bot answers with findings over the
      trailing week (``top_bot_answer_findings``).
    - ``kb_gaps``: the top rows of ``mart_kb_gaps`` (28-day window) as of ``day``.
    - ``kb_uplift``: ``mart_kb_uplift`` as of ``day``.
    - ``intent_routing``: ``queries.intent_routing`` over the trailing
      ``ROUTING_DAYS``: labeled conversations per bot intent, how many humans agreed
      with the routing, and the intent's costliest confusion.
    """

    day: date
    daily: pd.DataFrame
    anomalies: pd.DataFrame
    movers: pd.DataFrame
    handoff_reasons: pd.DataFrame
    csat_scores: pd.DataFrame
    intents: pd.DataFrame
    version_tests: pd.DataFrame = field(default_factory=pd.DataFrame)
    min_n: int = 30
    judge: JudgeStatus | None = None  # None: no judge has been measured yet
    estimates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ESTIMATE_COLUMNS))
    ingest: pd.DataFrame = field(default_factory=pd.DataFrame)
    pii: pd.DataFrame = field(default_factory=pd.DataFrame)
    kb_lint: pd.DataFrame = field(default_factory=pd.DataFrame)
    bot_answer_findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    kb_gaps: pd.DataFrame = field(default_factory=pd.DataFrame)
    kb_uplift: pd.DataFrame = field(default_factory=pd.DataFrame)
    intent_routing: pd.DataFrame = field(default_factory=pd.DataFrame)


def report_data(con: duckdb.DuckDBPyConnection, day: date, min_n: int) -> ReportData:
    """Everything the report of ``day`` shows, read from the marts and monitoring tables."""
    daily = queries.daily_counts(con, day - timedelta(days=TREND_DAYS - 1), day)
    return ReportData(
        day=day,
        daily=daily,
        estimates=final_rate_estimates(con, daily),
        ingest=queries.ingest_audit(con, day),
        pii=queries.pii_detections(con, day),
        anomalies=queries.read_window(con, METRIC_ANOMALIES.table_name, day, day),
        movers=queries.read_window(con, METRIC_MOVERS.table_name, day, day),
        handoff_reasons=queries.handoff_reasons(con, day),
        csat_scores=queries.csat_scores(con, day),
        intents=queries.intent_counts(con, day),
        version_tests=queries.read_window(con, BOT_VERSIONS.table_name, day, day),
        min_n=min_n,
        kb_lint=kb_lint_summary(con),
        bot_answer_findings=top_bot_answer_findings(con, day - timedelta(days=6), day),
        kb_gaps=latest_gaps(con, day, window_days=28, limit=REPORT_GAPS),
        kb_uplift=latest_uplift(con, day),
        judge=judge_status(con, day),
        intent_routing=queries.intent_routing(con, day, ROUTING_DAYS),
    )


def judge_status(con: duckdb.DuckDBPyConnection, day: date) -> JudgeStatus | None:
    """The judge in force; the day's verified counts are read only when it is trusted."""
    trust = queries.judge_in_force(con)
    if trust is None:
        return None
    trusted = bool(trust["trusted"])
    return JudgeStatus(
        judge=str(trust["judge"]),
        judge_version=str(trust["judge_version"]),
        trusted=trusted,
        n=int(trust["n"]),
        gwet_ac1=float(trust["gwet_ac1"]),
        gwet_ac1_ci_low=float(trust["gwet_ac1_ci_low"]),
        threshold=float(trust["threshold"]),
        message=str(trust["message"]),
        verified=queries.verified_counts(con, day) if trusted else None,
    )


def report_path(reports_dir: Path, day: date) -> Path:
    return reports_dir / f"{day.isoformat()}.html"


def write_report(data: ReportData, reports_dir: Path) -> Path:
    """Render ``data`` to ``reports_dir/YYYY-MM-DD.html`` atomically and return the path.

    Written as ``.html.partial`` and renamed, so a reader never sees half a report; a
    failed write (a full disk) removes its partial file instead of leaving it behind.
    """
    reports_dir.mkdir(parents=True, exist_ok=True)
    target = report_path(reports_dir, data.day)
    partial = target.with_suffix(".html.partial")
    try:
        partial.write_text(render_report(data), encoding="utf-8")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def headline_numbers(daily: pd.DataFrame, day: date) -> dict[str, dict[str, float]]:
    """Rate, Wilson 95% CI and n of each headline metric on ``day`` (empty if no row)."""
    row = daily.loc[pd.to_datetime(daily["date"]).dt.date == day]
    numbers: dict[str, dict[str, float]] = {}
    if row.empty:
        return numbers
    for key, _, numerator, denominator in HEADLINES:
        x, n = float(row[numerator].iloc[0]), float(row[denominator].iloc[0])
        low, high = wilson_interval(x, n)
        numbers[key] = {
            "value": x / n if n else float("nan"),
            "ci_low": float(low),
            "ci_high": float(high),
            "n": n,
        }
    return numbers


def latest_final_day(daily: pd.DataFrame, day: date) -> date | None:
    """The newest final day up to ``day``: the one the headline tiles show."""
    dates = pd.to_datetime(daily["date"]).dt.date
    final = dates[daily["is_final"].astype(bool) & (dates <= day)]
    return None if final.empty else max(final)


def render_report(data: ReportData) -> str:
    """The complete HTML document for one day."""
    daily = data.daily.assign(date=pd.to_datetime(data.daily["date"]).dt.date).sort_values("date")
    today = daily.loc[daily["date"] == data.day]
    provisional = not today.empty and not bool(today["is_final"].iloc[0])
    estimates = data.estimates.assign(date=pd.to_datetime(data.estimates["date"]).dt.date)
    sections = [
        _headline(daily, data.day, estimates)
        if provisional
        else _cards(headline_numbers(daily, data.day)),
        _verified(data.judge),
        _section(
            f"Resolution trend, {_period(daily)}", _chart("trend", _trend_figure(daily, estimates))
        ),
        _two_columns(
            _section("Resolution ladder", _chart("ladder", _ladder_figure(today))),
            _section("Handoff reasons", _chart("handoffs", _handoff_figure(data.handoff_reasons))),
        ),
        _section("Anomalies", _anomaly_table(data.anomalies)),
        _section("Top movers of the resolution rate", _mover_table(data.movers)),
        _two_columns(
            _section("CSAT distribution", _chart("csat", _csat_figure(data.csat_scores))),
            _section(
                "Worst intents, trailing 7 days",
                _chart("intents", _intent_figure(data.intents, data.min_n)),
            ),
        ),
        _section(
            f"Worst-routed intents, labeled conversations of the last {ROUTING_DAYS} days",
            _routing_table(data.intent_routing, data.min_n),
        ),
        _section("Bot version changes, trailing 7 days", _version_table(data.version_tests)),
        _section(f"Data quality, {data.day:%d %b %Y}", _quality(data.ingest, data.pii, data.day)),
        _section(
            "Knowledge base",
            _gap_table(data.kb_gaps)
            + _uplift_table(data.kb_uplift)
            + _kb_section(data.kb_lint, data.bot_answer_findings),
        ),
    ]
    status = (
        '<span class="badge provisional">provisional: recontact window still open</span>'
        if provisional
        else '<span class="badge final">final</span>'
        if not today.empty
        else '<span class="badge provisional">no data for this day</span>'
    )
    return _PAGE.format(
        title=html.escape(f"closedloop daily report {data.day.isoformat()}"),
        css=_CSS,
        plotly_js=plotly.offline.get_plotlyjs(),
        day=html.escape(data.day.strftime("%A %d %B %Y")),
        status=status,
        body="\n".join(sections),
    )


def _percent(value: float, digits: int = 1) -> str:
    return "–" if pd.isna(value) else f"{100 * value:.{digits}f}%"


def _period(daily: pd.DataFrame) -> str:
    if daily.empty:
        return "no days"
    return f"{daily['date'].min():%d %b} – {daily['date'].max():%d %b %Y} (daily)"


def _cards(numbers: dict[str, dict[str, float]], beside: dict[str, str] | None = None) -> str:
    if not numbers:
        return '<p class="empty">No conversations on this day.</p>'
    cards = []
    for key, label, _, _ in HEADLINES:
        number = numbers[key]
        extra = (beside or {}).get(key, "")
        cards.append(
            f'<div class="card"><div class="label">{html.escape(label)}</div>'
            f'<div class="value">{_percent(number["value"])}</div>'
            f'<div class="ci">95% CI {_percent(number["ci_low"])} – {_percent(number["ci_high"])}'
            f" · n = {int(number['n']):,}</div>{extra}</div>"
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _verified(status: JudgeStatus | None) -> str:
    """The verified rung and the agreement behind it, only while the judge is trusted;
    otherwise one line saying why it is hidden (durable stays the headline)."""
    if status is None:
        return ""
    if not status.trusted or status.verified is None:
        return (
            '<p class="empty">Verified resolution is not shown: '
            f"{html.escape(status.message)}. The headline stays the durable resolution rate.</p>"
        )
    x, n = status.verified
    low, high = wilson_interval(x, n)
    card = (
        '<div class="card"><div class="label">Verified resolution</div>'
        f'<div class="value">{_percent(x / n if n else float("nan"))}</div>'
        f'<div class="ci">95% CI {_percent(float(low))} – {_percent(float(high))}'
        f" · n = {n:,}</div></div>"
    )
    agreement = (
        f"Durable and judged resolved by the {html.escape(status.judge)} judge "
        f"({html.escape(status.judge_version)}), trusted: Gwet's AC1 with human reviewers "
        f"{status.gwet_ac1:.2f} (95% lower bound {status.gwet_ac1_ci_low:.2f} &gt; "
        f"{status.threshold:.2f}) on {status.n:,} labeled conversations."
    )
    return f'<div class="cards">{card}</div><p class="note">{agreement}</p>'


def _headline(daily: pd.DataFrame, day: date, estimates: pd.DataFrame) -> str:
    """Tiles of the latest final day, with ``day``'s provisional value beside each.

    A provisional durable rate reads high (recontacts not yet seen count as durable),
    so a row of provisional days looks like a climb; the tiles show settled numbers.
    """
    final_day = latest_final_day(daily, day)
    now = headline_numbers(daily, day)
    estimate = estimates.loc[estimates["date"] == day]
    beside = {}
    for key, *_ in HEADLINES:
        text = f"{day:%d %b} (provisional): {_percent(now[key]['value'])}"
        if key == "resolution_rate" and not estimate.empty:
            row = estimate.iloc[0]
            text += (
                f"; estimated final {_percent(row['estimate'])} "
                f"({_percent(row['low'])} – {_percent(row['high'])})"
            )
        beside[key] = f'<div class="provisional-value">{html.escape(text)}</div>'
    if final_day is None:
        return (
            '<p class="note">No final day yet: every day in view is provisional '
            "(docs/metrics.md, 'Provisional numbers').</p>" + _cards(now)
        )
    return (
        f'<p class="note">Headline: <strong>{final_day:%A %d %B}</strong>, the latest final '
        "day. Newer days are provisional: customers have not had the full recontact window "
        "to come back, so their durable rate reads high (docs/metrics.md).</p>"
        + _cards(headline_numbers(daily, final_day), beside)
    )


def _section(title: str, content: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2>{content}</section>"


def _two_columns(left: str, right: str) -> str:
    return f'<div class="columns">{left}{right}</div>'


def _chart(name: str, figure: go.Figure | None) -> str:
    if figure is None:
        return '<p class="empty">No data.</p>'
    figure.update_layout(
        template="plotly_white",
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "color": INK},
        margin={"l": 48, "r": 16, "t": 16, "b": 40},
        height=320,
        showlegend=len(figure.data) > 1,
        legend={"orientation": "h", "y": -0.2},
    )
    return figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{name}",
        config={"displayModeBar": False, "responsive": True},
    )


def _rate_band(daily: pd.DataFrame, numerator: str, denominator: str) -> pd.DataFrame:
    low, high = wilson_interval(daily[numerator], daily[denominator])
    rate = daily[numerator] / daily[denominator].where(daily[denominator] > 0)
    return pd.DataFrame({"date": daily["date"], "rate": rate, "low": low, "high": high})


def _trend_figure(daily: pd.DataFrame, estimates: pd.DataFrame) -> go.Figure | None:
    """Final days as the trend line with its band; provisional days as separate open
    markers (they read high) with their estimated final rate and interval."""
    if daily.empty:
        return None
    final = daily.loc[daily["is_final"].astype(bool)]
    band = _rate_band(final, "durable_resolved", "bot_involved")
    pending = _rate_band(
        daily.loc[~daily["is_final"].astype(bool)], "durable_resolved", "bot_involved"
    )
    containment = _rate_band(daily, "contained", "bot_involved")
    figure = go.Figure(
        [
            go.Scatter(
                x=list(band["date"]) + list(band["date"][::-1]),
                y=list(band["high"]) + list(band["low"][::-1]),
                fill="toself",
                fillcolor="rgba(37,99,235,0.15)",
                line={"width": 0},
                hoverinfo="skip",
                name="Resolution 95% CI",
            ),
            go.Scatter(
                x=band["date"],
                y=band["rate"],
                mode="lines+markers",
                line={"color": ACCENT, "width": 2},
                name="Resolution rate (final days)",
            ),
            go.Scatter(
                x=pending["date"],
                y=pending["rate"],
                mode="markers",
                marker={"color": PROVISIONAL, "symbol": "circle-open", "size": 9},
                name="Provisional (recontact window open, reads high)",
            ),
            go.Scatter(
                x=estimates["date"],
                y=estimates["estimate"],
                mode="markers",
                marker={"color": PROVISIONAL, "symbol": "diamond"},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": estimates["high"] - estimates["estimate"],
                    "arrayminus": estimates["estimate"] - estimates["low"],
                    "color": PROVISIONAL,
                },
                name="Estimated final rate (95% interval)",
            ),
            go.Scatter(
                x=containment["date"],
                y=containment["rate"],
                mode="lines",
                line={"color": MUTED, "dash": "dot"},
                name="Containment",
            ),
        ]
    )
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    # One tick per day at most, labelled by date: no 00:00 / 12:00 ticks on daily data.
    figure.update_xaxes(type="date", tickformat="%d %b", dtick=86_400_000)
    return figure


def _ladder_figure(today: pd.DataFrame) -> go.Figure | None:
    if today.empty:
        return None
    counts = [int(today[column].iloc[0]) for column, _ in LADDER]
    return go.Figure(
        go.Funnel(
            y=[label for _, label in LADDER],
            x=counts,
            textinfo="value+percent initial",
            marker={"color": [ACCENT, "#3b82f6", "#60a5fa", "#93c5fd", "#1d4ed8"]},
        )
    )


def _bar_figure(labels: Sequence[str], values: Sequence[float], color: str) -> go.Figure:
    return go.Figure(go.Bar(x=list(labels), y=list(values), marker={"color": color}))


def _handoff_figure(reasons: pd.DataFrame) -> go.Figure | None:
    if reasons.empty:
        return None
    ordered = reasons.sort_values("conversations", ascending=False)
    return _bar_figure(
        ordered["handoff_reason"].fillna("unspecified").astype(str),
        ordered["conversations"],
        ACCENT,
    )


def _csat_figure(scores: pd.DataFrame) -> go.Figure | None:
    if scores.empty:
        return None
    full = (
        scores.set_index("csat_score")["conversations"]
        .reindex(range(1, 6), fill_value=0)
        .reset_index()
    )
    colors = [ALERT, "#f97316", MUTED, "#60a5fa", ACCENT]
    figure = go.Figure(
        go.Bar(
            x=[str(s) for s in full["csat_score"]],
            y=full["conversations"],
            marker={"color": colors},
        )
    )
    figure.update_xaxes(title="score")
    return figure


def _intent_figure(intents: pd.DataFrame, min_n: int, top: int = 10) -> go.Figure | None:
    judged = intents.loc[intents["n"] >= min_n].copy()
    if judged.empty:
        return None
    judged["rate"] = judged["durable_resolved"] / judged["n"]
    judged["low"], judged["high"] = wilson_interval(judged["durable_resolved"], judged["n"])
    worst = judged.nsmallest(top, "rate").iloc[::-1]
    figure = go.Figure(
        go.Bar(
            y=worst["intent"].astype(str),
            x=worst["rate"],
            orientation="h",
            marker={"color": ALERT},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": worst["high"] - worst["rate"],
                "arrayminus": worst["rate"] - worst["low"],
                "color": INK,
            },
            customdata=worst["n"],
            hovertemplate="%{y}: %{x:.1%} (n=%{customdata})<extra></extra>",
        )
    )
    figure.update_xaxes(tickformat=".0%", rangemode="tozero")
    return figure


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], classes: Sequence[str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        f'<tr class="{row_class}">' + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
        for row, row_class in zip(rows, classes, strict=True)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _anomaly_table(anomalies: pd.DataFrame, max_rows: int = 25) -> str:
    if anomalies.empty:
        return '<p class="empty">No metric outside its control limits.</p>'
    ordered = anomalies.assign(
        order=(anomalies["severity"] != "critical").astype(int),
        overall=(anomalies["dimension"] != "overall").astype(int),
    ).sort_values(["order", "overall", "metric"])
    rows, classes = [], []
    for row in ordered.head(max_rows).itertuples(index=False):
        arrow = "▲" if row.direction == "up" else "▼"
        rows.append(
            [
                html.escape(str(row.severity)),
                html.escape(str(row.metric)),
                html.escape(
                    f"{row.dimension} = {row.slice}" if row.dimension != "overall" else "overall"
                ),
                f"{arrow} {_percent(row.value)}",
                f"{_percent(row.expected_low)} – {_percent(row.expected_high)}",
                f"{int(row.n):,}",
            ]
        )
        classes.append(str(row.severity))
    table = _table(["severity", "metric", "slice", "value", "expected range", "n"], rows, classes)
    hidden = len(ordered) - max_rows
    if hidden > 0:
        table += f'<p class="note">… and {hidden} more in main.mart_metric_anomalies.</p>'
    return table


def _mover_table(movers: pd.DataFrame, top: int = 8) -> str:
    if movers.empty:
        return '<p class="empty">No comparison day available.</p>'
    parts = []
    labels = {"prev_day": "vs previous day", "prev_week": "vs same weekday last week"}
    for comparison, group in movers.groupby("comparison", sort=False):
        total = group["total_change"].iloc[0]
        metric = str(group["metric"].iloc[0]) if "metric" in group else "resolution_rate"
        rows = [
            [
                html.escape(f"{row.dimension} = {row.slice}"),
                f"{_percent(row.share_before)} → {_percent(row.share_after)}",
                f"{_percent(row.rate_before)} → {_percent(row.rate_after)}",
                f"{100 * row.mix_effect:+.2f} pp",
                f"{100 * row.rate_effect:+.2f} pp",
                f"<strong>{100 * row.contribution:+.2f} pp</strong>",
            ]
            for row in _most_surprising(group).head(top).itertuples(index=False)
        ]
        title = labels.get(str(comparison), str(comparison))
        parts.append(
            f"<h3>{html.escape(title)}: total {100 * total:+.2f} pp</h3>"
            + _total_in_rates(group, total)
            + f'<p class="note">{html.escape(MOVER_METRICS.get(metric, metric))}</p>'
            + _table(
                ["slice", "share", "rate", "mix effect", "rate effect", "contribution"],
                rows,
                ["" for _ in rows],
            )
        )
    parts.append(
        '<p class="note">Slices from every dimension, ordered by how far their contribution '
        "exceeds their share of traffic times the total change (a slice carrying 40% of "
        "traffic is expected to carry 40% of any change). Mix = traffic share moved, "
        "rate = the slice's own rate moved; per dimension the contributions sum to the "
        "total.</p>"
    )
    return "".join(parts)


def _total_in_rates(group: pd.DataFrame, total: float) -> str:
    """The movers' total in the headline tiles' units: the rate it moved from and to.

    Each dimension's slices cover all traffic, so any one dimension gives the overall
    rate as the share-weighted mean of its slices' rates.
    """
    first = group.loc[group["dimension"] == group["dimension"].iloc[0]]
    before = float((first["share_before"] * first["rate_before"]).sum())
    after = float((first["share_after"] * first["rate_after"]).sum())
    return (
        f'<p class="note">The rate moved from {_percent(before)} to {_percent(after)}: '
        f"{100 * total:+.2f} percentage points (pp), the unit of every column below; "
        "the tiles above show the rate itself.</p>"
    )


def _late_data(ingest: pd.DataFrame, day: date) -> str:
    """Records of ``day`` that arrived in a later landing folder (``dt=`` after the day).

    They were loaded (the landing look-back window reads them), but they mean the day's
    numbers changed after its own nightly run.
    """
    folders = pd.to_datetime(
        ingest["source_file"].astype(str).str.extract(r"dt=(\d{4}-\d{2}-\d{2})")[0],
        errors="coerce",
    ).dt.date
    late = ingest.loc[folders.notna() & (folders > day)]
    if late.empty:
        return "<p>Late data: none; every record of this day arrived in its own landing folder.</p>"
    most = max(folders[late.index]) - day
    return (
        f"<p>Late data: <strong>{int(late['records_loaded'].sum()):,} records</strong> of "
        f"this day arrived in later landing folders ({len(late):,} "
        f"file{'s' if len(late) != 1 else ''}, up to {most.days} "
        f"day{'s' if most.days != 1 else ''} late); they are loaded, and the "
        "day's numbers changed after its own nightly run.</p>"
    )


def _quality(ingest: pd.DataFrame, pii: pd.DataFrame, day: date) -> str:
    """What ingest read, loaded and quarantined (by file and reason), and the PII found."""
    if ingest.empty:
        return '<p class="empty">No ingest audit for this day.</p>'
    read, quarantined = int(ingest["records_read"].sum()), int(ingest["records_quarantined"].sum())
    parts = [
        f"<p>{read:,} records read from {len(ingest):,} files: "
        f"{int(ingest['records_loaded'].sum()):,} loaded, <strong>{quarantined:,} quarantined"
        f"</strong> ({_percent(quarantined / read if read else float('nan'))}). Quarantined "
        "records are kept with their reason in the restricted raw area.</p>",
        _late_data(ingest, day),
    ]
    bad = ingest.loc[ingest["records_quarantined"] > 0]
    if not bad.empty:
        rows = [
            [
                html.escape(str(row.source_file)),
                f"{int(row.records_read):,}",
                f"{int(row.records_quarantined):,}",
                html.escape(_top_reasons(row.reason_counts)),
            ]
            for row in bad.itertuples(index=False)
        ]
        parts.append(_table(["file", "read", "quarantined", "reasons"], rows, ["" for _ in rows]))
    if not pii.empty:
        rows = [
            [html.escape(str(row.entity_type)), f"{int(row.count):,}"]
            for row in pii.itertuples(index=False)
        ]
        parts.append("<h3>PII scrubbed, by type</h3>")
        parts.append(_table(["entity type", "detections"], rows, ["" for _ in rows]))
    return "".join(parts)


def _top_reasons(reason_counts: str, top: int = 3) -> str:
    counts = json.loads(reason_counts) if reason_counts else {}
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{reason} {count:,}" for reason, count in ordered[:top])
    return shown + (f", {len(ordered) - top} more" if len(ordered) > top else "")


def _most_surprising(group: pd.DataFrame) -> pd.DataFrame:
    """Movers across dimensions, most disproportionate first.

    Contributions of different dimensions each sum to the same total, so their raw
    size favours big slices (a one-slice dimension carries all of it); the excess
    over the slice's average traffic share times the total is comparable.
    """
    share = (group["share_before"] + group["share_after"]) / 2.0
    excess = (group["contribution"] - share * group["total_change"]).abs()
    informative = group.groupby("dimension")["slice"].transform("size") > 1
    return (
        group.loc[informative]
        .assign(excess=excess)
        .sort_values("excess", ascending=False, kind="stable")
    )


def _routing_table(routing: pd.DataFrame, min_n: int) -> str:
    """The intents whose routing humans most often disagreed with, among those with
    at least ``min_n`` labeled conversations (fewer give an interval too wide to rank)."""
    if routing.empty:
        return (
            '<p class="empty">No routing labels yet: labelers\' <code>intent_correct</code> '
            "answers feed main.mart_intent_accuracy.</p>"
        )
    rated = routing.loc[routing["n"] >= min_n].copy()
    if rated.empty:
        return (
            f'<p class="empty">No intent has {min_n} labeled conversations yet '
            f"({len(routing):,} intents with fewer).</p>"
        )
    rated["accuracy"] = rated["n_correct"] / rated["n"]
    rated["low"], rated["high"] = wilson_interval(rated["n_correct"], rated["n"])
    worst = rated.sort_values(["accuracy", "n"], ascending=[True, False]).head(WORST_ROUTED)
    rows = [
        [
            html.escape(str(row.intent)),
            f"{_percent(row.accuracy)} ({_percent(row.low)} – {_percent(row.high)})",
            f"{int(row.n):,}",
            "–"
            if pd.isna(row.confused_with)
            else f"{html.escape(str(row.confused_with))} ({int(row.confused_n):,})",
        ]
        for row in worst.itertuples(index=False)
    ]
    return _table(
        ["bot intent", "routed correctly (95% CI)", "n labeled", "most confused with (n)"],
        rows,
        ["" for _ in rows],
    ) + (
        '<p class="note">Share of the labeled conversations the bot routed to the intent '
        "that humans say belong there (main.mart_intent_accuracy, precision with Wilson "
        f"CI; intents with n &lt; {min_n} not ranked). Most confused with: the human "
        "intent of the costliest confusion (main.mart_intent_confusions).</p>"
    )


def _version_table(tests: pd.DataFrame) -> str:
    significant = tests.loc[tests["significant"].astype(bool)] if not tests.empty else tests
    if significant.empty:
        return (
            '<p class="empty">No intent where the latest bot version differs significantly '
            "from the previous one (Benjamini-Hochberg, 5% false discovery rate).</p>"
        )
    ordered = significant.sort_values("p_adjusted")
    rows, classes = [], []
    for row in ordered.itertuples(index=False):
        worse = (row.difference < 0) == (row.metric == "resolution_rate")
        rows.append(
            [
                html.escape(str(row.intent)),
                html.escape(str(row.metric)),
                html.escape(f"{row.version_previous} → {row.version_latest}"),
                f"{_percent(row.rate_previous)} → {_percent(row.rate_latest)}",
                f"{100 * row.difference:+.1f} pp",
                f"{row.p_adjusted:.3g}",
                f"{int(row.n_previous):,} / {int(row.n_latest):,}",
            ]
        )
        classes.append("worse" if worse else "better")
    return _table(
        ["intent", "metric", "versions", "rate", "change", "adjusted p", "n (prev / latest)"],
        rows,
        classes,
    )


def _kb_section(kb_lint: pd.DataFrame, answers: pd.DataFrame) -> str:
    if kb_lint.empty:
        parts = [
            '<p class="empty">No US-norms finding in the current articles (or no '
            "knowledge base loaded).</p>"
        ]
    else:
        rows = [
            [
                html.escape(str(row.category)),
                html.escape(str(row.severity)),
                f"{int(row.findings):,}",
                f"{int(row.articles):,}",
            ]
            for row in kb_lint.itertuples(index=False)
        ]
        parts = [
            "<h3>US-norms lint of the current articles</h3>",
            _table(
                ["category", "severity", "findings", "articles"],
                rows,
                [str(row.severity) for row in kb_lint.itertuples(index=False)],
            ),
            '<p class="note">Per finding: main.mart_kb_lint; see docs/knowledge-base.md.</p>',
        ]
    if not answers.empty:
        rows = [
            [
                html.escape(_shorten(str(row.answer_text), 140)),
                f"{int(row.times_sent):,}",
                html.escape(str(row.categories)),
                html.escape(_shorten(str(row.suggestions), 160)),
            ]
            for row in answers.itertuples(index=False)
        ]
        parts += [
            "<h3>Bot answers with findings, trailing 7 days (most sent first)</h3>",
            _table(["answer", "times sent", "categories", "fix"], rows, ["" for _ in rows]),
        ]
    return "".join(parts)


def _gap_table(gaps: pd.DataFrame) -> str:
    if gaps.empty:
        return ""
    rows = [
        [
            html.escape(str(row.label)),
            html.escape(_shorten(str(row.representative_utterance), 90)),
            f"{int(row.conversations):,}",
            _percent(row.resolution_rate),
            f"{row.resolution_points_lost:,.0f}",
            "gap"
            if row.is_gap
            else html.escape(f"{row.best_article_id} ({row.best_article_score:.2f})"),
        ]
        for row in gaps.itertuples(index=False)
    ]
    return (
        "<h3>Topics costing the most resolutions, last 28 days</h3>"
        + _table(
            [
                "topic",
                "customers ask",
                "conversations",
                "resolved",
                "resolutions lost",
                "covered by",
            ],
            rows,
            ["worse" if row.is_gap else "" for row in gaps.itertuples(index=False)],
        )
        + '<p class="note">Resolutions lost = conversations × (overall rate − topic rate). '
        "Gap: no published article covers the topic; drafts for review are in kb/drafts "
        "(<code>closedloop kb review</code>).</p>"
    )


def _uplift_table(uplift: pd.DataFrame) -> str:
    if uplift.empty:
        return ""
    rows = [
        [
            html.escape(str(row.article_id)),
            html.escape(str(row.published_date)),
            f"{_percent(row.rate_before)} → {_percent(row.rate_after)}",
            f"{100 * row.difference:+.1f} pp [{100 * row.difference_ci_low:+.1f}, "
            f"{100 * row.difference_ci_high:+.1f}]",
            f"{100 * row.diff_in_diff:+.1f} pp [{100 * row.diff_in_diff_ci_low:+.1f}, "
            f"{100 * row.diff_in_diff_ci_high:+.1f}]",
            f"{int(row.n_before):,} / {int(row.n_after):,}"
            + (" (inconclusive)" if row.inconclusive else ""),
        ]
        for row in uplift.itertuples(index=False)
    ]
    return "<h3>Published articles: resolution of their topic before → after</h3>" + _table(
        [
            "article",
            "published",
            "rate",
            "difference [95% CI]",
            "vs other topics",
            "n before / after",
        ],
        rows,
        ["" for _ in rows],
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7fa; color: #1f2933;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { background: #1f2933; color: #fff; padding: 20px 32px; }
header h1 { margin: 0; font-size: 22px; font-weight: 600; }
header p { margin: 4px 0 0; color: #cbd5e1; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 32px 48px; }
section { background: #fff; border-radius: 10px; padding: 16px 20px; margin-bottom: 20px;
  box-shadow: 0 1px 2px rgba(15, 23, 42, 0.08); }
h2 { font-size: 16px; margin: 0 0 12px; }
h3 { font-size: 14px; margin: 12px 0 6px; color: #475569; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 16px;
  margin-bottom: 20px; }
.card { background: #fff; border-radius: 10px; padding: 16px 18px;
  box-shadow: 0 1px 2px rgba(15, 23, 42, 0.08); }
.card .label { color: #64748b; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 30px; font-weight: 650; margin: 4px 0; }
.card .ci { color: #64748b; font-size: 13px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th { text-align: left; color: #64748b; font-weight: 600; border-bottom: 1px solid #e2e8f0; padding: 6px 8px; }
td { border-bottom: 1px solid #f1f5f9; padding: 6px 8px; font-variant-numeric: tabular-nums; }
tr.critical td:first-child { color: #dc2626; font-weight: 700; }
tr.warn td:first-child { color: #d97706; font-weight: 600; }
tr.worse td:nth-child(5) { color: #dc2626; font-weight: 600; }
tr.better td:nth-child(5) { color: #15803d; font-weight: 600; }
.badge { display: inline-block; border-radius: 999px; padding: 2px 10px; font-size: 12px; margin-left: 8px; }
.badge.final { background: #dcfce7; color: #166534; }
.badge.provisional { background: #fef3c7; color: #92400e; }
.provisional-value { color: #92400e; font-size: 13px; margin-top: 4px; }
.empty { color: #64748b; font-style: italic; }
.note { color: #64748b; font-size: 13px; margin: 10px 0 0; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
<script type="text/javascript">{plotly_js}</script>
</head>
<body>
<header><h1>Bot resolution: daily report</h1><p>{day} {status}</p></header>
<main>
{body}
</main>
</body>
</html>
"""
