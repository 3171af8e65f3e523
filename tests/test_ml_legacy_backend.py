"""A backend written for the `label-studio-ml` 1.0.9 package, scaffolded and served by that package's own
`label-studio-ml init` / `label-studio-ml start` in its own virtualenv (it pins Flask 1.1.2), then connected to
a running LabelHive: predictions for a batch of tasks, training events delivered.

The virtualenv is built once under ~/.cache/labelhive-tests (LABELHIVE_TEST_LSML_VENV overrides) and reused.
1.0.9 imports rq and redis without declaring them; its scaffold's requirements.txt pins rq==1.10.1, which a
user installs as its README says, so the venv gets that too. No Redis server is needed: without one, jobs run
in a forked process."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ml_helpers import TEXT_CONFIG, TOPICS, Api
from server import free_port, live_server

VENV = Path(os.environ.get("LABELHIVE_TEST_LSML_VENV") or Path.home() / ".cache" / "labelhive-tests" / "lsml-venv")
PACKAGES = ["label-studio-ml==1.0.9", "rq==1.10.1"]

MODEL = '''import json
import os
import random

from label_studio_ml.model import LabelStudioMLBase


class RandomModel(LabelStudioMLBase):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.controls = [(name, info["to_name"][0], info["labels"]) for name, info in self.parsed_label_config.items()]

    def predict(self, tasks, **kwargs):
        from_name, to_name, labels = self.controls[0]
        return [{"result": [{"from_name": from_name, "to_name": to_name, "type": "choices",
                             "value": {"choices": [random.choice(labels)]}}],
                 "score": random.random(), "model_version": "random-1"} for _ in tasks]

    def fit(self, tasks, workdir=None, **kwargs):
        data = kwargs.get("data") or {}
        with open(os.environ["FIT_LOG"], "a") as log:
            log.write(json.dumps({"event": kwargs.get("event"), "project": data.get("project", {}).get("id"),
                                  "annotation": (data.get("annotation") or {}).get("id")}) + "\\n")
        return {"fits": 1}
'''


@pytest.fixture(scope="module")
def lsml_venv() -> Path:
    marker = VENV / ".installed"
    if marker.exists() and marker.read_text() == " ".join(PACKAGES):
        return VENV
    VENV.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, capture_output=True, timeout=120)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", *PACKAGES],
                       check=True, capture_output=True, text=True, timeout=600)
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"cannot install {' '.join(PACKAGES)} in a virtualenv: {(exc.stderr or '')[-500:]}")
    except subprocess.TimeoutExpired:
        pytest.skip(f"installing {' '.join(PACKAGES)} took too long (no package index reachable?)")
    marker.write_text(" ".join(PACKAGES))
    return VENV


def _env(venv: Path, fit_log: Path) -> dict:
    # `label-studio-ml start` runs `python _wsgi.py`: the venv's python must come first on PATH.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "VIRTUAL_ENV", "PYTHON"))}
    return {**env, "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "FIT_LOG": str(fit_log)}


@pytest.fixture(scope="module")
def legacy_backend(lsml_venv, tmp_path_factory):
    """Scaffold with `label-studio-ml init`, serve with `label-studio-ml start`; yields (url, backend dir, fit log)."""
    work = tmp_path_factory.mktemp("lsml")
    (work / "model.py").write_text(MODEL)
    fit_log = work / "fits.jsonl"
    env = _env(lsml_venv, fit_log)
    init = subprocess.run([str(lsml_venv / "bin" / "label-studio-ml"), "init", "backend", "--script", "model.py"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert init.returncode == 0, init.stdout + init.stderr
    assert (work / "backend" / "_wsgi.py").exists()
    port = free_port()
    log = work / "backend.log"
    with open(log, "wb") as out:
        # Its own session: `start` runs the server as a child of a shell, and the whole group is stopped after.
        proc = subprocess.Popen([str(lsml_venv / "bin" / "label-studio-ml"), "start", "backend", "--port", str(port),
                                 "--host", "127.0.0.1"], cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"label-studio-ml start exited:\n{log.read_text()}"
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"label-studio-ml start did not answer:\n{log.read_text()}"
            time.sleep(0.1)
        yield url, work / "backend", fit_log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _fits(fit_log: Path) -> list[dict]:
    return [json.loads(line) for line in fit_log.read_text().splitlines()] if fit_log.exists() else []


def _wait_for(predicate, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def _events(backend_dir: Path) -> list[str]:
    """1.0.9 writes every webhook it gets to <model dir>/<job id>/event.json (job ids are seconds, so
    events in the same second overwrite each other)."""
    events = []
    for p in backend_dir.glob("*/event.json"):
        try:
            events.append(json.loads(p.read_text())["event"])
        except ValueError:
            pass  # being written right now: read again on the next try
    return events


def test_legacy_backend_speaks_its_protocol(legacy_backend):
    """What the 1.0.9 server answers, called as Label Studio calls it."""
    url, _, fit_log = legacy_backend
    health = httpx.get(url + "/health").json()
    assert health["status"] == "UP" and "model_dir" in health
    setup = httpx.post(url + "/setup", json={"project": "1.1700000000", "schema": TEXT_CONFIG,
                                              "hostname": "http://127.0.0.1:1", "access_token": "t"})
    assert setup.status_code == 200 and "model_version" in setup.json()
    tasks = [{"id": i, "data": {"text": f"text {i}"}, "annotations": [], "predictions": []} for i in range(3)]
    answer = httpx.post(url + "/predict", json={"tasks": tasks, "project": "1.1700000000", "label_config": TEXT_CONFIG,
                                                "params": {"login": None, "password": None, "context": None}}).json()
    assert len(answer["results"]) == 3
    for r in answer["results"]:
        assert r["model_version"] == "random-1" and 0 <= r["score"] <= 1
        assert r["result"][0]["value"]["choices"][0] in TOPICS
    project = {"id": 1, "label_config": TEXT_CONFIG}
    created = httpx.post(url + "/webhook", json={"action": "ANNOTATION_CREATED", "project": project,
                                                 "task": tasks[0], "annotation": {"id": 77, "result": []}})
    assert created.status_code == 201 and "job_id" in created.json()
    assert _wait_for(lambda: any(f["annotation"] == 77 for f in _fits(fit_log)))


@pytest.mark.skipif(not any('"/api/ml' in p.read_text() for p in
                            (Path(__file__).parent.parent / "src" / "labelhive" / "routes").glob("*.py")),
                    reason="the server has no /api/ml yet")
def test_legacy_backend_connected_to_labelhive(legacy_backend, tmp_path):
    url, backend_dir, fit_log = legacy_backend
    with live_server(tmp_path / "server") as srv:
        api = Api(srv.url, srv.token)
        project = api.project("legacy backend", TEXT_CONFIG)
        api.call("POST", f"/api/projects/{project['id']}/import", json=[{"text": f"text {i}"} for i in range(20)])
        tasks = sorted(api.tasks(project["id"]), key=lambda t: t["id"])

        backend = api.call("POST", "/api/ml", json={"url": url, "project": project["id"], "title": "legacy"})
        assert backend["state"] == "CO"

        job = api.call("POST", "/api/dm/actions", params={"id": "retrieve_tasks_predictions", "project": project["id"]},
                       json={"selectedItems": {"all": True, "excluded": []}})["job"]
        state = _wait_for(lambda: (s := api.call("GET", f"/api/jobs/{job}"))["status"] in ("completed", "failed") and s)
        assert state and state["status"] == "completed", state
        stored = [p for t in api.tasks(project["id"]) for p in t["predictions"]]
        assert len(stored) == 20
        assert all(p["model_version"] == "random-1" and 0 <= p["score"] <= 1 for p in stored)
        assert all(p["result"][0]["value"]["choices"][0] in TOPICS for p in stored)

        # Training events: an annotation's webhook reaches fit(); the Train button's START_TRAINING reaches the
        # backend (1.0.9 does not train on it, but records it).
        annotation = api.annotate(tasks[0]["id"], "topic", "text", "sports")
        fit = _wait_for(lambda: [f for f in _fits(fit_log) if f["annotation"] == annotation["id"]])
        assert fit and fit[0] == {"event": "ANNOTATION_CREATED", "project": project["id"],
                                  "annotation": annotation["id"]}
        time.sleep(1.1)  # 1.0.9 names jobs by the second: keep START_TRAINING's record apart
        api.call("POST", f"/api/ml/{backend['id']}/train", json={})
        assert _wait_for(lambda: "START_TRAINING" in _events(backend_dir))
