"""Fixtures shared by the whole suite: the PostgreSQL cluster, Chromium, a fixed clock."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import chromium_path
from tests.support.postgres import Cluster, create_database, postgres_required, throwaway_cluster

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL server for the session; skips locally, fails in CI."""
    try:
        with throwaway_cluster() as cluster:
            yield cluster
    except FileNotFoundError as missing:
        if postgres_required():
            pytest.fail(f"PostgreSQL is required under CI but unavailable: {missing}")
        pytest.skip(f"PostgreSQL not available: {missing}")


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> str:
    """A fresh, empty database on the session cluster (SQLAlchemy URL)."""
    return create_database(postgres_cluster, f"corridor_test_{next(_database_numbers)}")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium binary; skips locally without it, fails in CI."""
    found = chromium_path()
    if found is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("Chromium is required under CI but missing (scripts/system-deps)")
        pytest.skip("chromium is not installed (run scripts/system-deps as root)")
    return found
