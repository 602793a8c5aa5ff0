"""Shared fixtures: a real loopback HTTP server and the installed ``newsrack`` command."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from tests.support.commands import NEWSRACK, run_newsrack
from tests.support.httpserver import TestServer


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as running:
        yield running


@pytest.fixture
def newsrack() -> Callable[..., subprocess.CompletedProcess[str]]:
    if not NEWSRACK.exists():
        pytest.skip(f"newsrack is not installed beside {sys.executable}: pip install -e .")
    return run_newsrack
