"""The reports API for the municipality's BI (bearer token): every figure of the results page,
one table at a time, and the catalogue — with the definitions of what is counted."""

from __future__ import annotations

from flask import g, request

from backend import clock
from backend.auth import token_required
from backend.errors import ApiError
from backend.extensions import db
from backend.programmes import pages, queries, reports
from backend.programmes.blueprints import NO_ACCESS, REPORT_ROLES, api, record_report
from backend.programmes.models import Programme

API_TABLES = ("monthly", "cohorts", "attendance", "agreements", "assessments_on_time", "progression")


def _api_results() -> dict:
    if g.user.role not in REPORT_ROLES:
        raise ApiError(403, "forbidden", NO_ACCESS)
    args = {k: v for k, v in request.args.items() if k in ("from", "to", "programme")}
    try:
        filters = queries.parse_filters(args, clock.today())
    except queries.FilterError as e:
        raise ApiError(400, "invalid_filter", e.message, {e.field or "filter": [e.message]}) from None
    res = queries.compute_results(g.user, filters, clock.today())
    record_report(g.user, "read", res["youth_count"], f"api results from={filters['from']} to={filters['to']}", "api")
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
        return {"programmes": [programme_json(p) for p in pages.programmes_by_name()]}
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
