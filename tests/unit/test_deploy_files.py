"""The deployment recipe (deploy/): a compose file that validates and an image from registries.

Nothing is built or started here. `docker compose config` checks the compose
file when docker with its compose plugin is on PATH; otherwise the services,
volumes, secrets and images are checked against what docs/deploy.md promises.
The Dockerfile's Debian packages are looked up with apt-cache when this
machine runs the image's Debian release.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PINNED = re.compile(r"^[a-z0-9./-]+:[0-9][A-Za-z0-9.-]*$")


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return data


def docker_compose() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not docker_compose(), reason="docker compose is not installed here")
def test_docker_compose_accepts_the_compose_file() -> None:
    """`docker compose config` parses and resolves the file with a domain set."""
    result = subprocess.run(
        ["docker", "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={"CORRIDOR_DOMAIN": "corridor.example.org", "PATH": "/usr/bin:/usr/local/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_three_services_are_postgres_corridor_and_caddy_with_pinned_images() -> None:
    """Each service has a pinned image (or corridor's build), a restart policy, known keys."""
    services = compose()["services"]
    assert set(services) == {"postgres", "corridor", "caddy"}
    allowed = {
        "image", "build", "restart", "environment", "secrets", "volumes", "healthcheck",
        "depends_on", "ports", "expose",
    }  # fmt: skip
    for name, service in services.items():
        assert set(service) <= allowed, name
        assert service["restart"] == "unless-stopped"
        if name != "corridor":
            assert PINNED.match(service["image"]), service["image"]
    build = services["corridor"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"


def test_only_the_proxy_is_reachable_from_outside_and_corridor_waits_for_its_database() -> None:
    """Caddy publishes 80 and 443; corridor and PostgreSQL publish nothing."""
    services = compose()["services"]
    assert "ports" not in services["corridor"]
    assert "ports" not in services["postgres"]
    assert {p.split(":")[0] for p in services["caddy"]["ports"]} == {"80", "443"}
    assert services["corridor"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    env = services["corridor"]["environment"]
    assert env["CORRIDOR_DB"].startswith("postgresql+psycopg://corridor@postgres:5432/")
    assert env["CORRIDOR_KEY_FILE"].startswith("/keys/")


def test_every_volume_and_secret_a_service_names_is_declared() -> None:
    """Named volumes and secrets used by services exist at the top level, and no more."""
    data = compose()
    used_volumes, used_secrets = set(), set()
    for service in data["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith("."):
                used_volumes.add(source)
        used_secrets |= set(service.get("secrets", []))
    assert used_volumes == set(data["volumes"])
    assert used_secrets == set(data["secrets"])
    assert (DEPLOY / "Caddyfile").is_file()


def test_the_image_is_python_3_11_slim_with_uv_as_the_makefile_pins_it() -> None:
    """FROM python:3.11-slim, the Makefile's uv version, packages only from uv.lock."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim(-\w+)?$", dockerfile, re.M)
    pinned = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M)
    assert pinned is not None
    assert f"ARG UV_VERSION={pinned.group(1)}" in dockerfile
    installs = re.findall(r"^RUN uv sync (.*)$", dockerfile, re.M)
    assert installs
    assert all("--frozen" in line for line in installs)
    assert "curl" not in dockerfile
    assert "wget" not in dockerfile


def _apt_packages(dockerfile: str) -> list[str]:
    block = dockerfile.split("apt-get install -y --no-install-recommends", 1)[1]
    words = block.split("&&", 1)[0].replace("\\", " ").split()
    return [w for w in words if not w.startswith("-")]


def test_the_images_debian_packages_are_in_the_debian_release_it_runs() -> None:
    """Each apt package the Dockerfile installs is known to apt on a machine of that release."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    release = re.search(r"^FROM python:3\.11-slim-(\w+)$", dockerfile, re.M)
    assert release is not None
    os_release = Path("/etc/os-release")
    here = os_release.read_text() if os_release.exists() else ""
    if shutil.which("apt-cache") is None or f"VERSION_CODENAME={release.group(1)}" not in here:
        pytest.skip(f"this machine does not run Debian {release.group(1)} with apt")
    packages = _apt_packages(dockerfile)
    assert "libpango-1.0-0" in packages
    for package in packages:
        shown = subprocess.run(["apt-cache", "show", package], capture_output=True, check=False)
        assert shown.returncode == 0, f"{package} is not a package of Debian {release.group(1)}"
