"""The results figures, as pure functions of plain rows (no Flask, no database).

Definitions (the page states the same in Danish):

* Status timeline: a young person is followed from their *follow-up start* — the earliest of
  their plan's start date, their first enrolment's start and their first outcome-history entry.
  From then on their status is 'active' until an outcome-history entry says otherwise; the status
  on a day is the latest entry valid from that day or before (same day: the last recorded wins).
* Self-supporting = outcome education, job or self_supporting_other.
* Active in a month: status 'active' on at least one day of the month (up to today).
* Outflow in a month: a change of status from 'active' to any other outcome dated in that month,
  counted by the new outcome.
* Self-supporting 6 months after leaving: of those who left in the month (moved/other not
  counted), the share whose status six calendar months after the day they left is
  self-supporting. Only counted once that day has passed; until then they are 'pending'.
* Cohort: the enrolments of one programme that started in the same month. For an expected
  effect (kind, share, week N) each participant is looked at on their own start date + N weeks
  (an effect anchored at a calendar date: on that date, for those who had started by then);
  participants whose status then is moved/other are left out of the denominator. The actual share
  is hits / measured participants. A cohort is flagged *behind* when all its participants have
  been measured and the actual share is below the expected one.
* Attendance rate in a month: (present + late) / all attendance registrations with a status.
* Kept-agreement rate in a month: kept / (kept + not kept) of agreements due in the month
  (open and cancelled agreements are not counted).
* Assessments on time: each 6-weekly due date of a plan (from its start) on which the young person
  was active; done on time when an assessment (by the young person or staff) for that due date was
  submitted no later than 14 days after it. A due date is counted once its 14 days have passed.
* Progression change: per rater (young person / staff) and dimension, the average of
  (latest score − first score) over young people with at least two submitted assessments by that
  rater that both score the dimension.
"""

from __future__ import annotations

import bisect
import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from backend.programmes.progression_figures import progression_change  # noqa: F401 - one of the figures
from shared.clock import LOCAL_TZ
from shared.schedule import assessment_due_dates

ON_TIME_DAYS = 14
FOLLOW_UP_MONTHS = 6

ACTIVE = "active"
MOVED = "moved_other"
SELF_SUPPORTING = frozenset({"education", "job", "self_supporting_other"})
OTHER_BENEFIT = frozenset({"flexjob", "resource_course", "disability_pension"})
OUTCOMES = (
    "education",
    "job",
    "self_supporting_other",
    "target_group_change",
    "flexjob",
    "resource_course",
    "disability_pension",
    "moved_other",
)
"""The outcomes a young person can leave with, in display order."""

EFFECT_KINDS: dict[str, frozenset[str] | None] = {
    "self_supporting": SELF_SUPPORTING,
    **{o: frozenset({o}) for o in OUTCOMES if o != MOVED},
    "other_benefit": OTHER_BENEFIT,
    "case_closed": frozenset(set(OUTCOMES) - {MOVED}),
    "job_or_education_ready": None,  # judged on the target group, not the outcome
}
"""What an expected effect can be about, and which outcomes count as a hit."""

READY_GROUPS = frozenset({"job_ready", "education_ready"})

EFFECT_LABELS_DA = {
    "self_supporting": "Selvforsørgende (uddannelse, job eller andet)",
    "education": "Uddannelse",
    "job": "Job",
    "self_supporting_other": "Selvforsørgende (andet)",
    "target_group_change": "Skift af målgruppe",
    "flexjob": "Fleksjob",
    "resource_course": "Ressourceforløb",
    "disability_pension": "Førtidspension",
    "other_benefit": "Anden ydelse (fleksjob, ressourceforløb, førtidspension)",
    "case_closed": "Sag afsluttet",
    "job_or_education_ready": "Job- eller uddannelsesparat",
}


