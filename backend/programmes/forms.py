"""Parsing the programme, enrolment and history forms into clean values, with Danish messages.

Each parser returns (values, errors); errors map a field name to a message, and the page shows
the form again with what the user typed.
"""

from __future__ import annotations

import re
from datetime import date

from backend import clock
from backend.programmes.reports import EFFECT_KINDS, EFFECT_LABELS_DA
from shared.enums import Outcome, TargetGroup
from shared.labels import REQUIRED_DA, WEEKDAY_ABBREVIATIONS_DA

WEEKDAY_NAMES = WEEKDAY_ABBREVIATIONS_DA
_ASCII = str.maketrans("æøå", "aoa")  # "lor", "son" typed on a keyboard without ø
WEEKDAYS_DA = {
    **{a.translate(_ASCII): i for i, a in enumerate(WEEKDAY_NAMES)},
    **{a: i for i, a in enumerate(WEEKDAY_NAMES)},
}
_TIME_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)$")


def _int(value: str, field: str, errors: dict, lo: int = 0, hi: int = 10_000, required: bool = False):
    value = (value or "").strip()
    if not value:
        if required:
            errors[field] = REQUIRED_DA
        return None
    if not value.isdigit() or not lo <= int(value) <= hi:
        errors[field] = f"Skriv et helt tal mellem {lo} og {hi}."
        return None
    return int(value)


def parse_date(value: str, field: str, errors: dict, required: bool = True) -> date | None:
    value = (value or "").strip()
    if not value:
        if required:
            errors[field] = REQUIRED_DA
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = "Ugyldig dato (brug ÅÅÅÅ-MM-DD)."
        return None


def parse_programme(form, org_ids: set[str]) -> tuple[dict, dict]:
    """The programme form: fields plus phases, expected effects and activities, one per line."""
    errors: dict[str, str] = {}
    name = (form.get("name") or "").strip()
    if not name:
        errors["name"] = REQUIRED_DA
    elif len(name) > 200:
        errors["name"] = "Højst 200 tegn."
    org = (form.get("organization_id") or "").strip() or None
    if org and org not in org_ids:
        errors["organization_id"] = "Vælg en organisation fra listen."
    data = {
        "name": name,
        "description": (form.get("description") or "").strip()[:4000],
        "organization_id": org,
        "capacity": _int(form.get("capacity"), "capacity", errors, 1, 10_000),
        "team_size": _int(form.get("team_size"), "team_size", errors, 1, 1000),
        "hours_per_week": _int(form.get("hours_per_week"), "hours_per_week", errors, 1, 60),
        "start_rule": (form.get("start_rule") or "").strip()[:200],
        "active": form.get("active") in ("on", "1", "true", "y"),
        "phases": [],
        "effects": [],
        "activities": [],
    }
    data["phases"] = _parse_phases(form, errors)
    data["effects"] = parse_effects(form, errors)
    _theory(form, data, errors)
    data["activities"] = _parse_activities(form, len(data["phases"]), errors)
    return data, errors


def _parse_phases(form, errors: dict) -> list[tuple]:
    """«navn; antal uger; beskrivelse» per line -> (name, weeks, description); at least one."""
    phases = []
    for i, line in enumerate(_lines(form.get("phases")), 1):
        parts = [p.strip() for p in line.split(";", 2)]
        if len(parts) < 2 or not parts[0] or not parts[1].isdigit() or not 1 <= int(parts[1]) <= 260:
            errors["phases"] = f"Linje {i}: skriv «navn; antal uger; beskrivelse», fx «Screening; 2»."
            return phases
        phases.append((parts[0][:200], int(parts[1]), (parts[2] if len(parts) > 2 else "")[:2000]))
    if not phases:
        errors["phases"] = "Angiv mindst én fase, fx «Forløb; 16»."
    return phases


