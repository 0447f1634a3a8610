import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from pipelines.monitoring.notify import (
    Alert,
    InvalidWebhookUrl,
    NotificationError,
    NullNotifier,
    WebhookNotifier,
    masked_url,
    notifier_from_env,
    slack_payload,
    validate_webhook_url,
)


class Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, object]]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Recorder.received.append(
            {
                "path": self.path,
                "content_type": self.headers["Content-Type"],
                "body": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(Recorder.status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Recorder.received = []
    Recorder.status = 200
    httpd = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/hooks/secret-token"
    httpd.shutdown()
    httpd.server_close()


ALERT = Alert(
    "closedloop: 1 anomaly on 2026-03-08",
    ["resolution_rate overall = 38.0% (expected 41.2%-46.0%)"],
    severity="critical",
)


def test_webhook_posts_slack_json(server: str) -> None:
    notifier = notifier_from_env({"CLOSEDLOOP_ALERT_WEBHOOK": server}, allow_http_localhost=True)
    notifier.send(ALERT)
    (request,) = Recorder.received
    assert request["path"] == "/hooks/secret-token"
    assert request["content_type"] == "application/json"
    body = request["body"]
    assert "resolution_rate overall" in body["text"]
    assert body["blocks"][0]["text"]["text"] == ALERT.title
    assert "38.0%" in body["blocks"][1]["text"]["text"]


def test_failure_does_not_leak_the_url(server: str) -> None:
    Recorder.status = 500
    notifier = WebhookNotifier(server, timeout_seconds=5)
    with pytest.raises(NotificationError) as raised:
        notifier.send(ALERT)
    assert "500" in str(raised.value)
    assert "secret-token" not in str(raised.value) and "secret-token" not in repr(notifier)


def test_unreachable_host_does_not_leak_the_url() -> None:
    notifier = WebhookNotifier("http://127.0.0.1:9/hooks/secret-token", timeout_seconds=2)
    with pytest.raises(NotificationError) as raised:
        notifier.send(ALERT)
    assert "secret-token" not in str(raised.value) and "127.0.0.1" not in str(raised.value)


def test_without_a_webhook_alerts_are_dropped() -> None:
    assert isinstance(notifier_from_env({}), NullNotifier)
    with pytest.raises(ValueError, match="http"):
        notifier_from_env({"CLOSEDLOOP_ALERT_WEBHOOK": "ftp://example"})


TOKEN = "B0zq7secret"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"https://hooks.slack.com/services/T0/{TOKEN} x", "whitespace"),
        (f"https://hooks.slack.com/services/T0/\t{TOKEN}", "whitespace"),
        (f"http://hooks.slack.com/services/T0/{TOKEN}", "https"),
        (f"http://127.0.0.1:8080/{TOKEN}", "alert_webhook_allow_http_localhost"),
        (f"https://hooks.slack.com:99999/{TOKEN}", "not a valid URL"),
        (f"https:///{TOKEN}", "no host"),
        (f"ftp://example.com/{TOKEN}", "https"),
    ],
)
def test_a_webhook_url_must_be_https_and_the_error_never_quotes_it(url: str, problem: str) -> None:
    with pytest.raises(InvalidWebhookUrl, match=problem) as raised:
        notifier_from_env({"CLOSEDLOOP_ALERT_WEBHOOK": url})
    assert TOKEN not in str(raised.value)


def test_http_only_to_localhost_and_only_when_allowed() -> None:
    local = f"http://localhost:8080/{TOKEN}"
    assert validate_webhook_url(local, allow_http_localhost=True) == local
    with pytest.raises(InvalidWebhookUrl, match="https"):
        validate_webhook_url(f"http://10.0.0.5/{TOKEN}", allow_http_localhost=True)
    assert masked_url(local) == "http://localhost/…"


def test_any_delivery_error_is_a_notification_error_without_the_url() -> None:
    # A URL that skipped validation: urllib raises http.client.InvalidURL quoting it.
    notifier = WebhookNotifier(f"https://hooks.example.com/T0/{TOKEN} x", timeout_seconds=2)
    with pytest.raises(NotificationError) as raised:
        notifier.send(ALERT)
    assert TOKEN not in str(raised.value) and raised.value.__cause__ is None


def test_labels_from_data_cannot_ping_or_link_in_slack() -> None:
    alert = Alert(
        "anomaly in intent <!channel>",
        ["intent=<!here> & <@U024BE7LH> fell to 3% <https://evil.example|click>"],
        link="file:///home/x|y/report.html",
    )
    payload = slack_payload(alert)
    texts = [payload["text"], json.dumps(payload["blocks"])]
    for text in texts:
        for active in ("<!channel>", "<!here>", "<@U024BE7LH>", "<https://evil"):
            assert active not in text
    assert "&lt;!channel&gt;" in payload["text"] and "&amp;" in payload["text"]
    assert payload["blocks"][-1]["elements"][0]["text"] == "<file:///home/x%7Cy/report.html|report>"
