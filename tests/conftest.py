import copy
import os

import pytest
from django.db import connection, transaction
from django.db.models.signals import pre_migrate

from tests.database import complete_as_migrated, create_collation
from tests.factories import build_world

# Playwright's sync API runs an event loop in the test thread (TOOLCHAIN.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


pre_migrate.connect(create_collation)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """pytest-django's test database, created from the models (``--no-migrations`` in
    pyproject.toml), then given what the migrations add besides the schema (tests/database.py).
    Run with ``--migrations`` to create it by the real migrations instead."""
    if request.config.getoption("nomigrations"):
        with django_db_blocker.unblock():
            complete_as_migrated()


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


# The longest tests, each moved to the front of its kind (below): with pytest-xdist one worker
# runs it while the other takes the rest, instead of one worker running it alone at the end.
LONGEST_FIRST = [
    "tests/test_form_fuzz.py::test_no_form_and_no_query_string_answers_a_server_error",
    "tests/browser/test_xss_sweep.py::test_stored_payloads_never_run_on_any_page",
]


def _asks_for_the_world(item) -> bool:
    return "module_world" in getattr(item, "fixturenames", ())


def _is_transactional(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "live_server" in names
        or "transactional_db" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )


def _kind(item) -> int:
    """pytest-django's order: 0 database tests, 1 transactional ones, 2 the rest."""
    if _is_transactional(item):
        return 1
    uses_db = "db" in getattr(item, "fixturenames", ()) or item.get_closest_marker("django_db")
    return 0 if uses_db else 2


def pytest_collection_modifyitems(config, items):
    """Two rules of the module's world (``module_world``) on top of pytest-django's order,
    which each pytest-xdist worker keeps (it runs its share of the list in this order):

    - In each module the database tests that do not ask for the world run before those that
      do, so they find the database as they always did, without the world.
    - A module whose tests ask for the world has no transactional test, which would run inside
      the world's open transaction.

    Then the LONGEST_FIRST tests move to the front of their kind."""
    by_module = {}
    for item in items:
        by_module.setdefault(item.path, []).append(item)
    for path, module_items in by_module.items():
        if any(map(_asks_for_the_world, module_items)) and any(
            map(_is_transactional, module_items)
        ):
            raise pytest.UsageError(
                f"{path}: transactional tests beside tests of the module's world; give its "
                "database tests a world of their own (tests/browser/test_xss_sweep.py does)"
            )
    # Runs of consecutive tests of one module, each sorted (a stable sort keeps the rest).
    start = 0
    for end in range(1, len(items) + 1):
        if end == len(items) or items[end].path != items[start].path:
            items[start:end] = sorted(
                items[start:end], key=lambda item: (_kind(item), _asks_for_the_world(item))
            )
            start = end
    for name in LONGEST_FIRST:
        for item in [item for item in items if item.nodeid.split("[")[0] == name]:
            items.remove(item)
            kinds = (i for i, other in enumerate(items) if _kind(other) >= _kind(item))
            front = next(kinds, len(items))  # a run of this test alone: it is the list
            items.insert(front, item)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The test world, built once per test module inside a transaction the module holds open
    and rolls back at its end (pytest-django's blocker lets a module fixture reach the
    database). Each test runs in a savepoint inside it (the ``db`` fixture), rolled back after
    the test, so every test of the module starts from the same untouched world."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world, db):
    """The module's world. Its rows are as built (the previous test's savepoint is rolled
    back); its Python objects are a fresh copy, so an attribute a test changed without saving
    (``world.mentor.email = ...``) does not follow into the next test."""
    closed_before = connection.closed_in_transaction
    yield copy.deepcopy(module_world)
    if connection.closed_in_transaction and not closed_before:
        pytest.fail(
            "The test closed the database connection, and the module's world with it: on "
            "PostgreSQL a response closed a second time (after its content was read) sends "
            "request_finished, which closes a connection inside a transaction."
        )


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
