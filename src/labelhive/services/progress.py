"""How far a running background sync has got, readable by every process that may be asked.

Not in the storage row: the sync is one transaction, and on SQLite it holds the write lock that a progress
update would need. Without Redis, every process of a server shares its data dir (`labelhive start --workers N`,
or several starts on one SQLite file), so progress is a small file there; with Redis, the sync runs in a
`labelhive worker`, perhaps on another machine, and the web processes read its progress from Redis.
"""
import json
import os
from pathlib import Path


class InFiles:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, storage_id: int) -> Path:
        return self.folder / f"{int(storage_id)}.json"

    def update(self, storage_id: int, phase: str, done: int, total: int | None = None) -> None:
        path = self._path(storage_id)
        part = path.with_name(f"{path.name}.{os.getpid()}")
        part.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
        os.replace(part, path)  # a reader sees the old or the new one, never half of one

    def finish(self, storage_id: int) -> None:
        self._path(storage_id).unlink(missing_ok=True)

    def get(self, storage_id: int) -> dict | None:
        try:
            return json.loads(self._path(storage_id).read_text())
        except (OSError, ValueError):
            return None


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


def make(redis_url: str | None, data_dir: Path):
    return OnRedis(redis_url) if redis_url else InFiles(data_dir / "sync-progress")
