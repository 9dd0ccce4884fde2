"""Small shared pieces of the embedding tests: an application table, a command, an actor."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v

ACTOR = rc.Actor(id="hand-042", role=v.Role.CASE_WORKER, unit="AME")
TODAY = dt.date(2026, 4, 1)

#: The host application's own table, in its own metadata (not rehabcore's).
app_metadata = sa.MetaData()
requests = sa.Table(
    "app_requests",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.String(36), nullable=False),
)


def open_case(case_id: uuid.UUID | None = None) -> cmd.OpenCase:
    return cmd.OpenCase(
        case_id=case_id or rc.new_case_id(),
        subject_id=uuid.uuid4(),
        opened_on=dt.date(2026, 3, 2),
        jurisdiction=v.Jurisdiction.SE,
        municipality_code="2284",
        source=v.ReferralSource.INCOME_SUPPORT,
    )


def cases_on(store: rc.EventStore) -> rc.Cases:
    return rc.Cases(store, today=lambda: TODAY)
