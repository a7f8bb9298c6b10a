"""Schemathesis against the published OpenAPI schema: no 5xx, no schema violations.

Every operation gets a bounded number of generated requests on a real SQLite
database with the operation open. The operation in the path is pinned to the
open one and the token's role fits the endpoint, so generated requests reach
the handlers instead of stopping at the access check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

EXAMPLES_PER_OPERATION = 12
MONITOR_PATHS = ("/boarding", "/headcounts", "/arrival", "/resolve")
MONITOR_ONLY = AccessRole.MONITOR
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    """The API on a SQLite file with east-aleppo-2016 opened."""
    path = tmp_path_factory.mktemp("schemathesis") / "corridor.db"
    with api_world(f"sqlite:///{path}") as world:
        yield world


@pytest.mark.slow
def test_no_input_gives_a_server_error_or_breaks_the_schema(served: ApiWorld) -> None:
    """Generated requests to every operation never get a 5xx and match the schema."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", served.client.app)
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/stream"):
            continue  # an event stream never ends; it has its own tests

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def call(case: Any) -> None:
            if case.path_parameters and "operation" in case.path_parameters:
                case.path_parameters["operation"] = OPERATION
            role = MONITOR_ONLY if case.path.endswith(MONITOR_PATHS) else AccessRole.COORDINATOR
            case.call_and_validate(headers=served.headers(role), checks=CHECKS)

        call()
        tried.append(operation.label)
    assert len(tried) >= 20, tried
