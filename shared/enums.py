"""Enumerations from the domain glossary (docs/architecture.md#glossary). Values are the wire values."""

from enum import StrEnum


class Role(StrEnum):
    YOUTH = "youth"
    MENTOR = "mentor"
    COORDINATOR = "coordinator"
    PARTNER = "partner"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.MENTOR, Role.COORDINATOR, Role.PARTNER})


class EndGoalKind(StrEnum):
    EDUCATION = "education"
    JOB = "job"


class GoalStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class Visibility(StrEnum):
    SHARED = "shared"
    ORGANIZATION = "organization"


class Responsible(StrEnum):
    YOUTH = "youth"
    STAFF = "staff"


class AgreementStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    NOT_KEPT = "not_kept"
    CANCELLED = "cancelled"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT_NOTIFIED = "absent_notified"
    ABSENT_UNNOTIFIED = "absent_unnotified"


class OutreachMethod(StrEnum):
    CALL = "call"
    SMS = "sms"
    HOME_VISIT = "home_visit"
    OTHER = "other"


class RaterRole(StrEnum):
    """Who scored an assessment: the young person themself or a staff member."""

    YOUTH = "youth"
    STAFF = "staff"


class ConsentStatus(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


class TargetGroup(StrEnum):
    JOB_READY = "job_ready"
    EDUCATION_READY = "education_ready"
    ACTIVITY_READY = "activity_ready"


class Outcome(StrEnum):
    ACTIVE = "active"
    EDUCATION = "education"
    JOB = "job"
    SELF_SUPPORTING_OTHER = "self_supporting_other"
    TARGET_GROUP_CHANGE = "target_group_change"
    FLEXJOB = "flexjob"
    RESOURCE_COURSE = "resource_course"
    DISABILITY_PENSION = "disability_pension"
    MOVED_OTHER = "moved_other"


class ProposalStatus(StrEnum):
    """A young person's proposed sub-goal: waiting, taken as it was, reworded together, or not taken."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REWORDED = "reworded"
    DECLINED = "declined"


class YouthAnswer(StrEnum):
    """The young person's answer to one version of the plan."""

    AGREE = "agree"
    DISAGREE = "disagree"


class Op(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"


class MutationStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    MERGED = "merged"
    REJECTED = "rejected"


# Danish labels for the UI (app and caseworker pages share them).
LABELS_DA = {
    "present": "Mødt",
    "late": "Mødt for sent",
    "absent_notified": "Meldt fra",
    "absent_unnotified": "Udeblevet uden besked",
    "open": "Åben",
    "in_progress": "I gang",
    "achieved": "Nået",
    "dropped": "Droppet",
    "kept": "Holdt",
    "not_kept": "Ikke holdt",
    "cancelled": "Aflyst",
    "call": "Opkald",
    "sms": "SMS",
    "home_visit": "Hjemmebesøg",
    "other": "Andet",
    "education": "Uddannelse",
    "job": "Job",
    "shared": "Delt med alle",
    "organization": "Kun egen organisation",
    "youth": "Den unge",
    "staff": "Medarbejder",
    "given": "Givet",
    "withdrawn": "Trukket tilbage",
    "job_ready": "Jobparat",
    "education_ready": "Uddannelsesparat",
    "activity_ready": "Aktivitetsparat",
    "active": "Aktiv",
    "self_supporting_other": "Selvforsørgende (andet)",
    "target_group_change": "Skift af målgruppe",
    "flexjob": "Fleksjob",
    "resource_course": "Ressourceforløb",
    "disability_pension": "Førtidspension",
    "moved_other": "Fraflyttet / andet",
    "proposed": "Venter på svar",
    "accepted": "Taget med i planen",
    "reworded": "Taget med i andre ord",
    "declined": "Ikke taget med",
    "agree": "Jeg er enig i planen",
    "afklaring": "Trin 1: Afklaring",
    "paa_vej_mod_job": "Trin 2: På vej mod job",
    "virksomhedsforloeb": "Trin 3: Virksomhedsforløb",
    "ikke_i_trinmodellen": "Ikke i trinmodellen",
    "disagree": "Jeg er ikke enig",
}


def label_da(value: str | None) -> str:
    """Danish label for an enum value (the value itself if unknown)."""
    if value is None:
        return ""
    return LABELS_DA.get(str(value), str(value))
