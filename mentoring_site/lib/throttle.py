"""Counting attempts in a time window, in the cache every server shares (the database table by
default, Redis when configured): a limit holds across workers and servers."""

from django.core.cache import cache


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Counts one attempt under ``key``; False once more than ``limit`` were counted within the
    window that started with the first of them."""
    full_key = f"throttle:{key}"
    if cache.add(full_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(full_key, 1, timeout=window_seconds)
        return True
    return count <= limit


def reached(key: str, *, limit: int) -> bool:
    """Whether ``limit`` attempts are already counted under ``key`` in its current window,
    without counting one: for limits on failures, each counted with ``allow`` when it happens."""
    return (cache.get(f"throttle:{key}") or 0) >= limit
