"""What the server decides about each kind of case record when someone writes it (one policy each).

Pure rules, read like the glossary (docs/architecture.md#glossary): no database, no request, no Flask. The sync write
path (`backend.sync`) asks the policy of a record's entity and carries out the answer:

- **server-owned fields**: who recorded it, the activity's organisation and visibility on
  attendance, consent timestamps — never taken from the client;
- **natural keys**: attendance is one per (young person, activity, day), whatever its id;
- **merge rules**: staff attendance status wins over the young person's, and a check-in time or
  an absence reason is never erased by a merge;
- **locks**: a submitted assessment can be neither changed nor deleted;
- **references** the record must point at (organisation, young person, goal, users), and the one
  plan per young person;
- **side effects**: access grants follow assignments and consent; attendance follows its
  activity's owner and visibility (the cascade).

One module per family of entities: `youth` (young person, consent), `plan` (plan, goals, goal
proposals, agreements), `attendance` (activities, attendance, outreach), `progression` (assessments,
steps), `company` (company agreements, their follow-ups, work hours); their common ground in `base` and `effects`.
This module is the registry: `policy(entity)`.
"""

from __future__ import annotations

from backend.domain.attendance import ActivityPolicy, AttendancePolicy, OutreachPolicy
from backend.domain.base import ORGANIZATION, YOUTH, Policy, Records, Reference, Rejected, Writer
from backend.domain.company import CompanyAgreementPolicy, PlacementFollowUpPolicy, WorkHoursPolicy
from backend.domain.effects import Access, Cascade, FollowUpsFollow, NowVisible, PlanRevised
from backend.domain.plan import AgreementPolicy, GoalPolicy, GoalProposalPolicy, PlanPolicy
from backend.domain.progression import AssessmentPolicy, StepChangePolicy
from backend.domain.youth import ConsentPolicy, YouthPolicy

__all__ = [
    "Access",
    "ActivityPolicy",
    "AgreementPolicy",
    "AssessmentPolicy",
    "AttendancePolicy",
    "Cascade",
    "CompanyAgreementPolicy",
    "ConsentPolicy",
    "FollowUpsFollow",
    "GoalPolicy",
    "GoalProposalPolicy",
    "NowVisible",
    "ORGANIZATION",
    "OutreachPolicy",
    "POLICIES",
    "PlanPolicy",
    "PlacementFollowUpPolicy",
    "PlanRevised",
    "Policy",
    "Records",
    "Reference",
    "Rejected",
    "StepChangePolicy",
    "WorkHoursPolicy",
    "Writer",
    "YOUTH",
    "YouthPolicy",
    "policy",
]

POLICIES: dict[str, Policy] = {
    p.entity: p
    for p in (
        YouthPolicy(),
        PlanPolicy(),
        GoalPolicy(),
        ActivityPolicy(),
        AgreementPolicy(),
        AttendancePolicy(),
        OutreachPolicy(),
        AssessmentPolicy(),
        ConsentPolicy(),
        GoalProposalPolicy(),
        StepChangePolicy(),
        CompanyAgreementPolicy(),
        WorkHoursPolicy(),
        PlacementFollowUpPolicy(),
    )
}


def policy(entity: str) -> Policy:
    """The policy of a case entity (the base policy for anything else, e.g. organisation)."""
    return POLICIES.get(entity) or _DEFAULT


_DEFAULT = Policy()
