"""The young person's step (trin) on the phone: which step, since when, and what ends it."""

from __future__ import annotations

from datetime import date

from mobile_app.core.services import Services
from shared.steps import StepChange, StepInfo, current_step, step_info


def step_now(svc: Services, youth_id: str) -> tuple[StepInfo, date] | None:
    """The step in force today and the day it took effect (None: not placed on a step)."""
    moves = [
        StepChange(m["step"], date.fromisoformat(m["valid_from"]), m.get("changed_at") or "")
        for m in svc.store.all("step_change", youth_id)
        if m.get("valid_from") and m.get("step")
    ]
    today = svc.today()
    step = current_step(moves, today)
    info = step_info(step)
    if info is None:
        return None
    since = max(m.valid_from for m in moves if m.step == step and m.valid_from <= today)
    return info, since
