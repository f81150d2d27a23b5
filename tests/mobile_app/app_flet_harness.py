"""Drive Flet views without a browser: a real flet Session over a fake connection.

The connection msgpack-encodes every message like the real socket server does, which is what
records control state in Flet 1.0.5 (see FLET_NOTES.md). Internal API: flet is pinned.
"""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor

import flet as ft
import msgpack
from flet.controls.base_control import BaseControl
from flet.messaging.connection import Connection
from flet.messaging.protocol import (
    Message,
    MessageAction,
    RegisterClientResponseBody,
    configure_encode_object_for_msgpack,
)
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

_encode = configure_encode_object_for_msgpack(BaseControl)


class FakeConnection(Connection):
    def __init__(self):
        super().__init__()
        self.pubsubhub = PubSubHub()
        self.messages = 0

    def send_message(self, message: Message):
        msgpack.packb(message, default=_encode)
        self.messages += 1


async def new_session() -> Session:
    conn = FakeConnection()
    conn.loop = asyncio.get_running_loop()
    conn.executor = ThreadPoolExecutor(max_workers=2)
    session = Session(conn)
    conn.send_message(
        Message(
            MessageAction.REGISTER_CLIENT,
            RegisterClientResponseBody(session_id=session.id, page_patch=session.get_page_patch(), error=""),
        )
    )
    return session


def walk(control):
    """Every visible control under `control`, depth first."""
    if isinstance(control, BaseControl):
        if getattr(control, "visible", True) is False:
            return
        yield control
        for f in dataclasses.fields(control):
            if f.name.startswith("_") or f.name in ("parent", "page", "data"):
                continue
            yield from walk(getattr(control, f.name, None))
    elif isinstance(control, (list, tuple)):
        for c in control:
            yield from walk(c)


def texts(page) -> list[str]:
    return [c.value for c in walk(page) if isinstance(c, ft.Text) and c.value]


def all_text(page) -> str:
    return "\n".join(texts(page))


def button(page, label: str):
    """The first visible button whose text equals (or starts with) `label`."""
    buttons = [c for c in walk(page) if isinstance(c, (ft.FilledButton, ft.OutlinedButton, ft.Button, ft.TextButton))]
    for exact in (True, False):
        for b in buttons:
            content = b.content.value if isinstance(b.content, ft.Text) else b.content
            if isinstance(content, str) and (content == label if exact else content.startswith(label)):
                return b
    raise AssertionError(f"no button {label!r}; texts: {texts(page)}")


def text_field(page, label: str) -> ft.TextField:
    for c in walk(page):
        if isinstance(c, ft.TextField) and c.label == label:
            return c
    raise AssertionError(f"no field {label!r}")


def radio_group_with(page, value: str) -> ft.RadioGroup:
    for c in walk(page):
        if isinstance(c, ft.RadioGroup) and any(isinstance(r, ft.Radio) and r.value == value for r in walk(c.content)):
            return c
    raise AssertionError(f"no radio group with {value!r}")


async def tap(session: Session, page, label: str) -> None:
    await session.dispatch_event(button(page, label)._i, "click", None)
    await asyncio.sleep(0)


def type_into(session: Session, page, label: str, value: str) -> None:
    session.apply_patch(text_field(page, label)._i, {"value": value})


def choose(session: Session, page, value: str) -> None:
    session.apply_patch(radio_group_with(page, value)._i, {"value": value})
