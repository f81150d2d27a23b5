"""The young person's own data (GDPR art. 15): what the export holds, in plain Danish."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MY_DATA_OFFLINE = "Du er ikke på nettet. Dine data hentes fra Trinvis' server, så prøv igen, når du er på nettet."
MY_DATA_KINDS = (
    ("plan", "Din plan"),
    ("goal", "Delmål"),
    ("activity", "Aktiviteter"),
    ("attendance", "Fremmøde"),
    ("agreement", "Aftaler"),
    ("assessment", "Vurderinger"),
    ("outreach", "Kontakt fra medarbejdere"),
    ("consent", "Samtykker"),
    ("enrolment", "Forløb"),
    ("target_group_history", "Målgruppe over tid"),
    ("outcome_history", "Status over tid"),
    ("record_history", "Tidligere versioner"),
    ("conflict", "Rettelser"),
    ("access_log", "Hvem har set dine oplysninger (dage)"),
)


@dataclass
class MyData:
    export: dict[str, Any]
    document_url: str
    summary: list[tuple[str, int]]  # (Danish kind, how many)


def summarise_export(export: dict[str, Any]) -> list[tuple[str, int]]:
    """How many of each kind the export holds, in plain Danish (for the screen)."""
    counts = export.get("counts") or {}
    return [(label, int(counts.get(key) or 0)) for key, label in MY_DATA_KINDS]
