"""A city's active kindergartens in one cache (issue 21, item 4): are the active ones evicted?

    .venv/bin/python bench/cache.py [--database-url postgres://…/bench] [--institutions 400]
        [--backend city|stock|redis] [--redis-url redis://127.0.0.1:6379/13]

Within the entries' lifetime (here an hour, not the settings' 5 minutes: the question is
eviction, and on a busy machine the first round alone may outlast 5 minutes) it does for each of
the first N kindergartens what a busy hour does: the head's home computes the indicators of the
day (``cached_compute``), the curator's home the roadmap's facts (``cached_facts``), and three
logins (head, curator, mentor) have their navigation context cached (``registry.roles``). Then
it goes round the same kindergartens again and counts what had to be computed anew — an
evicted entry. It prints the entries, the misses of the second round, and the cost of a cache
read and write (wall clock, the median of 200, on the table as the round left it).

Backends: ``city`` the default of the settings (``mentoring_site.lib.cache.CityDatabaseCache``,
sized by ``DJANGO_CACHE_MAX_ENTRIES``); ``stock`` Django's ``DatabaseCache`` as configured
before issue 21 (300 entries, a third culled when full, a ``COUNT(*)`` per write; in a table of
its own, ``bench_stock_cache``, made and dropped here); ``redis``.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mentoring_bench"
STOCK_TABLE = "bench_stock_cache"


def setup(args) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.pop("DJANGO_CACHE_URL", None)
    from django.conf import settings

    if args.backend == "stock":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": STOCK_TABLE,
            }
        }
    elif args.backend == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": args.redis_url,
            }
        }
    import django

    django.setup()
    if args.backend == "stock":
        from django.core.management import call_command

        call_command("createcachetable", STOCK_TABLE, verbosity=0)


def entries(args) -> int | str:
    if args.backend == "redis":
        from django.core.cache import cache

        return cache._cache.get_client().dbsize()
    from django.db import connection

    table = STOCK_TABLE if args.backend == "stock" else "mentoring_cache"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 — our table name
        return cursor.fetchone()[0]


def visit(institution, users, today) -> None:
    """What the homes of one kindergarten read through the cache at a busy hour."""
    from django.test import RequestFactory

    from mentoring_site.lib.academic_year import academic_year_start
    from registry import roles
    from reports import indicators
    from roadmap.progress import cached_facts, stages_with_activities

    year = academic_year_start(today).year
    indicators.cached_compute(institution=institution, year_start=year, on_date=today)
    roadmap = institution.bench_roadmap
    if roadmap is not None:
        measures = {a.measure for s in stages_with_activities(roadmap) for a in s.activities.all()}
        cached_facts(roadmap, today, {m for m in measures if m})
    for user in users:
        request = RequestFactory().get("/")
        request.user = user
        roles.roles_for(request)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--institutions", type=int, default=400)
    parser.add_argument("--backend", choices=["city", "stock", "redis"], default="city")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    setup(args)

    from django.core.cache import cache
    from django.utils import timezone

    from registry import roles
    from registry.models import Organization, User
    from reports import indicators
    from roadmap import progress
    from roadmap.models import Roadmap

    # The question is eviction, not expiry: on a busy machine the first round alone may outlast
    # the five minutes of the entries, so here they last an hour.
    indicators.CACHE_SECONDS = roles.NAV_SECONDS = 3600
    today = timezone.localdate()
    institutions = list(
        Organization.objects.filter(
            kind=Organization.Kind.KINDERGARTEN, short_name__startswith="ДС № "
        ).order_by("short_name")[: args.institutions]
    )
    maps = {r.institution_id: r for r in Roadmap.objects.filter(institution__in=institutions)}
    logins = {}
    for user in User.objects.filter(institution__in=institutions).select_related("institution"):
        if user.username.rsplit("-", 1)[-1] in ("head", "curator", "mentor"):
            logins.setdefault(user.institution_id, []).append(user)
    for institution in institutions:
        institution.bench_roadmap = maps.get(institution.pk)
    cache.clear()

    started = time.monotonic()
    for institution in institutions:
        visit(institution, logins.get(institution.pk, []), today)
    first = time.monotonic() - started

    misses = {"indicators": set(), "roadmap": set(), "navigation": set()}
    compute, compute_facts, navigation = (
        indicators.compute,
        progress.compute_facts,
        roles._compute_navigation,
    )

    def counting(kind, function, key):
        def wrapped(*args, **kwargs):
            misses[kind].add(key(*args, **kwargs))
            return function(*args, **kwargs)

        return wrapped

    indicators.compute = counting("indicators", compute, lambda **kw: kw["institution"].pk)
    progress.compute_facts = counting("roadmap", compute_facts, lambda r, *a, **kw: r.pk)
    roles._compute_navigation = counting("navigation", navigation, lambda user: user.pk)
    started = time.monotonic()
    for institution in institutions:
        visit(institution, logins.get(institution.pk, []), today)
    second = time.monotonic() - started
    indicators.compute, progress.compute_facts = compute, compute_facts
    roles._compute_navigation = navigation

    size = entries(args)
    reads, writes = [], []
    for number in range(200):
        began = time.perf_counter()
        cache.set(f"bench:{number}", {"n": number}, 60)
        writes.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        cache.get(f"bench:{number // 2}")
        reads.append((time.perf_counter() - began) * 1000)
    cache.delete_many([f"bench:{number}" for number in range(200)])
    users = sum(len(v) for v in logins.values())
    print(
        f"{args.backend}: {len(institutions)} учреждений, {users} входов; записей в кэше "
        f"{size}; первый круг {first:.0f} с, второй {second:.0f} с; вычислено заново во втором "
        f"круге: показатели {len(misses['indicators'])}, дорожные карты "
        f"{len(misses['roadmap'])}, навигация {len(misses['navigation'])}; запись "
        f"{statistics.median(writes):.2f} мс, чтение {statistics.median(reads):.2f} мс (медианы)"
    )
    if args.backend == "stock":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {STOCK_TABLE}")  # noqa: S608 — made above
    sys.exit(1 if any(misses.values()) else 0)


if __name__ == "__main__":
    main()
