"""Monthly figures as pure functions of plain rows: one programme in one month (issue 15).

Definitions (the page states the same in Danish):

* Reference day: the month's last day, or today for the current month.
* The month's participants: enrolments in the programme that ran on at least one day of the
  month — started on or before the reference day and not ended (actual end, else planned end)
  before the month's first day. A young person enrolled twice counts once (the latest start).
* Their status is read on the reference day from the outcome history: self-supporting
  (education, job or other self-support), other benefit, moved, or still active.
* Changed target group: the target group on the reference day differs from the one on the
  enrolment's start day, or the status is 'target group change'.
* Each expected effect is measured per participant on their own measuring day (start + N weeks,
  or the sheet's calendar date for those who had started by then): measured / hits / not yet
  measured (with the next measuring day) / does not apply. Participants who have moved are left
  out. Alongside, "now": the share of the month's participants (moved left out) who have the
  effect on the reference day — the head of department's "how many are self-supporting now?".
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from backend.programmes.reports import (
    MOVED,
    OTHER_BENEFIT,
    SELF_SUPPORTING,
    Timeline,
    effect_hit,
    measure_at,
    month_bounds,
    share,
)

COUNT_KEYS = (
    "participants",
    "still_enrolled",
    "active",
    "self_supporting",
    "education",
    "job",
    "self_supporting_other",
    "other_benefit",
    "moved",
    "target_group_changed",
)


def reference_day(month: str, today: date) -> date:
    """The day a month's status is read on: its last day, or today while it runs."""
    return min(month_bounds(month)[1], today)


def month_participants(enrolments: list[dict], month: str, today: date) -> list[dict]:
    """The enrolments that ran in the month, one per young person (the latest start)."""
    first, _ = month_bounds(month)
    ref = reference_day(month, today)
    latest: dict[str, dict] = {}
    for e in enrolments:
        end = e.get("actual_end_date") or e["planned_end_date"]
        if e["start_date"] <= ref and end >= first:
            if e["youth_id"] not in latest or e["start_date"] > latest[e["youth_id"]]["start_date"]:
                latest[e["youth_id"]] = e
    return sorted(latest.values(), key=lambda e: (e["start_date"], e["youth_id"]))


def programme_month(
    programme: dict,
    enrolments: list[dict],
    timelines: dict[str, Timeline],
    tg_timelines: dict[str, Timeline],
    month: str,
    today: date,
) -> dict:
    """One programme in one month: participants, their status now, and each expected effect."""
    ref = reference_day(month, today)
    people = month_participants(enrolments, month, today)
    rows = [_participant(e, ref, timelines, tg_timelines) for e in people]
    counts = dict.fromkeys(COUNT_KEYS, 0)
    counts["participants"] = len(people)
    for r in rows:
        status = r["status"]
        counts["still_enrolled"] += r["still_enrolled"]
        counts["active"] += status == "active"
        counts["self_supporting"] += status in SELF_SUPPORTING
        counts["other_benefit"] += status in OTHER_BENEFIT
        counts["moved"] += status == MOVED
        counts["target_group_changed"] += r["target_group_changed"]
        if status in ("education", "job", "self_supporting_other"):
            counts[status] += 1
    counted = len(people) - counts["moved"]
    effects = [
        _effect_now_and_measured(eff, people, timelines, tg_timelines, ref, counted) for eff in programme["effects"]
    ]
    return {
        "programme_id": programme["id"],
        "name": programme["name"],
        "month": month,
        "reference_day": ref.isoformat(),
        "counts": counts,
        "self_supporting_share": share(counts["self_supporting"], counted),
        "effects": effects,
        "participants": rows,
    }


def _participant(e: dict, ref: date, timelines, tg_timelines) -> dict:
    """One participant's row: status and target group on the reference day."""
    status, tg_start, tg_now = _status(e, ref, timelines, tg_timelines)
    end = e.get("actual_end_date") or e["planned_end_date"]
    changed = status == "target_group_change" or (tg_start is not None and tg_now not in (None, tg_start))
    return {
        "youth_id": e["youth_id"],
        "start_date": e["start_date"],
        "end_date": end,
        "still_enrolled": end >= ref,
        "status": status,
        "target_group_start": tg_start,
        "target_group_now": tg_now,
        "target_group_changed": changed,
    }


def _status(e: dict, ref: date, timelines, tg_timelines) -> tuple[str, str | None, str | None]:
    tl = timelines.get(e["youth_id"])
    status = (tl.on(ref) if tl else None) or "active"
    tg_tl = tg_timelines.get(e["youth_id"])
    if tg_tl is None:
        return status, None, None
    return status, tg_tl.on(e["start_date"]) or (tg_tl.values[0] if tg_tl.values else None), tg_tl.on(ref)


def _effect_now_and_measured(eff: dict, people: list[dict], timelines, tg_timelines, ref: date, counted: int) -> dict:
    now_hits = hits = 0
    counts: Counter[str] = Counter()
    next_day: date | None = None
    for e in people:
        tl, tg_tl = timelines.get(e["youth_id"]), tg_timelines.get(e["youth_id"])
        status_now = (tl.on(ref) if tl else None) or "active"
        if status_now != MOVED:
            now_hits += effect_hit(eff["outcome"], status_now, tg_tl.on(ref) if tg_tl else None)
        kind, when, status, tg = measure_at(eff, e, timelines, tg_timelines, ref)
        counts[kind] += 1
        if kind == "pending":
            next_day = when if next_day is None or when < next_day else next_day
        elif kind == "measured":
            hits += effect_hit(eff["outcome"], status or "active", tg)
    measured, moved, pending, not_applicable = (counts[k] for k in ("measured", "moved", "pending", "not_applicable"))
    if measured:
        state = "partial" if pending else "complete"
    elif pending:
        state = "pending"
    elif not_applicable:
        state = "not_applicable"
    else:
        state = "none"
    expected = eff["share_pct"] / 100
    actual = share(hits, measured)
    on = eff.get("measure_date")
    return {
        "outcome": eff["outcome"],
        "expected_share": expected,
        "weeks_after_start": eff.get("weeks_after_start"),
        "measure_date": on.isoformat() if on else None,
        "anchor_text": eff.get("anchor_text", ""),
        "now_hits": now_hits,
        "now_counted": counted,
        "now_share": share(now_hits, counted),
        "measured": measured,
        "hits": hits,
        "actual_share": actual,
        "pending": pending,
        "next_measure_day": next_day.isoformat() if next_day else None,
        "not_applicable": not_applicable,
        "moved_excluded": moved,
        "state": state,
        "behind": state == "complete" and actual is not None and actual < expected,
    }
