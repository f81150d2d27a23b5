"""The monthly views of the results: one programme in a month («Forløb i måneden»), the target
groups' monthly status and the strategy's targets per target group.

Routes live on the programmes blueprints (`blueprints.web`, `blueprints.api`); this module is
imported by `views.register` before the blueprints are registered.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from backend.auth import token_required
from backend.clock import today
from backend.errors import ApiError
from backend.extensions import db
from backend.programmes import forms, pages, reports, service, status_queries, target_status
from backend.programmes import monthly_report as monthly_report_text
from backend.programmes.blueprints import NO_ACCESS, REPORT_ROLES, api, common, forbid, record_report, reports_page, web
from backend.programmes.queries import FilterError
from backend.programmes.tables import STATE_DA, anchor_da, csv_response, pct
from backend.web.common import login_required
from shared.enums import Role


def month_choices(current: str, n: int = 24) -> list[str]:
    """The last n months, newest first, for the month pickers."""
    first = reports.month_key(reports.add_months(reports.month_bounds(current)[0], -(n - 1)))
    return list(reversed(reports.month_range(first, current)))


@web.get("/results/programme")
@reports_page
def programme_month_page():
    """For a programme and a month: participants, their status now and each expected effect."""
    user = g.web_user
    programmes = pages.programmes_by_name()
    args = {k: request.args.get(k, "") for k in ("programme", "month")}
    ctx = {
        "programmes": programmes,
        "args": args,
        "months": month_choices(reports.month_key(today())),
        "pct": pct,
        "anchor_da": anchor_da,
        "state_da": STATE_DA,
        "effect_labels": reports.EFFECT_LABELS_DA,
    }
    try:
        filters = status_queries.parse_programme_month(args, today())
    except FilterError as e:
        return render_template(
            "programmes/programme_month.html", error=e.message, error_field=e.field, pm=None, **ctx, **common()
        ), 400
    args = {"programme": filters["programme_id"] or "", "month": filters["month"]}
    ctx["args"] = args
    programme = pages.programme(filters["programme_id"])
    pm, names = None, {}
    if programme is not None:
        pm = status_queries.programme_month(user, programme, filters["month"], today())
        names = pages.youth_names([r["youth_id"] for r in pm["participants"]])
        detail = f"programme-month programme={programme.id} month={filters['month']}"
        record_report(user, "read", len(pm["participants"]), detail)
        db.session.commit()
    return render_template(
        "programmes/programme_month.html",
        error=None,
        error_field=None,
        pm=pm,
        programme=programme,
        names=names,
        **ctx,
        **common(),
    )


# ---- target groups: monthly status and the strategy's targets --------------------------------

STATUS_ARGS = ("month", "target_group", "organization", "programme", "mentor")


def _filter_choices() -> dict:
    return {
        "programmes": pages.programmes_by_name(),
        "organizations": pages.organizations(),
        "mentors": pages.active_mentors(),
        "groups": target_status.GROUPS,
    }


@web.get("/results/target-groups")
@reports_page
def target_groups_page():
    """Counts by target group and status, movement between groups, and actual vs the targets."""
    user = g.web_user
    args = {k: request.args.get(k, "") for k in STATUS_ARGS}
    ctx = {
        "args": args,
        "months": month_choices(reports.month_key(today())),
        "pct": pct,
        "outcomes": (reports.ACTIVE, *reports.OUTCOMES),
        **_filter_choices(),
    }
    try:
        filters = status_queries.parse_target_status(args, today())
    except FilterError as e:
        return render_template(
            "programmes/target_groups.html", error=e.message, error_field=e.field, st=None, **ctx, **common()
        ), 400
    st = status_queries.target_status_data(user, filters, today())
    record_report(
        user, "read", st["youth_count"], "target-groups " + " ".join(f"{k}={filters[k]}" for k in STATUS_ARGS)
    )
    db.session.commit()
    ctx["args"] = {k: filters[k] or "" for k in STATUS_ARGS}
    return render_template(
        "programmes/target_groups.html",
        error=None,
        error_field=None,
        st=st,
        **ctx,
        may_edit=service.may_edit_catalogue(user),
        **common(),
    )


@web.route("/results/targets", methods=["GET", "POST"])
@login_required
def targets_page():
    """The strategy's targets per target group for a year; coordinators and admins edit them."""
    user = g.web_user
    if user.role not in (*REPORT_ROLES, Role.ADMIN):
        return forbid(NO_ACCESS)
    year_arg = (request.values.get("year") or str(today().year)).strip()
    if not year_arg.isdigit() or not 2000 <= int(year_arg) <= today().year + 10:
        return _forbid_year(year_arg)
    year = int(year_arg)
    muni = status_queries.municipality()
    errors: dict = {}
    values = None
    if request.method == "POST":
        if not service.may_edit_catalogue(user):
            return forbid("Kun koordinatorer og administratorer kan sætte mål for målgrupperne.")
        parsed, errors = forms.parse_targets(request.form, target_status.GROUPS)
        if not errors:
            service.save_targets(user, muni, year, parsed)
            db.session.commit()
            flash(f"Målene for {year} er gemt.", "success")
            return redirect(url_for("programmes.targets_page", year=year))
        values = request.form.to_dict()
    current = status_queries.targets_for(year)
    if values is None:
        values = {
            f"{grp}-{k}": ("" if v.get(k) is None else v[k])
            for grp, v in current.items()
            for k in (*forms.TARGET_KEYS, "reduction")
        }
    return render_template(
        "programmes/targets.html",
        year=year,
        municipality=muni,
        values=values,
        errors=errors,
        groups=target_status.GROUPS,
        current=current,
        may_edit=service.may_edit_catalogue(user),
        **common(),
    ), 400 if errors else 200