def _parse_activities(form, n_phases: int, errors: dict) -> list[dict]:
    """«titel; dage; tt:mm-tt:mm; sted; fase-nr.» per line -> activity dicts."""
    activities = []
    for i, line in enumerate(_lines(form.get("activities")), 1):
        activity = _activity_line(line, n_phases)
        if activity is None:
            errors["activities"] = (
                f"Linje {i}: skriv «titel; dage; tt:mm-tt:mm; sted; fase-nr.», "
                "fx «Holdundervisning; man,ons; 09:00-12:00; Jobcentret; 1» (sted og fase kan udelades)."
            )
            break
        activities.append(activity)
    return activities


def _activity_line(line: str, n_phases: int) -> dict | None:
    parts = [p.strip() for p in line.split(";")]
    if len(parts) < 3 or not parts[0]:
        return None
    days = [WEEKDAYS_DA.get(d.strip().lower()[:3]) for d in parts[1].split(",") if d.strip()]
    tm = _TIME_RANGE.match(parts[2])
    phase = parts[4] if len(parts) > 4 and parts[4] else ""
    if (
        not days
        or None in days
        or not tm
        or (tm.group(3), tm.group(4)) <= (tm.group(1), tm.group(2))
        or (phase and (not phase.isdigit() or not 1 <= int(phase) <= n_phases))
    ):
        return None
    return {
        "title": parts[0][:150],
        "weekdays": sorted(set(days)),
        "start_time": f"{tm.group(1)}:{tm.group(2)}",
        "end_time": f"{tm.group(3)}:{tm.group(4)}",
        "location": (parts[3] if len(parts) > 3 else "")[:200],
        "phase": int(phase) if phase else None,
    }


def _theory(form, data: dict, errors: dict) -> None:
    """The programme-theory fields: one item per line; target groups from the checkboxes."""
    for key in ("goals", "sub_goals", "content", "mechanisms"):
        data[key] = [ln[:500] for ln in _lines(form.get(key))][:40]
    data["target_group_text"] = (form.get("target_group_text") or "").strip()[:4000]
    data["follow_on"] = (form.get("follow_on") or "").strip()[:2000]
    groups = form.getlist("target_groups") if hasattr(form, "getlist") else form.get("target_groups") or []
    valid = {t.value for t in TargetGroup}
    if any(g not in valid for g in groups):
        errors["target_groups"] = "Vælg målgrupper fra listen."
    data["target_groups"] = [t.value for t in TargetGroup if t.value in groups]


EFFECT_ROWS_MAX = 20
"""At most this many expected effects per programme (the sheets have two or three)."""
_EFFECT_ROW = re.compile(r"^effect-(\d{1,2})-(kind|pct|weeks|date|words)$")


def effect_row_count(values) -> int:
    """How many effect rows the form shows: the filled ones plus two empty ones (at least three)."""
    used = [int(m.group(1)) for k in values if (m := _EFFECT_ROW.match(k)) and (values.get(k) or "").strip()]
    return min(max(max(used, default=-1) + 3, 3), EFFECT_ROWS_MAX)


def parse_effects(form, errors: dict) -> list[tuple]:
    """The expected effects, one row each: an effect chosen from the list, a share in percent, and
    when it is measured — weeks after start or a date — plus the sheet's own words. Empty rows are
    skipped; a half-filled row names what is missing, in Danish."""
    effects = []
    for i in range(EFFECT_ROWS_MAX):
        row = {f: (form.get(f"effect-{i}-{f}") or "").strip() for f in ("kind", "pct", "weeks", "date", "words")}
        if not any(row.values()):
            continue
        problem, effect = _effect_row(row)
        if problem:
            errors["effects"] = f"Effekt {i + 1}: {problem}"
            break
        effects.append(effect)
    return effects


