"""The administrator CLI: create-org, create-user, assign, revoke-token, and its error messages."""

from __future__ import annotations

import getpass

import pytest
from sqlalchemy import select

from backend.cli import create_user_cmd
from backend.extensions import db
from backend.models import Organization, User, Youth

PASSWORD = "hemmelig-kode-42"


@pytest.fixture
def cli(app):
    """Run a CLI command the way `flask --app backend …` does (inside the app context)."""
    runner = app.test_cli_runner()

    def run(*args, input=None):
        with app.app_context():
            result = runner.invoke(args=list(args), input=input)
            db.session.remove()
        return result

    return run


def ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def failed(result, *phrases):
    """A clean failure: non-zero exit, a message, no traceback."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for p in phrases:
        assert p in result.output, result.output
    return result.output


def login(client, username, password=PASSWORD, device="telefon"):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password, "device_name": device})


def pull_status(client, token):
    return client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}).status_code


@pytest.fixture
def staffed(cli):
    ok(cli("create-org", "Jobcenter", "--kind", "jobcenter"))
    ok(
        cli(
            "create-user",
            "lise",
            "--role",
            "mentor",
            "--org",
            "Jobcenter",
            "--name",
            "Lise",
            "--password-stdin",
            input=PASSWORD + "\n",
        )
    )
    ok(
        cli(
            "create-user",
            "ahmed",
            "--role",
            "coordinator",
            "--org",
            "Jobcenter",
            "--password-stdin",
            input=PASSWORD + "\n",
        )
    )
    ok(cli("create-user", "mads", "--role", "youth", "--name", "Mads", "--password-stdin", input=PASSWORD + "\n"))


def test_create_org(app, cli):
    out = ok(cli("create-org", "UU", "--kind", "uu"))
    with app.app_context():
        org = db.session.scalar(select(Organization).where(Organization.name == "UU"))
        assert org is not None and org.kind == "uu" and org.id in out
        db.session.remove()
    ok(cli("create-org", "UU"))  # creating it again is harmless
    with app.app_context():
        assert len(db.session.scalars(select(Organization)).all()) == 1
        db.session.remove()


def test_create_user_reads_password_from_stdin(app, client, cli, staffed):
    r = login(client, "lise")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["user"]["role"] == "mentor" and r.get_json()["user"]["display_name"] == "Lise"
    assert login(client, "lise", "forkert-kode-1").status_code == 401
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "lise"))
        assert PASSWORD not in user.password_hash  # stored hashed
        db.session.remove()


def test_password_is_never_taken_from_the_command_line(cli):
    # No option carries a password value; the only password option is a flag.
    for p in create_user_cmd.params:
        if "password" in p.name:
            assert p.is_flag, p.name
    ok(cli("create-org", "Jobcenter"))
    result = cli("create-user", "ole", "--role", "mentor", "--org", "Jobcenter", "--password", PASSWORD)
    assert result.exit_code == 2 and "No such option" in result.output
    # A stray argument is not taken as the password either.
    result = cli(
        "create-user", "ole", PASSWORD, "--role", "mentor", "--org", "Jobcenter", "--password-stdin", input="\n"
    )
    assert result.exit_code != 0


def test_password_prompt_must_match(app, cli, monkeypatch):
    ok(cli("create-org", "Jobcenter"))
    answers = iter([PASSWORD, "noget-andet-1"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    failed(cli("create-user", "ole", "--role", "mentor", "--org", "Jobcenter"), "ikke ens")
    answers = iter([PASSWORD, PASSWORD])
    ok(cli("create-user", "ole", "--role", "mentor", "--org", "Jobcenter"))
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "ole")) is not None
        db.session.remove()


def test_youth_user_gets_a_youth_record(app, client, cli, staffed):
    token = login(client, "mads").get_json()["token"]
    r = client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})
    youth = [c for c in r.get_json()["changes"] if c["entity"] == "youth"]
    assert len(youth) == 1 and youth[0]["data"]["display_name"] == "Mads"


def test_assign_gives_the_mentor_access(app, client, cli, staffed):
    token = login(client, "lise").get_json()["token"]
    r = client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})
    assert not [c for c in r.get_json()["changes"] if c["entity"] == "youth"]
    # consent-safe assignment: no consent to Jobcenter yet, so neither can be assigned (issue 9)
    refused = cli("assign", "mads", "--mentor", "lise", "--coordinator", "ahmed")
    assert refused.exit_code != 0 and "samtykke" in refused.output
    with app.app_context():
        assert db.session.scalar(select(Youth)).mentor_id is None
        db.session.remove()
    ok(cli("record-consent", "mads", "--org", "Jobcenter"))
    out = ok(cli("assign", "mads", "--mentor", "lise", "--coordinator", "ahmed"))
    assert "mentor=lise" in out
    with app.app_context():
        y = db.session.scalar(select(Youth))
        ids = {u.username: u.id for u in db.session.scalars(select(User))}
        assert (y.mentor_id, y.coordinator_id) == (ids["lise"], ids["ahmed"])
        db.session.remove()
    r = client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})
    assert [c["data"]["display_name"] for c in r.get_json()["changes"] if c["entity"] == "youth"] == ["Mads"]


def test_revoke_token(client, cli, staffed):
    phone = login(client, "lise", device="telefon").get_json()["token"]
    tablet = login(client, "lise", device="tablet").get_json()["token"]
    assert pull_status(client, phone) == 200 and pull_status(client, tablet) == 200
    out = ok(cli("revoke-token", "lise", "--device", "telefon"))
    assert "1 enhed" in out and "sletter appen alle data" in out
    assert pull_status(client, phone) == 401
    assert pull_status(client, tablet) == 200
    ok(cli("revoke-token", "lise"))
    assert pull_status(client, tablet) == 401
    # Logging in again works: a lost phone does not lock the user out.
    assert pull_status(client, login(client, "lise").get_json()["token"]) == 200


@pytest.mark.parametrize(
    "args, stdin, phrases",
    [
        (("create-user", "ole", "--role", "mentor", "--org", "Ukendt", "--password-stdin"), PASSWORD, ["findes ikke"]),
        (("create-user", "ole", "--role", "mentor", "--password-stdin"), PASSWORD, ["organisation"]),
        (("create-user", "ole", "--role", "chef", "--org", "Jobcenter", "--password-stdin"), PASSWORD, ["chef"]),
        (
            ("create-user", "lise", "--role", "mentor", "--org", "Jobcenter", "--password-stdin"),
            PASSWORD,
            ["findes allerede"],
        ),
        (("create-user", "ole", "--role", "mentor", "--org", "Jobcenter", "--password-stdin"), "kort", ["12 tegn"]),
        (("create-user", "ole", "--role", "mentor", "--org", "Jobcenter", "--password-stdin"), "password", ["12 tegn"]),
        (
            ("create-user", "ole", "--role", "coordinator", "--org", "Jobcenter", "--password-stdin"),
            "123456789012",
            ["for let at gætte"],
        ),
        (("create-user", "ung.ole", "--role", "youth", "--password-stdin"), "12345678", ["for let at gætte"]),
        (("assign", "ukendt", "--mentor", "lise"), None, ["ukendt"]),
        (("assign", "mads", "--mentor", "ahmed"), None, ["ahmed"]),
        (("assign", "mads"), None, ["--mentor"]),
        (("revoke-token", "ukendt"), None, ["findes ikke"]),
    ],
)
def test_clear_errors(app, cli, staffed, args, stdin, phrases):
    with app.app_context():
        before = len(db.session.scalars(select(User)).all())
        db.session.remove()
    failed(cli(*args, input=(stdin + "\n") if stdin else None), *phrases)
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == before
        db.session.remove()


def test_create_org_with_empty_name_is_a_clean_error(cli):
    failed(cli("create-org", "   "), "tomt")
