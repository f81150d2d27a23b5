"""The access matrix, generated from the roles table in docs/architecture.md and checked through the API
(and the caseworker pages): every role × entity × (read, create, update, delete) × young person
(consented/assigned or not) × item (own organisation's, another's shared, another's private).

The roles come from the "Users and roles" table of docs/architecture.md, so a new role there fails this test
until its rules are written down in RULES below. The expected answers are the table's sentences
turned into code (quoted next to each role); the actual answers come from pulls and pushes
through /api/v1 as each user. The matrix is printed (pytest -s) and written to
build/access_matrix.txt.
"""

from __future__ import annotations

import re
from pathlib import Path

from backend.admin import assign, create_user, record_consent, system_write
from backend.extensions import db
from tests.backend.world import PASSWORD, Api, build_world, uid, web_login
from tests.backend.world import day as day_iso
from tests.conftest import truncate_all

ROOT = Path(__file__).resolve().parents[2]
DESIGN = ROOT / "docs" / "architecture.md"

ENTITIES = ("youth", "plan", "goal", "activity", "agreement", "attendance", "outreach", "assessment", "consent")
HAS_ORG = {"goal", "activity", "agreement", "attendance", "outreach", "assessment", "consent"}
HAS_VISIBILITY = {"goal", "activity", "attendance", "agreement", "outreach"}  # issue 9: agreements and outreach too
OPS = ("read", "create", "update", "delete")

# who plays each role, the young people (in / out of reach) and their organisation
ACTORS = {
    "youth": ("mads", "mads", "sara"),  # own plan / another young person's
    "mentor": ("lise", "mads", "ida"),  # assigned / not assigned
    "coordinator": ("ahmed", "mads", "ida"),  # own caseload / not
    "partner": ("peter", "mads", "sara"),  # consented to Bostøtte / not
    "admin": ("admin", "mads", "sara"),
}


