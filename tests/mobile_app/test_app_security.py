"""A lost phone gives nothing away: the raw files after a full sync, the PIN, idle lock, remote wipe.

Against the real backend (demo municipality) on a local port; the phone's files are read as
bytes, the way someone with the phone's storage in hand would read them.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
import requests
from app_server import FAST_RETRY

from mobile_app.core import AppCore, Locked
from mobile_app.core.lock import WipedAfterWrongPins, WrongPin, check_pin
from mobile_app.core.vault import KdfParams, unwrap_key, wrap_key
from tests.app_lock_params import FAST_KDF, TEST_PIN

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})?([T ]?[0-9:.+\-Z]*)?$")  # dates, times, instants
ENUM = re.compile(r"^[a-z_]+$")  # status words and kinds, not case text
SECRET_NOTE = "Hemmelig note: gæld til udlejer"
SECRET_REASON = "Jeg har ondt i maven igen"
SECRET_DRAFT = "Kladde: svært med søvnen"


def phone_dir(tmp_path: Path) -> Path:
    return tmp_path / "phone-data"


@pytest.fixture
def phone(tmp_path, backend_server, monkeypatch):
    """make(username) -> a logged-in AppCore whose files live in their own data dir (config's path)."""
    monkeypatch.setenv("TRINVIS_DATA_DIR", str(phone_dir(tmp_path)))
    made = []

    def make(username: str) -> AppCore:
        core = AppCore(server_url=backend_server.url, client_options=FAST_RETRY, kdf=FAST_KDF)
        core.login(username, "demo1234")
        core.choose_pin(TEST_PIN)
        made.append(core)
        return core

    yield make
    for core in made:
        core.store.close()


def secrets_of(core: AppCore) -> set[str]:
    """The token, the user, and every piece of free text and every name in the phone's records."""
    found = {core.store.get_meta("token"), core.user["username"], core.user["display_name"]}
    entities = [r["entity"] for r in core.store._q("SELECT DISTINCT entity FROM record")]
    for entity in entities:
        for rec in core.store.all(entity):
            for value in rec.values():
                if (
                    isinstance(value, str)
                    and len(value) >= 5
                    and not UUID.match(value)
                    and not ISO.match(value)
                    and not ENUM.match(value)
                ):
                    found.add(value)
    for e in core.store.outbox():
        found.update(v for v in (e.data or {}).values() if isinstance(v, str) and " " in v)
    return {s for s in found if s}


def phone_files(store_path: str) -> list[Path]:
    """The store's database, WAL and shared-memory files (the server's database may sit beside them)."""
    p = Path(store_path)
    return sorted(p.parent.glob(p.name + "*"))


def raw_hits(folder: Path | list[Path], needles: set[str]) -> list[tuple[str, str]]:
    """(file, needle) for every needle found in the bytes of any file under `folder` (or in the files)."""
    hits = []
    files = folder if isinstance(folder, list) else [p for p in folder.rglob("*") if p.is_file()]
    for f in sorted(files):
        raw = f.read_bytes()
        for n in needles:
            if n.encode("utf-8") in raw:
                hits.append((f.name, n))
        if b'"youth_id"' in raw or b'"display_name"' in raw:
            hits.append((f.name, "plain JSON"))
    return hits


def assert_nothing_readable(folder: Path, needles: set[str]) -> None:
    assert raw_hits(folder, needles) == []
    # The check can fail: the same needles planted in a plain file are found.
    probe = folder / "probe.txt"
    probe.write_text("\n".join(needles), encoding="utf-8")
    assert len(raw_hits(folder, needles)) >= len(needles)
    probe.unlink()


@pytest.mark.parametrize("username", ["mentor.lise", "ung.mads"])
def test_raw_files_hold_no_token_name_or_case_text_after_full_sync(username, phone, backend_server, tmp_path):
    core = phone(username)
    assert core.sync() is not None and core.status().first_sync_done
    svc = core.services()
    backend_server.stop()  # the entries below stay in the outbox, unsent
    if svc.is_youth:
        me = svc.my_youth_id()
        act = core.store.all("activity", me)[0]
        svc.notify_absence(act["id"], SECRET_REASON)
    else:
        me = next(y["id"] for y in core.store.all("youth") if y["display_name"].startswith("Mads"))
        svc.log_outreach(me, "call", True, SECRET_NOTE)
    due = svc.next_assessment(me)[0] if not svc.is_youth else svc.assessment_due(me)
    if due:
        svc.save_assessment_draft(me, due, {}, SECRET_DRAFT)
    assert core.store.pending_count() >= 1

    needles = secrets_of(core) | {SECRET_DRAFT if due else SECRET_NOTE}
    assert core.store.get_meta("token") in needles and len(needles) > 20, needles
    assert any(n.startswith("Mads") for n in needles)
    folder = phone_dir(tmp_path)
    assert {p.name for p in folder.iterdir()} >= {"trinvis-app.sqlite", "trinvis-app.sqlite-wal"}
    assert_nothing_readable(folder, needles)  # while open: database and WAL
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for f in folder.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name

    core.store.close()
    assert_nothing_readable(folder, needles)  # after the app is closed
    reopened = AppCore(server_url=backend_server.url, client_options=FAST_RETRY)
    assert reopened.locked and reopened.user is None
    with pytest.raises(Locked):
        reopened.store.all("youth")
    reopened.unlock(TEST_PIN)
    assert reopened.store.pending_count() >= 1 and reopened.user["username"] == username
    reopened.store.close()


def test_five_wrong_pins_wipe_the_phone_and_a_fresh_login_works(device, backend_server):
    core = device("lise", "mentor.lise")
    core.sync()
    path = core.store.path
    core.store.close()
    for left in (4, 3):
        core = AppCore(path, server_url=backend_server.url, client_options=FAST_RETRY)
        with pytest.raises(WrongPin) as exc:
            core.unlock("9999")
        assert exc.value.attempts_left == left and f"{left} forsøg" in exc.value.message
        core.store.close()  # a restart does not reset the count
    core = AppCore(path, server_url=backend_server.url, client_options=FAST_RETRY)
    core.unlock(TEST_PIN)  # the right PIN resets it
    core.services().log_outreach(core.store.all("youth")[0]["id"], "sms", False, SECRET_NOTE)
    core.lock()
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPin) as wrong:
            core.unlock("1470")
        assert wrong.value.attempts_left == left
    with pytest.raises(WipedAfterWrongPins) as exc:
        core.unlock("1470")
    assert "Log ind igen" in exc.value.message
    assert not core.logged_in and not core.locked and core.store.get_keyring() is None
    assert core.store.count() == 0 and core.store.pending_count() == 0 and not core.store.has_data()
    assert core.device_id
    assert raw_hits(phone_files(path), {SECRET_NOTE, "Mads"}) == []
    core.login("mentor.lise", "demo1234")
    core.choose_pin("8024")
    assert core.sync() is not None and core.store.count("youth") >= 1


