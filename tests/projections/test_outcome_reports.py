"""Outcomes as municipalities report them (#18): Kolada's result at the end of the municipal labour-market
programme, exits by destination for the people ended in a period, and their status one, six and twelve
months after; on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

import rehabcore as rc
from rehabcore.cli import main
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.projections import CASES, MemoryProjectionStore, ProjectionOutdated, ReadModels, Runner
from rehabcore.projections import read_models as rm
from rehabcore.projections.case_rows import ExitRow

TODAY = dt.date(2027, 3, 1)
ACTOR = rc.Actor(id="hand-7", role=v.Role.CASE_WORKER, unit="AME")
D = v.ExitDestination
PERMANENT, FIXED = v.EmploymentTerm.PERMANENT, v.EmploymentTerm.FIXED_TERM


def _case(n: int) -> uuid.UUID:
    return uuid.UUID(int=0x1800 + n)


def _work(case_id: uuid.UUID, on: dt.date, form: v.EmploymentForm, **extra: object) -> cmd.ExitToWork:
    return cmd.ExitToWork(
        case_id=case_id,
        exit_on=on,
        employment_form=form,
        employer_sector=v.EmployerSector.PRIVATE,
        extent_pct=100,
        **extra,  # type: ignore[arg-type]
    )


def _exits() -> list[cmd.CaseCommand]:
    """Ten people ended in 2026 and one in 2025."""
    may = dt.date(2026, 5, 4)
    two_months = dict(term=FIXED, employment_ends_on=dt.date(2026, 7, 3))
    return [
        # Three to open work lasting two months.
        _work(
            _case(0),
            may,
            v.EmploymentForm.OPEN,
            **two_months,
            income_before=(v.IncomeSource.ECONOMIC_ASSISTANCE,),
            income_after=(v.IncomeSource.SALARY,),
        ),
        _work(_case(1), dt.date(2026, 2, 2), v.EmploymentForm.OPEN, term=PERMANENT),
        _work(
            _case(2),
            dt.date(2026, 11, 30),
            v.EmploymentForm.OPEN,
            term=FIXED,
            employment_ends_on=dt.date(2027, 1, 29),
        ),
        # One to a municipal labour-market employment, one to labour-market training: neither counts.
        _work(_case(3), may, v.EmploymentForm.MUNICIPAL, term=PERMANENT),
        cmd.ExitToStudies(
            case_id=_case(4), exit_on=may, study_kind=v.StudyKind.LABOUR_MARKET_TRAINING, extent_pct=100
        ),
        # Five elsewhere.
        cmd.ExitElsewhere(case_id=_case(5), exit_on=may, destination=D.JOB_SEEKER_AF),
        cmd.ExitElsewhere(case_id=_case(6), exit_on=may, destination=D.SICK_LEAVE),
        cmd.ExitElsewhere(case_id=_case(7), exit_on=may, destination=D.MOVED),
        cmd.ExitElsewhere(case_id=_case(8), exit_on=may, destination=D.AF_PROGRAMME),
        cmd.CloseCase(case_id=_case(9), closed_on=may, reason=v.CloseReason.OWN_CHOICE),
        # Ended in 2025: another year.
        cmd.ExitToStudies(
            case_id=_case(10), exit_on=dt.date(2025, 12, 1), study_kind=v.StudyKind.KOMVUX, extent_pct=50
        ),
    ]


def _record(store: rc.EventStore) -> None:
    cases = rc.Cases(store, today=lambda: TODAY)
    for n in range(11):
        cases.handle(
            cmd.OpenCase(
                case_id=_case(n),
                subject_id=uuid.UUID(int=0x2800 + n),
                opened_on=dt.date(2025, 9, 1),
                jurisdiction=v.Jurisdiction.SE,
                municipality_code="1262",
                source=v.ReferralSource.INCOME_SUPPORT,
            ),
            actor=ACTOR,
        )
    for command in _exits():
        cases.handle(command, actor=ACTOR)
    # Followed up after the exit: the first at one and six months (the case closed in between), the second
    # at one month only.
    cases.handle(
        cmd.CloseCase(case_id=_case(0), closed_on=dt.date(2026, 6, 1), reason=v.CloseReason.EXITED),
        actor=ACTOR,
    )
    for case_id, on, point, activity in (
        (_case(0), dt.date(2026, 6, 4), v.OutcomePoint.ONE_MONTH, v.OutcomeActivity.WORK),
        (_case(0), dt.date(2026, 11, 4), v.OutcomePoint.SIX_MONTHS, v.OutcomeActivity.JOB_SEEKER_AF),
        (_case(5), dt.date(2026, 6, 10), v.OutcomePoint.ONE_MONTH, v.OutcomeActivity.AF_PROGRAMME),
    ):
        cases.handle(
            cmd.RecordOutcomeStatus(
                case_id=case_id,
                followed_up_on=on,
                point=point,
                activity=activity,
                employment_form=v.EmploymentForm.OPEN if activity is v.OutcomeActivity.WORK else None,
                income=(v.IncomeSource.SALARY,) if activity is v.OutcomeActivity.WORK else (),
            ),
            actor=ACTOR,
        )


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[rc.EventStore]:
    if request.param == "memory":
        opened: rc.EventStore = rc.InMemoryStore()
    else:
        opened = rc.open_store(
            request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
        )
    _record(opened)
    yield opened
    opened.close()


def test_ten_people_ended_in_2026_three_to_work_lasting_two_months_is_30_per_cent(
    store: rc.EventStore,
) -> None:
    runner = Runner(store)
    runner.catch_up()
    models = ReadModels(runner.target)
    try:
        result = models.kolada_result(2026)
        assert result == rm.KoladaResult(2026, ended=10, to_work=3, to_studies=0, work_length_unknown=0)
        assert result.share == pytest.approx(0.30)
        assert models.kolada_result(2025) == rm.KoladaResult(2025, 1, 0, 1, 0)  # komvux: student aid
        assert models.kolada_result(2024).share is None

        year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        ended = {(r.destination, r.detail): (r.exits, r.mean_extent_pct) for r in models.ended(*year)}
        assert ended == {
            ("work", "open"): (3, 100.0),
            ("work", "municipal"): (1, 100.0),
            ("studies", "labour_market_training"): (1, 100.0),
            ("job_seeker_af", "-"): (1, None),
            ("sick_leave", "-"): (1, None),
            ("moved", "-"): (1, None),
            ("af_programme", "-"): (1, None),
            ("other", "own_choice"): (1, None),
        }

        status = {(r.point, r.activity): r.people for r in models.status_after_exit(*year, on=TODAY)}
        # Nine people's month has passed with nothing recorded; the 2026-11-30 exit's six months have not.
        assert status[("one_month", "work")] == 1
        assert status[("one_month", "af_programme")] == 1
        assert status[("one_month", "not_followed_up")] == 8
        assert status[("six_months", "job_seeker_af")] == 1
        assert status[("six_months", "not_followed_up")] == 8
        assert status[("twelve_months", "not_followed_up")] == 1  # only the February exit's year is up
        # The same figures from the whole log again.
        fresh = MemoryProjectionStore()
        Runner(store, fresh).rebuild()
        assert ReadModels(fresh).kolada_result(2026) == result
        assert ReadModels(fresh).ended(*year) == models.ended(*year)
    finally:
        runner.target.close()


def test_the_exit_rows_keep_extent_length_and_income_sources(store: rc.EventStore) -> None:
    runner = Runner(store)
    runner.catch_up()
    try:
        by_case = {s.case.case_id: s for s in ReadModels(runner.target).cases()}
        (row,) = by_case[_case(0)].exits
        assert row == ExitRow(
            row.case_stream,
            0,
            dt.date(2026, 5, 4),
            "work",
            employment_form="open",
            extent_pct=100,
            employment_term="fixed_term",
            employment_ends_on=dt.date(2026, 7, 3),
            income_before="economic_assistance",
            income_after="salary",
        )
        (studies,) = by_case[_case(4)].exits
        assert (studies.study_kind, studies.student_aid, studies.extent_pct) == (
            "labour_market_training",
            False,
            100,
        )
    finally:
        runner.target.close()


@pytest.mark.parametrize(
    ("term", "ends_on", "lasting"),
    [
        (PERMANENT, None, True),
        (FIXED, dt.date(2026, 2, 27), True),  # 2026-01-28 to 2026-02-27: a month
        (FIXED, dt.date(2026, 2, 26), False),
        (None, None, None),
    ],
)
def test_work_lasting_a_month_counts_from_the_exit_day(
    term: v.EmploymentTerm | None, ends_on: dt.date | None, lasting: bool | None
) -> None:
    row = ExitRow(
        "c",
        0,
        dt.date(2026, 1, 28),
        "work",
        "open",
        employment_term=term and term.value,
        employment_ends_on=ends_on,
    )
    assert rm.work_lasting_a_month(row) is lasting


def test_stats_shows_the_kolada_measure(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = rc.open_store(sqlite_url)
    _record(store)
    store.close()
    assert (
        main(["stats", "--store", sqlite_url, "--on", "2027-01-15", "--model", "kolada", "--lang", "en"]) == 0
    )
    out = capsys.readouterr().out
    assert "Kolada" in out
    assert "2026" in out and "30.0%" in out
    assert (
        main(["stats", "--store", sqlite_url, "--on", "2027-01-15", "--model", "kolada", "--format", "csv"])
        == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "year,ended,to_work,to_studies,work_length_unknown,share"
    assert lines[1] == "2026,10,3,0,0,0.3"


def test_read_models_stored_before_18_are_upgraded_and_refused_until_rebuilt(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database at projection schema 2: exits without #18's columns, no status or attendance tables."""
    from rehabcore_sqlalchemy.projections import SqlProjectionStore

    store = rc.open_store(sqlite_url)
    _record(store)
    runner = Runner(store)
    runner.catch_up()
    runner.target.close()
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:  # what rehabcore before #18 left behind
        for column in (
            "extent_pct",
            "employment_term",
            "employment_ends_on",
            "student_aid",
            "income_before",
            "income_after",
        ):
            conn.execute(sa.text(f"ALTER TABLE rehabcore_rm_exit DROP COLUMN {column}"))
        conn.execute(sa.text("DROP TABLE rehabcore_rm_outcome_status"))
        conn.execute(sa.text("DROP TABLE rehabcore_rm_attendance"))
        conn.execute(sa.text("UPDATE rehabcore_projection_schema_version SET version = 2"))
        conn.execute(
            sa.text("UPDATE rehabcore_projection_checkpoint SET projection_version = 4 WHERE name = 'cases'")
        )
    engine.dispose()

    upgraded = SqlProjectionStore.from_url(sqlite_url)  # migrates: columns and tables made
    with pytest.raises(ProjectionOutdated):
        list(upgraded.values(CASES))
    upgraded.close()
    assert main(["projections", "rebuild", "--store", sqlite_url]) == 0
    capsys.readouterr()
    assert (
        main(["stats", "--store", sqlite_url, "--on", "2027-01-15", "--model", "kolada", "--format", "csv"])
        == 0
    )
    assert capsys.readouterr().out.strip().splitlines()[1] == "2026,10,3,0,0,0.3"
    store.close()
