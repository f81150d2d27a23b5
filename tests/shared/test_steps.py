"""The three-step model's pure rules: the step on a day and young people per step per month."""

from datetime import date

from shared.steps import STEPS, StepChange, current_step, month_end, per_step_per_month


def test_every_step_has_a_plain_danish_name_and_the_sources_exit_criteria():
    assert [s.title for s in STEPS.values()] == [
        "Trin 1: Afklaring",
        "Trin 2: På vej mod job",
        "Trin 3: Virksomhedsforløb",
        "Ikke i trinmodellen",
    ]
    assert any("30 ordinære timer om måneden" in c for c in STEPS["virksomhedsforloeb"].exit_criteria)
    assert any("kontaktperson" in c for c in STEPS["paa_vej_mod_job"].exit_criteria)


def test_current_step_takes_the_latest_move_in_force_and_the_later_of_one_day():
    moves = [
        StepChange("afklaring", date(2026, 1, 5), "a"),
        StepChange("paa_vej_mod_job", date(2026, 3, 1), "b"),
        StepChange("virksomhedsforloeb", date(2026, 3, 1), "c"),
        StepChange("paa_vej_mod_job", date(2026, 6, 1)),
    ]
    assert current_step(moves, date(2026, 1, 4)) is None
    assert current_step(moves, date(2026, 2, 28)) == "afklaring"
    assert current_step(moves, date(2026, 3, 1)) == "virksomhedsforloeb"
    assert current_step(moves, date(2026, 6, 1)) == "paa_vej_mod_job"  # broke off: back to trin 2


def test_month_end_and_counts_at_month_boundaries():
    assert month_end(2024, 2) == date(2024, 2, 29) and month_end(2026, 12) == date(2026, 12, 31)
    histories = {
        "a": [StepChange("afklaring", date(2026, 1, 31)), StepChange("paa_vej_mod_job", date(2026, 2, 1))],
        "b": [StepChange("virksomhedsforloeb", date(2026, 2, 28))],
        "c": [StepChange("afklaring", date(2026, 3, 15))],
    }
    got = per_step_per_month(histories, [(2026, 1), (2026, 2), (2026, 3)], today=date(2026, 3, 10))
    assert got[(2026, 1)] == {"afklaring": 1, "paa_vej_mod_job": 0, "virksomhedsforloeb": 0, "ikke_i_trinmodellen": 0}
    assert got[(2026, 2)]["paa_vej_mod_job"] == 1 and got[(2026, 2)]["virksomhedsforloeb"] == 1
    assert got[(2026, 3)]["afklaring"] == 0  # the running month counts today, before c's move
