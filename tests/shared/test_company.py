"""Company agreement follow-ups: due, overdue, not planned within a month."""

from datetime import date

from shared.company import follow_up_state, gaps_over_a_month, next_follow_up

AG = {
    "start_date": "2026-03-02",
    "end_date": None,
    "follow_ups": [{"date": "2026-03-16", "done": True}, {"date": "2026-04-13", "done": False}],
}


def test_follow_up_states():
    assert follow_up_state(AG, date(2026, 4, 1)).state == "ok"
    assert follow_up_state(AG, date(2026, 4, 13)).state == "due"
    st = follow_up_state(AG, date(2026, 4, 14))
    assert (st.state, st.day) == ("overdue", date(2026, 4, 13))
    done = {**AG, "follow_ups": [{**f, "done": True} for f in AG["follow_ups"]]}
    st = follow_up_state(done, date(2026, 4, 20))
    assert (st.state, st.day) == ("unplanned", date(2026, 5, 14))  # a month after the last one
    assert follow_up_state({**done, "end_date": "2026-04-15"}, date(2026, 4, 20)).state == "ok"  # ended
    assert follow_up_state({**AG, "start_date": "2026-05-01"}, date(2026, 4, 1)).state == "ok"  # not started
    far = {**AG, "follow_ups": [{"date": "2026-03-16", "done": True}, {"date": "2026-06-01", "done": False}]}
    assert follow_up_state(far, date(2026, 4, 1)).state == "unplanned"


def test_gaps_and_next():
    assert gaps_over_a_month(AG) == []
    assert gaps_over_a_month({"start_date": "2026-03-02", "follow_ups": [{"date": "2026-04-10"}]}) == [
        (date(2026, 3, 2), date(2026, 4, 10))
    ]
    assert next_follow_up(AG) == date(2026, 4, 13)
