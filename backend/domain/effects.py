"""What else follows from a write, as plain values the sync engine carries out before commit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Access:
    """Grant (or revoke) a young person's records to a user or an organisation."""

    youth_id: str
    subject_kind: str  # "user" or "org"
    subject_id: str
    reason: str
    granted: bool


@dataclass(frozen=True)
class NowVisible:
    """The writer may go on with this young person in the same batch (the grant lands at commit)."""

    youth_id: str


@dataclass(frozen=True)
class PlanRevised:
    """The young person's plan gets a new version (a shared sub-goal changed)."""

    youth_id: str | None = None
    goal_id: str | None = None  # a deleted goal: its young person is looked up


@dataclass(frozen=True)
class Cascade:
    """The activity's attendance takes its owner and visibility again."""

    activity_id: str


@dataclass(frozen=True)
class FollowUpsFollow:
    """The company agreement's follow-ups take its owner and visibility again."""

    agreement_id: str
