"""How far a running background sync has got, readable by every process that may be asked.

Not in the storage row: the sync is one transaction, and on SQLite it holds the write lock that a progress
update would need. Alone (no Redis), the sync runs in the web process and memory is enough; with Redis, the
sync runs in a `labelhive worker` and the web processes read its progress from Redis.
"""
import json


class InMemory:
    def __init__(self):
        self._running: dict[int, dict] = {}

    def update(self, storage_id: int, phase: str, done: int, total: int | None = None) -> None:
        self._running[storage_id] = {"phase": phase, "done": done, "total": total}

    def finish(self, storage_id: int) -> None:
        self._running.pop(storage_id, None)

    def get(self, storage_id: int) -> dict | None:
        return self._running.get(storage_id)


class OnRedis:
    # A sync that dies leaves its key behind: it expires, and the storage row says the sync failed anyway.
    TTL_S = 3600

    def __init__(self, url: str):
        from redis import Redis
        self.redis = Redis.from_url(url)

    @staticmethod
    def _key(storage_id: int) -> str:
        return f"labelhive:sync-progress:{storage_id}"

    def update(self, storage_id: int, phase: str, done: int, total: int | None = None) -> None:
        self.redis.set(self._key(storage_id), json.dumps({"phase": phase, "done": done, "total": total}),
                       ex=self.TTL_S)

    def finish(self, storage_id: int) -> None:
        self.redis.delete(self._key(storage_id))

    def get(self, storage_id: int) -> dict | None:
        raw = self.redis.get(self._key(storage_id))
        return json.loads(raw) if raw else None


def make(redis_url: str | None):
    return OnRedis(redis_url) if redis_url else InMemory()
