"""The programme pages (session login): results, the catalogue and its form, and a young person's
programmes and status history. Thin: the queries live in pages.py, queries.py and service.py;
each request's entry point here commits (or rolls back) its own work.

Further routes of the same blueprints: monthly_views.py (monthly results, targets, the council's
report) and api_views.py (the reports API)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from backend import clock
from backend.extensions import db
from backend.programmes import charts, forms, pages, queries, reports, service
from backend.programmes.blueprints import REPORT_ROLES, api, common, forbid, record_report, reports_page, web
from backend.programmes.tables import TABLE_TITLES, anchor_da, csv_response, result_tables
from backend.web.common import login_required
from shared.enums import Outcome, Role, TargetGroup

__all__ = ["api", "register", "web"]

# ---- results page --------------------------------------------------------------------------


def _filters_and_results(user):
    """(args, filters, results) for the results page and its CSV; FilterError on a bad filter."""
    args = {k: request.args.get(k, "") for k in ("from", "to", "programme")}
    filters = queries.parse_filters(args, clock.today())
    return args, filters, queries.compute_results(user, filters, clock.today())


@web.get("/results")
@reports_page
def results_page():
    page = {"programmes": pages.programmes_by_name(), **common()}
    try:
        args, filters, res = _filters_and_results(g.web_user)
    except queries.FilterError as e:
        args = {k: request.args.get(k, "") for k in ("from", "to", "programme")}
        return render_template(
            "programmes/results.html", error=e.message, error_field=e.field, args=args, res=None, **page
        ), 400
    detail = f"results from={filters['from']} to={filters['to']} programme={filters['programme_id']}"
    record_report(g.web_user, "read", res["youth_count"], detail)
    db.session.commit()
    return render_template(
        "programmes/results.html",
        error=None,
        error_field=None,
        args={"from": filters["from"], "to": filters["to"], "programme": filters["programme_id"] or ""},
        res=res,
        tables=result_tables(res),
        flow_svgs=charts.flow_charts(res),
        rates_svg=charts.rates_chart(res),
        cohort_svg=charts.cohort_chart(res),
        table_titles=TABLE_TITLES,
        **page,
    )


@web.get("/results/export/<table>.csv")
@reports_page
def results_csv(table: str):
    if table not in TABLE_TITLES:
        abort(404)
    try:
        _, filters, res = _filters_and_results(g.web_user)
    except queries.FilterError as e:
        return e.message, 400, {"Content-Type": "text/plain; charset=utf-8"}
    record_report(g.web_user, "export", res["youth_count"], f"csv={table} from={filters['from']} to={filters['to']}")
    db.session.commit()
    title, headers, rows = result_tables(res)[table]
    return csv_response(headers, rows, f"trinvis-{table}-{filters['from']}-{filters['to']}.csv")


# ---- programme catalogue -------------------------------------------------------------------


@web.get("/programmes")
@login_required
def programme_list():
    if g.web_user.role == Role.YOUTH:
        return forbid("Tilbudsviften er for medarbejdere.")
    programmes, orgs = pages.catalogue()
    return render_template(
        "programmes/catalogue.html",
        programmes=programmes,
        orgs=orgs,
        may_edit=service.may_edit_catalogue(g.web_user),
        effect_labels=reports.EFFECT_LABELS_DA,
        weekday_names=forms.WEEKDAY_NAMES,
        anchor_da=anchor_da,
        **common(),
    )


def _programme_form(programme):
    user = g.web_user
    if not service.may_edit_catalogue(user):
        return forbid("Kun koordinatorer og administratorer kan redigere tilbudsviften.")
    orgs = pages.organizations()
    errors: dict = {}
    if request.method == "POST":
        values = {**request.form.to_dict(), "target_groups": request.form.getlist("target_groups")}
        data, errors = forms.parse_programme(request.form, {o.id for o in orgs})
        if not errors:
            try:
                service.save_programme(user, programme, data)
                db.session.commit()
                return redirect(url_for("programmes.programme_list"))
            except service.ServiceError as e:
                db.session.rollback()
                errors["name"] = str(e)
    else:
        values = forms.programme_to_form(programme) if programme else {"active": "on"}
    return render_template(
        "programmes/programme_form.html",
        programme=programme,
        values=values,
        errors=errors,
        orgs=orgs,
        effect_choices=forms.EFFECT_CHOICES,
        effect_rows=forms.effect_row_count(values),
        target_group_choices=[t.value for t in TargetGroup],
        **common(),
    ), 400 if errors else 200


@web.route("/programmes/new", methods=["GET", "POST"])
@login_required
def programme_new():
    return _programme_form(None)


@web.route("/programmes/<programme_id>/edit", methods=["GET", "POST"])
@login_required
def programme_edit(programme_id: str):
    programme = pages.programme(programme_id)
    if programme is None:
        abort(404)
    return _programme_form(programme)


# ---- a young person's programmes and status history -----------------------------------------


_NOT_COORDINATOR = "Kun den unges koordinator kan tilmelde forløb og registrere målgruppe og status."


def _youth_or_404(youth_id: str):
    youth = pages.visible_youth(g.web_user, youth_id)
    if youth is None:
        abort(404)
    return youth


def _youth_page(youth, errors: dict | None = None, values: dict | None = None, status: int = 200):
    ctx = pages.youth_history(g.web_user, youth)
    if status == 200:
        db.session.commit()  # the audited read
    return render_template(
        "programmes/youth.html",
        errors=errors or {},
        values=values or {},
        may_record=service.may_record(g.web_user, youth.id),
        target_group_choices=[t.value for t in TargetGroup],
        outcome_choices=[o.value for o in Outcome],
        today=clock.today().isoformat(),
        **ctx,
        **common(),
    ), status


def _refused(youth, errors: dict, values: dict):
    """The page again with the errors; the failed write is rolled back, the read still audited."""
    db.session.rollback()
    page = _youth_page(youth, errors, values, 400)
    db.session.commit()
    return page


@web.get("/programmes/youth/<youth_id>")
@login_required
def youth_programmes(youth_id: str):
    if g.web_user.role not in REPORT_ROLES:
        return forbid("Kun medarbejdere kan se forløb og status.")
    return _youth_page(_youth_or_404(youth_id))


@web.post("/programmes/youth/<youth_id>/enrol")
@login_required
def youth_enrol(youth_id: str):
    youth = _youth_or_404(youth_id)
    if not service.may_record(g.web_user, youth.id):
        return forbid(_NOT_COORDINATOR)
    errors: dict = {}
    values = request.form.to_dict()
    programme = pages.programme(values.get("programme_id"))
    if programme is None:
        errors["programme_id"] = "Vælg et forløb."
    start = forms.parse_date(values.get("start_date"), "start_date", errors)
    planned = forms.parse_date(values.get("planned_end_date"), "planned_end_date", errors, required=False)
    if errors:
        return _refused(youth, errors, values)
    note, visibility = (values.get("note") or "")[:2000], values.get("visibility") or None
    try:
        enrolment = service.enrol(g.web_user, youth.id, programme, start, planned, note, visibility=visibility)
    except service.ServiceError as e:
        return _refused(youth, {"enrol": str(e)}, values)
    db.session.commit()
    _warn_clashes(youth.id, enrolment)
    return redirect(url_for("programmes.youth_programmes", youth_id=youth.id))


def _warn_clashes(youth_id: str, enrolment) -> None:
    """Warn, as the activity form does, when the programme's activities overlap the young person's
    other activities (e.g. treatment at the same hour); the enrolment is kept."""
    from backend.web.plan import clash_note

    note = clash_note(youth_id, set(enrolment.activity_ids or []))
    if note:
        flash(note.replace("aktiviteten overlapper", "forløbets aktiviteter overlapper", 1), "warning")


@web.post("/programmes/youth/<youth_id>/enrolments/<enrolment_id>/end")
@login_required
def youth_end_enrolment(youth_id: str, enrolment_id: str):
    youth = _youth_or_404(youth_id)
    if not service.may_record(g.web_user, youth.id):
        return forbid(_NOT_COORDINATOR)
    enrolment = pages.visible_enrolment(g.web_user, youth, enrolment_id)
    if enrolment is None:
        abort(404)
    errors: dict = {}
    values = {**request.form.to_dict(), "enrolment_id": enrolment.id}
    end = forms.parse_date(values.get("actual_end_date"), "actual_end_date", errors)
    if errors:
        return _refused(youth, errors, values)
    try:
        service.end_enrolment(g.web_user, enrolment, end, values.get("end_reason") or "")
    except service.ServiceError as e:
        return _refused(youth, {"actual_end_date": str(e)}, values)
    db.session.commit()
    return redirect(url_for("programmes.youth_programmes", youth_id=youth.id))


@web.post("/programmes/youth/<youth_id>/<kind>")
@login_required
def youth_history(youth_id: str, kind: str):
    if kind not in ("target-group", "outcome"):
        abort(404)
    youth = _youth_or_404(youth_id)
    col = "target_group" if kind == "target-group" else "outcome"
    if not service.may_record(g.web_user, youth.id):
        return forbid(_NOT_COORDINATOR)
    data, errors = forms.parse_history(request.form, col)
    if not errors:
        try:
            record = service.record_target_group if col == "target_group" else service.record_outcome
            record(g.web_user, youth.id, data["value"], data["valid_from"], data["note"])
            db.session.commit()
            return redirect(url_for("programmes.youth_programmes", youth_id=youth.id))
        except service.ServiceError as e:
            errors["value"] = str(e)
    values = {f"{col}_{k}": v for k, v in request.form.to_dict().items()}
    return _refused(youth, {f"{col}_{k}": v for k, v in errors.items()}, values)


def register(app) -> None:
    from backend.extensions import csrf
    from backend.programmes import api_views, monthly_views  # noqa: F401 - their routes join the blueprints

    csrf.exempt(api)
    app.register_blueprint(web)
    app.register_blueprint(api)
