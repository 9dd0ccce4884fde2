"""The plain-SQL queries in ``docs/projections.md`` run on the read-model tables of the demo and give what
``ReadModels`` gives: occupancy, LSS decisions never executed, exits per quarter. On SQLite as written, and
on PostgreSQL with the variants the queries' comments name."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rehabcore_sqlalchemy.store import SqlEventStore

import rehabcore as rc
from rehabcore import demo
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.projections import ReadModels, Runner

DOC = Path(__file__).resolve().parents[2] / "docs" / "projections.md"
QUERIES = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
DATES = [demo.START + dt.timedelta(days=n) for n in range(30, 730, 50)] + [demo.REFOCUS, demo.END]
# What the comments say to write on PostgreSQL instead.
POSTGRES = (
    (
        "min(date(d.decided_on, '+3 months'), "
        "date(d.decided_on, 'start of month', '+4 months', '-1 day')) <= :on",
        "d.decided_on + interval '3 months' <= CAST(:on AS date)",
    ),
    (
        "strftime('%Y', exit_on) || '-Q' || ((CAST(strftime('%m', exit_on) AS INTEGER) + 2) / 3)",
        "to_char(exit_on, 'YYYY-\"Q\"Q')",
    ),
)


def _query(n: int, dialect: str) -> sa.TextClause:
    # Without the comments, where SQLAlchemy would take ``:on`` for a parameter too.
    text = re.sub(r"--[^\n]*", "", QUERIES[n])
    if dialect == "postgresql":
        for sqlite, postgres in POSTGRES:
            if sqlite in text:
                text = text.replace(sqlite, postgres)
    return sa.text(text.strip().rstrip(";"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, sa.Engine, ReadModels]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('doc-sql') / 'demo.sqlite'}"
    else:
        url = request.getfixturevalue("pg_module_url")
    store = rc.open_store(url)
    demo.build(store, seed=2284, people=80)
    _waiting_for_daily_activity(store)
    runner = Runner(store)
    runner.catch_up()
    assert isinstance(store, SqlEventStore)
    engine = store.engine
    yield request.param, engine, ReadModels(runner.target)
    runner.target.close()
    store.close()


@pytest.fixture(scope="module")
def pg_module_url(postgres_url: str) -> Iterator[str]:
    """A schema of its own for this module's demo (the per-test ``pg_url`` is function-scoped)."""
    schema = f"doc_sql_{uuid.uuid4().hex}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_url else "?"
    yield f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.dispose()


def _waiting_for_daily_activity(store: rc.EventStore) -> None:
    """People granted LSS daily activity who never get a place (the demo executes every LSS decision); one
    of them's case is closed a year later, the decision still in force (no longer on the list)."""
    for n in range(2):
        _granted_and_never_placed(store, uuid.UUID(int=0x5EE + 16 * n), closed=bool(n))


def _granted_and_never_placed(store: rc.EventStore, case_id: uuid.UUID, *, closed: bool) -> None:
    cases = rc.Cases(store, today=lambda: demo.END)
    actor = rc.Actor(id="lss-9", role=v.Role.LSS_OFFICER, unit="LSS")
    day = dt.date(2025, 1, 15)
    commands: list[cmd.Command] = [
        cmd.CloseCase(case_id=case_id, closed_on=day + dt.timedelta(days=365), reason=v.CloseReason.MOVED)
    ]
    for command in (
        cmd.OpenCase(
            case_id=case_id,
            subject_id=uuid.UUID(int=case_id.int + 1),
            opened_on=day,
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.SELF,
        ),
        cmd.AssessNeeds(
            case_id=case_id,
            assessment_id=uuid.UUID(int=case_id.int + 2),
            assessed_on=day,
            method=v.AssessmentMethod.IBIC,
            life_areas=(v.LifeArea.WORK_AND_EDUCATION,),
            participation=v.Participation.FULL,
            personkrets=v.Personkrets.GROUP_1,
        ),
        cmd.ReceiveApplication(  # an LSS insats is decided on request (LSS 8 §, #12)
            case_id=case_id,
            application_id=uuid.UUID(int=case_id.int + 4),
            received_on=day,
            applicant=v.Applicant.PERSON,
            requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            form=v.ApplicationForm.WRITTEN,
        ),
        cmd.MakeDecision(
            case_id=case_id,
            decision_id=uuid.UUID(int=case_id.int + 3),
            decided_on=day,
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
            service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            valid_from=day,
            personkrets=v.Personkrets.GROUP_1,
            application_id=uuid.UUID(int=case_id.int + 4),
        ),
        *(commands if closed else []),
    ):
        cases.handle(command, actor=actor)


def test_the_doc_has_the_four_queries() -> None:
    assert len(QUERIES) == 4
    assert "rehabcore_rm_unit_capacity" in QUERIES[0]
    assert "rehabcore_rm_exec_decision" in QUERIES[1]
    assert "rehabcore_rm_exit" in QUERIES[2]
    assert (
        "rehabcore_rm_unit_visit_month" in QUERIES[3]
    )  # #18: run in tests/projections/test_open_activities.py


def test_occupancy_in_plain_sql(demo_db: tuple[str, sa.Engine, ReadModels]) -> None:
    dialect, engine, models = demo_db
    with engine.connect() as conn:
        for on in DATES:
            rows = conn.execute(_query(0, dialect), {"on": on}).all()
            assert [tuple(r) for r in rows] == [(r.unit, r.places, r.occupied) for r in models.occupancy(on)]


def test_lss_decisions_never_executed_in_plain_sql(demo_db: tuple[str, sa.Engine, ReadModels]) -> None:
    dialect, engine, models = demo_db
    seen = 0
    with engine.connect() as conn:
        for on in DATES:
            rows = conn.execute(_query(1, dialect), {"on": on}).all()
            got = {(str(r.case_stream), str(r.decision_id).replace("-", "")) for r in rows}
            expected = {
                (rc.case_stream(w.case_id), w.decision_id.hex)
                for w in models.execution_watch(on)
                if w.law == "LSS" and w.state == "not_executed"
            }
            assert got == expected, on
            seen += len(got)
    assert seen, "the demo has LSS decisions waiting 90 days or more on some date: the query was tried"


def test_exits_per_quarter_in_plain_sql(demo_db: tuple[str, sa.Engine, ReadModels]) -> None:
    dialect, engine, models = demo_db
    with engine.connect() as conn:
        rows = conn.execute(_query(2, dialect)).all()
    expected: Counter[tuple[str, str]] = Counter()
    for e in models.outcomes(demo.END + dt.timedelta(days=3650), "quarter").exits:
        if e.destination != "other":  # a closing without an exit has no row in rehabcore_rm_exit
            expected[(e.period, e.destination)] += e.exits
    assert {(r[0], r[1]): r[2] for r in rows} == dict(expected)
    assert sum(expected.values()) > 10
