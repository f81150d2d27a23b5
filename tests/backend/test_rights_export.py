"""The young person's data export (GDPR art. 15): complete for the young person, nothing of anyone else."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import ENTITY_MODELS, AuditLog, Conflict, RecordHistory, User
from backend.programmes import service
from backend.programmes.models import Enrolment, OutcomeChange, TargetGroupChange
from tests.backend.rights_world import full_case
from tests.backend.world import Api, web_login


@pytest.fixture
def w(app, client, w):
    """The common small municipality (tests/conftest.py) with a full case for Mads and Sara."""
    w.mads_made = full_case(app, client, w, "mads", "MADS-X")
    w.sara_made = full_case(app, client, w, "sara", "SARA-SECRET")
    with app.app_context():
        service.record_outcome(db.session.get(User, w.users["ahmed"]), w.youths["mads"], "job", date(2026, 3, 2))
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    Api(client, "peter").pull_all()  # someone else reads Mads's case: it belongs in "who has read"
    return w


def db_ids(app, youth_id: str) -> dict[str, set[str]]:
    """Every row the database holds about the young person, per kind."""
    with app.app_context():
        out = {
            e: set(db.session.scalars(select(m.id).where(m.youth_id == youth_id)))
            for e, m in ENTITY_MODELS.items()
            if e != "youth"
        }
        for key, model in (
            ("enrolment", Enrolment),
            ("target_group_history", TargetGroupChange),
            ("outcome_history", OutcomeChange),
        ):
            out[key] = set(db.session.scalars(select(model.id).where(model.youth_id == youth_id)))
        out["conflict"] = set(db.session.scalars(select(Conflict.id).where(Conflict.youth_id == youth_id)))
        return out


def sara_markers(app, w) -> list[str]:
    with app.app_context():
        ids = db_ids(app, w.youths["sara"])
        history = db.session.scalars(select(RecordHistory.record_id)).all()
    markers = ["SARA-SECRET", "Sara", w.youths["sara"], w.users["sara"]]
    return markers + [i for v in ids.values() for i in v] + [h for h in history if h in str(ids)]


def test_youth_export_holds_every_kind_of_record_and_nothing_of_sara(app, client, w):
    mads = Api(client, "mads")
    r = client.get(f"/api/v1/youth/{w.youths['mads']}/export", headers=mads.headers)
    assert r.status_code == 200, r.get_json()
    export = r.get_json()
    assert export["scope"] == "self" and export["youth"]["id"] == w.youths["mads"]
    held = db_ids(app, w.youths["mads"])
    got = {
        **{k: {x["id"] for x in v} for k, v in export["records"].items()},
        **{k: {x["id"] for x in v} for k, v in export["programmes"].items()},
        "conflict": {x["id"] for x in export["history"]["conflict"]},
    }
    for kind, ids in held.items():
        assert ids, f"the fixture should give Mads some {kind}"
        assert got[kind] == ids, kind
    # organisation-only treatment items and the staff-only dimension are the young person's data too
    assert w.mads_made["treatment_goal"] in got["goal"]
    staff = [a for a in export["records"]["assessment"] if a["rater_role"] == "staff"]
    assert "tro_paa_maalet" in staff[0]["scores"]
    assert export["history"]["record_history"] and export["account"]["username"] == "mads"
    readers = {(e["role"], e["organization"]) for e in export["access_log"] if e["action"] == "read"}
    assert ("partner", "Bostøtte") in readers and ("coordinator", "Jobcenter") not in {
        (e["role"], e["organization"]) for e in export["access_log"] if e["action"] == "export"
    }
    text = json.dumps(export, ensure_ascii=False)
    for marker in sara_markers(app, w):
        assert marker not in text, marker
    assert "Peter" not in text  # staff in the access log by role and organisation, not by name


def test_youth_export_as_a_readable_document(app, client, w):
    mads = Api(client, "mads")
    r = client.get(f"/api/v1/youth/{w.youths['mads']}/export?format=html", headers=mads.headers)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    for text in (
        "Alt hvad Trinvis har om Mads",
        "Din plan",
        "Uddannelse MADS-X",
        "Behandling MADS-X",
        "Fremmøde (1)",
        "Vækket MADS-X",
        "Samtykker (4)",
        "Målgruppe over tid",
        "Uddannelsesparat",
        "Status over tid",
        "Job",
        "Hvem har set eller ændret",
        "Samarbejdspartner, Bostøtte",
        "Læste",
        "Rettelser (1)",
        "@page",
    ):
        assert text in html, text
    assert "SARA" not in html and "Sara" not in html
    assert client.get(f"/api/v1/youth/{w.youths['mads']}/export?format=pdf", headers=mads.headers).status_code == 400


def test_only_the_young_person_and_their_coordinator_may_export(app, client, w):
    mads_id, sara_id = w.youths["mads"], w.youths["sara"]
    assert client.get(f"/api/v1/youth/{mads_id}/export").status_code == 401
    for user, youth in (
        ("mads", sara_id),
        ("sara", mads_id),
        ("lise", mads_id),
        ("karen", mads_id),
        ("admin", mads_id),
        ("mads", "not-a-uuid"),
        ("mads", "../../etc"),
    ):
        r = client.get(f"/api/v1/youth/{youth}/export", headers=Api(client, user).headers)
        assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found", (user, youth)
    ahmed = Api(client, "ahmed")
    r = client.get(f"/api/v1/youth/{mads_id}/export", headers=ahmed.headers)
    assert r.status_code == 200 and r.get_json()["scope"] == "staff" and r.get_json()["account"] is None


def test_export_is_audit_logged(app, client, w):
    mads = Api(client, "mads")
    client.get(f"/api/v1/youth/{w.youths['mads']}/export", headers=mads.headers)
    with app.app_context():
        rows = db.session.scalars(select(AuditLog).where(AuditLog.action == "export")).all()
        assert [(r.user_id, r.youth_id, r.channel) for r in rows] == [(w.users["mads"], w.youths["mads"], "api")]
        assert rows[0].record_count > 20 and "format=json" in rows[0].detail


def login(client, user_id):
    web_login(client, user_id)


def test_coordinator_exports_from_the_plan_page(app, client, w):
    login(client, w.users["ahmed"])
    plan = client.get(f"/youth/{w.youths['mads']}").get_data(as_text=True)
    assert f"/youth/{w.youths['mads']}/export" in plan
    r = client.get(f"/youth/{w.youths['mads']}/export")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Udtrækket viser det, du som koordinator har adgang til" in html
    assert "Behandling MADS-X" in html and "SARA" not in html
    r = client.get(f"/youth/{w.youths['mads']}/export.json")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    assert json.loads(r.get_data(as_text=True))["youth"]["display_name"] == "Mads"
    with app.app_context():
        channels = db.session.scalars(select(AuditLog.channel).where(AuditLog.action == "export")).all()
        assert channels == ["web", "web"]
    # a mentor or partner has no export page; a young person not theirs is a 404
    login(client, w.users["lise"])
    assert client.get(f"/youth/{w.youths['mads']}/export").status_code == 403
    login(client, w.users["ahmed"])
    assert client.get("/youth/00000000-0000-0000-0000-000000000001/export").status_code == 404
    assert re.search("Indsigt", plan)


def test_app_gets_a_short_lived_link_to_the_document(app, client, w):
    mads = Api(client, "mads")
    r = client.post(f"/api/v1/youth/{w.youths['mads']}/export-link", headers=mads.headers)
    assert r.status_code == 200 and r.get_json()["expires_in"] == 600
    url = r.get_json()["url"]
    assert url.startswith("http://localhost/youth/mine-data/")
    page = client.get(url.removeprefix("http://localhost"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Alt hvad Trinvis har om Mads" in html and "Udskriv eller gem som PDF" in html
    assert "Tilbage til planen" not in html and "SARA" not in html
    assert "style-src 'self'" in page.headers["Content-Security-Policy"] and "<style>" not in html
    # another young person's link cannot be had; a tampered or revoked link shows a plain message
    assert client.post(f"/api/v1/youth/{w.youths['sara']}/export-link", headers=mads.headers).status_code == 404
    bad = client.get(url.removeprefix("http://localhost")[:-3] + "abc")
    assert bad.status_code == 404 and "Linket er udløbet" in bad.get_data(as_text=True)
    client.post("/api/v1/auth/logout", headers=mads.headers)
    assert client.get(url.removeprefix("http://localhost")).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(AuditLog.channel).where(AuditLog.action == "export")).all() == ["api"]
