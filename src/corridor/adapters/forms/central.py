"""Submissions pulled from ODK Central's OData feed with pyodk, ODK's own client.

pyodk reads its settings from a TOML file by default; here it is given them
in memory (`Config`, which pyodk's client accepts for callers that already
hold the credentials) with a session that has no cache file, so neither the
password nor the session token is written to disk. The feed is
`/v1/projects/N/forms/ID.svc/Submissions`, read a page at a time
(`$top`/`$skip`) until a page comes back short. The tests run this against
a stand-in HTTP server that speaks that documented shape (log in at
`/v1/sessions`, then the OData table), not against a real Central.
"""

from __future__ import annotations

from typing import Any

from corridor.adapters.forms.submission_files import submissions_from_records
from corridor.errors import InvalidInput
from corridor.services.form_imports import Submission

__all__ = ["PAGE", "pull_submissions"]

PAGE = 1000
"""Submissions asked for per request."""


def pull_submissions(
    url: str, project: int, form: str, user: str, password: str, page: int = PAGE
) -> list[Submission]:
    """Every submission of form `form` in project `project` on the Central server at `url`."""
    from pyodk import Client
    from pyodk._utils.config import CentralConfig, Config
    from pyodk._utils.session import Session
    from pyodk.errors import PyODKError

    if not user or not password:
        raise InvalidInput("--central: give the Central user and password (see docs/forms.md)")
    config = Config(central=CentralConfig(base_url=url, username=user, password=password))
    # No cache path: the session token stays in memory (pyodk would keep it in ~/).
    session = Session(base_url=url, api_version="v1", username=user, password=password)
    records: list[Any] = []
    try:
        with Client(config=config, session=session, project_id=project) as client:
            while True:
                table = client.submissions.get_table(
                    form_id=form, project_id=project, skip=len(records), top=page
                )
                found = list(table.get("value", []))
                records += found
                if len(found) < page:
                    break
    except PyODKError as error:
        raise InvalidInput(f"--central {url}: {_first_line(error)}") from None
    except OSError as error:
        raise InvalidInput(f"--central {url}: cannot reach the server ({error})") from None
    return submissions_from_records(records)


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or ["request failed"])[0][:300]
