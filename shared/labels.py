"""Danish words the backend pages, the API and the app all show (one home for each)."""

from __future__ import annotations

WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
"""Weekday names, Monday first: `WEEKDAYS_DA[day.weekday()]`, and the `weekdays` of an activity."""

WEEKDAYS_DA_TITLE = tuple(name.capitalize() for name in WEEKDAYS_DA)
"""The same names at the start of a line or heading ("Mandag")."""

WEEKDAY_ABBREVIATIONS_DA = tuple(name[:3] for name in WEEKDAYS_DA)
"""Three-letter forms ("man", "tir", … "søn") for compact schedules."""


# ---- field and entity names -------------------------------------------------------------------

FIELD_LABELS_DA = {
    "id": "Id",
    "youth_id": "Den unge",
    "organization_id": "Organisation",
    "title": "Titel",
    "description": "Beskrivelse",
    "status": "Status",
    "target_date": "Måldato",
    "visibility": "Synlighed",
    "comment_visibility": "Kommentarens synlighed",
    "note_visibility": "Notens synlighed",
    "goal_id": "Delmål",
    "weekdays": "Ugedage",
    "start_time": "Starttid",
    "end_time": "Sluttid",
    "start_date": "Startdato",
    "end_date": "Slutdato",
    "location": "Sted",
    "text": "Aftalen",
    "responsible": "Ansvarlig",
    "responsible_user_id": "Ansvarlig medarbejder",
    "due_date": "Dato",
    "review_note": "Opfølgning",
    "reviewed_at": "Fulgt op",
    "youth_comment": "Din kommentar",
    "youth_marked_done_at": "Markeret som gjort",
    "activity_id": "Aktivitet",
    "date": "Dato",
    "self_checked_in_at": "Tjekket ind",
    "absence_reason": "Grund til fravær",
    "note": "Note",
    "method": "Måde",
    "reached": "Fik fat i",
    "contacted_at": "Tidspunkt",
    "rater_role": "Hvem vurderer",
    "scores": "Point",
    "comment": "Kommentar",
    "submitted_at": "Indsendt",
    "given_at": "Givet",
    "withdrawn_at": "Trukket tilbage",
    "display_name": "Navn",
    "birth_date": "Fødselsdato",
    "target_group": "Målgruppe",
    "outcome": "Status for forløbet",
    "mentor_id": "Mentor",
    "coordinator_id": "Koordinator",
    "user_id": "Bruger",
    "end_goal": "Slutmål",
    "end_goal_kind": "Slutmålets art",
    "mutation_id": "Ændringens id",
    "entity": "Type",
    "op": "Handling",
    "base_version": "Version",
    "data": "Data",
    "device_id": "Enhed",
    "schema_version": "App-version",
    "mutations": "Ændringer",
    "username": "Brugernavn",
    "password": "Adgangskode",
    "device_name": "Enhedens navn",
    "deleted": "Slettet",
    "phone": "Mobilnummer",
    "contact_time": "Bedste tid at ringe",
    "reminder_time": "Tid for påmindelse",
    "reminders_enabled": "Påmindelser",
    "on_call_phone": "Vagttelefon",
    "opening_weekdays": "Åbningsdage",
    "opens_at": "Åbner",
    "closes_at": "Lukker",
    "youth_wish": "Det vil jeg",
    "youth_strengths": "Det er jeg god til",
    "youth_barriers": "Det står i vejen",
    "youth_answer": "Dit svar på planen",
    "youth_answer_comment": "Hvad du ikke er enig i",
    "youth_answer_revision": "Udgave af planen",
    "answer": "Svar til den unge",
    "step": "Trin",
    "reason": "Hvorfor",
    "valid_from": "Gælder fra",
    "company": "Virksomhed",
    "contact_name": "Kontaktperson",
    "contact_phone": "Kontaktpersonens telefon",
    "hours_per_week": "Timer om ugen",
    "hours_spread": "Fordeling af timerne",
    "tasks": "Opgaver",
    "workplace_support": "Støtte/mentor på arbejdspladsen",
    "health_considerations": "Hensyn til helbred",
    "follow_up_dates": "Opfølgninger",
    "done_date": "Gennemført den",
    "period": "Periode",
    "period_start": "Periodens start",
    "ordinary_hours": "Ordinære timer",
    "supported_hours": "Støttede timer",
    "company_agreement_id": "Virksomhedsaftale",
}
"""Field names in Danish, as the API's error messages name them."""

PAGE_FIELD_LABELS_DA = {
    **FIELD_LABELS_DA,
    "youth_id": "Ung",
    "text": "Aftale",
    "due_date": "Frist",
    "method": "Kontaktform",
    "reached": "Fik kontakt",
    "end_goal_kind": "Retning",
    "absence_reason": "Fraværsgrund",
    "scores": "Scorer",
    "outcome": "Status",
    "coordinator_id": "Tovholder",
}
"""The caseworker pages' words (a coordinator is a "tovholder" there, an agreement has a "frist")."""

APP_FIELD_LABELS_DA = {
    **FIELD_LABELS_DA,
    "responsible": "Hvem har ansvaret",
    "review_note": "Note",
    "youth_comment": "Kommentar",
    "absence_reason": "Grund",
    "reached": "Fik fat",
    "scores": "Svar",
    "rater_role": "Hvem svarer",
}
"""The app's plainer words, for the young person and the mentor."""

ENTITY_LABELS_DA = {
    "youth": "Ung",
    "plan": "Plan",
    "goal": "Delmål",
    "activity": "Aktivitet",
    "agreement": "Aftale",
    "attendance": "Fremmøde",
    "outreach": "Opsøgende kontakt",
    "assessment": "Progressionsmåling",
    "consent": "Samtykke",
}
"""What a case record is called."""

APP_ENTITY_LABELS_DA = {**ENTITY_LABELS_DA, "assessment": "Måling"}


def field_label(name: str, labels: dict[str, str] = FIELD_LABELS_DA) -> str:
    """The Danish label of a field name (the name itself when unknown)."""
    return labels.get(name, name)


# ---- validation messages ------------------------------------------------------------------------

REQUIRED_DA = "Skal udfyldes."

FIELD_MESSAGES_DA: dict[str, dict[str, str]] = {
    "Field": {"required": REQUIRED_DA, "null": REQUIRED_DA, "validator_failed": "Ugyldig værdi."},
    "String": {"invalid": "Skal være tekst.", "invalid_utf8": "Skal være tekst."},
    "Number": {"invalid": "Skal være et tal.", "too_large": "Tallet er for stort."},
    "Integer": {"invalid": "Skal være et helt tal."},
    "Boolean": {"invalid": "Skal være ja eller nej."},
    "Date": {"invalid": "Ugyldig dato (brug ÅÅÅÅ-MM-DD)."},
    "DateTime": {"invalid": "Ugyldigt tidspunkt.", "invalid_awareness": "Ugyldigt tidspunkt."},
    "List": {"invalid": "Skal være en liste."},
    "Mapping": {"invalid": "Skal være et objekt."},
}
"""marshmallow's field messages in Danish, by field class name (a subclass inherits its base's)."""

SCHEMA_MESSAGES_DA = {"unknown": "Ukendt felt.", "type": "Ugyldige data."}
"""marshmallow's schema messages in Danish."""
