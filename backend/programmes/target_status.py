"""The monthly status by target group, against the strategy's targets — pure functions (issue 15).

Definitions (the page states the same in Danish):

* Reference day: the month's last day, or today while the month runs.
* Counted: the young people followed on the reference day (their status timeline has begun),
  by their target group on that day (or "not stated") and their status on that day.
* Movement: every change of target group dated in the month, from → to.
* Actual vs target, year to date (1 January to the reference day), per target group G — how the
  young people who left G left it:
  - self-supporting: status went from active to education, job or other self-support while in G;
  - other benefit: from active to flexjob, resource course or disability pension while in G;
  - target-group change: the target group changed from G to another (or the status became
    'target group change') while active.
  Moving away is not counted. Each share is of all who left G in this way; the target gives the
  shares the strategy expects (e.g. jobparat 80 / 15 / 5). Reduction: the number in G on
  1 January minus the number in G on the reference day, against the strategy's aimed reduction.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from backend.programmes.reports import ACTIVE, OTHER_BENEFIT, OUTCOMES, SELF_SUPPORTING, Timeline, share

GROUPS = ("job_ready", "education_ready", "activity_ready")
NONE = "none"
LEAVE_KINDS = ("self_supporting", "target_group_change", "other_benefit")


def _leave_kind(outcome: str) -> str | None:
    if outcome in SELF_SUPPORTING:
        return "self_supporting"
    if outcome in OTHER_BENEFIT:
        return "other_benefit"
    if outcome == "target_group_change":
        return "target_group_change"
    return None


def target_group_status(
    youth_ids: set[str],
    timelines: dict[str, Timeline],
    tg_timelines: dict[str, Timeline],
    first: date,
    ref: date,
    targets: dict[str, dict],
) -> dict:
    """Counts by target group and status, movement in the month, and year-to-date actual vs target.

    `first`: the month's first day; `ref`: its reference day; `targets`: target group ->
    {self_supporting_pct, target_group_change_pct, other_benefit_pct, reduction}.
    """
    matrix: dict[str, Counter] = {g: Counter() for g in (*GROUPS, NONE)}
    movement: Counter = Counter()
    left: dict[str, Counter] = {g: Counter() for g in GROUPS}
    at_new_year: Counter = Counter()
    now: Counter = Counter()
    new_year = date(ref.year, 1, 1)
    for yid in youth_ids:
        tl = timelines.get(yid)
        tg = tg_timelines.get(yid) or Timeline()
        if tl is None or not tl.dates or tl.dates[0] > ref:
            continue
        group_now = tg.on(ref) or NONE
        matrix[group_now][tl.on(ref)] += 1
        if tl.on(ref) == ACTIVE and group_now != NONE:
            now[group_now] += 1
        if tl.dates[0] <= new_year and tl.on(new_year) == ACTIVE and tg.on(new_year):
            at_new_year[tg.on(new_year)] += 1
        for i in range(1, len(tg.dates)):
            d, old, new = tg.dates[i], tg.values[i - 1], tg.values[i]
            if first <= d <= ref:
                movement[(old, new)] += 1
            if new_year <= d <= ref and old in left and tl.on(d) == ACTIVE:
                left[old]["target_group_change"] += 1
        for i in range(1, len(tl.dates)):
            d, old, new = tl.dates[i], tl.values[i - 1], tl.values[i]
            kind = _leave_kind(new)
            group = tg.on(d)
            if old == ACTIVE and kind and new_year <= d <= ref and group in left:
                left[group][kind] += 1
    rows = [_vs_target(g, left[g], targets.get(g), at_new_year[g], now[g]) for g in GROUPS]
    return {
        "reference_day": ref.isoformat(),
        "year_from": new_year.isoformat(),
        "by_group": [
            {
                "target_group": g,
                "total": sum(matrix[g].values()),
                "status": {s: matrix[g].get(s, 0) for s in (ACTIVE, *OUTCOMES)},
            }
            for g in (*GROUPS, NONE)
        ],
        "movement": [{"from": a, "to": b, "count": n} for (a, b), n in sorted(movement.items())],
        "vs_target": rows,
    }


def _vs_target(group: str, left: Counter, target: dict | None, at_new_year: int, now: int) -> dict:
    """One target group's leaving, year to date, against its target."""
    total = sum(left.values())
    kinds = []
    for k in LEAVE_KINDS:
        goal = target[f"{k}_pct"] / 100 if target else None
        actual = share(left[k], total)
        kinds.append(
            {
                "kind": k,
                "count": left[k],
                "actual_share": actual,
                "target_share": goal,
                "difference": None if actual is None or goal is None else actual - goal,
            }
        )
    return {
        "target_group": group,
        "left_total": total,
        "kinds": kinds,
        "count_new_year": at_new_year,
        "count_now": now,
        "reduction": at_new_year - now,
        "target_reduction": target.get("reduction") if target else None,
        "has_target": target is not None,
    }
