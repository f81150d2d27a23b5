"""The young person's voice on the phone against the REAL backend, offline first (issue 14, item 1):
their words, 'Jeg er enig i planen', a proposed sub-goal and the mentor's answer, round trip."""

from __future__ import annotations

import pytest

from mobile_app.core import AppCore, ValidationFailed
from mobile_app.core.plan_voice import VoiceServices
from tests.app_lock_params import TEST_PIN
from tests.mobile_app.test_app_sync import FAST_RETRY, mads_id


def test_words_answer_and_proposal_round_trip_offline(backend_server, device, tmp_path):
    youth = device("mads", "ung.mads")
    youth.sync()
    me = youth.services().my_youth_id()
    backend_server.stop()

    voice = VoiceServices(youth.services())
    voice.save_words(me, "Jeg vil være tømrer", "Jeg er god med hænderne", "Jeg har svært ved at sove")
    with pytest.raises(ValidationFailed):
        voice.answer_plan(False, "")  # disagreeing needs a comment
    voice.answer_plan(True)
    prop = voice.propose_goal("Tage kørekort")
    v = voice.voice(me)
    assert v.written_by == "self" and v.answer == "agree" and v.proposals[0]["text"] == "Tage kørekort"
    assert youth.sync() is None and youth.store.pending_count() == 2  # the plan edits share one queued change

    # the phone restarts offline: all of it is still there, still queued
    path = youth.store.path
    youth.store.close()
    youth = AppCore(path, client_options=FAST_RETRY)
    youth.unlock(TEST_PIN)
    voice = VoiceServices(youth.services())
    # the plan's two edits share one queued change
    assert voice.voice(me).words[0][2] == "Jeg vil være tømrer" and youth.store.pending_count() == 2

    backend_server.start()
    result = youth.sync()
    assert result is not None and youth.store.pending_count() == 0 and not youth.store.rejected()

    mentor = device("lise", "mentor.lise")
    mentor.sync()
    staff = VoiceServices(mentor.services())
    seen = staff.voice(me)
    assert seen.words[0][2] == "Jeg vil være tømrer" and seen.written_by == "self" and seen.answer == "agree"
    with pytest.raises(ValidationFailed):
        staff.answer_proposal(prop["id"], "decline", answer="")
    staff.answer_proposal(prop["id"], "reword", title="Bestå teoriprøven", answer="Vi starter med teorien")
    mentor.sync()
    assert not mentor.store.rejected()

    youth.sync()
    v = voice.voice(me)
    [p] = [x for x in v.proposals if x["id"] == prop["id"]]  # (the demo has Mads' earlier proposal too)
    assert p["status"] == "reworded"
    assert voice.proposal_lines(p) == [
        "Taget med i andre ord",
        "Delmål: Bestå teoriprøven",
        "Svar: Vi starter med teorien",
    ]
    # the new shared sub-goal made a new version of the plan: the earlier 'enig' was to the old one
    assert v.answer == "older" and v.revision == v.plan["youth_answer_revision"] + 1
    voice.answer_plan(True)
    youth.sync()
    assert voice.voice(me).answer == "agree" and not youth.store.rejected()


def test_only_the_young_person_answers_and_proposes(backend_server, device):
    mentor = device("lise", "mentor.lise")
    mentor.sync()
    staff = VoiceServices(mentor.services())
    with pytest.raises(ValidationFailed):
        staff.answer_plan(True)
    with pytest.raises(ValidationFailed):
        staff.propose_goal("Noget")
    # the mentor may write the young person's words together with them
    me = mads_id(mentor)
    staff.save_words(me, "Sammen med Mads: tømrer", "", "")
    mentor.sync()
    assert not mentor.store.rejected()
    youth = device("mads", "ung.mads")
    youth.sync()
    assert VoiceServices(youth.services()).voice(me).written_by == "staff"


def test_mentor_makes_a_company_agreement_and_follows_up_offline(backend_server, device):
    from datetime import timedelta

    from mobile_app.core.company import CompanyServices

    mentor = device("lise", "mentor.lise")
    mentor.sync()
    me = mads_id(mentor)
    backend_server.stop()
    cs = CompanyServices(mentor.services())
    today = mentor.services().today()
    with pytest.raises(ValidationFailed):
        cs.save(me, {"company": "Værksted", "hours_per_week": "mange"})
    ag = cs.save(
        me,
        {
            "company": "Tømrerværkstedet",
            "contact_name": "Jens",
            "contact_phone": "20304050",
            "hours_per_week": "7,5",
            "start_date": (today - timedelta(days=10)).isoformat(),
            "first_follow_up": (today - timedelta(days=1)).isoformat(),
        },
    )

    def mine(services):  # the demo gives Mads an agreement with the carpentry workshop as well
        return [(a, st) for a, st in CompanyServices(services).agreements(me) if a["id"] == ag["id"]]

    [(_, st)] = mine(mentor.services())
    assert st.state == "overdue"
    cs.record_follow_up(ag["id"], "Går godt", (today + timedelta(days=20)).isoformat())
    [(_, st)] = mine(mentor.services())
    assert st.state == "ok" and mentor.store.pending_count() == 3  # the agreement and its two follow-ups
    backend_server.start()
    mentor.sync()
    assert not mentor.store.rejected() and mentor.store.pending_count() == 0
    youth = device("mads", "ung.mads")
    youth.sync()
    [(got, st)] = mine(youth.services())
    assert got["company"] == "Tømrerværkstedet" and got["hours_per_week"] == 7.5
    assert [bool(f["done_date"]) for f in got["follow_ups"]] == [True, False]
    assert got["follow_ups"][0]["note"] == "Går godt" and got["follow_ups"][0]["done_date"] == today.isoformat()


def test_coordinator_answers_a_proposal_offline_and_a_partner_may_not(backend_server, device):
    youth = device("mads", "ung.mads")
    youth.sync()
    me = youth.services().my_youth_id()
    voice = VoiceServices(youth.services())
    prop = voice.propose_goal("Lære at lave mad")
    youth.sync()

    karen = device("karen", "uu.karen")
    karen.sync()
    partner = VoiceServices(karen.services())
    [p] = [x for x in partner.voice(me).proposals if x["id"] == prop["id"]]
    assert not partner.may_answer(p)  # partners read the young person's proposals but do not answer
    with pytest.raises(ValidationFailed):
        partner.answer_proposal(prop["id"], "decline", answer="Ikke nu")

    ahmed = device("ahmed", "tovholder.ahmed")
    ahmed.sync()
    backend_server.stop()
    staff = VoiceServices(ahmed.services())
    [p] = [x for x in staff.voice(me).proposals if x["id"] == prop["id"]]
    assert staff.may_answer(p) and staff.may_make_goal()
    staff.answer_proposal(prop["id"], "accept", answer="Godt forslag – vi starter i bostøtten")
    assert ahmed.store.pending_count() == 2  # the new shared sub-goal and the answer, queued offline
    backend_server.start()
    ahmed.sync()
    assert not ahmed.store.rejected() and ahmed.store.pending_count() == 0

    youth.sync()
    [p] = [x for x in voice.voice(me).proposals if x["id"] == prop["id"]]
    assert p["status"] == "accepted" and p["answered_by_user_id"] == ahmed.services().user["id"]
    assert voice.proposal_lines(p) == [
        "Taget med i planen",
        "Delmål: Lære at lave mad",
        "Svar: Godt forslag – vi starter i bostøtten",
    ]
