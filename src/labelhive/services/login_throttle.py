"""Login throttling: a run of wrong passwords for one account, or from one address, pauses its logins.

Failures are counted in a sliding window. An account is paused after ACCOUNT_LIMIT failures (whoever sent
them), an address after ADDRESS_LIMIT (whatever emails it tried): the first stops guessing one password,
the second stops one machine trying many accounts. A paused login is refused before its password is
checked, so a flood costs no hashing. The counts live in this process: with several web processes each
keeps its own, which multiplies the allowance by their number but still bounds it.
"""
import threading
import time
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
