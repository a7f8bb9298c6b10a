"""An API over a real database with one token per role, for the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from corridor.entrypoints.api.app import create_app
from corridor.entrypoints.api.context import ApiContext, open_context
from corridor.protection.access import AccessRole
from corridor.protection.keys import MasterKey
from corridor.services.access_tokens import issue_token

OPERATION = "east-aleppo-2016"


@dataclass
class ApiWorld:
    client: TestClient
    context: ApiContext
    tokens: dict[AccessRole, str]

    def headers(self, role: AccessRole, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    def post(self, role: AccessRole, path: str, body: Any = None, key: str | None = None) -> Any:
        return self.client.post(path, json=body, headers=self.headers(role, key))

    def get(self, role: AccessRole, path: str, **params: Any) -> Any:
        return self.client.get(path, params=params, headers=self.headers(role))

    def ok(self, response: Any) -> Any:
        assert response.status_code < 300, response.text
        return response.json()

    def refused(self, response: Any) -> Any:
        """A command the deal refused: recorded, answered 409 with the decision."""
        assert response.status_code == 409, response.text
        body = response.json()
        assert body["ok"] is False, body
        assert body["status"] == 409, body
        return body


@contextmanager
def api_world(db_url: str, open_operation: bool = True) -> Iterator[ApiWorld]:
    """A served API on `db_url`, tokens for every role, the operation opened."""
    context = open_context(db_url, MasterKey.generate())
    tokens = {
        role: issue_token(context.tokens, OPERATION, role, f"{role} desk")[0] for role in AccessRole
    }
    with TestClient(create_app(context), raise_server_exceptions=False) as client:
        world = ApiWorld(client, context, tokens)
        if open_operation:
            world.ok(
                world.post(
                    AccessRole.COORDINATOR,
                    "/operations",
                    {"id": OPERATION, "scenario": "east-aleppo-2016"},
                )
            )
        yield world
    context.close()