def test_idle_lock_then_unlock_and_offline_use(tmp_path, backend_server, monkeypatch):
    clock = {"t": 1000.0}
    core = AppCore(
        tmp_path / "idle.sqlite",
        server_url=backend_server.url,
        client_options=FAST_RETRY,
        kdf=FAST_KDF,
        idle_clock=lambda: clock["t"],
    )
    core.login("mentor.lise", "demo1234")
    core.choose_pin(TEST_PIN)
    core.sync()
    assert core.idle.timeout == 300  # staff: 5 minutes
    clock["t"] += 299
    assert not core.lock_if_idle()
    core.touch()  # the user did something
    clock["t"] += 299
    assert not core.lock_if_idle()
    clock["t"] += 1
    assert core.lock_if_idle() and core.locked
    with pytest.raises(Locked):
        core.services().caseload()
    assert core.sync() is None  # nothing leaves or arrives while locked
    backend_server.stop()
    core.unlock(TEST_PIN)
    assert not core.locked
    youth_id = core.store.all("youth")[0]["id"]
    core.services().log_outreach(youth_id, "call", True, "Ringede, ingen svar")  # offline, after unlock
    assert core.sync() is None and core.status().online is False and core.store.pending_count() == 1
    core.store.close()

    monkeypatch.setenv("TRINVIS_LOCK_AFTER_YOUTH", "600")
    backend_server.start()
    young = AppCore(
        tmp_path / "young.sqlite",
        server_url=backend_server.url,
        client_options=FAST_RETRY,
        kdf=FAST_KDF,
        idle_clock=lambda: clock["t"],
    )
    young.login("ung.mads", "demo1234")
    assert young.idle.timeout == 600  # configurable; the default for a young person is 30 min
    monkeypatch.delenv("TRINVIS_LOCK_AFTER_YOUTH")
    from mobile_app.core import config

    assert config.lock_after("youth") == 1800 and config.lock_after("mentor") == 300
    young.store.close()


