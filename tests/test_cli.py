"""The labelhive command: start (a real server process), user create|list|reset-password, db upgrade."""
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from click.testing import CliRunner

from labelhive.cli import main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read()}")
        try:
            if httpx.get(url + "/health", timeout=1).json() == {"status": "UP"}:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise AssertionError("server did not become healthy")


def test_start_accepts_label_studio_env_names_and_serves_the_api(tmp_path):
    port = free_port()
    env = {**os.environ, "LABEL_STUDIO_USERNAME": "ml@example.com", "LABEL_STUDIO_PASSWORD": "flowers-123",
           "LABEL_STUDIO_USER_TOKEN": "0123456789abcdef0123456789abcdef01234567"}
    env.pop("LABELHIVE_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-c", "from labelhive.cli import main; main()", "start",
                             "--port", str(port), "--data-dir", str(tmp_path / "data")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://localhost:{port}"
        wait_for_health(base, proc)
        headers = {"Authorization": "Token 0123456789abcdef0123456789abcdef01234567"}
        assert httpx.get(base + "/api/current-user/whoami", headers=headers).json()["email"] == "ml@example.com"
        assert httpx.get(base + "/api/projects").status_code == 401
        assert (tmp_path / "data" / "labelhive.sqlite3").exists()
    finally:
        proc.terminate()
        proc.wait(10)


def run(args, data_dir, input=None):
    result = CliRunner().invoke(main, [*args, "--data-dir", str(data_dir)], input=input,
                                env={"LABELHIVE_DATABASE_URL": ""})
    return result


def test_user_create_list_and_reset_password(tmp_path):
    data = tmp_path / "data"
    created = run(["user", "create", "--email", "ann@example.com", "--password", "first-pass-1",
                   "--token", "feedfacefeedfacefeedfacefeedfacefeedface"], data)
    assert created.exit_code == 0, created.output
    assert "feedfacefeedfacefeedfacefeedfacefeedface" in created.output
    listed = run(["user", "list"], data)
    assert "ann@example.com" in listed.output
    duplicate = run(["user", "create", "--email", "ann@example.com", "--password", "other-pass-1"], data)
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    reset = run(["user", "reset-password", "--email", "ann@example.com", "--password", "second-pass-2"], data)
    assert reset.exit_code == 0, reset.output
    unknown = run(["user", "reset-password", "--email", "nobody@example.com", "--password", "second-pass-2"], data)
    assert unknown.exit_code != 0 and "No user" in unknown.output

    from labelhive import auth, db
    from labelhive.models import User
    from sqlalchemy import select

    engine = db.make_engine(f"sqlite:///{data / 'labelhive.sqlite3'}")
    with db.make_sessionmaker(engine)() as session:
        user = session.scalar(select(User).where(User.email == "ann@example.com"))
        assert auth.verify_password(user, "second-pass-2") and not auth.verify_password(user, "first-pass-1")
    engine.dispose()


def test_short_password_is_refused_with_a_reason(tmp_path):
    result = run(["user", "create", "--email", "a@example.com", "--password", "short"], tmp_path / "data")
    assert result.exit_code != 0 and "at least 8 characters" in result.output


def test_db_upgrade_creates_the_schema(tmp_path):
    result = run(["db", "upgrade"], tmp_path / "data")
    assert result.exit_code == 0, result.output
    import sqlite3

    conn = sqlite3.connect(tmp_path / "data" / "labelhive.sqlite3")
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert {"project", "task", "annotation", "prediction", "user", "token", "alembic_version"} <= tables
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("args", [["--help"], ["start", "--help"], ["user", "--help"], ["db", "--help"]])
def test_every_command_documents_itself(args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "Usage" in result.output


def test_import_dir_import_and_export_from_the_shell(tmp_path):
    from conftest import FLOWERS

    data, photos = tmp_path / "data", tmp_path / "photos"
    (photos / "roses").mkdir(parents=True)
    for name in ("a.jpg", "roses/b.jpg", "notes.txt"):
        (photos / name).write_bytes(b"x")
    env = {"LABELHIVE_DATABASE_URL": "", "LABELHIVE_LOCAL_FILES_ROOT": str(tmp_path)}

    def cli(*args):
        result = CliRunner().invoke(main, [*args, "--data-dir", str(data)], env=env)
        return result

    assert cli("user", "create", "--email", "ml@example.com", "--password", "password-1").exit_code == 0
    from labelhive import db
    from labelhive.models import Project, User
    from sqlalchemy import select

    engine = db.make_engine(f"sqlite:///{data / 'labelhive.sqlite3'}")
    with db.make_sessionmaker(engine)() as session:
        session.add(Project(title="Flowers", label_config=FLOWERS, organization_id=1,
                            created_by_id=session.scalar(select(User.id))))
        session.commit()
    first = cli("import-dir", "Flowers", str(photos), "--pattern", "*.jpg")
    assert first.exit_code == 0, first.output
    assert "Created 2 tasks in project 1 (Flowers)" in first.output
    (photos / "c.jpg").write_bytes(b"x")
    assert "Created 1 task in" in cli("import-dir", "1", str(photos), "--pattern", "*.jpg").output
    csv_file = tmp_path / "more.csv"
    csv_file.write_text("image_path,cluster\nhttp://x/1.jpg,4\n")
    imported = cli("import", "Flowers", str(csv_file))
    assert imported.exit_code == 0 and "Created 1 task, 0 annotations and 0 predictions" in imported.output
    bad = tmp_path / "bad.csv"
    bad.write_text("cluster\n4\n")
    refused = cli("import", "Flowers", str(bad))
    assert refused.exit_code != 0 and "image_path" in refused.output
    out = tmp_path / "flowers.csv"
    exported = cli("export", "Flowers", "--format", "CSV", "--output", str(out))
    assert exported.exit_code == 0, exported.output
    rows = out.read_text().splitlines()
    assert len(rows) == 5 and '"image_path"' in rows[0]
    assert any("/data/local-files/?d=photos/roses/b.jpg" in r for r in rows)
    assert cli("export", "Nope", "--format", "CSV").exit_code != 0
    engine.dispose()


def test_worker_says_what_it_needs(tmp_path, monkeypatch):
    """Without Redis there is nothing for a worker to take (the web process runs its own jobs); a queue name it
    does not serve is named back with the ones it does."""
    monkeypatch.delenv("LABELHIVE_REDIS_URL", raising=False)
    runner = CliRunner()
    result = runner.invoke(main, ["worker", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code != 0 and "Set LABELHIVE_REDIS_URL" in result.output
    monkeypatch.setenv("LABELHIVE_REDIS_URL", "redis://127.0.0.1:1/0")
    result = runner.invoke(main, ["worker", "--data-dir", str(tmp_path / "data"), "--queues", "default,exports"])
    assert result.exit_code != 0
    assert "Unknown queue(s) exports" in result.output and "default, webhooks" in result.output
