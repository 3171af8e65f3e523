"""A real `labelhive start` subprocess on a free port, for tests that drive it over HTTP (the SDK tests)."""
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

USERNAME = "admin@example.com"
PASSWORD = "secret-pass"
STARTUP_SECONDS = 30


@dataclass
class LiveServer:
    url: str
    token: str
    process: subprocess.Popen

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Token {self.token}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command(port: int, data_dir: Path, token: str | None, extra_args: tuple = ()) -> list[str]:
    script = Path(sys.executable).with_name("labelhive")
    prefix = [str(script)] if script.exists() else [sys.executable, "-c", "from labelhive.cli import main; main()"]
    first_user = ["--username", USERNAME, "--password", PASSWORD, "--user-token", token] if token else []
    return prefix + ["start", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir), *first_user,
                     *extra_args]


def _wait_healthy(proc: subprocess.Popen, url: str, log: Path) -> bool:
    """True once /health answers; False if the process died (e.g. the port was taken meanwhile)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if httpx.get(f"{url}/health", timeout=1).json() == {"status": "UP"}:
                return True
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    raise RuntimeError(f"labelhive did not become healthy in {STARTUP_SECONDS}s:\n{log.read_text()}")


@contextmanager
def live_server(data_dir: Path, database_url: str | None = None, extra_env: dict | None = None,
                first_user: bool = True, extra_args: tuple = ()):
    """Start the server (SQLite in data_dir unless database_url is given), yield it, stop it. Without
    first_user it starts as `make run` does, with no account: the first person to sign up owns it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex + uuid.uuid4().hex[:8] if first_user else None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABELHIVE_", "LABEL_STUDIO_"))}
    if database_url:
        env["LABELHIVE_DATABASE_URL"] = database_url
    env.update(extra_env or {})
    log = data_dir / "server.log"
    for _attempt in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with open(log, "wb") as out:
            proc = subprocess.Popen(_command(port, data_dir, token, extra_args), env=env, stdout=out, stderr=subprocess.STDOUT)
        if _wait_healthy(proc, url, log):
            break
    else:
        raise RuntimeError(f"labelhive exited during startup:\n{log.read_text()}")
    try:
        yield LiveServer(url=url, token=token, process=proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def pg_schema(base_url: str, name: str):
    """A fresh PostgreSQL schema for one server; yields the URL that makes it the search_path, drops it after."""
    admin_url = base_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(admin_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        sep = "&" if "?" in base_url else "?"
        yield f"{base_url}{sep}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        engine.dispose()
