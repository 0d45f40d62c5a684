"""The database cache of a city (mentoring_site/lib/cache.py, issue 21 item 4): Django's cache
semantics, one query per write, no COUNT(*) but every CULL_EVERY writes, and a cull that keeps
the entries without an end (the tokens) and drops the soonest to expire."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring_site.lib.cache import CityDatabaseCache


@pytest.fixture(autouse=True)
def table(db):
    # The tests' settings keep the cache in memory: the table is made here, in the test's
    # transaction.
    call_command("createcachetable", "bench_city_cache", verbosity=0)


def make(**options):
    return CityDatabaseCache("bench_city_cache", {"OPTIONS": options, "TIMEOUT": 300})


def test_it_keeps_djangos_semantics():
    cache = make(MAX_ENTRIES=1000)
    assert cache.get("a") is None
    cache.set("a", {"x": 1})
    assert cache.get("a") == {"x": 1}
    cache.set("a", [2])
    assert cache.get("a") == [2]
    assert cache.add("a", 3) is False
    assert cache.get("a") == [2]
    assert cache.add("b", 3) is True
    assert cache.get("b") == 3
    cache.set("c", "gone", timeout=-1)  # already expired: add may write over it
    assert cache.add("c", "new") is True
    assert cache.get("c") == "new"
    cache.set("d", "forever", timeout=None)
    assert cache.get("d") == "forever"
    assert cache.touch("d", 10) is True
    assert cache.touch("missing", 10) is False
    cache.set_many({"e": 1, "f": 2})
    assert cache.get_many(["e", "f"]) == {"e": 1, "f": 2}
    cache.delete("e")
    assert cache.get("e") is None


def test_a_write_is_one_query_without_counting_the_table():
    cache = make(MAX_ENTRIES=1000, CULL_EVERY=50)
    cache.set("first", 1)  # the first write of the process looks at the table's size
    with CaptureQueriesContext(connection) as queries:
        for number in range(20):
            cache.set(f"key{number}", number)
    assert len(queries) == 20
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_the_cull_drops_the_expired_and_the_soonest_to_expire_never_the_tokens():
    cache = make(MAX_ENTRIES=10, CULL_FREQUENCY=2, CULL_EVERY=1)
    cache.set("expired", 0, timeout=-1)
    for number in range(5):
        cache.set(f"token{number}", number, timeout=None)
    for number in range(10):
        cache.set(f"entry{number}", number, timeout=100 + number)
    cache.set("last", "in", timeout=1000)  # 16 entries: over 10, the soonest ones go
    assert cache.get("expired") is None
    assert all(cache.get(f"token{number}") == number for number in range(5))
    assert cache.get("last") == "in"
    assert cache.get("entry0") is None
    assert cache.get("entry9") == 9
