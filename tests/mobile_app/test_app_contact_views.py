"""Issue 13 screens driven without a browser (real Flet session, fake connection, local data)."""

from __future__ import annotations

import pytest

import app_local_data as ld
from app_flet_harness import all_text, tap, type_into
from test_app_views import make_core, start

pytestmark = pytest.mark.anyio


async def test_youth_sets_number_on_the_contact_screen(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    await tap(session, page, "Mit nummer og påmindelser")
    type_into(session, page, "Mit mobilnummer", "12")
    await tap(session, page, "Gem")
    assert "gyldigt telefonnummer" in all_text(page)
    assert core.store.pending_count() == 0
    type_into(session, page, "Mit mobilnummer", "31 23 45 67")
    await tap(session, page, "Gem")
    assert "Gemt." in all_text(page)
    [entry] = core.store.outbox()
    assert entry.entity == "youth" and entry.data["phone"] == "+4531234567"
