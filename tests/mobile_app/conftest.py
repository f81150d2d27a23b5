"""Fixtures for the app's tests. Async view tests run on anyio's pytest plugin (asyncio)."""

import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"
