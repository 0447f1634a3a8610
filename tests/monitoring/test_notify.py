import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from pipelines.monitoring.notify import (
    Alert,
    NotificationError,
    NullNotifier,
    WebhookNotifier,
    notifier_from_env,
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
    notifier = notifier_from_env({"CLOSEDLOOP_ALERT_WEBHOOK": server})
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
