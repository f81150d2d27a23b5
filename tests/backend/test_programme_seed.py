"""The demo's programme history (backend/programmes/seed.py): no enrolment the enrolment form
would refuse (issue 16 item 18: one ended before it started), and a re-run writes nothing new."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.extensions import db
from backend.models import RecordHistory
from backend.programmes.models import Enrolment
from backend.programmes.service import ServiceError, check_enrolment_dates


def test_demo_enrolments_pass_the_forms_date_rules_and_a_rerun_writes_nothing(app):
    from backend.seed import seed_demo

    with app.app_context():
        seed_demo()
        enrolments = db.session.scalars(select(Enrolment)).all()
        assert len(enrolments) >= 36
        wrong = [
            (e.id, e.start_date, e.planned_end_date, e.actual_end_date)
            for e in enrolments
            if (e.actual_end_date and e.actual_end_date < e.start_date) or e.planned_end_date < e.start_date
        ]
        assert wrong == []
        before = db.session.scalar(select(func.count()).select_from(RecordHistory))
        seed_demo()
        assert db.session.scalar(select(func.count()).select_from(RecordHistory)) == before


def test_the_date_rules_refuse_an_end_before_the_start(app):
    from datetime import date

    import pytest

    with app.app_context():
        check_enrolment_dates(date(2026, 1, 5), date(2026, 4, 26), date(2026, 2, 1))
        for args in [
            (date(2026, 1, 5), date(2026, 1, 4), None),
            (date(2026, 1, 5), date(2026, 4, 26), date(2026, 1, 4)),
            (date(1800, 1, 5), None, None),
        ]:
            with pytest.raises(ServiceError):
                check_enrolment_dates(*args)
