"""The seeded catalogue equals the KIK-II programme sheets (shared/sources/000_885c9aad64779c18.txt).

The table below is written from the sheets, not from the seed: every number, phase, effect and
its measuring point, and the key words of target group, goals, content and mechanisms.
"""

from datetime import UTC, date

from sqlalchemy import select

from backend.extensions import db
from backend.programmes.models import Programme
from backend.programmes.seed import _catalogue
from tests.backend.world import build_world, web_login

SS, TGC = "self_supporting", "target_group_change"

# name: capacity, team size, hours/week, target groups, phases [(weeks, words in name/description)],
# effects [(kind, %, week, date)], words that must appear in target group / goals / content / mechanisms,
# what follows the programme.
SHEETS = {
    "Unge på Toppen": dict(
        capacity=20,
        team_size=None,
        hours=None,
        groups=["activity_ready"],
        phases=[(16, "13 ugers virksomhedspraktik")],
        effects=[(SS, 50, None, date(2018, 6, 30)), (SS, 75, None, date(2018, 12, 31))],
        target=["aktivitetsparate", "risikogruppen", "veteraner"],
        goals=["arbejde eller uddannelse"],
        content=["Kost og idræt", "Individuel coaching", "Virksomhedspraktik i 13 uger", "Efterværn"],
        mechanisms=["døgnrytme", "motivation"],
        follow_on="Efterværn",
    ),
    "Formel 1": dict(
        capacity=None,
        team_size=None,
        hours=None,
        groups=["activity_ready"],
        phases=[(16, "fysisk udfordring"), (16, "AMU")],
        effects=[(SS, 50, 16, None), (SS, 75, 32, None)],
        target=["aktivitetsparate"],
        goals=["AMU"],
        content=["Idræt og kost", "udviklingssamtaler", "Praktik", "AMU"],
        mechanisms=["Ingen stabilitet – ingen kørekort"],
        follow_on="",
    ),
    "Brobygning til uddannelse": dict(
        capacity=20,
        team_size=None,
        hours=None,
        groups=["education_ready", "activity_ready"],
        phases=[(2, "Screening"), (14, "snuse")],
        effects=[("job", 10, 16, None), (SS, 65, 16, None)],
        target=["under 30 år", "uddannelsesparate", "aktivitetsparate"],
        goals=["gennemfører en uddannelse"],
        content=["Screening", "snuse", "Dansk og matematik", "Uddannelsesmentor", "Fastholdelsesmentor"],
        mechanisms=["mentor"],
        follow_on="Fastholdelsesmentor",
    ),
    "Arbejde & Sundhed": dict(
        capacity=None,
        team_size=10,
        hours=10,
        groups=["activity_ready"],
        phases=[(12, "2 timer alle hverdage")],
        effects=[("other_benefit", 20, 12, None), (SS, 10, 12, None), (TGC, 40, 12, None)],
        target=["angst", "Depression".lower(), "social fobi"],
        goals=["jobmarkedet"],
        content=["fysioterapeut", "ergoterapeut", "erhvervspsykolog"],
        mechanisms=["funktionsniveau"],
        follow_on="virksomhedskonsulent",
    ),
    "FOKUS": dict(
        capacity=None,
        team_size=None,
        hours=None,
        groups=["activity_ready", "job_ready"],
        phases=[(4, "jobsøgning"), (8, "Praktik")],
        effects=[("case_closed", 20, 12, None), ("job_or_education_ready", 60, 12, None)],
        target=["Aktivitetsparate", "risikogruppen"],
        goals=["Aktivitetsparat til Job- og Uddannelsesparat".lower()],
        content=["CV", "jobsamtaler", "Virksomhedsbesøg", "Praktikudplacering"],
        mechanisms=["tiltro"],
        follow_on="",
    ),
    "Forløb for borgere med angst og depression": dict(
        capacity=None,
        team_size=None,
        hours=None,
        groups=["activity_ready"],
        phases=[(8, "Psykoedukation".lower()), (12, "Praktik")],
        effects=[(SS, 20, 20, None), (TGC, 60, 20, None)],
        target=["angst, stress og depression"],
        goals=["passiv til aktiv"],
        content=["coachsamtaler", "Psykoedukation", "Afspænding", "Fysisk træning", "Hjemmeopgaver"],
        mechanisms=["passiv til aktiv"],
        follow_on="",
    ),
}


def _has(haystack: list[str] | str, needle: str) -> bool:
    text = " ".join(haystack) if isinstance(haystack, list) else haystack
    return needle.lower() in text.lower()


