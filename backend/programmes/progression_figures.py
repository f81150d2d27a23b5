"""Progression change, a pure function of assessment rows (the definition is in reports.py):
per rater and dimension, the average of latest − first score over young people with at least two
submitted assessments by that rater that both score the dimension."""

from __future__ import annotations

from collections import defaultdict


def progression_change(rows: list[dict], dimension_keys: list[str]) -> list[dict]:
    """Average change per rater role and dimension between first and latest assessment.

    `rows`: submitted assessments with youth_id, rater_role, due_date, submitted_at, scores —
    at least the first and the latest of each (youth, rater role).
    """
    per: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        per[(r["youth_id"], r["rater_role"])].append(r)
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # n, first sum, latest sum
    for (_yid, role), items in per.items():
        if len(items) < 2:
            continue
        items.sort(key=lambda r: (r["due_date"], r["submitted_at"]))
        first, latest = items[0]["scores"] or {}, items[-1]["scores"] or {}
        for k in dimension_keys:
            if isinstance(first.get(k), int) and isinstance(latest.get(k), int):
                acc = sums[(role, k)]
                acc[0] += 1
                acc[1] += first[k]
                acc[2] += latest[k]
    out = []
    for role in ("youth", "staff"):
        for k in dimension_keys:
            n, fs, ls = sums.get((role, k), (0, 0, 0))
            out.append(
                {
                    "rater_role": role,
                    "dimension": k,
                    "youth_count": n,
                    "first_avg": fs / n if n else None,
                    "latest_avg": ls / n if n else None,
                    "change_avg": (ls - fs) / n if n else None,
                }
            )
    return out