# ---- months --------------------------------------------------------------------------------


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_bounds(key: str) -> tuple[date, date]:
    y, m = int(key[:4]), int(key[5:7])
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def month_range(first: str, last: str) -> list[str]:
    """Month keys from `first` to `last` inclusive ('YYYY-MM')."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def add_months(d: date, n: int) -> date:
    """The same day n calendar months later (the month's last day when it has fewer days)."""
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def local_date(instant: datetime | date | None) -> date | None:
    """The Danish calendar date of an instant (naive instants are UTC)."""
    if instant is None:
        return None
    if isinstance(instant, datetime):
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        return instant.astimezone(LOCAL_TZ).date()
    return instant


def share(num: int, den: int) -> float | None:
    """num/den as a fraction, None when there is nothing to divide by."""
    return num / den if den else None


# ---- status timelines ----------------------------------------------------------------------


@dataclass
class Timeline:
    """A young person's status from day to day: sorted change dates and the value from each."""

    dates: list[date] = field(default_factory=list)
    values: list[str] = field(default_factory=list)

    def on(self, d: date) -> str | None:
        i = bisect.bisect_right(self.dates, d) - 1
        return self.values[i] if i >= 0 else None

    def segments(self, until: date) -> list[tuple[date, date, str]]:
        """(first day, last day, value) runs up to `until`."""
        out = []
        for i, (d, v) in enumerate(zip(self.dates, self.values, strict=True)):
            if d > until:
                break
            end = self.dates[i + 1] - timedelta(days=1) if i + 1 < len(self.dates) else until
            out.append((d, min(end, until), v))
        return out


def build_timeline(
    entries: list[tuple[date, str, object]], start: date | None = None, initial: str | None = None
) -> Timeline:
    """A timeline from (valid_from, value, tie-breaker) entries; `initial` holds from `start`.

    On one day the entry with the greatest tie-breaker (the recording time) wins; an entry on the
    start day replaces the initial value.
    """
    by_day: dict[date, tuple[object, str]] = {}
    for d, v, tie in entries:
        if d not in by_day or (tie is not None and (by_day[d][0] is None or tie >= by_day[d][0])):
            by_day[d] = (tie, v)
    if start is not None and initial is not None and start not in by_day:
        if not by_day or start < min(by_day):
            by_day[start] = (None, initial)
    tl = Timeline()
    prev = None
    for d in sorted(by_day):
        v = by_day[d][1]
        if v == prev:
            continue  # a repeat is no change
        tl.dates.append(d)
        tl.values.append(v)
        prev = v
    return tl


def outcome_timelines(
    follow_up_start: dict[str, date], outcome_rows: list[tuple[str, date, str, object]]
) -> dict[str, Timeline]:
    """Status timelines per young person from their follow-up start and outcome-history rows
    (youth_id, valid_from, outcome, recorded_at)."""
    per: dict[str, list] = defaultdict(list)
    for yid, d, outcome, tie in outcome_rows:
        per[yid].append((d, outcome, tie))
    out = {}
    for yid in set(follow_up_start) | set(per):
        entries = per.get(yid, [])
        start = follow_up_start.get(yid)
        if entries:
            first = min(e[0] for e in entries)
            start = min(start, first) if start else first
        out[yid] = build_timeline(entries, start, ACTIVE)
    return out


def target_group_timelines(rows: list[tuple[str, date, str, object]]) -> dict[str, Timeline]:
    per: dict[str, list] = defaultdict(list)
    for yid, d, tg, tie in rows:
        per[yid].append((d, tg, tie))
    return {yid: build_timeline(entries) for yid, entries in per.items()}


# ---- monthly flow --------------------------------------------------------------------------


def monthly_flow(months: list[str], timelines: dict[str, Timeline], today: date) -> list[dict]:
    """Per month: active, outflow by outcome, and self-supporting six months after leaving."""
    active = {m: set() for m in months}
    outflow = {m: Counter() for m in months}
    leavers: dict[str, list[tuple[str, date]]] = {m: [] for m in months}
    if not months:
        return []
    lo, hi = month_bounds(months[0])[0], month_bounds(months[-1])[1]
    for yid, tl in timelines.items():
        for first, last, v in tl.segments(min(hi, today)):
            if v != ACTIVE or last < lo:
                continue
            for m in month_range(month_key(max(first, lo)), month_key(last)):
                if m in active:
                    active[m].add(yid)
        for i in range(1, len(tl.dates)):
            d = tl.dates[i]
            if tl.values[i - 1] == ACTIVE and tl.values[i] != ACTIVE and lo <= d <= min(hi, today):
                m = month_key(d)
                outflow[m][tl.values[i]] += 1
                leavers[m].append((yid, d))
    out = []
    for m in months:
        counted = ss = pending = 0
        for yid, d in leavers[m]:
            tl = timelines[yid]
            if tl.on(d) == MOVED:
                continue
            check = add_months(d, FOLLOW_UP_MONTHS)
            if check > today:
                pending += 1
                continue
            counted += 1
            ss += tl.on(check) in SELF_SUPPORTING
        out.append(
            {
                "month": m,
                "active": len(active[m]),
                "outflow_total": sum(outflow[m].values()),
                "outflow": {o: outflow[m].get(o, 0) for o in OUTCOMES},
                "followed_up": counted,
                "self_supporting_after_6m": ss,
                "follow_up_pending": pending,
                "self_supporting_after_6m_share": share(ss, counted),
            }
        )
    return out


# ---- cohorts vs expected effect ------------------------------------------------------------


def effect_hit(kind: str, outcome: str | None, target_group: str | None) -> bool:
    if kind == "job_or_education_ready":
        return target_group in READY_GROUPS or outcome in SELF_SUPPORTING
    hits = EFFECT_KINDS.get(kind) or frozenset()
    return outcome in hits


def cohort_results(
    programmes: list[dict],
    enrolments: list[dict],
    timelines: dict[str, Timeline],
    tg_timelines: dict[str, Timeline],
    months: list[str],
    today: date,
) -> list[dict]:
    """Per programme and start-month cohort: actual vs expected share at each expected week.

    `programmes`: dicts with id, name, effects [{outcome, share_pct, weeks_after_start}].
    `enrolments`: dicts with youth_id, programme_id, start_date. Only cohorts whose start month
    is in `months` are reported; a programme without any has an empty list of cohorts.
    """
    wanted = set(months)
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for e in enrolments:
        m = month_key(e["start_date"])
        if m in wanted:
            groups[(e["programme_id"], m)].append(e)
    out = []
    for p in programmes:
        cohorts = []
        for m in sorted(mm for (pid, mm) in groups if pid == p["id"]):
            members = groups[(p["id"], m)]
            effects = []
            for eff in p["effects"]:
                effects.append(_cohort_effect(eff, members, timelines, tg_timelines, today))
            cohorts.append({"start_month": m, "participants": len(members), "effects": effects})
        out.append({"programme_id": p["id"], "name": p["name"], "cohorts": cohorts})
    return out


def measure_at(
    eff: dict, member: dict, timelines: dict[str, Timeline], tg_timelines: dict[str, Timeline], ref: date
) -> tuple[str, date | None, str | None, str | None]:
    """Where one participant stands for an expected effect on `ref`: (kind, measuring day, outcome
    and target group on that day). Kind: "not_applicable" (no measuring day), "pending" (the day is
    after `ref`), "moved" (moved away by then: left out) or "measured"."""
    when = measure_day(eff, member["start_date"])
    if when is None:
        return "not_applicable", None, None, None
    if when > ref:
        return "pending", when, None, None
    tl = timelines.get(member["youth_id"])
    status = tl.on(when) if tl else None
    if status == MOVED:
        return "moved", when, status, None
    tg_tl = tg_timelines.get(member["youth_id"])
    return "measured", when, status, tg_tl.on(when) if tg_tl else None


def measure_day(effect: dict, start: date) -> date | None:
    """The day a participant who started on `start` is measured for an expected effect.

    Week-anchored: start + N weeks. Date-anchored: the date itself, for participants who started
    on or before it; None (the effect does not apply) for those who started after it.
    """
    on = effect.get("measure_date")
    if on is not None:
        return on if start <= on else None
    return start + timedelta(weeks=effect["weeks_after_start"])


def _cohort_effect(
    eff: dict, members: list[dict], timelines: dict[str, Timeline], tg_timelines: dict[str, Timeline], today: date
) -> dict:
    hits = 0
    counts: Counter[str] = Counter()
    dist = Counter()
    for e in members:
        kind, _, status, tg = measure_at(eff, e, timelines, tg_timelines, today)
        counts[kind] += 1
        if kind == "measured":
            dist[status or ACTIVE] += 1
            hits += effect_hit(eff["outcome"], status, tg)
    measured, moved, pending, not_applicable = (counts[k] for k in ("measured", "moved", "pending", "not_applicable"))
    actual = share(hits, measured)
    expected = eff["share_pct"] / 100
    if measured == 0 and pending == 0 and not_applicable:
        state = "not_applicable"
    elif measured == 0 and pending:
        state = "pending"
    else:
        state = "partial" if pending else "complete"
    return {
        "outcome": eff["outcome"],
        "weeks_after_start": eff.get("weeks_after_start"),
        "measure_date": eff["measure_date"].isoformat() if eff.get("measure_date") else None,
        "expected_share": expected,
        "participants": len(members),
        "measured": measured,
        "hits": hits,
        "moved_excluded": moved,
        "pending": pending,
        "not_applicable": not_applicable,
        "actual_share": actual,
        "state": state,
        "behind": state == "complete" and actual is not None and actual < expected,
        "distribution": {o: dist.get(o, 0) for o in (ACTIVE, *OUTCOMES)},
    }


# ---- attendance, agreements, assessments ---------------------------------------------------

ATTENDED = frozenset({"present", "late"})


def attendance_by_month(months: list[str], rows: list[tuple[str, str, int]]) -> list[dict]:
    """Attendance rate per month from (month, status, count) rows (status None rows ignored)."""
    reg, att = Counter(), Counter()
    for m, status, n in rows:
        if status is None:
            continue
        reg[m] += n
        if status in ATTENDED:
            att[m] += n
    return [{"month": m, "registrations": reg[m], "attended": att[m], "rate": share(att[m], reg[m])} for m in months]


def agreements_by_month(months: list[str], rows: list[tuple[str, str, int]]) -> list[dict]:
    """Kept-agreement rate per month from (month of due date, status, count) rows."""
    kept, not_kept = Counter(), Counter()
    for m, status, n in rows:
        if status == "kept":
            kept[m] += n
        elif status == "not_kept":
            not_kept[m] += n
    return [
        {"month": m, "kept": kept[m], "not_kept": not_kept[m], "rate": share(kept[m], kept[m] + not_kept[m])}
        for m in months
    ]


def assessments_on_time(
    months: list[str],
    plan_starts: dict[str, date],
    first_submitted: dict[tuple[str, date], date],
    timelines: dict[str, Timeline],
    today: date,
) -> list[dict]:
    """Share of 6-weekly due dates with an assessment submitted at most 14 days late, per month.

    `first_submitted`: (youth_id, due_date) -> local date of the first submitted assessment.
    """
    if not months:
        return []
    lo, hi = month_bounds(months[0])[0], month_bounds(months[-1])[1]
    last_decided = today - timedelta(days=ON_TIME_DAYS + 1)
    due, on_time = Counter(), Counter()
    for yid, start in plan_starts.items():
        tl = timelines.get(yid)
        for d in assessment_due_dates(start, min(hi, last_decided)):
            if d < lo or tl is None or tl.on(d) != ACTIVE:
                continue
            m = month_key(d)
            due[m] += 1
            sub = first_submitted.get((yid, d))
            if sub is not None and sub <= d + timedelta(days=ON_TIME_DAYS):
                on_time[m] += 1
    return [{"month": m, "due": due[m], "on_time": on_time[m], "share": share(on_time[m], due[m])} for m in months]
