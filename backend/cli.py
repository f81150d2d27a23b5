"""Administrator commands: organisations, users, assignments, tokens, and the demo municipality."""

from __future__ import annotations

import getpass
import sys

import click
from flask import Flask

from backend.extensions import db


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo_cmd)
    app.cli.add_command(create_org_cmd)
    app.cli.add_command(create_user_cmd)
    app.cli.add_command(assign_cmd)
    app.cli.add_command(record_consent_cmd)
    app.cli.add_command(revoke_token_cmd)
    app.cli.add_command(set_org_contact_cmd)
    app.cli.add_command(set_user_phone_cmd)
    app.cli.add_command(resend_cmd)
    from backend.accounts.cli import register_account_commands

    register_account_commands(app)


def upgrade_schema() -> None:
    """Bring the database schema up to date (Alembic migrations)."""
    from flask_migrate import upgrade

    upgrade()
    from backend.sync.changes import ensure_counter

    ensure_counter()
    db.session.commit()


def _refused_as_error(action, *args):
    """Run one `backend.admin` action; its refusal becomes the command's error message, not a traceback."""
    from backend.admin import AdminError

    try:
        return action(*args)
    except AdminError as e:
        raise click.ClickException(str(e)) from None


@click.command("seed-demo")
def seed_demo_cmd():
    """Create (idempotently) the demo municipality; upgrades the schema first. Needs TRINVIS_DEMO=1."""
    from flask import current_app

    from backend.seed import seed_demo

    if not current_app.config.get("DEMO_MODE"):
        # The demo users share one published password: never in a real municipality's database.
        raise click.ClickException(
            "seed-demo opretter demobrugere med en kendt adgangskode og hører kun til en demo-database. "
            "Sæt TRINVIS_DEMO=1 for at bekræfte, at det er en demo."
        )
    upgrade_schema()
    summary = seed_demo()
    click.echo(summary)


@click.command("create-org")
@click.argument("name")
@click.option("--kind", default=None, help="e.g. jobcenter, uu, bostotte, rusmiddelcenter")
def create_org_cmd(name, kind):
    """Create an organisation."""
    from backend.admin import create_organization

    org = _refused_as_error(create_organization, name, kind)
    click.echo(f"Organisation {org.name} ({org.id})")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["youth", "mentor", "coordinator", "partner", "admin"]), required=True)
@click.option("--org", "org_name", default=None, help="organisation name (staff roles)")
@click.option("--name", "display_name", default=None)
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.option("--invite", is_flag=True, help="no password: print a one-time link where the user sets their own")
def create_user_cmd(username, role, org_name, display_name, password_stdin, invite):
    """Create a user. The password is read from stdin or a prompt, never from the command line, and
    must meet the password policy; or --invite prints a one-time link instead."""
    import secrets

    from backend.accounts.lifecycle import issue_reset, reset_link
    from backend.accounts.policy import WeakPassword, check_password
    from backend.admin import AdminError, create_user

    if invite:
        password = secrets.token_urlsafe(32)  # nobody knows it; the link sets the real one
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Adgangskode: ")
        if password != getpass.getpass("Gentag adgangskode: "):
            raise click.ClickException("Adgangskoderne er ikke ens.")
    try:
        if not invite:
            check_password(password, role, (username, display_name or ""))
        user = create_user(username, password, role, org_name, display_name or username)
    except (AdminError, WeakPassword) as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"Bruger {user.username} ({user.role}) oprettet: {user.id}")
    if invite:
        click.echo(f"Engangs-link til at vælge adgangskode: {reset_link(issue_reset(user, None))}")


@click.command("assign")
@click.argument("youth_username")
@click.option("--mentor", default=None, help="mentor username")
@click.option("--coordinator", default=None, help="coordinator username")
def assign_cmd(youth_username, mentor, coordinator):
    """Assign a mentor and/or coordinator to a young person."""
    from backend.admin import assign

    youth = _refused_as_error(assign, youth_username, mentor, coordinator)
    click.echo(f"{youth.display_name}: mentor={mentor or '-'} koordinator={coordinator or '-'}")


@click.command("record-consent")
@click.argument("youth_username")
@click.option("--org", "org_names", multiple=True, required=True, help="organisation name (repeatable)")
def record_consent_cmd(youth_username, org_names):
    """Record the young person's written consent to organisations (at intake, before assignment)."""
    from backend.admin import record_consent

    _refused_as_error(record_consent, youth_username, list(org_names))
    click.echo(f"Samtykke registreret for {youth_username}: {', '.join(org_names)}")


@click.command("revoke-token")
@click.argument("username")
@click.option("--device", default=None, help="device name; all of the user's devices when left out")
def revoke_token_cmd(username, device):
    """Revoke a user's device token(s), e.g. for a lost phone."""
    from backend.admin import revoke_tokens

    n = _refused_as_error(revoke_tokens, username, device)
    click.echo(f"{n} enhed(er) tilbagekaldt for {username}.")
    if n:
        from backend.auth import REVOKE_NOTICE_DA

        click.echo(REVOKE_NOTICE_DA)


@click.command("set-org-contact")
@click.argument("name")
@click.option("--on-call", "on_call", default=None, help="on-call / 24-7 number, e.g. '70 12 34 56'; '' removes it")
@click.option("--weekdays", default=None, help="opening days, 0 = Monday, e.g. 0-4")
@click.option("--opens", default=None, help="opening time HH:MM")
@click.option("--closes", default=None, help="closing time HH:MM")
def set_org_contact_cmd(name, on_call, weekdays, opens, closes):
    """Set an organisation's on-call number and opening hours (shown to its young people)."""
    from backend.admin import set_org_contact
    from shared.contact import format_phone

    org = _refused_as_error(set_org_contact, name, on_call, weekdays, opens, closes)
    hours = (
        f"{','.join(map(str, org.opening_weekdays))} {org.opens_at}-{org.closes_at}"
        if org.opens_at
        else "ingen åbningstid"
    )
    click.echo(f"{org.name}: vagttelefon {format_phone(org.on_call_phone) or '-'}, {hours}")


@click.command("set-user-phone")
@click.argument("username")
@click.argument("phone")
def set_user_phone_cmd(username, phone):
    """Set a staff member's work phone ('' removes it); a mentor's is shown to their young people."""
    from backend.admin import set_user_phone
    from shared.contact import format_phone

    user = _refused_as_error(set_user_phone, username, phone)
    click.echo(f"{user.display_name}: {format_phone(user.phone) or 'intet nummer'}")


@click.command("resend-records")
@click.argument("entity", type=click.Choice(["youth"]))
def resend_cmd(entity):
    """Make every device pull these records again, as the visibility rule now redacts them."""
    from backend.sync.resend import resend

    click.echo(f"{resend(entity)} {entity} sendes igen ved næste synkronisering.")
