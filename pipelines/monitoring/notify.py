"""Alert notifiers: where a monitoring alert goes.

The webhook URL is a secret (anyone holding it can post to the channel), so it is
read only from the environment and never appears in logs, exceptions or reprs: messages
name at most its scheme and host (:func:`masked_url`). It must be https; plain http is
accepted only to this machine (a local relay) and only when the setting
``alert_webhook_allow_http_localhost`` says so. Text from data is escaped for Slack, so a
label such as ``<!channel>`` is shown, not acted on.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

WEBHOOK_ENV = "CLOSEDLOOP_ALERT_WEBHOOK"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
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


class InvalidWebhookUrl(NotificationError, ValueError):
    """The configured webhook URL is malformed or not allowed; the message never quotes it."""


def masked_url(url: str) -> str:
    """The URL's scheme and host only (the path carries the token): safe to print."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname or "?"
    except ValueError:
        return "(unparseable URL)"
    return f"{parts.scheme or '?'}://{host}/…"


def validate_webhook_url(url: str, allow_http_localhost: bool = False) -> str:
    """``url`` when it is an https URL (or, if allowed, http to this machine); else
    :class:`InvalidWebhookUrl` saying what is wrong, without quoting the URL."""
    problem = _url_problem(url, allow_http_localhost)
    if problem:
        raise InvalidWebhookUrl(f"{WEBHOOK_ENV} ({masked_url(url)}) {problem}")
    return url


def _url_problem(url: str, allow_http_localhost: bool) -> str | None:
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return "contains whitespace or control characters"
    try:
        parts = urllib.parse.urlsplit(url)
        host, _port = parts.hostname, parts.port  # .port raises on a malformed port
    except ValueError:
        return "is not a valid URL"
    if not host:
        return "has no host"
    if parts.scheme == "https":
        return None
    if parts.scheme == "http":
        if host not in LOCAL_HOSTS:
            return "must use https (plain http is accepted only to localhost)"
        if not allow_http_localhost:
            return (
                "uses plain http; for a relay on this machine set "
                "alert_webhook_allow_http_localhost (CLOSEDLOOP_ALERT_WEBHOOK_ALLOW_HTTP_LOCALHOST=true)"
            )
        return None
    return "must be an https URL"


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
        except Exception as error:
            # Every failure (unreachable, TLS, http.client.InvalidURL, ...): their text can
            # quote the URL and its token, so report only the kind of failure.
            reason = getattr(error, "reason", error)
            raise NotificationError(
                f"alert webhook unreachable ({type(reason).__name__})"
            ) from None


def slack_escape(text: str) -> str:
    """Slack's three control characters as entities: ``<!channel>``, ``<@U123>`` or a
    ``<url|label>`` link from data then reads as text instead of pinging or linking."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(alert: Alert, max_lines: int = 20) -> dict[str, object]:
    """Slack incoming-webhook JSON: a plain ``text`` fallback plus Block Kit ``blocks``.
    Titles and lines carry labels from data (intents, bot versions), so all are escaped."""
    icon = ":rotating_light:" if alert.severity == "critical" else ":warning:"
    shown = list(alert.lines[:max_lines])
    if len(alert.lines) > max_lines:
        shown.append(f"... and {len(alert.lines) - max_lines} more")
    body = "\n".join(f"• {slack_escape(line)}" for line in shown)
    title = slack_escape(alert.title)
    blocks: list[dict[str, object]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{icon} {body}"[:3000]}},
    ]
    if alert.link:
        link = slack_escape(alert.link).replace("|", "%7C")
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"<{link}|report>"}]}
        )
    return {"text": f"{title}\n{body}", "blocks": blocks}


def notifier_from_env(
    environ: Mapping[str, str] | None = None, *, allow_http_localhost: bool = False
) -> Notifier:
    """The webhook notifier when ``CLOSEDLOOP_ALERT_WEBHOOK`` (or its ``_FILE``) is set,
    else a no-op; :class:`InvalidWebhookUrl` when the URL is not acceptable."""
    from pipelines.secrets import read_secret

    url = (
        environ.get(WEBHOOK_ENV, "") if environ is not None else read_secret(WEBHOOK_ENV) or ""
    ).strip()
    if not url:
        return NullNotifier()
    return WebhookNotifier(validate_webhook_url(url, allow_http_localhost))
