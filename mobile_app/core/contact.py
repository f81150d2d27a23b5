"""Reaching someone, in the app (issue 13): the young person's own contact details and the
mentor's one-tap call or text that records the contact attempt by itself.

Pure use cases on `Services` (no Flet): the UI opens the tel:/sms: link these return through the
phone's launcher and asks "Fik du fat i …?" afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError

from mobile_app.core.errors import CoreError, ValidationFailed
from mobile_app.core.service_core import CONTACTS_META, known_mentor
from mobile_app.core.services import CaseloadRow, Services
from shared.contact import format_phone, kind_text, normalize_phone, sms_link, tel_link, within_hours
from shared.enums import OutreachMethod
from shared.fields import HHMM


def my_contact(svc: Services) -> dict[str, Any]:
    """The young person's own contact details as shown in the form."""
    y = svc.youth(svc.my_youth_id() or "") or {}
    return {
        "phone": format_phone(y.get("phone")),
        "contact_time": y.get("contact_time") or "",
        "reminder_time": y.get("reminder_time") or "",
        "reminders_enabled": y.get("reminders_enabled", True),
    }


def save_my_contact(
    svc: Services, phone: str, contact_time: str, reminder_time: str, reminders_enabled: bool
) -> dict[str, Any]:
    """The young person changes their own number, best time to call and morning reminder."""
    youth_id = svc.my_youth_id()
    if not svc.is_youth or not youth_id or svc.youth(youth_id) is None:
        raise ValidationFailed("Kun den unge selv kan rette sine kontaktoplysninger her.")
    try:
        e164 = normalize_phone(phone)
    except ValueError as e:
        raise ValidationFailed(str(e)) from None
    reminder = (reminder_time or "").strip() or None
    if reminder is not None:
        try:
            HHMM().deserialize(reminder)
        except ValidationError:
            raise ValidationFailed("Skriv tiden som TT:MM, fx 07:30 – eller lad feltet være tomt.") from None
    changes = {
        "phone": e164,
        "contact_time": (contact_time or "").strip(),
        "reminder_time": reminder,
        "reminders_enabled": bool(reminders_enabled),
    }
    return svc._save("youth", youth_id, youth_id, changes, create=False)


# ---- the mentor's one tap ------------------------------------------------------------------


def contact_link(svc: Services, youth_id: str, method: str, body: str = "") -> str:
    """The tel:/sms: link for a young person's number; ValidationFailed if none is known."""
    svc.require_may("outreach")  # the attempt is recorded as outreach: the shared rule decides
    y = svc.youth(youth_id) or {}
    if not y.get("phone"):
        raise ValidationFailed("Der er intet mobilnummer på den unge. Koordinatoren kan skrive det i planen.")
    if method == OutreachMethod.SMS.value:
        return sms_link(y["phone"], body)
    return tel_link(y["phone"])


def start_contact(svc: Services, youth_id: str, method: str, body: str = "") -> tuple[str, dict[str, Any]]:
    """One tap: the link to open and the contact attempt, recorded now as not (yet) reached.

    The attempt exists even if the mentor never answers "Fik du fat i …?"; `answer_reached`
    then changes it, so nothing is typed twice and nothing is lost.
    """
    link = contact_link(svc, youth_id, method, body)
    note = "Ringet op med ét tryk i appen." if method == OutreachMethod.CALL.value else "Sms sendt med ét tryk i appen."
    rec = svc.log_outreach(youth_id, method, False, note)
    return link, rec


def answer_reached(svc: Services, outreach_id: str, reached: bool) -> dict[str, Any]:
    """The mentor's answer to "Fik du fat i …?" after the call or text (the save asks the shared rule)."""
    rec = svc.store.get("outreach", outreach_id)
    if rec is None:
        raise ValidationFailed("Kontaktforsøget findes ikke længere på telefonen.")
    return svc._save("outreach", outreach_id, rec["youth_id"], {"reached": bool(reached)}, create=False)


def morning_list(svc: Services) -> list[CaseloadRow]:
    """The caseload rows of young people who have not come to an activity today (the red cards)."""
    return [r for r in svc.caseload() if r.missing]


def prefilled_text(svc: Services, row: CaseloadRow) -> str:
    """The kind text for a row of the morning list: its first missed activity and the mentor's name."""
    first = next(i.activity for i in row.today if i.state == "missing")
    return kind_text(
        row.youth.get("display_name", ""),
        first.get("title", ""),
        first.get("start_time", ""),
        svc.user.get("display_name") or "",
    )


# ---- "Ring til nogen": whom the young person calls now ------------------------------------------


def refresh_contacts(core: Any) -> None:
    """After a sync: fetch the young person's mentor and keep it for offline use (never raises)."""
    if (core.user or {}).get("role") != "youth":
        return
    try:
        core.store.set_meta(CONTACTS_META, core.client().my_contacts())
    except CoreError:
        pass  # offline or refused: the last known contacts stay


@dataclass
class WhomToCall:
    """The person or line to call now and why."""

    label: str
    phone: str
    reason: str

    @property
    def link(self) -> str:
        return tel_link(self.phone)

    @property
    def shown(self) -> str:
        return format_phone(self.phone)


def whom_to_call(svc: Services) -> WhomToCall | None:
    """The mentor inside their organisation's opening hours, its on-call (24/7) number outside them.

    Falls back to whichever number is known; None when none is.
    """
    mentor = known_mentor(svc.store)
    org = svc.store.get("organization", mentor.get("organization_id") or "") or {}
    now = svc.now().replace(tzinfo=None)
    open_now = within_hours(now, org.get("opening_weekdays"), org.get("opens_at"), org.get("closes_at"))
    first = (mentor.get("name") or "").split(" ")[0] or "din mentor"
    on_call = org.get("on_call_phone")
    if mentor.get("phone") and (open_now or not on_call):
        why = "Din mentor er på arbejde nu." if open_now else "Læg en besked, hvis hun eller han ikke svarer."
        return WhomToCall(f"Ring til {first}", mentor["phone"], why)
    if on_call:
        return WhomToCall(
            f"Ring til vagttelefonen ({org.get('name', '')})",
            on_call,
            "Uden for åbningstiden svarer vagttelefonen – døgnet rundt.",
        )
    return None
