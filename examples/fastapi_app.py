"""rehabcore inside a FastAPI application: one transaction for the app's rows and the case record, an outbox.

The application has its own engine and its own table (``app_intake``: when and through which channel a
request came in). ``POST /cases`` writes its intake row and opens the case in **one** transaction: if a rule
refuses the command, neither the row nor any event is kept. A follower thread publishes every event, as a
CloudEvent, into the app's outbox table (``app_outbox``), exactly once, with its checkpoint in the same
transaction; a relay would send those rows to a broker and mark them sent. ``docs/embedding.md`` explains
each step.

Endpoints are plain ``def``: FastAPI runs them in its thread pool, so the blocking database calls never
stall the event loop (size the pool to those threads, see the docs).

Run it with ``python examples/fastapi_app.py`` (needs ``fastapi`` and ``httpx``: the ``dev`` extra); it
serves nothing, it sends three requests with FastAPI's TestClient and prints what happened. Call
``create_app(url)`` from your own server (``uvicorn``) to serve it.

(No ``from __future__ import annotations`` here: FastAPI reads the endpoint's annotations at run time.)
"""

import datetime as dt
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel
from rehabcore_sqlalchemy import SqlEventStore

import rehabcore as rc
from rehabcore.cases import Recorded
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.integration import Subscription, follow, runner, to_json

# --- the application's own tables (its own Alembic would manage them; include_object keeps ours out) ---

app_metadata = sa.MetaData()
intake = sa.Table(
    "app_intake",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.Uuid, nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
)
outbox = sa.Table(
    "app_outbox",
    app_metadata,
    sa.Column("id", sa.String(250), primary_key=True),  # the CloudEvent id: a consumer's dedupe key
    sa.Column("type", sa.String(100), nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("sent", sa.Boolean, nullable=False, default=False),
)


#: The CloudEvents ``source`` of this application's events.
SOURCE = "/ame"


def write_outbox(events: Sequence[Recorded], conn: sa.Connection) -> None:
    """The subscription's handler: runs in the transaction that moves its checkpoint."""
    rows = [
        {
            "id": f"{r.stream_id}/{r.version}",
            "type": type(r.event).__name__,
            "body": to_json(r, source="/ame"),
        }
        for r in events
    ]
    conn.execute(outbox.insert(), rows)


class OpenCaseIn(BaseModel):
    subject_id: uuid.UUID
    opened_on: dt.date
    channel: str = "web"
    case_id: uuid.UUID | None = None


def create_app(url: str, *, poll_interval: float = 0.5) -> FastAPI:
    """The application on the database at ``url`` (SQLite file or PostgreSQL)."""
    engine = sa.create_engine(url, pool_size=5, max_overflow=5)  # the application's own engine
    store = SqlEventStore(engine)  # rehabcore installs its settings on it, or refuses it
    app_metadata.create_all(engine)
    actor = rc.Actor(id="intake-service", role=v.Role.CASE_WORKER, unit="AME")
    publisher = runner(store, Subscription("app-outbox", write_outbox))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        stop = threading.Event()
        follower = threading.Thread(
            target=follow, args=(publisher, stop), kwargs={"poll_interval": poll_interval}, daemon=True
        )
        follower.start()
        yield
        stop.set()
        follower.join()
        store.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/cases", status_code=201)
    def open_case(body: OpenCaseIn) -> dict[str, Any]:
        case_id = body.case_id or rc.new_case_id()
        command = cmd.OpenCase(
            case_id=case_id,
            subject_id=body.subject_id,
            opened_on=body.opened_on,
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.SELF,
        )
        try:
            with store.transaction() as conn:  # one unit of work: the app's row and the events
                conn.execute(intake.insert().values(case_id=case_id, channel=body.channel))
                handled = rc.Cases(store.using(conn)).handle(command, actor=actor)
        except rc.RuleViolation as refused:  # rolled back: no intake row, no event
            raise HTTPException(409, detail={"rule": refused.rule_id, "message": refused.message}) from None
        return {"case_id": str(case_id), "position": handled.appended[0].position}

    @app.get("/outbox")
    def pending() -> list[dict[str, Any]]:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(outbox.c.id, outbox.c.type).where(~outbox.c.sent).order_by(outbox.c.id)
            )
            return [{"id": row.id, "type": row.type} for row in rows]

    @app.get("/intake")
    def intake_rows() -> list[dict[str, str]]:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(intake.c.case_id, intake.c.channel).order_by(intake.c.id))
            return [{"case_id": str(row.case_id), "channel": row.channel} for row in rows]

    return app


def wait_for_outbox(client: TestClient, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
    """The outbox once the follower has published ``count`` events (or whatever it holds at the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        rows: list[dict[str, Any]] = client.get("/outbox").json()
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def main(url: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(url or f"sqlite:///{Path(folder) / 'app.sqlite'}", poll_interval=0.1)
        with TestClient(app) as client:
            case_id = str(uuid.uuid4())
            body = {"subject_id": str(uuid.uuid4()), "opened_on": "2026-03-02", "case_id": case_id}
            print("open:", client.post("/cases", json=body).status_code)
            again = client.post("/cases", json={**body, "channel": "phone"})
            print("open again:", again.status_code, again.json()["detail"]["rule"])
            print("intake rows:", len(client.get("/intake").json()))  # the refused request left none
            print("outbox:", [row["type"] for row in wait_for_outbox(client, 1)])


if __name__ == "__main__":
    main()
