"""Fixtures: a real database per test (a SQLite file, and PostgreSQL when LABELHIVE_TEST_DATABASE_URL is set),
an app built by create_app, and an authenticated in-process HTTP client."""
import os
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from labelhive.app import create_app
from labelhive.config import Settings
from labelhive.models import Base
from labelhive.services import data_indexes

PG_URL = os.environ.get("LABELHIVE_TEST_DATABASE_URL")
TOKEN = "a" * 40
FLOWERS = """<View>
  <Image name="image" value="$image_path" zoom="true" zoomControl="true" rotateControl="true"/>
  <Choices name="class" toName="image">
    <Choice value="daisy"/>
    <Choice value="dandelion"/>
    <Choice value="rose"/>
    <Choice value="sunflower"/>
    <Choice value="tulip"/>
  </Choices>
</View>"""


def _pg_url_for_worker(worker: str) -> str:
    """Each xdist worker of each run gets its own schema, so parallel workers (and runs) never meet."""
    schema = f"lh_{worker}_{os.getpid()}"
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Argon2 at its default cost is most of each test's setup (every app hashes its first user); tests
    that are not about hashing use the cheapest parameters. Stored hashes name their own parameters."""
    from argon2 import PasswordHasher

    from labelhive import auth

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def pg_url(worker_id):
    if not PG_URL:
        yield None
        return
    url = _pg_url_for_worker(worker_id)
    yield url
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS lh_{worker_id}_{os.getpid()} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, pg_url):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'labelhive.sqlite3'}"
        return
    if not pg_url:
        pytest.skip("PostgreSQL runs need LABELHIVE_TEST_DATABASE_URL (CI sets it)")
    yield pg_url
    # An index build the test set off may still run on this process's threads: let it end, then drop what it
    # made, so no later test in this schema finds it (and TRUNCATE does not deadlock with it).
    deadline = time.monotonic() + 60
    while data_indexes.building() and time.monotonic() < deadline:
        time.sleep(0.05)
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                for name in data_indexes.existing(conn):
                    conn.execute(text(f'DROP INDEX IF EXISTS "{name}"'))
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            break
        except OperationalError:
            # A writer the test left behind (a job thread finishing) can meet TRUNCATE's lock in a deadlock;
            # PostgreSQL aborts one side, and the TRUNCATE goes through once that writer is done.
            if attempt == 2:
                raise
            time.sleep(0.5)
    data_indexes.forget()
    engine.dispose()


@pytest.fixture
def settings(tmp_path, database_url):
    return Settings(data_dir=tmp_path / "data", database_url=database_url, username="admin@example.com",
                    password="secret-password", user_token=TOKEN)


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(app):
    with TestClient(app, headers={"Authorization": f"Token {TOKEN}"}) as c:
        yield c


@pytest.fixture
def anon(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def project(client):
    r = client.post("/api/projects", json={"title": "Flowers", "label_config": FLOWERS})
    assert r.status_code == 201, r.text
    return r.json()
