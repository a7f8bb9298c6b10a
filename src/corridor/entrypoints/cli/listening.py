"""Where `corridor serve` listens and whether over TLS: checked before the server starts.

Tokens and session cookies travel on every request, so a server reachable
beyond this machine without TLS hands them to anyone on the network. Serving
on a loopback address is fine (a reverse proxy in front terminates TLS); on
any other address without `--tls-cert`/`--tls-key` the server still starts,
for a closed field network, but says so. A certificate and key that do not
load, or do not pair, are refused here with the option named, rather than
as a traceback from inside uvicorn.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import InvalidInput

__all__ = ["Listening", "listening"]

LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})


@dataclass(frozen=True)
class Listening:
    """The address, port and TLS files the server is started with."""

    host: str
    port: int
    cert: Path | None = None
    key: Path | None = None

    @property
    def tls(self) -> bool:
        return self.cert is not None

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def loopback(self) -> bool:
        if self.host in LOOPBACK_NAMES:
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def warning(self) -> str | None:
        """What to say when tokens would cross a network in clear text; None when they do not."""
        if self.tls or self.loopback:
            return None
        return (
            f"serving on {self.host} without TLS: tokens and session cookies cross the network "
            "in clear text; give --tls-cert and --tls-key, or listen on 127.0.0.1 behind a "
            "reverse proxy that terminates TLS (docs/deploy.md)"
        )


def listening(host: str, port: int, cert: Path | None, key: Path | None) -> Listening:
    """The checked listening address: both TLS files or neither, and they load as a pair."""
    if (cert is None) != (key is None):
        given, missing = ("--tls-cert", "--tls-key") if cert else ("--tls-key", "--tls-cert")
        raise InvalidInput(f"{given} needs {missing} too")
    if cert is not None and key is not None:
        for option, path in (("--tls-cert", cert), ("--tls-key", key)):
            if not path.is_file():
                raise InvalidInput(f"{option}: {path} is not a file")
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
        except (ssl.SSLError, OSError) as error:
            raise InvalidInput(
                f"--tls-cert {cert} and --tls-key {key} do not load as a certificate and its "
                f"key ({error.__class__.__name__}: {error.args[-1] if error.args else error})"
            ) from None
    return Listening(host, port, cert, key)
