import os

import pytest

from tests.factories import build_world

# Playwright's sync API runs an event loop in the test thread (TOOLCHAIN.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: nothing one test cached, such as the indicators of
    an institution whose id the next test reuses, leaks into another. The content types too:
    a test that flushes the database (the backup tests) creates content types with new ids
    inside its transaction, and the process-wide cache of ContentType would keep those ids
    after the rollback, so the next test's audit entries would name the wrong models."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    cache.clear()
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


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
