"""Settings from LABELHIVE_* environment variables (Label Studio's names accepted too) and CLI flags."""
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .storage.local import protect


def _env(*names: str, default: str | None = None) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value not in (None, ""):
            return value
    return default


def _truthy(value) -> bool:
    return str(value).lower() not in ("0", "false", "no", "off")


def _open_signup_from_env() -> bool | None:
    ours = _env("LABELHIVE_OPEN_SIGNUP")
    if ours is not None:
        return _truthy(ours)
    theirs = _env("LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK")
    return None if theirs is None else not _truthy(theirs)


def default_data_dir() -> Path:
    return Path(_env("LABELHIVE_DATA_DIR", default=str(Path.home() / ".local/share/labelhive")))


@dataclass
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    host: str = "localhost"
    port: int = 8080
    max_upload_mb: float = 250.0
    username: str | None = None
    password: str | None = None
    user_token: str | None = None
    secret_key: str | None = None
    # Local directories attached to projects must be under this root (Label Studio: LOCAL_FILES_DOCUMENT_ROOT).
    local_files_root: Path = field(default_factory=Path.home)
    local_files_serving: bool = True
    # Sign-up without an invite link once the first account exists (Label Studio:
    # LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK=false). Off: a server anyone can reach gets no strangers.
    open_signup: bool = False
    # A project this big that is sorted or filtered by a data field gets an index for it (services/data_indexes.py).
    data_index_min_tasks: int = 20_000
    # How long background work stays "running" without its process renewing it (services/leases.py): after a
    # crash, it is marked failed this long after the last renewal.
    job_lease_s: float = 60.0
    # An export snapshot of a project up to this size is written before POST /exports answers, as Label Studio
    # does; bigger ones are written by a worker while the client polls.
    sync_export_tasks: int = 10_000
    # Background jobs go to Redis queues served by `labelhive worker` processes (queues.py); unset, they run
    # on the web process's own threads.
    redis_url: str | None = None
    # Export files also kept in S3-compatible storage (s3://bucket/prefix), for web and worker machines that
    # share no disk (services/shared_files.py).
    media_url: str | None = None

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).expanduser().resolve()
        self.local_files_root = Path(self.local_files_root).expanduser().resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'labelhive.sqlite3'}"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = {
            "data_dir": _env("LABELHIVE_DATA_DIR"),
            "database_url": _env("LABELHIVE_DATABASE_URL"),
            "host": _env("LABELHIVE_HOST"),
            "port": _env("LABELHIVE_PORT"),
            "max_upload_mb": _env("LABELHIVE_MAX_UPLOAD_MB"),
            "username": _env("LABELHIVE_USERNAME", "LABEL_STUDIO_USERNAME"),
            "password": _env("LABELHIVE_PASSWORD", "LABEL_STUDIO_PASSWORD"),
            "user_token": _env("LABELHIVE_USER_TOKEN", "LABEL_STUDIO_USER_TOKEN"),
            "secret_key": _env("LABELHIVE_SECRET_KEY"),
            "local_files_root": _env("LABELHIVE_LOCAL_FILES_ROOT", "LOCAL_FILES_DOCUMENT_ROOT"),
            "local_files_serving": _env("LABELHIVE_LOCAL_FILES_SERVING_ENABLED", "LOCAL_FILES_SERVING_ENABLED"),
            "data_index_min_tasks": _env("LABELHIVE_DATA_INDEX_MIN_TASKS"),
            "job_lease_s": _env("LABELHIVE_JOB_LEASE_S"),
            "sync_export_tasks": _env("LABELHIVE_SYNC_EXPORT_TASKS"),
            "redis_url": _env("LABELHIVE_REDIS_URL"),
            "media_url": _env("LABELHIVE_MEDIA_URL"),
            "open_signup": _open_signup_from_env(),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values = {k: v for k, v in values.items() if v is not None}
        if "port" in values:
            values["port"] = int(values["port"])
        if "local_files_serving" in values:
            values["local_files_serving"] = _truthy(values["local_files_serving"])
        if "open_signup" in values:
            values["open_signup"] = _truthy(values["open_signup"])
        if "data_index_min_tasks" in values:
            values["data_index_min_tasks"] = int(values["data_index_min_tasks"])
        if "sync_export_tasks" in values:
            values["sync_export_tasks"] = int(values["sync_export_tasks"])
        if "job_lease_s" in values:
            values["job_lease_s"] = float(values["job_lease_s"])
        if "max_upload_mb" in values:
            values["max_upload_mb"] = float(values["max_upload_mb"])
        return cls(**values)

    @property
    def queued_lease_s(self) -> float:
        """The lease a job is committed with. On Redis it may wait in the queue while every worker is busy, and
        nobody renews it there: it gets longer, and the worker that takes it shortens it (queues.perform)."""
        return max(600.0, 10 * self.job_lease_s) if self.redis_url else self.job_lease_s

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def export_dir(self) -> Path:
        return self.data_dir / "export"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    def ensure_dirs(self) -> None:
        for d in (self.data_dir, self.media_dir / "upload", self.export_dir):
            d.mkdir(parents=True, exist_ok=True)
        protect(self.data_dir)
        if self.database_url.startswith("sqlite:///") and ":memory:" not in self.database_url:
            db_file = Path(self.database_url.removeprefix("sqlite:///")).resolve()
            protect(db_file.parent, db_file.name)

    def session_secret(self) -> str:
        """A secret kept in the data dir so sessions survive restarts."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        self.secret_key = path.read_text().strip()
        return self.secret_key
