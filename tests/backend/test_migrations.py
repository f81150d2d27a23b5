"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import os
import uuid
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from backend.extensions import db
from tests.conftest import PG_URL, make_app


def test_migrated_schema_matches_models(app):
    with app.app_context():
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_counter_row_exists_after_upgrade(app):
    from backend.sync.changes import current_seq

    with app.app_context():
        assert current_seq() == 0


# ---- f2b8d4c6a1e3: token reasons and TOTP secrets encrypted at rest --------------------------------

BEFORE = "e5f1a7c3b9d2"


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of its own (PostgreSQL when TEST_DATABASE_URL is set), dropped afterwards."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}"
        return
    url = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"trinvis_mig_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def _add_karen(c) -> None:
    """A partner account 'u1', written with SQL as the schema of the moment has it."""
    c.execute(
        text(
            "INSERT INTO user_account (id, username, password_hash, role, display_name, active, created_at) "
            "VALUES ('u1', 'karen', 'x', 'partner', 'Karen', :t, :now)"
        ),
        {"t": True, "now": datetime.now(UTC)},
    )


def test_totp_secrets_are_encrypted_on_upgrade_and_decrypted_on_downgrade(scratch_url):
    from flask_migrate import downgrade, upgrade

    key = Fernet.generate_key().decode()
    app = make_app(scratch_url, FIELD_ENCRYPTION_KEYS=key)
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as c:
            _add_karen(c)
            c.execute(
                text("INSERT INTO totp_credential (user_id, secret, created_at, last_step) VALUES ('u1', :s, :now, 7)"),
                {"s": secret, "now": datetime.now(UTC)},
            )
        upgrade()
        assert "secret" not in _columns("totp_credential") and "revoked_reason" in _columns("device_token")
        with db.engine.connect() as c:
            sealed, step = c.execute(text("SELECT encrypted_secret, last_step FROM totp_credential")).one()
        assert secret not in sealed and Fernet(key).decrypt(sealed.encode()).decode() == secret and step == 7
        with db.engine.connect() as c:
            diff = compare_metadata(MigrationContext.configure(c), db.metadata)
        assert diff == []
        downgrade(revision=BEFORE)
        assert "encrypted_secret" not in _columns("totp_credential") and "revoked_reason" not in _columns(
            "device_token"
        )
        with db.engine.connect() as c:
            assert c.execute(text("SELECT secret FROM totp_credential")).scalar_one() == secret
        upgrade()  # and up again
        db.session.remove()
        db.engine.dispose()


def test_downgrade_stops_unchanged_when_a_secret_cannot_be_decrypted(scratch_url, capfd):
    from flask_migrate import downgrade, upgrade

    app = make_app(scratch_url, FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    with app.app_context():
        upgrade()
        with db.engine.begin() as c:
            _add_karen(c)
            c.execute(
                text(
                    "INSERT INTO totp_credential (user_id, encrypted_secret, created_at, last_step) "
                    "VALUES ('u1', :s, :now, 0)"
                ),
                {"s": Fernet(Fernet.generate_key()).encrypt(b"OTHERKEY").decode(), "now": datetime.now(UTC)},
            )
        with pytest.raises(SystemExit):  # Flask-Migrate logs the RuntimeError's message and exits 1
            downgrade(revision=BEFORE)
        assert "cannot be decrypted with TRINVIS_FIELD_KEYS (users u1)" in capfd.readouterr().err
        assert "encrypted_secret" in _columns("totp_credential")
        db.session.remove()
        db.engine.dispose()


# ---- a7c5e3d9b1f4: every young person's record is sent again (contact details narrowed) ------------


def test_upgrade_gives_every_live_youth_record_a_new_change_number(scratch_url):
    from flask_migrate import upgrade

    app = make_app(scratch_url)
    rows = [("youth", "y1", 1, False), ("goal", "g1", 2, False), ("youth", "y2", 3, False), ("youth", "y3", 4, True)]
    with app.app_context():
        upgrade(revision="f2b8d4c6a1e3")
        with db.engine.begin() as c:
            for entity, rid, seq, deleted in rows:
                c.execute(
                    text(
                        "INSERT INTO change_log (entity, record_id, seq, youth_id, visibility, deleted, narrowed) "
                        "VALUES (:e, :r, :s, :y, 'shared', :d, :n)"
                    ),
                    {
                        "e": entity,
                        "r": rid,
                        "s": seq,
                        "y": rid if entity == "youth" else "y1",
                        "d": deleted,
                        "n": False,
                    },
                )
            c.execute(text("UPDATE sync_counter SET value = 4 WHERE id = 1"))
        upgrade()
        with db.engine.connect() as c:
            seqs = dict(c.execute(text("SELECT record_id, seq FROM change_log")).all())
            counter = c.execute(text("SELECT value FROM sync_counter WHERE id = 1")).scalar_one()
        # a device with cursor 4 pulls both live young people again, in their old order; nothing else
        assert seqs == {"y1": 5, "g1": 2, "y2": 6, "y3": 4} and counter == 6
        db.session.remove()
        db.engine.dispose()
