"""The database cache of a city (issue 21, item 4): Django's ``DatabaseCache`` with one query per
write and culling without a ``COUNT(*)`` on every write.

Django's table cache runs ``SELECT COUNT(*)`` of the whole table before every write and then a
``SELECT`` and an ``INSERT`` or ``UPDATE``; at its default size (300 entries, a third culled
when full) a city's 400 active kindergartens evict each other's indicators within minutes.
This one writes with one upsert (``INSERT … ON CONFLICT``, PostgreSQL and SQLite alike), and
every ``CULL_EVERY`` writes of a process it deletes the expired entries and counts what is
left; only when that exceeds ``MAX_ENTRIES`` (settings: ``DJANGO_CACHE_MAX_ENTRIES``, sized
for the number of institutions, docs/deployment.md) does it cull the oldest-expiring
``1/CULL_FREQUENCY``. Reads are Django's.
"""

import base64
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CULL_EVERY = 200


class CityDatabaseCache(DatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        options = params.get("OPTIONS", {})
        self.cull_every = int(options.get("CULL_EVERY", CULL_EVERY))
        self._writes = 0

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        now = tz_now().replace(microsecond=0)
        if timeout is None:  # as Django's table cache stores «never»
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = expires.replace(microsecond=0)
        stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        expires_db = connection.ops.adapt_datetimefield_value(expires)
        now_db = connection.ops.adapt_datetimefield_value(now)
        self._writes += 1
        if self._writes % self.cull_every == 1 or self.cull_every == 1:
            self._cull_if_full(connection, table, now_db)
        # ``table`` is the quoted name of the settings' table; every value goes as a parameter.
        with connection.cursor() as cursor:
            if mode == "touch":
                cursor.execute(
                    f"UPDATE {table} SET expires = %s WHERE cache_key = %s AND expires >= %s",  # noqa: S608
                    [expires_db, key, now_db],
                )
                return bool(cursor.rowcount)
            # «add» writes only over a missing or expired entry; «set» always.
            condition = f" WHERE {table}.expires < %s" if mode == "add" else ""
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "  # noqa: S608
                f"ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, "
                f"expires = excluded.expires{condition}",
                [key, stored, expires_db, *([now_db] if mode == "add" else [])],
            )
            return bool(cursor.rowcount)

    def _cull_if_full(self, connection, table, now_db) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now_db])  # noqa: S608
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            count = cursor.fetchone()[0]
            if count <= self._max_entries or not self._cull_frequency:
                return
            cursor.execute(
                f"DELETE FROM {table} WHERE cache_key IN (SELECT cache_key FROM {table} "  # noqa: S608
                "ORDER BY expires LIMIT %s)",
                [max(count // self._cull_frequency, count - self._max_entries)],
            )
