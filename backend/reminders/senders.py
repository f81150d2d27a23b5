"""SMS senders: the embedded outbox (default, no provider) and an HTTP SMS gateway adapter.

A sender either returns the provider's reference or raises `SendError`; the outbox row then
stays failed and the next run tries again with the same idempotency key, so a message is never
lost and — if the gateway honours the key — never delivered twice.
"""

from __future__ import annotations

from typing import Protocol

import requests


class SendError(Exception):
    """The message did not leave; the text says why (kept on the outbox row)."""


class Sender(Protocol):
    name: str

    def send(self, to: str, body: str, key: str) -> str:
        """Send `body` to `to` (E.164); `key` is unique per message. Returns a reference."""


class OutboxSender:
    """The default: the message is recorded in the outbox table only, shown to staff on /sms.

    For a demo or a municipality without an SMS provider: staff can see (and send by hand) what
    would have gone out. Never fails.
    """

    name = "outbox"

    def send(self, to: str, body: str, key: str) -> str:
        return ""


class HttpGatewaySender:
    """POSTs JSON `{to, from, text, reference}` to an SMS gateway with HTTP basic auth or a token.

    `reference` (also sent as the `Idempotency-Key` header) is the outbox key, so a retry after a
    lost response does not make the gateway send twice. Any non-2xx answer, a timeout or a
    refused connection is a `SendError`.
    """

    name = "http"

    def __init__(
        self,
        url: str,
        username: str = "",
        password: str = "",
        token: str = "",
        sender_id: str = "Trinvis",
        timeout: float = 10.0,
    ):
        self.url, self.sender_id, self.timeout = url, sender_id, timeout
        self.auth = (username, password) if username else None
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def send(self, to: str, body: str, key: str) -> str:
        try:
            r = requests.post(
                self.url,
                json={"to": to, "from": self.sender_id, "text": body, "reference": key},
                auth=self.auth,
                headers={**self.headers, "Idempotency-Key": key},
                timeout=self.timeout,
            )
        except requests.RequestException as e:
            raise SendError(f"Ingen forbindelse til sms-gatewayen: {type(e).__name__}") from None
        if not 200 <= r.status_code < 300:
            raise SendError(f"Sms-gatewayen svarede {r.status_code}: {r.text[:200]}")
        try:
            return str((r.json() or {}).get("id", ""))[:200]
        except ValueError:
            return ""


def sender_from_config(config) -> Sender:
    """The HTTP gateway when TRINVIS_SMS_GATEWAY_URL is set, else the embedded outbox."""
    url = config.get("SMS_GATEWAY_URL")
    if not url:
        return OutboxSender()
    return HttpGatewaySender(
        url,
        config.get("SMS_GATEWAY_USER", ""),
        config.get("SMS_GATEWAY_PASSWORD", ""),
        config.get("SMS_GATEWAY_TOKEN", ""),
        config.get("SMS_SENDER_ID", "Trinvis"),
        float(config.get("SMS_GATEWAY_TIMEOUT", 10)),
    )
