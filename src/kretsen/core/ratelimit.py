"""A small fixed-window rate limit on the shared cache (Redis in production)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def hit(bucket: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; return True while the attempts in this window stay within ``limit``.

    Keys are hashed so that no e-mail address or IP address is stored in the cache in clear.
    """
    digest = hashlib.sha256(f"{bucket}:{key}".encode()).hexdigest()
    cache_key = f"rl:{bucket}:{digest}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
