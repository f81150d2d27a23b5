"""The administrator's account commands: deactivate-user, reactivate-user, reset-password (prints a
one-time link, never takes a password), reset-2fa, rotate-field-key."""

from __future__ import annotations

import click
from flask import Flask

from backend.admin import AdminError


def register_account_commands(app: Flask) -> None:
    for cmd in (deactivate_user_cmd, reactivate_user_cmd, reset_password_cmd, reset_2fa_cmd, rotate_field_key_cmd):
        app.cli.add_command(cmd)


def _user(username: str):
    from backend.accounts.lifecycle import find_user

    try:
        return find_user(username)
    except AdminError as e:
        raise click.ClickException(str(e)) from None


@click.command("deactivate-user")
@click.argument("username")
def deactivate_user_cmd(username):
    """Lock an account: every device token and browser session ends at once."""
    from backend.accounts.lifecycle import deactivate

    user = _user(username)
    n_sessions, n_tokens = deactivate(user, None)
    click.echo(f"{user.username} er deaktiveret: {n_sessions} browser-session(er) og {n_tokens} enhed(er) logget ud.")


@click.command("reactivate-user")
@click.argument("username")
def reactivate_user_cmd(username):
    """Let a deactivated user log in again (their old tokens stay revoked)."""
    from backend.accounts.lifecycle import reactivate

    user = _user(username)
    reactivate(user, None)
    click.echo(f"{user.username} kan logge ind igen.")


@click.command("reset-password")
@click.argument("username")
def reset_password_cmd(username):
    """Print a one-time link where the user chooses a new password (TRINVIS_PUBLIC_URL in front)."""
    from flask import current_app

    from backend.accounts.lifecycle import issue_reset, reset_link

    user = _user(username)
    if not user.active:
        raise click.ClickException(f"{user.username} er deaktiveret. Genaktiver først (reactivate-user).")
    link = reset_link(issue_reset(user, None))
    hours = current_app.config.get("PASSWORD_RESET_HOURS", 24)
    click.echo(f"Engangs-link til {user.username} (virker i {hours} timer, én gang): {link}")
    if not current_app.config.get("PUBLIC_URL"):
        click.echo("Sæt TRINVIS_PUBLIC_URL (fx https://trinvis.kommune.dk), så linket får den fulde adresse.")


@click.command("reset-2fa")
@click.argument("username")
def reset_2fa_cmd(username):
    """Remove a user's TOTP and recovery codes (lost phone); they set it up again at next login."""
    from backend.accounts.lifecycle import reset_two_factor

    user = _user(username)
    reset_two_factor(user, None)
    click.echo(f"Totrinsbekræftelse for {user.username} er nulstillet; browser-sessioner er logget ud.")


@click.command("rotate-field-key")
def rotate_field_key_cmd():
    """Re-encrypt every stored TOTP secret with the first key of TRINVIS_FIELD_KEYS (after adding
    a new key in front; the old one can be removed once this has run)."""
    from backend.accounts.fieldcrypt import FieldKeyError, reseal
    from backend.accounts.models import TotpCredential
    from backend.extensions import db

    done, unreadable = 0, []
    for cred in db.session.scalars(db.select(TotpCredential)):
        try:
            cred.encrypted_secret = reseal(cred.encrypted_secret)
            done += 1
        except FieldKeyError:
            unreadable.append(cred.user_id)
    db.session.commit()
    click.echo(f"{done} TOTP-hemmelighed(er) er krypteret med den første nøgle.")
    if unreadable:
        raise click.ClickException(
            f"{len(unreadable)} kunne ikke dekrypteres med nogen af nøglerne (bruger-id: {', '.join(unreadable)}). "
            "Tilføj den gamle nøgle igen, eller nulstil deres totrinsbekræftelse (reset-2fa)."
        )
