"""`corridor forms import --central`: pulled with pyodk from a stand-in for ODK Central.

The stand-in speaks the documented shape of ODK Central's API, nothing more:
`POST /v1/sessions` with e-mail and password gives a bearer token, and
`GET /v1/projects/N/forms/ID.svc/Submissions` with `$top`/`$skip` gives an
OData document. This is what is tested; a real Central is not.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from corridor.adapters.forms.central import pull_submissions
from corridor.entrypoints.cli.main import app
from corridor.errors import InvalidInput

runner = CliRunner()
FORM = "corridor-aleppo-incident"
TABLE = f"/v1/projects/7/forms/{FORM}.svc/Submissions"
USER, PASSWORD, TOKEN = "monitor@example.org", "s3cret", "central-session-token"


class Central(BaseHTTPRequestHandler):
    """The two documented endpoints pyodk uses to read a form's submissions."""

    records: ClassVar[list[dict[str, Any]]] = []
    asked: ClassVar[list[dict[str, list[str]]]] = []

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        sent = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/v1/sessions" and sent == {"email": USER, "password": PASSWORD}:
            self._send(200, {"token": TOKEN, "expiresAt": "2016-12-20T00:00:00.000Z"})
        else:
            self._send(401, {"code": 401.2, "message": "Could not authenticate."})

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(401, {"code": 401.2, "message": "Could not authenticate."})
            return
        if url.path != TABLE:
            self._send(404, {"code": 404.1, "message": "Not found."})
            return
        query = parse_qs(url.query)
        self.asked.append(query)
        skip, top = int(query.get("$skip", ["0"])[0]), int(query.get("$top", ["1000"])[0])
        page = self.records[skip : skip + top]
        context = f"http://central/v1/projects/7/forms/{FORM}.svc/$metadata#Submissions"
        self._send(200, {"@odata.context": context, "value": page})

    def log_message(self, *args: Any) -> None:
        return


def incident(n: int) -> dict[str, Any]:
    return {
        "__id": f"uuid:central-{n}", "corridor_form": "incident",
        "corridor_operation": "aleppo", "kind": "blocked-convoy", "severity": 2,
        "corridor": "ramouseh", "site": "ramouseh", "note": None,
        "meta": {"instanceID": f"uuid:central-{n}"},
        "__system": {"submitterName": "A Monitor", "reviewState": None},
    }  # fmt: skip


@pytest.fixture
def central() -> Iterator[str]:
    """The stand-in on a free loopback port, holding three incident submissions."""
    Central.records = [incident(n) for n in range(1, 4)]
    Central.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Central)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_pulling_reads_every_page_of_the_odata_feed(central: str) -> None:
    """With two submissions a page, three come in two requests, each keyed by its instance."""
    found = pull_submissions(central, 7, FORM, USER, PASSWORD, page=2)
    assert [s.instance for s in found] == ["uuid:central-1", "uuid:central-2", "uuid:central-3"]
    assert [q["$skip"] for q in Central.asked] == [["0"], ["2"]]
    assert "submitterName" not in found[0].fields


def test_a_wrong_password_is_an_error_naming_the_server(central: str) -> None:
    """Central refusing the log-in is a user error, not a traceback."""
    with pytest.raises(InvalidInput, match="--central"):
        pull_submissions(central, 7, FORM, USER, "wrong")


def test_import_from_central_records_each_submission_once(
    central: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI pulls, records three incidents, and a second pull appends nothing."""
    db = f"sqlite:///{tmp_path / 'central.db'}"
    opened = runner.invoke(app, ["ops", "open", "aleppo", "east-aleppo-2016", "--db", db])
    assert opened.exit_code == 0, opened.output
    monkeypatch.setenv("CORRIDOR_CENTRAL_USER", USER)
    monkeypatch.setenv("CORRIDOR_CENTRAL_PASSWORD", PASSWORD)
    pull = ["forms", "import", "--central", central, "--project", "7", "--form", FORM]
    first = runner.invoke(app, [*pull, "--db", db, "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["accepted"] == 3
    second = runner.invoke(app, [*pull, "--db", db, "--json"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["already_had"] == 3
    assert not (Path.home() / ".pyodk_cache.toml").exists()
