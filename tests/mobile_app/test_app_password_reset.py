"""A password reset signs the phone out but loses nothing: a locked phone keeps its unsent change,
asks for the new password and then sends it. A lost phone (a revoked device) still wipes itself,
and another person logging in on the signed-out phone sees none of the old user's data.

The real app core against the real backend (demo municipality) on a local port.
"""

from __future__ import annotations

from test_app_security import _revoke_all_tokens_of, phone_files, raw_hits

from tests.app_lock_params import TEST_PIN

NEW = "Blaa-Cykel-Regnvejr-47"
NOTE = "Ringede om praktikken, svarede ikke"


def reset_password(backend_server, username: str) -> None:
    """The one-time link issued by an admin and used by the user (what the web page calls)."""
    with backend_server.flask_app.app_context():
        from backend.accounts.lifecycle import find_user, issue_reset, use_reset
        from backend.extensions import db

        use_reset(issue_reset(find_user(username), None), NEW)
        db.session.remove()


def notes_on_server(backend_server) -> list[str]:
    with backend_server.flask_app.app_context():
        from backend.extensions import db
        from backend.models import Outreach

        notes = [o.note for o in db.session.query(Outreach).all()]
        db.session.remove()
    return notes


def locked_phone_with_an_unsent_change(device):
    core = device("lise", "mentor.lise")
    core.sync()
    mads = next(y["id"] for y in core.store.all("youth") if y["display_name"].startswith("Mads"))
    core.services().log_outreach(mads, "call", False, NOTE)  # not sent yet
    assert core.store.pending_count() == 1
    core.lock()
    return core


def test_a_locked_phone_keeps_and_later_sends_its_change_after_a_password_reset(device, backend_server):
    core = locked_phone_with_an_unsent_change(device)
    reset_password(backend_server, "mentor.lise")

    assert not core.wipe_if_revoked_while_locked()  # "signed_out": no wipe
    assert core.locked and core.store.has_data() and not core.wiped_message
    core.unlock(TEST_PIN)
    assert core.store.pending_count() == 1
    assert core.sync() is None  # 401 signed_out
    assert core.needs_login and "nye adgangskode" in core.last_error and not core.wiped_message
    assert core.store.pending_count() == 1 and NOTE not in notes_on_server(backend_server)

    core.login("mentor.lise", NEW)  # the same person with the new password
    assert not core.needs_pin and core.store.pending_count() == 1  # same key, same data
    assert core.sync() is not None
    assert core.store.pending_count() == 0 and NOTE in notes_on_server(backend_server)

    # The same phone reported lost afterwards still wipes itself while locked.
    core.lock()
    _revoke_all_tokens_of(backend_server, "mentor.lise")
    assert core.wipe_if_revoked_while_locked()
    assert core.wiped_message.startswith("Telefonen er blevet tømt") and not core.store.has_data()


def test_a_locked_phone_wipes_after_a_device_revoke_even_with_an_unsent_change(device, backend_server):
    core = locked_phone_with_an_unsent_change(device)
    _revoke_all_tokens_of(backend_server, "mentor.lise")
    assert core.wipe_if_revoked_while_locked()
    assert not core.logged_in and not core.store.has_data() and core.store.pending_count() == 0


def test_another_person_on_a_signed_out_phone_sees_nothing_of_the_old_user(device, backend_server):
    core = locked_phone_with_an_unsent_change(device)
    reset_password(backend_server, "mentor.lise")
    assert not core.wipe_if_revoked_while_locked()
    core.unlock(TEST_PIN)
    lise_only = {NOTE} | {
        y["display_name"] for y in core.store.all("youth") if not y["display_name"].startswith("Mads")
    }
    core.sync()
    assert core.needs_login
    core.login("ung.mads", "demo1234")  # a young person borrows the phone
    assert core.needs_pin and core.store.count() == 0 and core.store.pending_count() == 0
    core.choose_pin("3691")
    core.sync()
    assert [y["display_name"] for y in core.store.all("youth")] == ["Mads Jensen"]
    assert len(lise_only) >= 2 and raw_hits(phone_files(core.store.path), lise_only) == []
