"""The export as a readable Danish document: sections of labelled fields, values in plain Danish.

Pure functions over the export dict of backend.rights.export (no database), so the web page,
the API's HTML and the tests render the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from backend.admin import SYSTEM
from backend.clock import to_local
from shared.dimensions import DIMENSIONS
from shared.enums import label_da
from shared.labels import FIELD_LABELS_DA, WEEKDAYS_DA

SECTIONS = (
    # (group, key, title, explanation)
    ("records", "plan", "Din plan", "Slutmålet, dine egne ord (Det vil jeg) og dit svar på planen."),
    ("records", "step_change", "Trin", "Hvilket trin du har været på, hvornår og hvorfor."),
    (
        "records",
        "company_agreement",
        "Aftaler med virksomheder",
        "Praktik eller job: timer, opgaver, støtte og opfølgning.",
    ),
    ("records", "placement_follow_up", "Opfølgninger på aftaler", "Hvornår der blev fulgt op, og hvad I talte om."),
    ("records", "work_hours", "Arbejdstimer", "Dine ordinære og støttede timer pr. uge eller måned."),
    ("records", "goal_proposal", "Dine forslag til delmål", "De delmål, du selv har foreslået, og svaret på dem."),
    ("records", "goal", "Delmål", "De mål, du arbejder hen imod, og hvem der står for dem."),
    ("records", "activity", "Aktiviteter", "Det, du skal til hver uge."),
    ("records", "attendance", "Fremmøde", "Hvornår du kom, meldte fra eller ikke kom."),
    ("records", "agreement", "Aftaler", "Aftaler mellem dig og dine medarbejdere."),
    ("records", "assessment", "Vurderinger", "Hvordan det går, vurderet af dig og af medarbejderne (1–10)."),
    ("records", "outreach", "Kontakt", "Når en medarbejder har ringet, skrevet eller besøgt dig."),
    ("records", "consent", "Samtykker", "Hvilke steder du har sagt ja til må se din plan."),
    ("records", "sms", "Sms'er", "Påmindelser, Trinvis har sendt eller skulle sende til din mobil."),
    ("programmes", "enrolment", "Forløb", "De tilbud, du har været eller er med i."),
    ("programmes", "target_group_history", "Målgruppe over tid", "Hvilken målgruppe du har hørt til."),
    ("programmes", "outcome_history", "Status over tid", "Hvordan dit forløb er gået og er endt."),
    ("history", "conflict", "Rettelser", "Når to har ændret det samme på samme tid, og hvad der blev valgt."),
)

EXTRA_LABELS = {
    "programme_id": "Forløb",
    "planned_end_date": "Planlagt slut",
    "actual_end_date": "Faktisk slut",
    "end_reason": "Hvorfor det sluttede",
    "valid_from": "Gælder fra",
    "recorded_by_user_id": "Registreret af",
    "recorded_at": "Registreret",
    "rater_user_id": "Vurderet af",
    "created_by_user_id": "Oprettet af",
    "field": "Felt",
    "winning_value": "Gældende værdi",
    "losing_value": "Anden værdi",
    "resolution": "Afklaring",
    "resolved_at": "Afklaret",
    "created_at": "Oprettet",
    "updated_at": "Senest ændret",
    "deleted": "Slettet",
    "user_id": "Medarbejder",
    "due_date": "Dato",
    "winning_user_id": "Ændret af",
    "losing_user_id": "Også ændret af",
    "resolved_by_user_id": "Afklaret af",
    "to_phone": "Til",
    "body": "Besked",
    "day": "Dag",
    "due_at": "Planlagt",
    "sent_at": "Sendt",
}
HIDDEN = {
    "id",
    "youth_id",
    "version",
    "field_versions",
    "activity_ids",
    "entity",
    "record_id",
    "base_version",
    "status_source",
    "organization_id",
    "key",
    "kind",
    "expires_at",
    "attempts",
    "last_error",
    "sender",
    "provider_ref",
    "claimed_at",
}
ROLE_DA = {
    "self": "Dig selv",
    "mentor": "Mentor",
    "coordinator": "Koordinator (tovholder)",
    "partner": "Samarbejdspartner",
    "admin": "Administrator",
    "system": "Systemet",
    "youth": "Ung",
}
ACTION_DA = {
    "read": "Læste",
    "write": "Ændrede",
    "create": "Oprettede",
    "update": "Ændrede",
    "delete": "Slettede",
    "export": "Hentede en kopi af alle oplysninger",
    "resolve_conflict": "Afklarede en rettelse",
    "purge": "Fjernede fra en enhed",
    "erase": "Slettede sagen",
}
CHANNEL_DA = {"api": "app", "web": "browser", "cli": "administration"}
ENTITY_DA = {
    "youth": "stamdata",
    "plan": "plan",
    "goal": "delmål",
    "activity": "aktiviteter",
    "agreement": "aftaler",
    "attendance": "fremmøde",
    "outreach": "kontakt",
    "assessment": "vurderinger",
    "consent": "samtykker",
    "goal_proposal": "forslag til delmål",
    "step_change": "trin",
    "company_agreement": "virksomhedsaftaler",
    "work_hours": "arbejdstimer",
    "placement_follow_up": "opfølgninger på virksomhedsaftaler",
    "conflict": "rettelser",
    "audit_log": "logbog",
    "enrolment": "forløb",
    "target_group_history": "målgruppe",
    "outcome_history": "status",
    "export": "kopi af alle oplysninger",
}


@dataclass
class Section:
    key: str
    title: str
    explanation: str
    items: list[list[tuple[str, str]]] = field(default_factory=list)  # each item: (label, value) pairs
    heading: list[str] = field(default_factory=list)  # a short title per item


def label(name: str) -> str:
    return EXTRA_LABELS.get(name) or FIELD_LABELS_DA.get(name) or name


def fmt(name: str, value, names: dict) -> str:
    """One value in plain Danish: dates, yes/no, names for ids, labels for codes, scores by dimension."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if name == "weekdays" and isinstance(value, list):
        return ", ".join(WEEKDAYS_DA[d] for d in value if isinstance(d, int) and 0 <= d < 7)
    if name == "scores" and isinstance(value, dict):
        titles = {d.key: d.title for d in DIMENSIONS.dimensions}
        return "; ".join(f"{titles.get(k, k)}: {v}" for k, v in value.items())
    if isinstance(value, (dict, list)):
        return (
            ", ".join(f"{label(k)}: {fmt(k, v, names)}" for k, v in value.items())
            if isinstance(value, dict)
            else ", ".join(fmt(name, v, names) for v in value)
        )
    text = str(value)
    if name == "field":
        return label(text)
    for group in ("organizations", "programmes", "titles"):
        if text in names.get(group, {}):
            return names[group][text]
    if text in names.get("users", {}):
        return names["users"][text]["name"]
    return _date_text(text) or label_da(text)