def _revoke_all_tokens_of(backend_server, username: str) -> dict:
    """The coordinator revokes the user's phones through the API, as on a lost phone."""
    base = f"{backend_server.url}/api/v1"
    tok = requests.post(
        f"{base}/auth/login", json={"username": "tovholder.ahmed", "password": "demo1234", "device_name": "kontor"}
    ).json()["token"]
    h = {"Authorization": f"Bearer {tok}"}
    with backend_server.flask_app.app_context():
        from backend.extensions import db
        from backend.models import User

        user_id = db.session.query(User).filter_by(username=username).one().id
        db.session.remove()
    tokens = requests.get(f"{base}/auth/tokens", headers=h, params={"user_id": user_id}).json()["tokens"]
    answer = {}
    for t in tokens:
        answer = requests.post(f"{base}/auth/tokens/{t['id']}/revoke", headers=h).json()
    return answer


@pytest.mark.parametrize("how", ["revoked", "deactivated"])
def test_revoked_or_closed_account_wipes_the_phone_at_next_contact(how, device, backend_server):
    core = device("lise", "mentor.lise")
    core.sync()
    svc = core.services()
    mads = next(y["id"] for y in core.store.all("youth") if y["display_name"].startswith("Mads"))
    backend_server.stop()
    svc.log_outreach(mads, "call", True, SECRET_NOTE)  # unsent
    due = svc.next_assessment(mads)[0]
    svc.save_assessment_draft(mads, due, {}, SECRET_DRAFT)  # a draft
    needles = secrets_of(core) | {SECRET_DRAFT}
    backend_server.start()
    if how == "revoked":
        answer = _revoke_all_tokens_of(backend_server, "mentor.lise")
        assert "sletter appen alle data" in answer["message"]  # what the coordinator is told
    else:
        with backend_server.flask_app.app_context():
            from backend.extensions import db
            from backend.models import User

            db.session.query(User).filter_by(username="mentor.lise").one().active = False
            db.session.commit()
            db.session.remove()

    assert core.sync() is None
    assert core.wiped_message.startswith("Telefonen er blevet tømt")
    assert not core.logged_in and core.store.get_keyring() is None and core.store.locked
    assert core.store.count() == 0 and core.store.pending_count() == 0 and not core.store.has_data()
    core.store.close()
    assert raw_hits(phone_files(core.store.path), needles) == []


def test_logout_destroys_the_key(device):
    core = device("mads", "ung.mads")
    core.sync()
    core.logout()
    assert core.store.get_keyring() is None and core.store.locked and not core.logged_in
    assert not core.store.has_data() and core.device_id


def test_pin_rules_and_the_key_wrapping():
    for bad, word in (
        ("12a4", "4 til 6 tal"),
        ("123", "4 til 6 tal"),
        ("1234567", "4 til 6 tal"),
        ("0000", "samme tal"),
        ("1234", "rækkefølge"),
        ("98765", "rækkefølge"),
    ):
        with pytest.raises(Exception) as exc:
            check_pin(bad)
        assert word in exc.value.message
    assert check_pin(" 2580 ") == "2580"
    row = wrap_key(b"k" * 32, "2580", KdfParams(n=2**10))
    assert b"k" * 32 not in row["wrapped"] and unwrap_key(row, "2580") == b"k" * 32
    from mobile_app.core.vault import WrongKey

    with pytest.raises(WrongKey):
        unwrap_key(row, "2581")


def test_another_user_on_the_same_phone_gets_a_new_key_and_none_of_the_old_data(device):
    core = device("shared", "mentor.lise")
    core.sync()
    lise_only = {core.store.get_meta("token"), "Lise Mortensen"} | {
        y["display_name"] for y in core.store.all("youth") if not y["display_name"].startswith("Mads")
    }
    old_wrapped = core.store.get_keyring()["wrapped"]
    core.login("ung.mads", "demo1234")  # a young person borrows the phone
    assert core.needs_pin and core.store.get_keyring() is None and core.store.count() == 0
    core.choose_pin("3691")
    assert core.store.get_keyring()["wrapped"] != old_wrapped
    core.sync()
    assert [y["display_name"] for y in core.store.all("youth")] == ["Mads Jensen"]
    assert len(lise_only) >= 3 and raw_hits(phone_files(core.store.path), lise_only) == []


def test_a_locked_revoked_phone_wipes_itself_before_anyone_knows_the_pin(device, backend_server):
    core = device("lost", "mentor.lise")
    core.sync()
    core.lock()
    assert not core.wipe_if_revoked_while_locked()  # not revoked: nothing happens
    assert core.locked and core.store.count() > 0
    backend_server.stop()
    assert not core.wipe_if_revoked_while_locked()  # offline: try again later
    backend_server.start()
    _revoke_all_tokens_of(backend_server, "mentor.lise")
    assert core.wipe_if_revoked_while_locked()
    assert core.wiped_message.startswith("Telefonen er blevet tømt")
    assert not core.logged_in and not core.store.has_data() and core.store.get_keyring() is None
