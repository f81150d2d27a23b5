"""The step (trin) through the contract, on the plan page, in the caseload filter and the results
(issue 14, item 2)."""

from __future__ import annotations

import re
from datetime import date

from tests.backend.test_web_pages import Browser
from tests.backend.world import Api, uid


def _cells(row_html: str) -> list[int]:
    return [int(x) for x in re.findall(r"<td[^>]*>(\d+)</td>", row_html)]


def _row(page: str, month: str) -> list[int]:
    return _cells(page.split('data-testid="steps-per-month"')[1].split(f"{month}</th>")[1].split("</tr>")[0])


def _move(api, w, youth="mads", step="paa_vej_mod_job", reason="CV og jobønske er på plads", valid_from=None):
    return api.upsert(
        "step_change",
        {
            "youth_id": w.youths[youth],
            "step": step,
            "reason": reason,
            "valid_from": valid_from or date.today().isoformat(),
        },
    )


def test_only_the_coordinator_moves_a_step_and_a_move_is_history(client, w):
    ahmed = Api(client, "ahmed")
    r = _move(ahmed, w)
    assert r["status"] == "applied" and r["record"]["changed_by_user_id"] == w.users["ahmed"]
    assert r["record"]["changed_at"]
    for who in ("lise", "karen", "mads"):
        assert _move(Api(client, who), w)["error"]["code"] == "forbidden", who
    assert _move(ahmed, w, reason="")["error"]["code"] == "invalid"
    assert _move(ahmed, w, step="trin_9")["error"]["code"] == "invalid"
    changed = ahmed.upsert("step_change", {"id": r["record"]["id"], "reason": "Anden grund"}, base_version=1)
    assert changed["error"]["code"] == "immutable"
    assert ahmed.delete("step_change", r["record"]["id"])["error"]["code"] == "immutable"
    # the young person, their mentor and partners with consent get it; Sara does not
    for who, sees in (("mads", True), ("lise", True), ("karen", True), ("sara", False)):
        changes, _ = Api(client, who).pull_all()
        assert any(c["entity"] == "step_change" and c["id"] == r["record"]["id"] for c in changes) == sees, who


def test_plan_page_shows_step_in_plain_danish_with_history_and_moves_it(app, client, w):
    ahmed = Api(client, "ahmed")
    _move(ahmed, w, step="afklaring", reason="Første samtale", valid_from="2026-01-05")
    yid = w.youths["mads"]
    b = Browser(app, "ahmed")
    page = b.get(f"/youth/{yid}").text
    assert "Trin 1: Afklaring" in page and "Du har lavet et CV" in page and "Første samtale" in page
    r = b.post(f"/youth/{yid}/step", {"mutation_id": uid(), "step": "paa_vej_mod_job", "reason": "", "valid_from": ""})
    assert r.status_code == 400 and "Hvorfor" in r.text
    r = b.post(
        f"/youth/{yid}/step",
        {"mutation_id": uid(), "step": "paa_vej_mod_job", "reason": "Jobønske: tømrer. CV er lavet.", "valid_from": ""},
    )
    assert r.status_code == 302, r.text
    page = b.get(f"/youth/{yid}").text
    assert "Trin 2: På vej mod job" in page and "fast kontaktperson på arbejdspladsen" in page
    assert page.index("Jobønske: tømrer") < page.index("Første samtale")  # newest first
    # the print first asks who is at the meeting (issue 9): here the young person
    assert "Trin 2: På vej mod job" in b.get(f"/youth/{yid}/print?show=1&youth=1").text
    assert 'data-testid="step-form"' not in Browser(app, "lise").get(f"/youth/{yid}").text


def test_caseload_filters_by_step(app, client, w):
    _move(Api(client, "ahmed"), w, step="virksomhedsforloeb", reason="Praktikaftale underskrevet")
    b = Browser(app, "ahmed")
    page = b.get("/?step=virksomhedsforloeb").text
    assert "Viser 1 af 2 unge" in page and "Mads" in page and "Trin 3: Virksomhedsforløb" in page
    assert "Viser 1 af 2 unge" in b.get("/?step=none").text  # Sara is not placed
    r = b.get("/?step=trin_9")
    assert r.status_code == 400 and "Ukendt trin" in r.text


def test_results_count_young_people_per_step_per_month(app, client, w):
    ahmed = Api(client, "ahmed")
    _move(ahmed, w, step="afklaring", reason="Start", valid_from="2026-01-10")
    _move(ahmed, w, step="paa_vej_mod_job", reason="CV", valid_from="2026-02-01")
    _move(ahmed, w, youth="sara", step="afklaring", reason="Start", valid_from="2026-02-28")
    b = Browser(app, "ahmed")
    page = b.get("/results/steps?from=2026-01&to=2026-03").text
    rows = page.split('data-testid="steps-per-month"')[1]
    jan, feb = rows.split("2026-01</th>")[1].split("</tr>")[0], rows.split("2026-02</th>")[1].split("</tr>")[0]
    assert _cells(jan) == [1, 0, 0, 0, 0, 0]
    assert _cells(feb) == [1, 1, 0, 0, 0, 0]
    assert b.get("/results/steps?from=2026-13").status_code == 400
    # Nina (treatment, Mads consented) counts Mads only
    nina = Browser(app, "nina").get("/results/steps?from=2026-02&to=2026-02").text
    assert "1 unge har været placeret" in nina


def test_results_count_trin3_exits_by_the_30_hour_rule(app, client, w):
    ahmed, lise = Api(client, "ahmed"), Api(client, "lise")
    for youth in ("mads", "sara"):
        _move(ahmed, w, youth=youth, step="virksomhedsforloeb", reason="Praktik", valid_from="2026-01-05")
    _move(ahmed, w, step="ikke_i_trinmodellen", reason="Fast job", valid_from="2026-05-04")
    _move(ahmed, w, youth="sara", step="paa_vej_mod_job", reason="Stoppede", valid_from="2026-05-12")
    # the job centre keeps Mads' hours organisation-only: only those who may see them count them
    for month, h in (("2026-02-01", 30), ("2026-03-01", 31.5), ("2026-04-01", 40)):
        row = {"youth_id": w.youths["mads"], "organization_id": w.orgs["Jobcenter"], "period": "month"}
        r = lise.upsert("work_hours", {**row, "period_start": month, "ordinary_hours": h, "visibility": "organization"})
        assert r["status"] == "applied", r
    page = Browser(app, "ahmed").get("/results/steps?from=2026-04&to=2026-05").text
    assert _row(page, "2026-04")[-2:] == [0, 0]
    assert _row(page, "2026-05")[-2:] == [2, 1], "both left trin 3 in May; Mads after three months of 30 hours"
    assert "30-timersreglen" in page
    karen = Browser(app, "karen").get("/results/steps?from=2026-05&to=2026-05").text
    assert _row(karen, "2026-05")[-2:] == [2, 0], "UU cannot see the job centre's private hours"