def _date_text(text: str) -> str | None:
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text).strftime("%d.%m.%Y")
        except ValueError:
            return None
    if len(text) > 18 and text[4] == "-" and "T" in text:
        try:
            return to_local(datetime.fromisoformat(text)).strftime("%d.%m.%Y kl. %H:%M")
        except ValueError:
            return None
    return None


def _item(row: dict, names: dict) -> list[tuple[str, str]]:
    pairs = []
    org = row.get("organization_id")
    if org:
        pairs.append(("Organisation", fmt("organization_id", org, names)))
    for k, v in row.items():
        if k in HIDDEN or (k == "deleted" and not v):
            continue
        pairs.append((label(k), fmt(k, v, names)))
    return pairs


def _names(export: dict) -> dict:
    """The export's names, plus titles of its goals and activities and who 'you' and 'the system' are."""
    titles = {r["id"]: r["title"] for key in ("goal", "activity") for r in export["records"].get(key, [])}
    titles[SYSTEM.id] = "Systemet (administration)"
    if export["youth"].get("user_id"):
        titles[export["youth"]["user_id"]] = (
            "Dig selv" if export["scope"] == "self" else export["youth"]["display_name"]
        )
    return {**export["names"], "titles": titles}


def sections(export: dict) -> list[Section]:
    """The document's sections in reading order (empty ones say so in the template)."""
    names = _names(export)
    out = []
    for group, key, title, explanation in SECTIONS:
        s = Section(key, title, explanation)
        for row in export[group].get(key, []):
            s.items.append(_item(row, names))
        out.append(s)
    return out


def access_rows(export: dict) -> list[dict]:
    """The access log as table rows: date, who (role and organisation), what, how."""
    rows = []
    for e in export["access_log"]:
        what = ", ".join(
            f"{ENTITY_DA.get(k, k)} ({n})" if n else ENTITY_DA.get(k, k) for k, n in sorted(e["entities"].items())
        )
        rows.append(
            {
                "date": fmt("date", e["date"], {}),
                "who": ROLE_DA.get(e["role"], e["role"]) + (f", {e['organization']}" if e["organization"] else ""),
                "action": ACTION_DA.get(e["action"], e["action"]),
                "what": what or "–",
                "channel": CHANNEL_DA.get(e["channel"], e["channel"]),
            }
        )
    return rows