def _forbid_year(value: str):
    return render_template(
        "error.html", status=400, message=f"«{value[:20]}» er ikke et gyldigt år. Skriv fx {today().year}."
    ), 400


@api.route("/targets/<int:year>", methods=["GET", "PUT"])
@token_required
def api_targets(year: int):
    """The year's targets as JSON; PUT {group: {self_supporting_pct, target_group_change_pct,
    other_benefit_pct, reduction}} sets them (coordinators and administrators — an administrator
    has no case pages, so this is where they set them)."""
    user = g.user
    if user.role not in (*REPORT_ROLES, Role.ADMIN):
        raise ApiError(403, "forbidden", NO_ACCESS)
    if not 2000 <= year <= today().year + 10:
        raise ApiError(400, "invalid_year", "Ugyldigt år.")
    muni = status_queries.municipality()
    if request.method == "PUT":
        if not service.may_edit_catalogue(user):
            raise ApiError(403, "forbidden", "Kun koordinatorer og administratorer kan sætte mål for målgrupperne.")
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not set(body) <= set(target_status.GROUPS) or not body:
            raise ApiError(
                400, "invalid", "Send et objekt med målgrupper (job_ready, education_ready, activity_ready) som nøgler."
            )
        flat = {
            f"{grp}-{k}": str(v) if isinstance(v, int) and not isinstance(v, bool) else ""
            for grp, vals in body.items()
            if isinstance(vals, dict)
            for k, v in vals.items()
        }
        parsed, errors = forms.parse_targets(flat, tuple(body))
        if errors:
            raise ApiError(400, "invalid", next(iter(errors.values())), errors)
        service.save_targets(user, muni, year, parsed)
        db.session.commit()
    return {"municipality": muni, "year": year, "targets": status_queries.targets_for(year)}


# ---- the monthly report for the council ------------------------------------------------------


def _report_data(user) -> tuple[str, list[dict], dict]:
    raw = status_queries.load_args(status_queries.ProgrammeMonthSchema(), {"month": request.args.get("month", "")})
    month = status_queries.checked_month(raw["month"], today())
    programmes = status_queries.programmes_month(user, month, today())
    filters = {"month": month, "target_group": None, "organization": None, "programme": None, "mentor": None}
    st = status_queries.target_status_data(user, filters, today())
    return month, programmes, st


def _report_read(user, action: str, name: str) -> tuple[str, list[dict], dict]:
    """The report's figures, their read audited and committed; FilterError on a bad month."""
    month, programmes, st = _report_data(user)
    record_report(user, action, st["youth_count"], f"{name} month={month}")
    db.session.commit()
    return month, programmes, st


@web.get("/results/report")
@reports_page
def monthly_report():
    """The printable monthly report: one page per programme and one for the target groups."""
    user = g.web_user
    try:
        month, programmes, st = _report_read(user, "read", "monthly-report")
    except FilterError as e:
        return render_template("error.html", status=400, message=e.message), 400
    return render_template(
        "programmes/monthly_report.html",
        month=month,
        month_da=monthly_report_text.month_da(month),
        programmes=programmes,
        st=st,
        months=month_choices(reports.month_key(today())),
        reading=monthly_report_text,
        pct=pct,
        anchor_da=anchor_da,
        effect_labels=reports.EFFECT_LABELS_DA,
        **common(),
    )


@web.get("/results/report.csv")
@reports_page
def monthly_report_csv():
    user = g.web_user
    try:
        month, programmes, st = _report_read(user, "export", "monthly-report.csv")
    except FilterError as e:
        return e.message, 400, {"Content-Type": "text/plain; charset=utf-8"}
    headers, rows = monthly_report_text.csv_rows(month, programmes, st)
    return csv_response(headers, rows, f"trinvis-maanedsrapport-{month}.csv")
