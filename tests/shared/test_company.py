"""Company agreement follow-ups (placement_follow_up records): due, overdue, not planned within a month."""

from datetime import date

from shared.company import follow_up_state, gaps_over_a_month, next_follow_up, open_follow_up


def _up(due: str, done: str | None = None, **extra) -> dict:
    return {"due_date": due, "done_date": done, "note": "", **extra}


AG = {
    "start_date": "2026-03-02",
    "end_date": None,
    "follow_ups": [_up("2026-03-16", "2026-03-16"), _up("2026-04-13")],
}


def test_follow_up_states():
    assert follow_up_state(AG, date(2026, 4, 1)).state == "ok"
    assert follow_up_state(AG, date(2026, 4, 13)).state == "due"
    st = follow_up_state(AG, date(2026, 4, 14))
    assert (st.state, st.day) == ("overdue", date(2026, 4, 13))
    done = {**AG, "follow_ups": [{**f, "done_date": f["due_date"]} for f in AG["follow_ups"]]}
    st = follow_up_state(done, date(2026, 4, 20))
    assert (st.state, st.day) == ("unplanned", date(2026, 5, 14))  # a month after the last one
    assert follow_up_state({**done, "end_date": "2026-04-15"}, date(2026, 4, 20)).state == "ok"  # ended
    assert follow_up_state({**AG, "start_date": "2026-05-01"}, date(2026, 4, 1)).state == "ok"  # not started
    far = {**AG, "follow_ups": [_up("2026-03-16", "2026-03-16"), _up("2026-06-01")]}
    assert follow_up_state(far, date(2026, 4, 1)).state == "unplanned"


def test_deleted_follow_ups_do_not_count():
    gone = {**AG, "follow_ups": [_up("2026-03-16", "2026-03-16"), _up("2026-04-13", deleted=True)]}
    assert follow_up_state(gone, date(2026, 4, 14)).state == "unplanned"
    assert next_follow_up(gone) is None and open_follow_up(gone["follow_ups"]) is None


def test_gaps_next_and_the_one_to_mark_done():
    assert gaps_over_a_month(AG) == []
    assert gaps_over_a_month({"start_date": "2026-03-02", "follow_ups": [_up("2026-04-10")]}) == [
        (date(2026, 3, 2), date(2026, 4, 10))
    ]
    assert next_follow_up(AG) == date(2026, 4, 13)
    two_open = [_up("2026-05-01"), _up("2026-04-13"), _up("2026-03-16", "2026-03-17")]
    assert open_follow_up(two_open)["due_date"] == "2026-04-13"
