"""A small fixed-window rate limit on the shared cache (Redis in production)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _cache_key(bucket: str, key: str) -> str:
    # Keys are hashed so that no e-mail address or IP address is stored in the cache in clear.
    digest = hashlib.sha256(f"{bucket}:{key}".encode()).hexdigest()
    return f"rl:{bucket}:{digest}"


def hit(bucket: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; return True while the attempts in this window stay within ``limit``."""
    cache_key = _cache_key(bucket, key)
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def exceeded(bucket: str, key: str, limit: int) -> bool:
    """Whether this window already holds ``limit`` attempts, without counting one more.

    For limits counted on failures only (a wrong password), checked before every attempt.
    """
    return int(cache.get(_cache_key(bucket, key), 0)) >= limit
