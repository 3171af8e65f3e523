"""The per-project key-value store behind `self.get`/`self.set`: a SQLite file in the model directory, so every
model instance (one per request) and every worker process sees the same model version and settings."""
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

_created: set[str] = set()
_lock = threading.Lock()


def model_dir() -> Path:
    """MODEL_DIR, as in label-studio-ml-backend; `labelhive ml start DIR` sets it to DIR."""
    return Path(os.environ.get("MODEL_DIR") or ".")


def _connect() -> sqlite3.Connection:
    path = model_dir().resolve() / "cache.db"
    if str(path) in _created:
        return sqlite3.connect(path, timeout=30, isolation_level=None)
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS cache (project_id TEXT, key TEXT, value TEXT, "
                     "PRIMARY KEY (project_id, key))")
        _created.add(str(path))
    return conn


def get(project_id: str, key: str) -> str | None:
    with closing(_connect()) as conn:
        row = conn.execute("SELECT value FROM cache WHERE project_id = ? AND key = ?", (project_id, key)).fetchone()
    return row[0] if row else None


def set(project_id: str, key: str, value) -> None:
    with closing(_connect()) as conn:
        conn.execute("INSERT INTO cache (project_id, key, value) VALUES (?, ?, ?) "
                     "ON CONFLICT (project_id, key) DO UPDATE SET value = excluded.value",
                     (project_id, key, None if value is None else str(value)))


def has(project_id: str, key: str) -> bool:
    return get(project_id, key) is not None


def values(key: str) -> dict[str, str]:
    """{project_id: value} of one key across projects (e.g. every project's model version)."""
    with closing(_connect()) as conn:
        return dict(conn.execute("SELECT project_id, value FROM cache WHERE key = ?", (key,)).fetchall())
