"""The demo's cast and the ground rules every seeding step shares: who exists, deterministic ids, errors."""

from __future__ import annotations

import uuid

import click

DEMO_PASSWORD = "demo1234"
NAMESPACE = uuid.UUID("5d1c6a52-7f0e-4c53-9d7b-1f6f2a9e0c11")

ORGANIZATIONS = (
    ("Jobcenter", "jobcenter"),
    ("UU", "uu"),
    ("Bostøtte", "bostotte"),
    ("Rusmiddelcenter", "rusmiddelcenter"),
)

# username, role, organisation, display name, birth date (youth only)
USERS = (
    ("ung.mads", "youth", None, "Mads Jensen", "2003-04-17"),
    ("ung.sara", "youth", None, "Sara Ahmadi", "2006-09-02"),
    ("mentor.lise", "mentor", "Jobcenter", "Lise Mortensen", None),
    ("tovholder.ahmed", "coordinator", "Jobcenter", "Ahmed Hassan", None),
    ("uu.karen", "partner", "UU", "Karen Holm", None),
    ("bostotte.peter", "partner", "Bostøtte", "Peter Nielsen", None),
    ("behandler.nina", "partner", "Rusmiddelcenter", "Nina Lund", None),
    ("admin", "admin", None, "Administrator", None),
)

CONSENTS = {"ung.mads": ("Jobcenter", "UU", "Bostøtte", "Rusmiddelcenter"), "ung.sara": ("Jobcenter", "UU")}


class SeedError(click.ClickException):
    """A demo step the server refused; the message names the step and the reason.

    A ClickException, so `flask seed-demo` ends with the message and exit code 1, not a traceback.
    """


def rid(*parts: str) -> str:
    """A deterministic record id, so a re-run finds the records of the first run."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))
