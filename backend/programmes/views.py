"""Blueprints: the results page and programme pages (session login) and the reports API (bearer)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from backend import audit, clock
from backend.access import can_see_youth
from backend.auth import token_required
from backend.errors import ApiError
from backend.extensions import db
from backend.models import Organization, User, Youth
from backend.programmes import charts, forms, queries, reports, service
from backend.programmes.models import Enrolment, OutcomeChange, Programme, TargetGroupChange
from backend.programmes.tables import TABLE_TITLES, anchor_da, result_tables, to_csv
from backend.web.common import login_required
from shared.enums import Outcome, Role, TargetGroup, label_da

web = Blueprint("programmes", __name__, template_folder="templates")
api = Blueprint("reports_api", __name__, url_prefix="/api/v1/reports")

REPORT_ROLES = (Role.COORDINATOR, Role.MENTOR, Role.PARTNER)


@web.context_processor
def _layout():
    # The caseworker pages' base.html when present, else a plain page of our own.
    return {"layout": current_app.jinja_env.select_template(["base.html", "programmes/_standalone.html"])}


# ---- page helpers (session login: backend.web.common.login_required) ------------------------


def _forbid(message: str):
    return render_template("error.html", status=403, message=message), 403


def _common() -> dict:
    return {"user": g.web_user, "label_da": label_da}


# ---- results page --------------------------------------------------------------------------


@web.get("/results")
@login_required
def results_page():
    user = g.web_user
    if user.role not in REPORT_ROLES:
        return _forbid("Resultater er for medarbejdere med adgang til unge.")
    programmes = db.session.scalars(select(Programme).order_by(Programme.name)).all()
    args = {k: request.args.get(k, "") for k in ("from", "to", "programme")}
    try:
        filters = queries.parse_filters(args, clock.today())
    except queries.FilterError as e:
        return render_template(
            "programmes/results.html",
            error=e.message,
            error_field=e.field,
            args=args,
            programmes=programmes,
            res=None,
            **_common(),
        ), 400
    res = queries.compute_results(user, filters, clock.today())
    audit.record(
        user,
        "read",
        entity="report",
        count=res["youth_count"],
        detail=f"results from={filters['from']} to={filters['to']} programme={filters['programme_id']}",
        channel="web",
    )
    db.session.commit()
    args = {"from": filters["from"], "to": filters["to"], "programme": filters["programme_id"] or ""}
    return render_template(
        "programmes/results.html",
        error=None,
        error_field=None,
        args=args,
        programmes=programmes,
        res=res,
        tables=result_tables(res),
        flow_svgs=charts.flow_charts(res),
        rates_svg=charts.rates_chart(res),
        cohort_svg=charts.cohort_chart(res),
        table_titles=TABLE_TITLES,
        **_common(),
    )


@web.get("/results/export/<table>.csv")
@login_required
def results_csv(table: str):
    user = g.web_user
    if user.role not in REPORT_ROLES:
        return _forbid("Resultater er for medarbejdere med adgang til unge.")
    if table not in TABLE_TITLES:
        abort(404)
    try:
        args = {k: request.args.get(k, "") for k in ("from", "to", "programme")}
        filters = queries.parse_filters(args, clock.today())
    except queries.FilterError as e:
        return Response(e.message, status=400, mimetype="text/plain")
    res = queries.compute_results(user, filters, clock.today())
    audit.record(
        user,
        "export",
        entity="report",
        count=res["youth_count"],
        detail=f"csv={table} from={filters['from']} to={filters['to']}",
        channel="web",
    )
    db.session.commit()
    title, headers, rows = result_tables(res)[table]
    name = f"trinvis-{table}-{filters['from']}-{filters['to']}.csv"
    return Response(
        to_csv(title, headers, rows),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# ---- programme catalogue -------------------------------------------------------------------


@web.get("/programmes")
@login_required
def programme_list():
    if g.web_user.role == Role.YOUTH:
        return _forbid("Tilbudsviften er for medarbejdere.")
    programmes = db.session.scalars(select(Programme).order_by(Programme.active.desc(), Programme.name)).all()
    orgs = {o.id: o.name for o in db.session.scalars(select(Organization))}
    return render_template(
        "programmes/catalogue.html",
        programmes=programmes,
        orgs=orgs,
        may_edit=service.may_edit_catalogue(g.web_user),
        effect_labels=reports.EFFECT_LABELS_DA,
        weekday_names=forms.WEEKDAY_NAMES,
        anchor_da=anchor_da,
        **_common(),
    )


def _programme_form(programme: Programme | None):
    user = g.web_user
    if not service.may_edit_catalogue(user):
        return _forbid("Kun koordinatorer og administratorer kan redigere tilbudsviften.")
    orgs = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    errors: dict = {}
    if request.method == "POST":
        values = {**request.form.to_dict(), "target_groups": request.form.getlist("target_groups")}
        data, errors = forms.parse_programme(request.form, {o.id for o in orgs})
        if not errors:
            try:
                service.save_programme(user, programme, data)
                return redirect(url_for("programmes.programme_list"))
            except service.ServiceError as e:
                db.session.rollback()
                errors["name"] = str(e)
    else:
        values = forms.programme_to_form(programme) if programme else {"active": "on"}
    status = 400 if errors else 200
    return render_template(
        "programmes/programme_form.html",
        programme=programme,
        values=values,
        errors=errors,
        orgs=orgs,
        effect_choices=forms.EFFECT_CHOICES,
        effect_rows=forms.effect_row_count(values),
        target_group_choices=[t.value for t in TargetGroup],
        **_common(),
    ), status


@web.route("/programmes/new", methods=["GET", "POST"])
@login_required
def programme_new():
    return _programme_form(None)


@web.route("/programmes/<programme_id>/edit", methods=["GET", "POST"])
@login_required
def programme_edit(programme_id: str):
    programme = db.session.get(Programme, programme_id[:36])
    if programme is None:
        abort(404)
    return _programme_form(programme)


# ---- a young person's programmes and status history -----------------------------------------


_NOT_COORDINATOR = "Kun den unges koordinator kan tilmelde forløb og registrere målgruppe og status."


def _youth_or_404(youth_id: str) -> Youth:
    youth = db.session.get(Youth, youth_id[:36])
    if youth is None or youth.deleted or not can_see_youth(g.web_user, youth.id):
        abort(404)
    return youth


def youth_programme_context(user: User, youth: Youth) -> dict:
    """Enrolments and history of one young person (the common plan page can render these too)."""
    enrolments = [
        e
        for e in db.session.scalars(
            select(Enrolment).where(Enrolment.youth_id == youth.id).order_by(Enrolment.start_date.desc())
        )
        if service.may_see_enrolment(user, e)
    ]
    tg = db.session.scalars(
        select(TargetGroupChange)
        .where(TargetGroupChange.youth_id == youth.id)
        .order_by(TargetGroupChange.valid_from.desc(), TargetGroupChange.recorded_at.desc())
    ).all()
    oc = db.session.scalars(
        select(OutcomeChange)
        .where(OutcomeChange.youth_id == youth.id)
        .order_by(OutcomeChange.valid_from.desc(), OutcomeChange.recorded_at.desc())
    ).all()
    user_ids = {e.recorded_by_user_id for e in (*enrolments, *tg, *oc)} - {None}
    names = (
        {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
        if user_ids
        else {}
    )
    programmes = {p.id: p for p in db.session.scalars(select(Programme))}
    audit.record(
        user, "read", youth_id=youth.id, entity="enrolment", count=len(enrolments) + len(tg) + len(oc), channel="web"
    )
    db.session.commit()
    return {
        "youth": youth,
        "enrolments": enrolments,
        "target_groups": tg,
        "outcomes": oc,
        "names": names,
        "programmes": programmes,
        "end_reasons": service.END_REASONS,
    }


def _youth_page(youth: Youth, errors: dict | None = None, values: dict | None = None, status: int = 200):
    ctx = youth_programme_context(g.web_user, youth)
    return render_template(
        "programmes/youth.html",
        errors=errors or {},
        values=values or {},
        may_record=service.may_record(g.web_user, youth.id),
        target_group_choices=[t.value for t in TargetGroup],
        outcome_choices=[o.value for o in Outcome],
        today=clock.today().isoformat(),
        **ctx,
        **_common(),
    ), status


@web.get("/programmes/youth/<youth_id>")
@login_required
def youth_programmes(youth_id: str):
    if g.web_user.role not in REPORT_ROLES:
        return _forbid("Kun medarbejdere kan se forløb og status.")
    return _youth_page(_youth_or_404(youth_id))


@web.post("/programmes/youth/<youth_id>/enrol")
@login_required
def youth_enrol(youth_id: str):
    youth = _youth_or_404(youth_id)
    if not service.may_record(g.web_user, youth.id):
        return _forbid(_NOT_COORDINATOR)
    errors: dict = {}
    values = request.form.to_dict()
    programme = db.session.get(Programme, (values.get("programme_id") or "")[:36])
    if programme is None:
        errors["programme_id"] = "Vælg et forløb."
    start = forms.parse_date(values.get("start_date"), "start_date", errors)
    planned = forms.parse_date(values.get("planned_end_date"), "planned_end_date", errors, required=False)
    if not errors:
        try:
            enrolment = service.enrol(
                g.web_user,
                youth.id,
                programme,
                start,
                planned,
                (values.get("note") or "")[:2000],
                visibility=values.get("visibility") or None,
            )
            _warn_clashes(youth.id, enrolment)
            return redirect(url_for("programmes.youth_programmes", youth_id=youth.id))
        except service.ServiceError as e:
            db.session.rollback()
            errors["enrol"] = str(e)
    return _youth_page(youth, errors, values, 400)


def _warn_clashes(youth_id: str, enrolment: Enrolment) -> None:
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
        return _forbid(_NOT_COORDINATOR)
    enrolment = db.session.get(Enrolment, enrolment_id[:36])
    if enrolment is None or enrolment.youth_id != youth.id or not service.may_see_enrolment(g.web_user, enrolment):
        abort(404)
    errors: dict = {}
    values = request.form.to_dict()
    end = forms.parse_date(values.get("actual_end_date"), "actual_end_date", errors)
    if not errors:
        try:
            service.end_enrolment(g.web_user, enrolment, end, values.get("end_reason") or "")
            return redirect(url_for("programmes.youth_programmes", youth_id=youth.id))
        except service.ServiceError as e:
            db.session.rollback()
            errors["actual_end_date"] = str(e)
    values["enrolment_id"] = enrolment.id
    return _youth_page(youth, errors, values, 400)


@web.post("/programmes/youth/<youth_id>/<kind>")
@login_required
def youth_history(youth_id: str, kind: str):
    if kind not in ("target-group", "outcome"):
        abort(404)
    youth = _youth_or_404(youth_id)
    col = "target_group" if kind == "target-group" else "outcome"
    if not service.may_record(g.web_user, youth.id):
        return _forbid(_NOT_COORDINATOR)
    data, errors = forms.parse_history(request.form, col)
    if not errors:
        try:
            record = service.record_target_group if col == "target_group" else service.record_outcome
            record(g.web_user, youth.id, data["value"], data["valid_from"], data["note"])
            return redirect(url_for("programmes.youth_programmes", youth_id=youth.id))
        except service.ServiceError as e:
            db.session.rollback()
            errors["value"] = str(e)
    values = {f"{col}_{k}": v for k, v in request.form.to_dict().items()}
    return _youth_page(youth, {f"{col}_{k}": v for k, v in errors.items()}, values, 400)


# ---- JSON API for the municipality's BI ------------------------------------------------------

API_TABLES = ("monthly", "cohorts", "attendance", "agreements", "assessments_on_time", "progression")


def _api_results() -> dict:
    if g.user.role not in REPORT_ROLES:
        raise ApiError(403, "forbidden", "Resultater er for medarbejdere med adgang til unge.")
    args = {k: v for k, v in request.args.items() if k in ("from", "to", "programme")}
    try:
        filters = queries.parse_filters(args, clock.today())
    except queries.FilterError as e:
        raise ApiError(400, "invalid_filter", e.message, {e.field or "filter": [e.message]}) from None
    res = queries.compute_results(g.user, filters, clock.today())
    audit.record(
        g.user,
        "read",
        entity="report",
        count=res["youth_count"],
        detail=f"api results from={filters['from']} to={filters['to']}",
        channel="api",
    )
    db.session.commit()
    return res


@api.get("/results")
@token_required
def api_results():
    """Every figure of the results page, with the definitions in `definitions`."""
    res = _api_results()
    res["definitions"] = definitions()
    return res


@api.get("/<table>")
@token_required
def api_table(table: str):
    if table == "programmes":
        return {
            "programmes": [programme_json(p) for p in db.session.scalars(select(Programme).order_by(Programme.name))]
        }
    if table not in API_TABLES:
        raise ApiError(404, "not_found", f"Ukendt rapport. Findes: results, programmes, {', '.join(API_TABLES)}.")
    res = _api_results()
    return {"filters": res["filters"], "today": res["today"], "youth_count": res["youth_count"], table: res[table]}


def programme_json(p: Programme) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "description": p.description,
        "organization_id": p.organization_id,
        "capacity": p.capacity,
        "team_size": p.team_size,
        "hours_per_week": p.hours_per_week,
        "start_rule": p.start_rule,
        "active": p.active,
        "duration_weeks": p.duration_weeks,
        "target_group_text": p.target_group_text,
        "target_groups": p.target_groups,
        "goals": p.goals,
        "sub_goals": p.sub_goals,
        "content": p.content,
        "mechanisms": p.mechanisms,
        "follow_on": p.follow_on,
        "phases": [
            {"position": ph.position, "name": ph.name, "weeks": ph.weeks, "description": ph.description}
            for ph in p.phases
        ],
        "expected_effects": [
            {
                "outcome": e.outcome,
                "share": e.share_pct / 100,
                "weeks_after_start": e.weeks_after_start,
                "measure_date": e.measure_date.isoformat() if e.measure_date else None,
                "anchor_text": e.anchor_text,
            }
            for e in p.effects
        ],
        "activities": [
            {
                "title": a.title,
                "weekdays": a.weekdays,
                "start_time": a.start_time,
                "end_time": a.end_time,
                "location": a.location,
                "phase": a.phase_position,
            }
            for a in p.activities
        ],
    }


def definitions() -> dict:
    return {
        "self_supporting": sorted(reports.SELF_SUPPORTING),
        "active": "Status 'active' mindst én dag i måneden (status er seneste registrering i udfaldshistorikken; "
        "en ung følges fra planens start, første tilmelding eller første registrering).",
        "outflow": "Skift fra 'active' til et andet udfald dateret i måneden.",
        "self_supporting_after_6m": "Andel af dem, der gik ud i måneden (fraflyttede ikke medregnet), som er "
        "selvforsørgende 6 kalendermåneder efter afgangsdagen.",
        "cohort": "Tilmeldinger til samme forløb med start i samme måned; hver deltager måles på egen startdato "
        "+ N uger; fraflyttede tælles ikke med.",
        "attendance_rate": "(mødt + mødt for sent) / alle fremmøderegistreringer med status.",
        "kept_agreement_rate": "holdt / (holdt + ikke holdt) for aftaler med frist i måneden.",
        "assessment_on_time": f"Indsendt senest {reports.ON_TIME_DAYS} dage efter forfaldsdatoen.",
        "progression_change": "Gennemsnit af (seneste − første) score pr. område for unge med mindst to "
        "indsendte målinger af samme bedømmer.",
    }


def register(app) -> None:
    from backend.extensions import csrf
    from backend.programmes import monthly_views  # noqa: F401 - its routes join the `web` blueprint

    csrf.exempt(api)
    app.register_blueprint(web)
    app.register_blueprint(api)
