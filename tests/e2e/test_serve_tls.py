"""`corridor serve --tls-cert --tls-key`: HTTPS with uvicorn's TLS, and a warning without it."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner

from corridor.entrypoints.cli.listening import Listening
from corridor.entrypoints.cli.main import app

runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, signed by its own key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "corridor test")])
    now = dt.datetime.now(dt.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def ledger(tmp_path: Path) -> tuple[str, Path, str]:
    """A ledger with the East Aleppo operation, its key file and a coordinator token."""
    db, key = f"sqlite:///{tmp_path / 'corridor.db'}", tmp_path / "corridor.key"
    cli("init", "--db", db, "--key-file", str(key))
    cli("ops", "open", "aleppo", "east-aleppo-2016", "--db", db)
    token = cli("users", "add", "-o", "aleppo", "-r", "coordinator", "--db", db).strip()
    return db, key, token


def serve(db: str, key: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "corridor.entrypoints.api", "--db", db]
    command += ["--key-file", str(key), *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def https(tmp_path: Path, ledger: tuple[str, Path, str]) -> Iterator[tuple[str, Path, str]]:
    """A server on HTTPS with a self-signed certificate: its URL, the certificate, a token."""
    db, key, token = ledger
    cert, private = self_signed(tmp_path)
    port = _free_port()
    process = serve(
        db, key, "--port", str(port), "--tls-cert", str(cert), "--tls-key", str(private)
    )
    url = f"https://127.0.0.1:{port}"
    trust = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                httpx.get(f"{url}/openapi.json", verify=trust)
                break
            except httpx.HTTPError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        yield url, cert, token
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_the_server_speaks_https_and_its_session_cookie_is_secure(
    https: tuple[str, Path, str],
) -> None:
    """Over TLS the API answers, sign-in sets a Secure HttpOnly cookie, plain HTTP gets nothing."""
    url, cert, token = https
    trust = ssl.create_default_context(cafile=str(cert))
    with httpx.Client(base_url=url, verify=trust) as client:
        assert client.get("/openapi.json").status_code == 200
        page = client.get("/")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        assert "secure" in page.headers["set-cookie"].lower()
        signed = client.post(
            "/signin", data={"token": token, "csrf": csrf.group(1)}, follow_redirects=False
        )
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"].lower()
        assert "secure" in cookie
        assert "httponly" in cookie
    with pytest.raises(httpx.HTTPError):
        httpx.get(url.replace("https", "http") + "/openapi.json", timeout=5)


def test_serving_beyond_loopback_without_tls_says_so(ledger: tuple[str, Path, str]) -> None:
    """`--host 0.0.0.0` without TLS starts with a warning that tokens travel in clear text."""
    db, key, _ = ledger
    process = serve(db, key, "--host", "0.0.0.0", "--port", str(_free_port()))
    try:
        assert process.stderr is not None
        seen = []
        for line in process.stderr:
            seen.append(line)
            if line.startswith("warning:") or len(seen) > 20:
                break
        assert any(line.startswith("warning: serving on 0.0.0.0 without TLS") for line in seen), (
            seen
        )
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.mark.parametrize(
    ("host", "tls", "warned"),
    [
        ("127.0.0.1", False, False),
        ("localhost", False, False),
        ("::1", False, False),
        ("0.0.0.0", False, True),
        ("192.168.1.20", False, True),
        ("0.0.0.0", True, False),
    ],
)
def test_only_a_clear_text_listener_beyond_loopback_is_warned(
    host: str, tls: bool, warned: bool
) -> None:
    """Loopback or TLS is quiet; any other address without TLS is warned."""
    cert = Path("cert.pem") if tls else None
    assert (Listening(host, 8443, cert, cert).warning() is not None) is warned


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tls-cert", "cert.pem"], "--tls-cert needs --tls-key"),
        (["--tls-key", "key.pem"], "--tls-key needs --tls-cert"),
    ],
)
def test_half_a_tls_pair_is_refused_before_starting(args: list[str], message: str) -> None:
    """One TLS file without the other is an error naming both options, exit 2."""
    result = runner.invoke(app, ["serve", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_a_certificate_that_is_not_one_is_refused(tmp_path: Path) -> None:
    """Files that do not load as a certificate and key are refused, naming the options."""
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    result = runner.invoke(app, ["serve", "--tls-cert", str(junk), "--tls-key", str(junk)])
    assert result.exit_code == 2
    assert "do not load as a certificate" in result.output
