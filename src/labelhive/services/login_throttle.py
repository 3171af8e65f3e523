"""Login throttling: a run of wrong passwords for one account, or from one address, pauses its logins.

Failures are counted in a sliding window. An account is paused after ACCOUNT_LIMIT failures (whoever sent
them), an address after ADDRESS_LIMIT (whatever emails it tried): the first stops guessing one password,
the second stops one machine trying many accounts. A paused login is refused before its password is
checked, so a flood costs no hashing. The counts live in this process, or with LABELHIVE_REDIS_URL in Redis,
where every web process shares them (otherwise several processes multiply the allowance by their number).
"""
import threading
import time
import uuid
from collections import deque

WINDOW_S = 15 * 60
ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 50
_MAX_KEYS = 100_000


class LoginThrottle:
    def __init__(self, window_s: float = WINDOW_S, account_limit: int = ACCOUNT_LIMIT,
                 address_limit: int = ADDRESS_LIMIT):
        self.window_s = window_s
        self.limits = {"account": account_limit, "address": address_limit}
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float] | None:
        times = self._failures.get(key)
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def retry_after(self, email: str, address: str) -> int:
        """Seconds until a login for this account from this address may be tried; 0 when it may now."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key in (("account", email), ("address", address)):
                times = self._recent(key, now)
                limit = self.limits[key[0]]
                if times is not None and len(times) >= limit:
                    wait = max(wait, times[len(times) - limit] + self.window_s - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, email: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > _MAX_KEYS:
                self._failures.clear()
            for key in (("account", email), ("address", address)):
                self._recent(key, now)
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(("account", email), None)


class SharedLoginThrottle:
    """The same rules, counted in Redis: one sorted set of failure times per account and per address."""

    def __init__(self, url: str, window_s: float = WINDOW_S, account_limit: int = ACCOUNT_LIMIT,
                 address_limit: int = ADDRESS_LIMIT):
        from redis import Redis

        self.redis = Redis.from_url(url)
        self.window_s = window_s
        self.limits = {"account": account_limit, "address": address_limit}

    @staticmethod
    def _key(kind: str, value: str) -> str:
        return f"labelhive:login-failures:{kind}:{value}"

    def retry_after(self, email: str, address: str) -> int:
        now = time.time()
        wait = 0.0
        for kind, value in (("account", email), ("address", address)):
            key, limit = self._key(kind, value), self.limits[kind]
            pipe = self.redis.pipeline()
            pipe.zremrangebyscore(key, 0, now - self.window_s)
            pipe.zrange(key, -limit, -limit, withscores=True)
            pipe.zcard(key)
            _, oldest_counted, count = pipe.execute()
            if count >= limit and oldest_counted:
                wait = max(wait, oldest_counted[0][1] + self.window_s - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, email: str, address: str) -> None:
        now = time.time()
        pipe = self.redis.pipeline()
        for kind, value in (("account", email), ("address", address)):
            key = self._key(kind, value)
            pipe.zadd(key, {f"{now}:{uuid.uuid4().hex[:8]}": now})
            pipe.expire(key, int(self.window_s) + 1)
        pipe.execute()

    def succeeded(self, email: str) -> None:
        self.redis.delete(self._key("account", email))


def make(redis_url: str | None):
    return SharedLoginThrottle(redis_url) if redis_url else LoginThrottle()
