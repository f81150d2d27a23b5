"""The Danish words for the audit log: what was done, through which channel, to which kind of
record — one home for the young person's copy of their data and the coordinator's audit page."""

from __future__ import annotations

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
    "login": "Loggede ind",
    "logout": "Loggede ud",
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


def capitalised(words: dict[str, str]) -> dict[str, str]:
    """The same words starting with a capital letter (for a table cell of their own)."""
    return {k: v[:1].upper() + v[1:] for k, v in words.items()}
