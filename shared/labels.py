"""Danish words the backend pages, the API and the app all show (one home for each)."""

from __future__ import annotations

WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
"""Weekday names, Monday first: `WEEKDAYS_DA[day.weekday()]`, and the `weekdays` of an activity."""

WEEKDAYS_DA_TITLE = tuple(name.capitalize() for name in WEEKDAYS_DA)
"""The same names at the start of a line or heading ("Mandag")."""

WEEKDAY_ABBREVIATIONS_DA = tuple(name[:3] for name in WEEKDAYS_DA)
"""Three-letter forms ("man", "tir", … "søn") for compact schedules."""
