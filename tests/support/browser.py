"""Debian's Chromium, driven by Playwright, for tests of pages people open.

Playwright's own browser downloads are not used: the tests drive the
`chromium` Debian package (`scripts/system-deps` installs it in CI) through
`executable_path`. The flags keep a headless Chromium off the network it
would otherwise try to reach at start, which this machine refuses.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> Path | None:
    """The Chromium binary, from CORRIDOR_CHROMIUM or the PATH; None when absent."""
    given = os.environ.get("CORRIDOR_CHROMIUM")
    if given:
        return Path(given)
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None
