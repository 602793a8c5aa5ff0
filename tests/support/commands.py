"""The installed ``newsrack`` command as a user runs it, and a loopback site's config.toml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NEWSRACK = Path(sys.executable).with_name("newsrack")


def run_newsrack(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``newsrack`` console script as a user would."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSRACK_")}
    full_env.update(env or {})
    return subprocess.run(
        [str(NEWSRACK), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        check=False,
    )


def site_config(
    base: str,
    *,
    name: str = "walaw_test",
    parser: str = "walaw",
    extra: str = "",
    fetch_extra: str = "",
) -> str:
    """A config.toml for one site served on loopback."""
    return (
        "[fetch]\nallow_private_networks = true\ndelay = 0\nmax_attempts = 2\ntimeout = 5\n"
        f"{fetch_extra}\n"
        f'[sites.{name}]\nparser = "{parser}"\nstart_urls = ["{base}/"]\n'
        f'timezone = "Africa/Casablanca"\n{extra}\n'
    )