def _effect_row(row: dict) -> tuple[str | None, tuple | None]:
    """(problem, None) or (None, (kind, pct, week, date, words))."""
    if row["kind"] not in EFFECT_KINDS:
        return "vælg en effekt fra listen.", None
    pct = row["pct"].rstrip("% ")
    if not pct.isdigit() or int(pct) > 100:
        return "skriv andelen som et helt tal fra 0 til 100.", None
    if bool(row["weeks"]) == bool(row["date"]):
        return "angiv enten uger efter start eller en dato (ikke begge).", None
    words = row["words"][:200]
    if row["weeks"]:
        if not row["weeks"].isdigit() or not 1 <= int(row["weeks"]) <= 520:
            return "skriv uger efter start som et helt tal fra 1 til 520.", None
        return None, (row["kind"], int(pct), int(row["weeks"]), None, words)
    try:
        return None, (row["kind"], int(pct), None, date.fromisoformat(row["date"]), words)
    except ValueError:
        return "ugyldig dato (vælg en dato i kalenderen eller skriv ÅÅÅÅ-MM-DD).", None


def _effects_to_form(effects) -> dict:
    values = {}
    for i, e in enumerate(effects):
        values[f"effect-{i}-kind"] = e.outcome
        values[f"effect-{i}-pct"] = str(e.share_pct)
        values[f"effect-{i}-weeks"] = "" if e.measure_date else str(e.weeks_after_start or "")
        values[f"effect-{i}-date"] = e.measure_date.isoformat() if e.measure_date else ""
        values[f"effect-{i}-words"] = e.anchor_text or ""
    return values


def programme_to_form(p) -> dict:
    """A stored programme in the shape of the form (for editing)."""
    return {
        "name": p.name,
        "description": p.description,
        "organization_id": p.organization_id or "",
        "capacity": p.capacity or "",
        "team_size": p.team_size or "",
        "hours_per_week": p.hours_per_week or "",
        "start_rule": p.start_rule,
        "active": "on" if p.active else "",
        "phases": "\n".join(f"{ph.name}; {ph.weeks}; {ph.description}".rstrip("; ") for ph in p.phases),
        **_effects_to_form(p.effects),
        "target_group_text": p.target_group_text,
        "target_groups": list(p.target_groups or []),
        "follow_on": p.follow_on,
        **{k: "\n".join(getattr(p, k) or []) for k in ("goals", "sub_goals", "content", "mechanisms")},
        "activities": "\n".join(
            f"{a.title}; {','.join(WEEKDAY_NAMES[d] for d in a.weekdays)}; {a.start_time}-{a.end_time}; "
            f"{a.location}; {a.phase_position or ''}".rstrip("; ")
            for a in p.activities
        ),
    }


def parse_history(form, kind: str) -> tuple[dict, dict]:
    """A target-group or outcome entry: value, valid-from date and note."""
    errors: dict[str, str] = {}
    allowed = {t.value for t in (TargetGroup if kind == "target_group" else Outcome)}
    value = (form.get("value") or "").strip()
    if value not in allowed:
        errors["value"] = "Vælg en værdi fra listen."
    d = parse_date(form.get("valid_from"), "valid_from", errors)
    this_day = clock.today()
    if d and d > this_day.replace(year=this_day.year + 1):
        errors["valid_from"] = "Datoen ligger for langt ude i fremtiden."
    return {"value": value, "valid_from": d, "note": (form.get("note") or "").strip()[:2000]}, errors


def _lines(text: str | None) -> list[str]:
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()]


EFFECT_CHOICES = [(k, EFFECT_LABELS_DA[k]) for k in EFFECT_KINDS]


TARGET_KEYS = ("self_supporting_pct", "target_group_change_pct", "other_benefit_pct")


def parse_targets(form, groups: tuple[str, ...]) -> tuple[dict, dict]:
    """The targets form: per target group three shares in percent (0–100, at most 100 together)
    and an optional aimed reduction; field names are «<group>-<key>»."""
    values: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for g in groups:
        v = {k: _int(form.get(f"{g}-{k}"), f"{g}-{k}", errors, 0, 100, required=True) for k in TARGET_KEYS}
        v["reduction"] = _int(form.get(f"{g}-reduction"), f"{g}-reduction", errors, 0, 100_000)
        if all(v[k] is not None for k in TARGET_KEYS) and sum(v[k] for k in TARGET_KEYS) > 100:
            errors[f"{g}-self_supporting_pct"] = "De tre andele kan højst give 100 % tilsammen."
        values[g] = v
    return values, errors
