import dataclasses
import re
import shutil
import struct
import subprocess
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.judge.marts import intent_accuracy
from pipelines.monitoring import queries
from pipelines.monitoring.report import ReportData, headline_numbers, render_report, write_report
from pipelines.stats.wilson import wilson_interval
from pipelines.warehouse.io import replace_tables_from_frames
from tests.monitoring.conftest import DAY

CHROMIUM = Path("/usr/bin/chromium")
CHARTS = ("trend", "ladder", "handoffs", "csat", "intents")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def test_report_is_self_contained_and_shows_every_section(report_data: ReportData) -> None:
    page = render_report(report_data)
    assert page.count('<script type="text/javascript">/**') == 1  # plotly.js inlined once
    # Nothing is fetched: no external scripts, stylesheets or fonts.
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import|url\(http", page)
    for chart in CHARTS:
        assert f'id="chart-{chart}"' in page
    assert "Anomalies" in page and "critical" in page
    assert "channel = ios" in page  # the planted mover
    assert "at equal observation horizon" in page  # which rate the movers decomposed
    assert "intent <" not in page  # names inside chart JSON are escaped too
    assert '<tr class="worse"><td>creator_payout</td><td>resolution_rate</td>' in page
    assert "<td>refund</td>" not in page  # not significant, not shown


def test_names_are_escaped(report_data: ReportData) -> None:
    movers = report_data.movers.copy()
    movers.loc[movers["slice"] == "ios", "slice"] = "<script>alert(1)</script>"
    page = render_report(dataclasses.replace(report_data, movers=movers))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_headline_numbers_carry_wilson_intervals(report_data: ReportData) -> None:
    numbers = headline_numbers(report_data.daily, report_data.day)
    resolution = numbers["resolution_rate"]
    assert resolution["ci_low"] < resolution["value"] < resolution["ci_high"]
    assert resolution["n"] > 0


def test_empty_sections_say_so(report_data: ReportData) -> None:
    empty = report_data.anomalies.iloc[0:0]
    data = dataclasses.replace(
        report_data,
        anomalies=empty,
        movers=report_data.movers.iloc[0:0],
        handoff_reasons=report_data.handoff_reasons.iloc[0:0],
    )
    page = render_report(data)
    assert "No metric outside its control limits." in page
    assert 'id="chart-handoffs"' not in page


def _chart_segments(dom: str) -> dict[str, str]:
    """The rendered DOM of each chart: from its div to the next chart's div."""
    starts = sorted((dom.index(f'id="chart-{chart}"'), chart) for chart in CHARTS)
    ends = [position for position, _ in starts[1:]] + [len(dom)]
    return {chart: dom[start:end] for (start, chart), end in zip(starts, ends, strict=True)}


def _run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.browser
def test_report_renders_in_headless_chromium(report_data: ReportData, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(
            "needs /usr/bin/chromium (Debian package 'chromium'); the CI script installs it"
        )
    path = write_report(report_data, tmp_path / "reports")
    assert path.name == "2026-03-08.html"
    url = path.resolve().as_uri()

    dom = _run_chromium(
        ["--virtual-time-budget=5000", "--dump-dom", url], tmp_path / "profile-dom"
    ).stdout
    for chart, chart_dom in _chart_segments(dom).items():
        assert 'class="main-svg"' in chart_dom, f"chart {chart} did not draw"
        # Plotly draws each trace as <g class="trace ..."> holding the marks' <path>s.
        traces = re.findall(r'<g class="trace[^"]*".*?</g>', chart_dom, flags=re.S)
        assert any("<path" in trace for trace in traces), f"chart {chart} has no drawn traces"

    screenshot = tmp_path / "report.png"
    result = _run_chromium(
        [f"--screenshot={screenshot}", "--window-size=1400,3000", url], tmp_path / "profile-png"
    )
    assert screenshot.exists(), result.stderr[-2000:]
    header = screenshot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (1400, 3000)
    # A blank page compresses to a few KB; charts and tables make it far larger.
    assert screenshot.stat().st_size > 60_000
    shutil.rmtree(tmp_path / "reports")


def test_a_failed_write_leaves_no_partial_report(report_data: ReportData, tmp_path: Path) -> None:
    """issue 12 #16: a failure after the partial file was written (here the rename: the
    target is an occupied folder; on a full disk, the write) left reports/*.partial."""
    reports = tmp_path / "reports"
    blocked = reports / f"{report_data.day.isoformat()}.html"
    (blocked / "occupied").mkdir(parents=True)
    with pytest.raises(OSError):
        write_report(report_data, reports)
    assert sorted(p.name for p in reports.iterdir()) == [blocked.name]


def test_a_provisional_day_headlines_the_latest_final_day_with_its_own_value_marked(
    report_data: ReportData,
) -> None:
    import pandas as pd

    from pipelines.monitoring.report import latest_final_day

    final_day = latest_final_day(report_data.daily, report_data.day)
    assert final_day is not None and final_day < report_data.day  # the fixture's day is provisional
    estimates = pd.DataFrame(
        [(report_data.day, 0.4123, 0.3811, 0.4432, 14)],
        columns=["date", "estimate", "low", "high", "reference_days"],
    )
    page = render_report(dataclasses.replace(report_data, estimates=estimates))
    final = headline_numbers(report_data.daily, final_day)["resolution_rate"]["value"]
    now = headline_numbers(report_data.daily, report_data.day)["resolution_rate"]["value"]
    headline = page.split('<div class="cards">', 1)[1].split('<div class="value">', 2)[1]
    assert headline.startswith(f"{100 * final:.1f}%")  # the tile shows the final day
    assert f"{final_day:%A %d %B}" in page
    assert f"(provisional): {100 * now:.1f}%" in page
    assert "estimated final 41.2% (38.1% – 44.3%)" in page
    # the trend draws provisional days and the estimates as their own series
    assert "Provisional (recontact window open, reads high)" in page
    assert "Estimated final rate (95% interval)" in page
    assert '"tickformat":"%d %b"' in page  # date ticks, no 00:00 / 12:00


def test_a_final_day_headlines_itself(report_data: ReportData) -> None:
    daily = report_data.daily.assign(is_final=True)
    page = render_report(dataclasses.replace(report_data, daily=daily))
    assert "(provisional)" not in page and "latest final" not in page


def test_the_data_quality_section_names_quarantined_files_and_reasons(
    report_data: ReportData,
) -> None:
    import pandas as pd

    ingest = pd.DataFrame(
        {
            "source_file": ["dt=2026-04-12/web.csv", "dt=2026-04-12/app.jsonl"],
            "records_read": [400, 2500],
            "records_loaded": [392, 2500],
            "records_quarantined": [8, 0],
            "reason_counts": ['{"invalid_encoding": 5, "unknown_channel": 3}', "{}"],
        }
    )
    pii = pd.DataFrame({"entity_type": ["EMAIL", "PHONE"], "count": [120, 45]})
    page = render_report(dataclasses.replace(report_data, ingest=ingest, pii=pii))
    section = page.split("Data quality", 1)[1]
    assert "2,900 records read from 2 files: 2,892 loaded" in section
    assert "8 quarantined" in section and "0.3%" in section
    assert "dt=2026-04-12/web.csv" in section and "invalid_encoding 5, unknown_channel 3" in section
    assert "app.jsonl" not in section  # nothing quarantined there
    assert "<td>EMAIL</td><td>120</td>" in section
    assert "No ingest audit" in render_report(report_data)


def test_quality_queries_read_the_audit_and_detections() -> None:
    from datetime import date

    import duckdb

    from pipelines.monitoring import queries

    con = duckdb.connect()
    assert queries.ingest_audit(con, date(2026, 4, 12)).empty  # no table yet
    con.execute(
        "create table main.ingest_audit (partition_date date, source_file varchar, "
        "records_read bigint, records_loaded bigint, records_quarantined bigint, "
        "reason_counts json)"
    )
    con.execute(
        "insert into main.ingest_audit values ('2026-04-12', 'a.csv', 10, 9, 1, "
        "'{\"unknown_channel\": 1}'), ('2026-04-11', 'b.csv', 5, 5, 0, '{}')"
    )
    rows = queries.ingest_audit(con, date(2026, 4, 12))
    assert rows["source_file"].tolist() == ["a.csv"]
    assert rows["reason_counts"].iloc[0] == '{"unknown_channel": 1}'


def test_knowledge_base_section_shows_lint_and_bot_answers(report_data: ReportData) -> None:
    data = dataclasses.replace(
        report_data,
        kb_lint=pd.DataFrame(
            {"category": ["spelling"], "severity": ["error"], "findings": [7], "articles": [3]}
        ),
        bot_answer_findings=pd.DataFrame(
            {
                "answer_text": ["Ring us <now> on 0345 600 1234."],
                "times_sent": [1234],
                "categories": ["phone, vocabulary"],
                "suggestions": ["Ring us -> Call us"],
            }
        ),
    )
    data = dataclasses.replace(
        data,
        kb_gaps=pd.DataFrame(
            {
                "label": ["duet, videos"],
                "representative_utterance": ["why can't people duet my videos"],
                "conversations": [420],
                "resolution_rate": [0.1],
                "resolution_points_lost": [168.0],
                "is_gap": [True],
                "best_article_id": ["kb-live-streams"],
                "best_article_score": [0.03],
            }
        ),
        kb_uplift=pd.DataFrame(
            {
                "article_id": ["faq-topic-0031"],
                "published_date": ["2026-03-01"],
                "rate_before": [0.1],
                "rate_after": [0.4],
                "difference": [0.3],
                "difference_ci_low": [0.2],
                "difference_ci_high": [0.4],
                "diff_in_diff": [0.28],
                "diff_in_diff_ci_low": [0.15],
                "diff_in_diff_ci_high": [0.41],
                "n_before": [300],
                "n_after": [310],
                "inconclusive": [False],
            }
        ),
    )
    page = render_report(data)
    section = page.split("<h2>Knowledge base</h2>", 1)[1].split("</section>", 1)[0]
    assert "<td>duet, videos</td>" in section and "<td>gap</td>" in section
    assert "+30.0 pp [+20.0, +40.0]" in section and "+28.0 pp [+15.0, +41.0]" in section
    assert "<td>spelling</td><td>error</td><td>7</td><td>3</td>" in section
    assert "Ring us &lt;now&gt;" in section and "<td>1,234</td>" in section
    assert "No US-norms finding" in render_report(report_data)  # empty frames say so


def _routing_marts(con: duckdb.DuckDBPyConnection) -> None:
    """mart_intent_accuracy and mart_intent_confusions as judge_marts writes them.

    In the report's 28 days: refund 40 labeled, 28 routed right, 12 were really login;
    login 40, 38 right, 2 really billing; billing only 10 (2 right: worst, but too few
    to rank at min_n 30). Seven weeks earlier, login was misrouted 50 times in 50:
    outside the window, it must not count."""
    rows = []
    for day, intent, right, wrong, really in (
        (DAY - timedelta(days=1), "refund", 14, 6, "login"),
        (DAY - timedelta(days=9), "refund", 14, 6, "login"),
        (DAY - timedelta(days=2), "login", 38, 2, "billing"),
        (DAY - timedelta(days=3), "billing", 2, 8, "refund"),
        (DAY - timedelta(days=49), "login", 0, 50, "refund"),
    ):
        rows += [(day, intent, "yes", None)] * right + [(day, intent, "no", really)] * wrong
    conversations = pd.DataFrame(
        {
            "conversation_id": [f"c{i:03d}" for i in range(len(rows))],
            "conversation_date": [row[0] for row in rows],
            "intent": [row[1] for row in rows],
        }
    )
    labels = pd.DataFrame(
        [
            {"item_id": cid, "annotator_id": who, "field": field, "value": value,
             "batch_id": "b1", "is_adjudication": False}
            for cid, (_, _, correct, really) in zip(conversations["conversation_id"], rows, strict=True)
            for who in ("ana", "ben")
            for field, value in (("intent_correct", correct), ("corrected_intent", really))
            if value is not None
        ]
    )  # fmt: skip
    sample = conversations[["conversation_id"]].assign(inclusion_prob=1.0, is_gold=False)
    accuracy, confusions = intent_accuracy(sample, labels, conversations)
    replace_tables_from_frames(
        con,
        {
            "main.mart_intent_accuracy": accuracy,
            "main.mart_intent_confusions": confusions,
        },
    )


def _routing_section(page: str) -> str:
    return page.split("<h2>Worst-routed intents", 1)[1].split("</section>", 1)[0]


def test_the_worst_routed_intents_with_enough_labels_are_named_with_their_confusion(
    report_data: ReportData,
) -> None:
    con = duckdb.connect()
    _routing_marts(con)
    routing = queries.intent_routing(con, DAY)
    page = render_report(dataclasses.replace(report_data, intent_routing=routing, min_n=30))
    section = _routing_section(page)
    rows = re.findall(r"<tr class=\"\"><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", section)  # fmt: skip
    low, high = wilson_interval(28, 40)
    assert rows == [
        ("refund", f"70.0% ({100 * low:.1f}% – {100 * high:.1f}%)", "40", "login (12)"),
        ("login", f"95.0% ({100 * wilson_interval(38, 40)[0]:.1f}% – "
                  f"{100 * wilson_interval(38, 40)[1]:.1f}%)", "40", "billing (2)"),
    ]  # fmt: skip
    assert "<td>billing</td>" not in section  # 10 labels: below min_n, not ranked
    assert "n &lt; 30" in section


def test_routing_section_says_why_it_is_empty(report_data: ReportData) -> None:
    no_marts = queries.intent_routing(duckdb.connect(), DAY)
    page = render_report(dataclasses.replace(report_data, intent_routing=no_marts))
    assert "No routing labels yet" in _routing_section(page)
    few = pd.DataFrame(
        {"intent": ["refund"], "n": [12], "n_correct": [3], "confused_with": [None],
         "confused_n": [None]}
    )  # fmt: skip
    page = render_report(dataclasses.replace(report_data, intent_routing=few, min_n=30))
    section = _routing_section(page)
    assert "No intent has 30 labeled conversations yet" in section
    assert "<td>refund</td>" not in section


def test_the_data_quality_section_counts_late_data(report_data: ReportData) -> None:
    """issue 13 #11: records of the day that arrived in a later landing folder."""
    import pandas as pd

    day = report_data.day
    later = day + timedelta(days=2)
    ingest = pd.DataFrame(
        {
            "source_file": [f"dt={day}/app.jsonl", f"dt={later}/app.jsonl", "d41d8cd9.csv"],
            "records_read": [100, 30, 5],
            "records_loaded": [100, 28, 5],
            "records_quarantined": [0, 2, 0],
            "reason_counts": ["{}", '{"unknown_channel": 2}', "{}"],
        }
    )
    section = render_report(dataclasses.replace(report_data, ingest=ingest)).split(
        "Data quality", 1
    )[1]
    assert "<strong>28 records</strong> of this day arrived in later landing folders" in section
    assert "(1 file, up to 2 days late)" in section
    on_time = ingest.iloc[[0]]
    section = render_report(dataclasses.replace(report_data, ingest=on_time)).split(
        "Data quality", 1
    )[1]
    assert "Late data: none" in section


def test_the_movers_total_is_explained_in_the_tiles_units(report_data: ReportData) -> None:
    """issue 13 #11: the total in pp, and the rate it moved between, in %."""
    page = render_report(report_data)
    group = report_data.movers.loc[report_data.movers["comparison"] == "prev_day"]
    first = group.loc[group["dimension"] == group["dimension"].iloc[0]]
    before = (first["share_before"] * first["rate_before"]).sum()
    after = (first["share_after"] * first["rate_after"]).sum()
    assert f"The rate moved from {100 * before:.1f}% to {100 * after:.1f}%" in page
    assert "percentage points (pp), the unit of every column below" in page