def test_seeded_catalogue_matches_the_programme_sheets(app):
    build_world(app)
    with app.app_context():
        _catalogue()
        progs = {p.name: p for p in db.session.scalars(select(Programme))}
        assert set(progs) == set(SHEETS)
        for name, want in SHEETS.items():
            p = progs[name]
            assert (p.capacity, p.team_size, p.hours_per_week) == (
                want["capacity"],
                want["team_size"],
                want["hours"],
            ), name
            assert p.target_groups == want["groups"], name
            assert [ph.weeks for ph in p.phases] == [w for w, _ in want["phases"]], name
            for ph, (_, words) in zip(p.phases, want["phases"], strict=True):
                assert _has(f"{ph.name} {ph.description}", words), (name, ph.name)
            got = sorted((e.outcome, e.share_pct, e.weeks_after_start, e.measure_date) for e in p.effects)
            assert got == sorted(want["effects"]), name
            for words in want["target"]:
                assert _has(p.target_group_text, words), (name, words)
            for words in want["goals"]:
                assert _has(p.goals + p.sub_goals, words), (name, words)
            for words in want["content"]:
                assert _has(p.content, words), (name, words)
            for words in want["mechanisms"]:
                assert _has(p.mechanisms, words), (name, words)
            assert p.goals and p.sub_goals and p.content and p.mechanisms, name
            assert _has(p.follow_on, want["follow_on"]) if want["follow_on"] else p.follow_on == "", name
            # every schedule activity belongs to an existing phase
            assert all(a.phase_position in (None, *range(1, len(p.phases) + 1)) for a in p.activities), name


def test_catalogue_page_shows_theory_and_dated_effects(app, client):
    w = build_world(app)
    with app.app_context():
        _catalogue()
    web_login(client, w.users["ahmed"])
    html = client.get("/programmes").get_data(as_text=True)
    assert "pr. 30.06.2018" in html and "uge 32 efter start" in html
    assert "Mekanismer" in html and "Hold på op til 10" in html and "10 timer om ugen" in html


def test_edit_form_round_trips_theory_and_dated_effects(app, client):
    import re

    w = build_world(app)
    with app.app_context():
        _catalogue()
        pid = db.session.scalar(select(Programme.id).where(Programme.name == "Unge på Toppen"))
    web_login(client, w.users["ahmed"])
    html = client.get(f"/programmes/{pid}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    areas = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<textarea id="p-\w+" name="(\w+)" rows="\d+">(.*?)</textarea>', html, re.S)
    }
    inputs = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<input name="(effect-\d+-\w+)" type="\w+"[^>]*? value="([^"]*)"', html)
    }
    kinds = re.findall(r'<select name="(effect-\d+-kind)">.*?(?:<option value="(\w+)" selected>|</select>)', html, re.S)
    inputs.update({name: kind for name, kind in kinds if kind})
    assert inputs["effect-0-kind"] == "self_supporting" and inputs["effect-0-date"] == "2018-06-30"
    assert inputs["effect-0-words"] == "30. juni 2018" and inputs["effect-0-weeks"] == ""
    form = {
        **areas,
        **inputs,
        "csrf_token": token,
        "name": "Unge på Toppen",
        "capacity": "20",
        "active": "on",
        "start_rule": "Opstart i januar",
        "target_groups": ["activity_ready"],
    }
    import html as h

    form = {k: h.unescape(v) if isinstance(v, str) else v for k, v in form.items()}
    r = client.post(f"/programmes/{pid}/edit", data=form)
    assert r.status_code == 302, r.get_data(as_text=True)
    with app.app_context():
        p = db.session.get(Programme, pid)
        assert [(e.share_pct, e.measure_date, e.anchor_text) for e in p.effects] == [
            (50, date(2018, 6, 30), "30. juni 2018"),
            (75, date(2018, 12, 31), "31. december 2018"),
        ]
        assert p.target_groups == ["activity_ready"] and "Efterværn" in p.content and len(p.mechanisms) == 3
        assert p.phases[0].description.startswith("Kost og idræt")
    bad = {**form, "effect-0-date": "30-06-2018"}
    r = client.post(f"/programmes/{pid}/edit", data=bad)
    assert r.status_code == 400 and "Effekt 1: ugyldig dato" in r.get_data(as_text=True)


def test_an_old_unedited_demo_catalogue_is_brought_up_to_the_sheets(app):
    """A demo database seeded before the sheets were followed (Formel 1 at weeks 26/52) is corrected
    by the next seed; a programme a coordinator has edited is left alone."""
    from datetime import datetime, timedelta

    from backend.programmes.models import ExpectedEffect, ProgrammePhase
    from backend.programmes.seed import sid

    build_world(app)
    with app.app_context():
        made = datetime(2026, 1, 1, tzinfo=UTC)
        for name, edited in (("Formel 1", False), ("FOKUS", True)):
            pid = sid("programme", name)
            p = Programme(
                id=pid,
                name=name,
                description="gammel",
                capacity=20,
                start_rule="",
                active=True,
                created_at=made,
                updated_at=made + timedelta(days=3 if edited else 0),
            )
            p.phases = [ProgrammePhase(id=sid(pid, "phase", 1), position=1, name="Afklaring", weeks=16)]
            p.effects = [
                ExpectedEffect(id=sid(pid, "effect", 1), outcome="self_supporting", share_pct=50, weeks_after_start=26)
            ]
            db.session.add(p)
        db.session.commit()
        _catalogue()
        f1 = db.session.get(Programme, sid("programme", "Formel 1"))
        assert sorted(e.weeks_after_start for e in f1.effects) == [16, 32] and f1.capacity is None
        assert [ph.weeks for ph in f1.phases] == [16, 16] and f1.mechanisms
        fokus = db.session.get(Programme, sid("programme", "FOKUS"))
        assert fokus.description == "gammel" and [e.weeks_after_start for e in fokus.effects] == [26]
