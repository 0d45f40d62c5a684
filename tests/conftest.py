import os

import pytest

from tests.factories import build_world

# Playwright's sync API runs an event loop in the test thread (TOOLCHAIN.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):
    return build_world()


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_user(client):
    """as_user(world.curator) -> a test client logged in as that user."""

    def login(user):
        return client_for(client, user)

    return login
