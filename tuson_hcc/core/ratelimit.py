"""A limit of N attempts per window, held in the shared cache so every worker and server counts together.

Each attempt claims one of N numbered slots with `cache.add`, which is atomic on every backend the
project uses (a primary-key insert in the database cache, SET NX in Redis): two workers can never
claim the same slot, so exactly N attempts pass whatever the number of workers. A slot frees itself
one window after it was claimed, so at most N attempts pass in any window.
"""

from django.core.cache import cache


def rate_limit_allows(key: str, *, limit: int, window_seconds: int) -> bool:
    """Claim one attempt for `key`; False once `limit` attempts were made in the last `window_seconds`."""
    slots = [f"ratelimit:{key}:{n}" for n in range(limit)]
    taken = cache.get_many(slots)
    for slot in slots:
        if slot not in taken and cache.add(slot, 1, window_seconds):
            return True
    return False
