"""The 30-hour exit rule at month boundaries and with missing weeks."""

from datetime import date

from shared.hours import HoursRecord, exit_rule, month_hours


def week(monday: str, ordinary: float, supported: float = 0, **kw) -> HoursRecord:
    return HoursRecord("week", date.fromisoformat(monday), ordinary, supported, **kw)


def test_a_week_across_two_months_is_split_by_its_days():
    # Monday 30 March 2026 → Sunday 5 April: 2 days in March, 5 in April
    recs = [week("2026-03-30", 7)]
    assert month_hours(recs, 2026, 3).ordinary == 2.0
    assert month_hours(recs, 2026, 4).ordinary == 5.0


def test_missing_weeks_are_listed_and_the_total_is_a_lower_bound():
    recs = [week("2026-04-06", 8), week("2026-04-13", 8), week("2026-04-27", 8)]  # the week of 20 April missing
    m = month_hours(recs, 2026, 4)
    assert m.source == "weeks" and m.missing_weeks == [date(2026, 3, 30), date(2026, 4, 20)]
    assert not m.complete and not m.met and m.ordinary == round(8 + 8 + 8 * 4 / 7, 1)
    assert month_hours(recs + [week("2026-04-20", 8)], 2026, 4).ordinary < 30
    assert month_hours(recs + [week("2026-04-20", 10), week("2026-03-30", 7)], 2026, 4).met


def test_a_month_record_wins_over_weeks_and_the_later_record_of_a_period_wins():
    recs = [
        week("2026-05-04", 2),
        HoursRecord("month", date(2026, 5, 1), 31, 10, order="a"),
        HoursRecord("month", date(2026, 5, 1), 29, 12, order="b"),
    ]
    m = month_hours(recs, 2026, 5)
    assert (m.source, m.ordinary, m.supported, m.met) == ("month", 29, 12, False)
    # two places the same month add up
    recs.append(HoursRecord("month", date(2026, 5, 1), 4, 0, agreement="other"))
    assert month_hours(recs, 2026, 5).met


def test_three_complete_months_in_a_row_flag_the_exit_and_the_running_month_is_not_judged():
    months = [HoursRecord("month", date(2026, m, 1), h) for m, h in ((2, 12), (3, 30), (4, 31.5), (5, 40))]
    rows, flagged = exit_rule(months, date(2026, 6, 1))
    assert [r.ordinary for r in rows[-5:]] == [12, 30, 31.5, 40, 0] and flagged
    assert not exit_rule(months, date(2026, 5, 31))[1]  # May is still running: Feb–Apr has 12
    assert not exit_rule(months[1:3], date(2026, 6, 1))[1]  # May missing


def test_weeks_not_begun_are_not_missing_yet():
    m = month_hours([week("2026-11-30", 8)], 2026, 12, today=date(2026, 12, 1))
    assert m.missing_weeks == [] and m.ordinary == round(8 * 6 / 7, 1)


def test_periods_week_or_month():
    from shared.hours import period_error, period_label, period_start

    wed = date(2025, 3, 12)
    assert period_start("week", wed) == date(2025, 3, 10) and period_start("month", wed) == date(2025, 3, 1)
    assert period_start("week", date(2025, 3, 10)) == date(2025, 3, 10)
    assert period_error("week", date(2025, 3, 10)) is None and period_error("month", date(2025, 3, 1)) is None
    assert period_error("week", wed) == "En uge starter om mandagen."
    assert period_error("month", date(2025, 3, 10)) == "En måned starter den 1."
    assert period_error("year", wed) == "Vælg uge eller måned."
    assert period_label("week", date(2025, 3, 10)) == "uge 11 (10.3.2025)"
    assert period_label("month", date(2025, 12, 1)) == "december 2025"