def design_roles() -> list[str]:
    text = DESIGN.read_text(encoding="utf-8")
    table = text.split("## Users and roles", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", table, flags=re.M)


def expected(role: str, entity: str, op: str, reach: bool, item: str) -> bool:
    """The roles table (docs/architecture.md), sentence by sentence. `item`: own | other_shared | other_private."""
    private = item == "other_private" and entity in HAS_VISIBILITY
    own = item == "own" and entity in HAS_ORG
    if role == "admin":  # "organisations and users, no case data"
        return False
    if role == "coordinator" and entity == "youth" and op == "create":
        return True  # a new young person joins the coordinator's caseload
    if not reach:  # without consent / assignment: nothing at all
        return False
    if role == "youth":
        # a young person has no organisation: for them "own" is just another organisation's item
        hidden = entity in HAS_VISIBILITY and item in ("own", "other_private")
        # sees "own plan (shared parts), own agreements, attendance, scores" (decision A1 in
        # docs/fire.md: outreach and consent records of their own case are shown too)
        if op == "read":
            return not hidden
        # writes "own check-ins, own self-assessment, comments on own agreements"
        if entity == "attendance":
            # only on activities they can see: a check-in on a hidden (treatment) activity is refused
            # (question Q1 in docs/fire.md, decided so), and a hidden record cannot be changed
            return op in ("create", "update") and not hidden
        if entity == "assessment":
            return op == "create"
        if entity == "agreement":
            return op == "update" and not hidden
        return False
    if role == "mentor":
        # sees "assigned young people" (all of their items)
        if op == "read":
            return True
        # writes "attendance, agreements, outreach, mentor assessments, goals/activities of own organisation"
        if entity in ("attendance",):
            return True
        if entity == "agreement":
            # "a mentor reviews (status, note) but does not rewrite another organisation's
            # agreement" (issue 9): no create or delete for another organisation
            return own or op == "update"
        if entity in ("outreach", "assessment", "goal", "activity"):
            return own and not (entity == "assessment" and op in ("update", "delete"))  # submitted: immutable
        return False
    if role == "coordinator":
        # sees "own caseload"; writes "everything of the caseload's plan; records consent"
        if op == "read":
            return True
        if op == "delete" and entity in ("youth", "consent"):
            return False  # withdrawn, not deleted
        if entity == "assessment" and op in ("update", "delete"):
            return False  # submitted assessments are immutable
        return True
    if role == "partner":
        # sees "shared plan items + own organisation's items" of young people who consented
        if op == "read":
            return not private
        # writes "goals, activities, agreements, attendance, assessments owned by their organisation"
        if entity in ("goal", "activity", "agreement", "attendance", "assessment") and own:
            return not (entity == "assessment" and op in ("update", "delete"))
        return False
    raise AssertionError(f"docs/architecture.md has a role without rules here: {role}")


# ---- building the records -------------------------------------------------------------------------


def _record(w, entity: str, youth: str, org: str, visibility: str, ids: dict) -> dict:
    y = w.youths[youth]
    o = w.orgs[org]
    rid = uid()
    base = {"id": rid, "youth_id": y}
    if entity == "youth":
        return {"id": y, "youth_id": y, "display_name": youth.capitalize()}
    if entity == "plan":
        return {**base, "end_goal": "Job", "end_goal_kind": "job", "start_date": "2026-01-05"}
    if entity == "goal":
        return {**base, "organization_id": o, "title": "Delmål", "visibility": visibility}
    if entity == "activity":
        return {
            **base,
            "organization_id": o,
            "title": "Aktivitet",
            "weekdays": [0, 2],
            "start_time": "09:00",
            "end_time": "12:00",
            "start_date": "2026-01-05",
            "visibility": visibility,
        }
    if entity == "agreement":
        return {
            **base,
            "organization_id": o,
            "text": "Aftale",
            "responsible": "youth",
            "due_date": "2026-01-07",
            "visibility": visibility,
        }
    if entity == "attendance":
        day = day_iso(-3)  # callers set each record's own day inside the attendance windows
        return {**base, "activity_id": ids[(youth, org, visibility)], "date": day, "status": "present"}
    if entity == "outreach":
        return {
            **base,
            "organization_id": o,
            "method": "call",
            "reached": True,
            "contacted_at": "2026-01-05T10:00:00+00:00",
            "visibility": visibility,
        }
    if entity == "assessment":
        from shared.dimensions import DIMENSIONS

        return {
            **base,
            "organization_id": o,
            "due_date": "2026-02-16",
            "rater_role": "staff",
            "scores": {d.key: 5 for d in DIMENSIONS.for_rater("staff")},
            "submitted_at": "2026-02-16T10:00:00+00:00",
        }
    if entity == "consent":
        return {**base, "organization_id": o, "status": "given"}
    raise AssertionError(entity)


ITEM_ORG = {  # role -> (own org, other org)
    "youth": ("Jobcenter", "Jobcenter"),
    "mentor": ("Jobcenter", "UU"),
    "coordinator": ("Jobcenter", "UU"),
    "partner": ("Bostøtte", "Jobcenter"),
    "admin": ("Jobcenter", "UU"),
}


def _write_for(role: str, entity: str, data: dict, actor_id: str) -> dict:
    """What this role's app or page would send for a create of `data`."""
    d = dict(data)
    if entity == "attendance" and role == "youth":
        d.pop("status")
        d["self_checked_in_at"] = f"{d['date']}T08:59:00+00:00"
    if entity == "assessment" and role == "youth":
        from shared.dimensions import DIMENSIONS

        d.update(rater_role="youth", organization_id=None, scores={x.key: 5 for x in DIMENSIONS.for_rater("youth")})
    return d


def _update_for(role: str, entity: str, rec: dict) -> dict:
    change = {
        "youth": {"display_name": "Nyt navn"},
        "plan": {"end_goal": "Uddannelse"},
        "goal": {"title": "Nyt"},
        "activity": {"location": "Hal 3"},
        "agreement": {"review_note": "Set"},
        "attendance": {"note": "Ok"},
        "outreach": {"note": "Ringet igen"},
        "assessment": {"comment": "Ændret"},
        "consent": {"status": "withdrawn"},
    }[entity]
    if role == "youth":
        change = {
            "agreement": {"youth_comment": "Har gjort det"},
            "attendance": {"self_checked_in_at": f"{rec.get('date')}T09:01:00+00:00"},
        }.get(entity, change)
    return {"id": rec["id"], "youth_id": rec["youth_id"], **change}


def _items(entity: str, items: dict) -> list[str]:
    if entity in ("youth", "plan", "consent"):
        return ["other_shared"]  # one per young person (or per organisation): no own/other split
    if entity not in HAS_VISIBILITY:
        return ["own", "other_shared"]
    return list(items)


def run_role(app, client, role: str) -> dict:
    from backend.admin import create_organization
    from backend.models import Youth

    truncate_all(app)
    w = build_world(app)
    with app.app_context():
        create_user("ida", PASSWORD, "youth", None, "Ida")
        record_consent("ida", ["Jobcenter"])  # consent first: assignment needs it (issue 9)
        assign("ida", "ole")
        w.youths["ida"] = db.session.scalar(db.select(Youth.id).where(Youth.display_name == "Ida"))
        for name in ("Skolen", "Klubben"):
            w.orgs[name] = create_organization(name, "other").id
        db.session.remove()
    username, yin, yout = ACTORS[role]
    own_org, other_org = ITEM_ORG[role]
    items = {
        "own": (own_org, "organization"),
        "other_shared": (other_org, "shared"),
        "other_private": (other_org, "organization"),
    }
    if role == "youth":
        items["own"] = ("Rusmiddelcenter", "organization")  # no organisation: just another private item
    acts: dict = {}
    recs: dict = {}  # (op, entity, reach, item) -> record
    with app.app_context():
        for youth in (yin, yout):
            for org, vis in items.values():
                a = _record(w, "activity", youth, org, vis, acts)
                acts[(youth, org, vis)] = a["id"]
                system_write([{"entity": "activity", "id": a["id"], "data": a}])
        n = 0
        for entity in ENTITIES:
            for reach, youth in ((True, yin), (False, yout)):
                for item in _items(entity, items):
                    org, vis = items[item]
                    for op in ("read", "update", "delete"):
                        if entity == "youth":
                            rec = {"id": w.youths[youth], "youth_id": w.youths[youth]}
                        elif entity in ("plan", "consent") and op != "read":
                            rec = recs[("read", entity, reach, item)]  # one per young person / org
                        else:
                            rec = _record(w, entity, youth, org, vis, acts)
                            n += 1
                            if entity == "attendance":
                                # inside the windows: staff a week back, a check-in on its day
                                rec["date"] = day_iso({"read": -3, "update": 0, "delete": -2}[op])
                            if entity == "consent":
                                rec["organization_id"] = w.orgs["Skolen"]
                            system_write([{"entity": entity, "id": rec["id"], "data": rec}])
                        recs[(op, entity, reach, item)] = rec
        db.session.remove()

    api = Api(client, username)
    visible, _ = api.pull_all()
    seen = {(c["entity"], c["id"]) for c in visible if not c["deleted"]}
    result = {}
    for entity in ENTITIES:
        for reach, youth in ((True, yin), (False, yout)):
            for item in _items(entity, items):
                org, vis = items[item]
                got = {"read": (entity, recs[("read", entity, reach, item)]["id"]) in seen}
                upd = recs[("update", entity, reach, item)]
                res = api.upsert(entity, _update_for(role, entity, upd), base_version=None)
                got["update"] = res["status"] in ("applied", "merged")
                res = api.delete(entity, recs[("delete", entity, reach, item)]["id"])
                got["delete"] = res["status"] in ("applied", "merged")
                new = _record(w, entity, youth, org, vis, acts)
                if entity == "attendance":
                    new["date"] = day_iso(-1)
                if entity == "consent":
                    new["organization_id"] = w.orgs["Klubben"]
                if entity == "youth":
                    new = {"id": uid(), "display_name": "Ny"}
                    new["youth_id"] = new["id"]
                if entity == "plan" and not got["delete"]:
                    with app.app_context():  # one plan per young person: make room for the create
                        system_write([{"entity": "plan", "id": upd["id"], "op": "delete", "data": None}])
                        db.session.remove()
                res = api.upsert(entity, _write_for(role, entity, new, api.user["id"]))
                got["create"] = res["status"] in ("applied", "merged")
                for op in OPS:
                    result[(role, entity, op, reach, item)] = (expected(role, entity, op, reach, item), got[op])
    return result


PAGES = (
    "/youth/{id}",
    "/youth/{id}/print",
    "/youth/{id}/progression",
    "/youth/{id}/audit",
    "/youth/{id}/contact-attempts",
)
COORDINATOR_ONLY = {"/youth/{id}/audit"}  # 403 for other roles whoever the young person is: reveals nothing


def page_checks(app, client) -> list[tuple]:
    """Caseworker pages: 200 for a young person the staff member may see, else 404."""
    truncate_all(app)
    w = build_world(app)
    with app.app_context():
        from backend.models import Youth

        create_user("ida", PASSWORD, "youth", None, "Ida")
        record_consent("ida", ["Jobcenter"])  # consent first: assignment needs it (issue 9)
        assign("ida", "ole")
        w.youths["ida"] = db.session.scalar(db.select(Youth.id).where(Youth.display_name == "Ida"))
        db.session.remove()
    routes = {r.rule for r in app.url_map.iter_rules()}
    pages = [p for p in PAGES if p.replace("{id}", "<youth_id>") in routes]
    out = []
    for username, youth, may in (
        ("lise", "mads", True),
        ("ahmed", "sara", True),
        ("karen", "sara", True),
        ("peter", "mads", True),
        ("peter", "sara", False),
        ("nina", "sara", False),
        ("ole", "mads", False),
        ("ahmed", "mads", True),
        ("ahmed", "ida", False),
    ):
        c = app.test_client()
        web_login(c, w.users[username])
        for p in pages:
            status = c.get(p.format(id=w.youths[youth])).status_code
            out.append((username, youth, p, may, status))
    return out


def test_access_matrix(app, client, request):
    roles = design_roles()
    assert set(roles) == set(ACTORS), f"docs/architecture.md roles {roles} vs rules for {sorted(ACTORS)}"
    matrix = {}
    for role in roles:
        matrix.update(run_role(app, client, role))
    pages = page_checks(app, client)

    lines = [
        "Access matrix (expected from docs/architecture.md / actual through /api/v1). Y = allowed, - = refused,",
        "reach: + consented/assigned/own, - not; item: own org | other org shared | other org private.",
        "",
    ]
    header = f"{'role':12}{'entity':12}{'reach':6}{'item':14}" + "".join(f"{op:>8}" for op in OPS)
    lines.append(header)
    wrong = []
    keys = sorted(
        {(r, e, reach, item) for (r, e, _op, reach, item) in matrix},
        key=lambda k: (roles.index(k[0]), ENTITIES.index(k[1]), not k[2], k[3]),
    )
    for role, entity, reach, item in keys:
        cells = []
        for op in OPS:
            exp, got = matrix[(role, entity, op, reach, item)]
            cell = "Y" if got else "-"
            if exp != got:
                cell += "!"
                wrong.append(
                    f"{role} {op} {entity} reach={reach} item={item}: expected "
                    f"{'allowed' if exp else 'refused'}, got {'allowed' if got else 'refused'}"
                )
            cells.append(f"{cell:>8}")
        lines.append(f"{role:12}{entity:12}{'+' if reach else '-':6}{item:14}" + "".join(cells))
    lines += [
        "",
        "Caseworker pages (status; 200 when the user may see the young person, else 404; "
        "the audit page is the coordinator's: 403 for other roles):",
    ]
    for username, youth, may, path, status in [(u, y, m, p, s) for (u, y, p, m, s) in pages]:
        if path in COORDINATOR_ONLY and username not in ("ahmed",):
            ok = status == 403
        else:
            ok = (status == 200) if may else (status == 404)
        lines.append(f"  {username:8} {youth:6} {path:28} {status}{'' if ok else '  !'}")
        if not ok:
            wrong.append(f"page {path} for {username} on {youth}: {status}")
    lines += ["", f"{len(matrix)} API cells, {len(pages)} page checks, {len(wrong)} wrong."]
    text = "\n".join(lines)
    out = ROOT / "build" / "access_matrix.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    if request.config.getoption("capture") == "no":  # pytest -s
        print("\n" + text)
    assert not wrong, "\n".join(wrong)
