"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, collecting what it receives."""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from support.live import free_port


@dataclass
class Inbox:
    """What the server received; ``refuse`` makes it answer 554 to every DATA."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: bool = False
    _cond: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "554 5.7.1 relay refused by internal-gateway-7.corp"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._cond:
            self.messages.append(message)  # type: ignore[arg-type]
            self._cond.notify_all()
        return "250 OK"

    def wait_for(self, to: str, timeout: float = 10.0) -> EmailMessage:
        """The newest mail to ``to``, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [m for m in self.messages if to.lower() in str(m["To"]).lower()]
                if found:
                    return found[-1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no mail to {to}")
                self._cond.wait(left)

    def code_for(self, to: str) -> str:
        body = self.wait_for(to).get_content()
        match = re.search(r"\b(\d{6})\b", body)
        assert match, body
        return match.group(1)

    def clear(self) -> None:
        with self._cond:
            self.messages.clear()


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    inbox = Inbox("127.0.0.1", free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def smtp_env(inbox: Inbox) -> dict[str, str]:
    """Settings (as environment) pointing SeeSay at ``inbox``."""
    return {
        "SEESAY_SMTP__HOST": inbox.host,
        "SEESAY_SMTP__PORT": str(inbox.port),
        "SEESAY_SMTP__SECURITY": "none",
        "SEESAY_SMTP__FROM_ADDRESS": "seesay@test.invalid",
    }
