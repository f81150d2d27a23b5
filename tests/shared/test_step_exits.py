"""Exits from trin 3 and the 30-hour rule at month boundaries, with missing weeks (issue 14)."""

from datetime import date

from shared.hours import HoursRecord
from shared.step_exits import exits_per_month, met_30_hours_at, trin3_exit_days
from shared.steps import StepChange

T3, T2, OUT = "virksomhedsforloeb", "paa_vej_mod_job", "ikke_i_trinmodellen"


def _months(*hours: tuple[int, int, float]) -> list[HoursRecord]:
    return [HoursRecord("month", date(y, m, 1), h) for y, m, h in hours]


def test_exit_days_from_moves_and_case_ends():
    moves = [StepChange(T2, date(2026, 1, 5)), StepChange(T3, date(2026, 2, 1)), StepChange(OUT, date(2026, 6, 3))]
    assert trin3_exit_days(moves, []) == [date(2026, 6, 3)]
    # the case ended while in trin 3: that is the exit, the later move out is the same stay
    assert trin3_exit_days(moves, [date(2026, 5, 20)]) == [date(2026, 5, 20)]
    # a case end outside trin 3 is no trin 3 exit; a move from trin 3 to trin 3 is none either
    assert trin3_exit_days(moves, [date(2026, 1, 20)]) == [date(2026, 6, 3)]
    again = [StepChange(T3, date(2026, 2, 1)), StepChange(T3, date(2026, 3, 1), "b")]
    assert trin3_exit_days(again, []) == []


def test_30_hours_at_month_boundaries():
    rec = _months((2026, 2, 30), (2026, 3, 31), (2026, 4, 45), (2026, 5, 29.9))
    assert met_30_hours_at(rec, date(2026, 5, 1))  # Feb, Mar, Apr whole months
    assert met_30_hours_at(rec, date(2026, 5, 31))  # Feb–Apr still; May's 29.9 does not matter
    assert not met_30_hours_at(rec, date(2026, 6, 30))  # Mar–May and Apr–Jun both miss
    # an exit on 2 April with nothing for April yet: Jan is missing (April's own hours would count)
    assert not met_30_hours_at(rec[:2], date(2026, 4, 2))
    assert met_30_hours_at(rec, date(2026, 4, 2))
    assert met_30_hours_at(_months((2026, 2, 30), (2026, 3, 31), (2026, 4, 45)), date(2026, 4, 30))


def test_missing_weeks_count_as_no_hours():
    # March 2026 from weeks: 4 whole weeks of 6 hours (24) and the week of 30 March split by days;
    # the week of 16 March is missing, so March is below 30
    weeks = [HoursRecord("week", d, 8) for d in (date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 23))]
    rec = _months((2026, 1, 40), (2026, 2, 40)) + weeks
    assert not met_30_hours_at(rec, date(2026, 4, 10))
    full = weeks + [HoursRecord("week", date(2026, 3, 16), 8), HoursRecord("week", date(2026, 2, 23), 8)]
    assert met_30_hours_at(_months((2026, 1, 40), (2026, 2, 40)) + full, date(2026, 4, 10))


def test_exits_per_month_counts_each_young_person_once():
    moves = {
        "a": [StepChange(T3, date(2026, 1, 1)), StepChange(OUT, date(2026, 5, 2))],
        "b": [StepChange(T3, date(2026, 4, 1)), StepChange(T2, date(2026, 5, 20))],
        "c": [StepChange(T2, date(2026, 4, 1))],
    }
    hours = {"a": _months((2026, 2, 30), (2026, 3, 30), (2026, 4, 30)), "b": _months((2026, 4, 60))}
    got = exits_per_month(moves, {}, hours, [(2026, 4), (2026, 5)])
    assert (got[(2026, 4)].exits, got[(2026, 5)].exits, got[(2026, 5)].by_30_hours) == (0, 2, 1)
