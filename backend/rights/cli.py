"""`flask --app backend purge-closed-cases [--dry-run]`: the retention job, run daily by cron or a timer."""

from __future__ import annotations

from datetime import date

import click

from backend import clock


@click.command("purge-closed-cases")
@click.option("--dry-run", is_flag=True, help="list what would be erased; change nothing")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="treat this day as today (YYYY-MM-DD), e.g. to see what a later run will erase",
)
def purge_closed_cases_cmd(dry_run: bool, as_of):
    """Erase closed cases past the retention period (TRINVIS_RETENTION_YEARS, default 5)."""
    from backend.rights.retention import purge_closed_cases

    day: date = as_of.date() if as_of else clock.today()
    report = purge_closed_cases(day, dry_run)
    verb = "Ville slette" if dry_run else "Slettet"
    click.echo(f"Opbevaringsperiode {report.retention_years} år efter afslutning; dato {day.isoformat()}.")
    for case in report.cases:
        if case.error:
            click.echo(f"FEJL: ung {case.youth_id} blev ikke slettet: {case.error}", err=True)
            continue
        click.echo(
            f"{verb}: ung {case.youth_id} (afsluttet {case.closed_on.isoformat()}): "
            f"{case.erasure.summary() if case.erasure else ''}"
        )
    done = [c for c in report.cases if not c.error]
    click.echo(
        f"{verb}: {len(done)} afsluttede sager, {report.audit_entries} gamle logbogslinjer, "
        f"{report.grants} udløbne adgangsrettigheder, {report.accounts} lukkede logins."
    )
    if dry_run:
        click.echo("Tørkørsel: intet er ændret.")
    if len(done) < len(report.cases):
        # A non-zero exit, so cron mails it / the systemd unit shows failed; the next run tries again.
        raise SystemExit(1)
