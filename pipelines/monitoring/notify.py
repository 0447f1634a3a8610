"""Alert notifiers: where a monitoring alert goes.

The webhook URL is a secret (anyone holding it can post to the channel), so it is
read only from the environment and never appears in logs, exceptions or reprs.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

WEBHOOK_ENV = "CLOSEDLOOP_ALERT_WEBHOOK"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    """One notification: a title, one line per finding and an optional link."""

    title: str
    lines: Sequence[str]
    severity: str = "warn"
    link: str | None = None


class NotificationError(RuntimeError):
    """Delivery failed; the message never contains the destination URL."""


class Notifier(Protocol):
    def send(self, alert: Alert) -> None:
        """Deliver ``alert`` or raise :class:`NotificationError`."""


class NullNotifier:
    """Discards alerts: the default when no destination is configured."""

    def send(self, alert: Alert) -> None:
        log.info("no alert destination configured; dropped alert %r", alert.title)


@dataclass(frozen=True)
class WebhookNotifier:
    """Posts Slack-compatible JSON (``{"text", "blocks"}``) to an incoming-webhook URL."""

    url: str = field(repr=False)
    timeout_seconds: float = 10.0

    def send(self, alert: Alert) -> None:
        body = json.dumps(slack_payload(alert)).encode("utf-8")
        request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                response.read()
        except urllib.error.HTTPError as error:
            raise NotificationError(f"alert webhook answered HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            # URLError's text can include the host; report only the kind of failure.
            reason = getattr(error, "reason", error)
            raise NotificationError(
                f"alert webhook unreachable ({type(reason).__name__})"
            ) from None


def slack_payload(alert: Alert, max_lines: int = 20) -> dict[str, object]:
    """Slack incoming-webhook JSON: a plain ``text`` fallback plus Block Kit ``blocks``."""
    icon = ":rotating_light:" if alert.severity == "critical" else ":warning:"
    shown = list(alert.lines[:max_lines])
    if len(alert.lines) > max_lines:
        shown.append(f"... and {len(alert.lines) - max_lines} more")
    body = "\n".join(f"• {line}" for line in shown)
    blocks: list[dict[str, object]] = [
        {"type": "header", "text": {"type": "plain_text", "text": alert.title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{icon} {body}"[:3000]}},
    ]
    if alert.link:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"<{alert.link}|report>"}]}
        )
    return {"text": f"{alert.title}\n{body}", "blocks": blocks}


def notifier_from_env(environ: Mapping[str, str] | None = None) -> Notifier:
    """The webhook notifier when ``CLOSEDLOOP_ALERT_WEBHOOK`` (or its ``_FILE``) is set,
    else a no-op."""
    from pipelines.secrets import read_secret

    url = (
        environ.get(WEBHOOK_ENV, "") if environ is not None else read_secret(WEBHOOK_ENV) or ""
    ).strip()
    if not url:
        return NullNotifier()
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{WEBHOOK_ENV} must be an http(s) URL")
    return WebhookNotifier(url)
