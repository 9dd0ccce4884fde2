"""examples/fastapi_app.py, driven through FastAPI's TestClient on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fastapi_app", ROOT / "examples" / "fastapi_app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("backend", ["sqlite_url", "pg_url"])
def test_the_app_handles_a_command_in_its_transaction_and_publishes_to_its_outbox(
    backend: str, request: pytest.FixtureRequest
) -> None:
    example = _example()
    app = example.create_app(str(request.getfixturevalue(backend)), poll_interval=0.05)
    with TestClient(app) as client:
        body = {"subject_id": str(uuid.uuid4()), "opened_on": "2026-03-02", "case_id": str(uuid.uuid4())}
        created = client.post("/cases", json=body)
        assert created.status_code == 201 and created.json()["position"] == 1
        refused = client.post("/cases", json={**body, "channel": "phone"})
        assert refused.status_code == 409 and refused.json()["detail"]["rule"] == "B2"
        # The refused request's intake row was rolled back with it: one row, from the first request.
        assert client.get("/intake").json() == [{"case_id": body["case_id"], "channel": "web"}]
        other = client.post("/cases", json={**body, "case_id": str(uuid.uuid4())})
        assert other.status_code == 201
        outbox = example.wait_for_outbox(client, 2)
        assert [row["id"] for row in outbox] == sorted(
            [f"case-{body['case_id']}/1", f"case-{other.json()['case_id']}/1"]
        )
        assert {row["type"] for row in outbox} == {"CaseOpened"}
