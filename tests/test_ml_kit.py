"""The model-server kit (labelhive.ml), its CLI and its example models, driven over HTTP the way Label Studio's
server drives a backend (LS-COMPAT §3): GET /health, POST /setup with the project as "<id>.<timestamp>",
POST /predict, POST /webhook with START_TRAINING and ANNOTATION_* payloads."""
import base64
import importlib.util
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from labelhive.ml import LabelStudioMLBase, MediaError, ModelResponse, PredictionValue, create_app, get_local_path
from labelhive.ml.cli import ml
from labelhive.ml.loader import load_model_class
from labelhive.ml.scaffold import EXAMPLES_DIR
from ml_helpers import DIGITS_CONFIG, TEXT_CONFIG, Api, label_of_upload, ml_backend, sentences, write_digits
from server import live_server

needs_sklearn = pytest.mark.skipif(importlib.util.find_spec("sklearn") is None,
                                   reason="the example models need scikit-learn (pip install -e '.[test]')")

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
</View>"""


class EchoModel(LabelStudioMLBase):
    """Predicts "pos" for texts with "good" in them; fit() counts its calls per event in the store."""

    def predict(self, tasks, context=None, **kwargs):
        from_name, to_name, value = self.get_first_tag_occurence("Choices", "Text")
        self.set("last_context", json.dumps(context))
        return [{"result": [{"from_name": from_name, "to_name": to_name, "type": "choices",
                             "value": {"choices": ["pos" if "good" in t["data"][value] else "neg"]}}],
                 "score": 0.75} for t in tasks]

    def fit(self, event, data, **kwargs):
        self.set(f"fit:{event}", int(self.get(f"fit:{event}") or 0) + 1)
        self.set("last_payload", json.dumps(data))
        return {"version": self.bump_model_version()}


class ResponseModel(LabelStudioMLBase):
    def setup(self):
        self.set("model_version", "resp-7")

    def predict(self, tasks, context=None, **kwargs):
        return ModelResponse(predictions=[PredictionValue(result=[], score=0.1 * i) for i, _ in enumerate(tasks)])


class PortedModel(LabelStudioMLBase):
    """Written as label-studio-ml-backend's examples are (label_interface, get_tag, dict predictions with numpy
    scores inside a ModelResponse); only the imports changed."""

    def setup(self):
        self.set("model_version", f"{self.__class__.__name__}-v0.0.1")

    def predict(self, tasks, context=None, **kwargs):
        import numpy as np

        from_name, to_name, _ = self.label_interface.get_first_tag_occurence("Choices", "Text")
        labels = sorted(self.label_interface.get_tag(from_name).labels)
        probabilities = np.full((len(tasks), len(labels)), 1 / len(labels), dtype=np.float32)
        return ModelResponse(predictions=[{
            "result": [{"from_name": from_name, "to_name": to_name, "type": "choices", "value": {"choices": [labels[0]]}}],
            "score": probabilities[i, 0], "model_version": self.get("model_version")} for i in range(len(tasks))],
            model_version=self.get("model_version"))


class LegacyModel(LabelStudioMLBase):
    """A label-studio-ml 1.0.x style model: fit(tasks, workdir=None, **kwargs), reads self.train_output."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = self.train_output.get("calls", 0)

    def predict(self, tasks, **kwargs):
        return [{"result": [], "score": float(self.seen)} for _ in tasks]

    def fit(self, tasks, workdir=None, **kwargs):
        assert tasks == () and kwargs["event"] == "ANNOTATION_CREATED" and "annotation" in kwargs["data"]
        return {"calls": self.seen + 1, "workdir": workdir}


class Boom(LabelStudioMLBase):
    def predict(self, tasks, context=None, **kwargs):
        raise RuntimeError("model exploded")


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MODEL_DIR", str(tmp_path / "models"))
    for name in ("LABEL_STUDIO_URL", "LABEL_STUDIO_HOST", "LABEL_STUDIO_API_KEY", "LABEL_STUDIO_ACCESS_TOKEN",
                 "LOCAL_FILES_DOCUMENT_ROOT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "models"


def predict_body(tasks, project="3.1700000000", config=CONFIG, context=None):
    return {"tasks": tasks, "project": project, "label_config": config,
            "params": {"login": None, "password": None, "context": context}}


def test_protocol_as_label_studio_drives_it(model_dir):
    client = TestClient(create_app(EchoModel))
    assert client.get("/health").json() == {"status": "UP", "model_class": "EchoModel"}
    assert client.get("/").json()["status"] == "UP"

    setup = client.post("/setup", json={"project": "3.1700000000", "schema": CONFIG, "hostname": "http://ls:8080",
                                        "access_token": "tok", "extra_params": {"k": 1}})
    assert setup.status_code == 200 and setup.json() == {"model_version": "0.0.1"}

    tasks = [{"id": 1, "data": {"text": "good day"}, "annotations": [], "predictions": []},
             {"id": 2, "data": {"text": "bad day"}, "annotations": [], "predictions": []}]
    answer = client.post("/predict", json=predict_body(tasks, context={"result": []})).json()
    assert [r["result"][0]["value"]["choices"] for r in answer["results"]] == [["pos"], ["neg"]]
    assert all(r["score"] == 0.75 and r["model_version"] == "0.0.1" for r in answer["results"])

    project = {"id": 3, "title": "p", "label_config": CONFIG}
    trained = client.post("/webhook", json={"action": "START_TRAINING", "project": project})
    assert trained.status_code == 201 and trained.json() == {"result": {"version": "0.1.0"}, "status": "ok"}
    created = client.post("/webhook", json={"action": "ANNOTATION_CREATED", "project": project,
                                            "task": tasks[0], "annotation": {"id": 9, "result": []}})
    assert created.status_code == 201 and created.json()["result"] == {"version": "0.2.0"}
    for other in ("ANNOTATIONS_DELETED", "PROJECT_UPDATED", "TASKS_CREATED"):
        ignored = client.post("/webhook", json={"action": other, "project": project})
        assert ignored.status_code == 200 and ignored.json() == {"status": "Unknown event"}

    model = EchoModel(project_id="3")
    assert model.get("fit:START_TRAINING") == "1" and model.get("fit:ANNOTATION_CREATED") == "1"
    assert json.loads(model.get("last_payload"))["annotation"]["id"] == 9
    assert json.loads(model.get("last_context")) == {"result": []}
    assert (model.hostname, model.access_token, model.extra_params) == ("http://ls:8080", "tok", {"k": 1})
    assert model.label_config == CONFIG and model.parsed_label_config["sentiment"]["labels"] == ["pos", "neg"]

    # The version moved with each fit; the next /setup and predictions report it, per project.
    assert client.post("/setup", json={"project": "3.1700000000", "schema": CONFIG}).json() == {"model_version": "0.2.0"}
    assert client.post("/setup", json={"project": "4.1700000001", "schema": CONFIG}).json() == {"model_version": "0.0.1"}
    assert client.post("/predict", json=predict_body(tasks[:1])).json()["results"][0]["model_version"] == "0.2.0"
    assert client.get("/versions").json()["versions"] == ["0.0.1", "0.2.0"]
    assert client.get("/versions", params={"project": "3.1700000000"}).json()["versions"] == ["0.2.0"]
    assert client.get("/metrics").status_code == 200


def test_predict_answers_model_response_and_errors(model_dir):
    client = TestClient(create_app(ResponseModel))
    tasks = [{"id": i, "data": {"text": "x"}} for i in range(3)]
    answer = client.post("/predict", json=predict_body(tasks)).json()
    assert answer["model_version"] == "resp-7"
    assert [(r["score"], r["model_version"], r["result"]) for r in answer["results"]] == [
        (0.0, "resp-7", []), (0.1, "resp-7", []), (0.2, "resp-7", [])]
    # An integer project (old servers) and no label config still work.
    assert client.post("/predict", json={"tasks": tasks[:1], "project": 3}).status_code == 200
    assert client.post("/predict", json={"project": "1.2"}).status_code == 400
    assert client.post("/predict", content=b"not json").status_code == 400
    assert client.post("/webhook", json={"action": "START_TRAINING"}).status_code == 400

    ported = TestClient(create_app(PortedModel)).post("/predict", json=predict_body(tasks[:2])).json()["results"]
    assert [(r["result"][0]["value"]["choices"], r["score"], r["model_version"]) for r in ported] == [
        (["neg"], 0.5, "PortedModel-v0.0.1")] * 2

    failing = TestClient(create_app(Boom)).post("/predict", json=predict_body(tasks))
    assert failing.status_code == 500 and "model exploded" in failing.json()["detail"]


def test_label_studio_ml_1_0_models_fit_signature_and_train_output(model_dir):
    client = TestClient(create_app(LegacyModel))
    for expected in (1, 2):
        r = client.post("/webhook", json={"action": "ANNOTATION_CREATED", "project": {"id": 5, "label_config": CONFIG},
                                          "annotation": {"id": 1}, "task": {"id": 1}})
        assert r.status_code == 201 and r.json()["result"]["calls"] == expected
    assert client.post("/predict", json=predict_body([{"id": 1, "data": {}}], project="5.1")).json()[
        "results"][0]["score"] == 2.0


def test_basic_auth(model_dir):
    client = TestClient(create_app(EchoModel, basic_auth=("ml", "s3cret")))
    assert client.get("/health").status_code == 401
    assert client.get("/health", auth=("ml", "wrong")).status_code == 401
    assert client.get("/health", headers={"Authorization": "Basic !!!"}).status_code == 401
    assert client.get("/health", auth=("ml", "s3cret")).json()["status"] == "UP"


def test_label_config_helpers_and_versions(model_dir):
    config = """<View><Image name="img" value="$url"/><Text name="txt" value="$body"/>
      <RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels>
      <Choices name="kind" toName="txt"><Choice value="a"/></Choices>
      <Choices name="mood" toName="img"><Choice value="happy"/></Choices></View>"""
    model = LabelStudioMLBase(project_id="9", label_config=config)
    assert model.get_first_tag_occurence("Choices", "Image") == ("mood", "img", "url")
    assert model.get_first_tag_occurence(("Choices", "Labels"), "Text") == ("kind", "txt", "body")
    with pytest.raises(ValueError):
        model.get_first_tag_occurence("Choices", "Image", name_filter=lambda n: n != "mood")
    with pytest.raises(ValueError):
        model.get_first_tag_occurence("Choices", "Audio")
    assert model.label_interface.get_control("box").labels == ["Car"]
    assert model.parsed_label_config["box"]["to_name"] == ["img"]
    assert (model.model_version, model.bump_model_version(), model.bump_model_version()) == ("0.0.1", "0.1.0", "0.2.0")
    model.set("model_version", "v7")
    assert model.bump_model_version() == "v8"
    # Another instance (the next request) sees the same per-project state; another project does not.
    assert LabelStudioMLBase(project_id="9").model_version == "v8"
    assert LabelStudioMLBase(project_id="10").model_version == "0.0.1"
    assert ModelResponse(model_version="m", predictions=[PredictionValue(result=[])]).predictions[0].model_version is None


class _Files(BaseHTTPRequestHandler):
    """A stand-in labeling server at 127.0.0.1: /data/upload and /data/local-files need the token, presign
    redirects to /public on "localhost" (another origin, like a bucket), and every request is recorded."""

    token = "tok-123"
    requests: ClassVar[list] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlparse(self.path)
        self.requests.append((url.path, self.headers.get("Authorization")))
        if url.path.startswith("/public/"):
            return self._send(200, url.path.encode())
        if self.headers.get("Authorization") != f"Token {self.token}":
            return self._send(401, b"no")
        if url.path.startswith("/data/upload/"):
            return self._send(200, b"upload:" + url.path.encode())
        if url.path.startswith("/data/local-files"):
            return self._send(200, b"local:" + parse_qs(url.query)["d"][0].encode())
        if url.path.startswith("/tasks/") and url.path.endswith("/presign/"):
            uri = base64.urlsafe_b64decode(parse_qs(url.query)["fileuri"][0]).decode()
            self.send_response(302)
            # A presigned URL lives on another origin (the bucket's): here, the same port under another name.
            port = self.server.server_address[1]
            self.send_header("Location", f"http://localhost:{port}/public/" + uri.replace("://", "/"))
            self.end_headers()
            return None
        return self._send(404, b"")

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def files_server():
    _Files.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_get_local_path_fetches_with_the_servers_token(model_dir, files_server, tmp_path, monkeypatch):
    read = lambda p: Path(p).read_bytes()
    path = get_local_path("/data/upload/1/ab-cat.png", hostname=files_server, access_token="tok-123")
    assert read(path) == b"upload:/data/upload/1/ab-cat.png" and path.endswith("ab-cat.png")
    assert Path(path).parent == model_dir / "media-cache"
    again = get_local_path("/data/upload/1/ab-cat.png", hostname=files_server, access_token="tok-123")
    assert again == path and len(_Files.requests) == 1  # cached on disk

    assert read(get_local_path("/data/local-files/?d=photos/a%20b.jpg", hostname=files_server,
                               access_token="tok-123")) == b"local:photos/a b.jpg"
    (tmp_path / "root" / "photos").mkdir(parents=True)
    (tmp_path / "root" / "photos" / "c.jpg").write_bytes(b"on disk")
    monkeypatch.setenv("LOCAL_FILES_DOCUMENT_ROOT", str(tmp_path / "root"))
    assert read(get_local_path("/data/local-files/?d=photos/c.jpg")) == b"on disk"

    s3 = get_local_path("s3://bucket/dir/x.jpg", hostname=files_server, access_token="tok-123", task_id=42)
    assert read(s3) == b"/public/s3/bucket/dir/x.jpg"
    assert ("/tasks/42/presign/", "Token tok-123") in _Files.requests
    assert ("/public/s3/bucket/dir/x.jpg", None) in _Files.requests  # the token never leaves the server's origin

    # A URL on another host gets no token; one on the server's host does.
    other = files_server.replace("127.0.0.1", "localhost")
    get_local_path(f"{other}/public/elsewhere.png", hostname=files_server, access_token="tok-123")
    assert _Files.requests[-1] == ("/public/elsewhere.png", None)
    get_local_path(f"{files_server}/data/upload/2/z.png", hostname=files_server, access_token="tok-123")
    assert _Files.requests[-1] == ("/data/upload/2/z.png", "Token tok-123")

    assert read(get_local_path("data:text/plain;base64," + base64.b64encode(b"inline").decode())) == b"inline"
    local = tmp_path / "plain.txt"
    local.write_text("x")
    assert get_local_path(str(local)) == str(local)

    with pytest.raises(MediaError, match="HTTP 401"):
        get_local_path("/data/upload/1/other.png", hostname=files_server, access_token="wrong")
    with pytest.raises(MediaError, match="LABEL_STUDIO_URL"):
        get_local_path("/data/upload/1/nohost.png")
    with pytest.raises(MediaError, match="task id"):
        get_local_path("gs://b/k.png", hostname=files_server)


def test_model_get_local_path_uses_setup_values_or_env(model_dir, files_server, monkeypatch):
    client = TestClient(create_app(EchoModel))
    client.post("/setup", json={"project": "3.17", "schema": CONFIG, "hostname": files_server,
                                "access_token": "tok-123"})
    model = EchoModel(project_id="3")
    assert Path(model.get_local_path("/data/upload/3/a.txt", task_id=1)).read_bytes() == b"upload:/data/upload/3/a.txt"
    assert model.preload_task_data({"id": 1, "data": {"t": "/data/upload/3/a.txt", "n": 5}}) == {
        "t": "upload:/data/upload/3/a.txt", "n": 5}
    monkeypatch.setenv("LABEL_STUDIO_URL", files_server)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "tok-123")
    fresh = EchoModel(project_id="77")  # never set up: the environment tells it where the server is
    assert Path(fresh.get_local_path("/data/upload/77/b.txt")).read_bytes() == b"upload:/data/upload/77/b.txt"


def test_ml_init_and_start(tmp_path):
    runner = CliRunner()
    made = runner.invoke(ml, ["init", str(tmp_path / "backend")])
    assert made.exit_code == 0, made.output
    assert {p.name for p in (tmp_path / "backend").iterdir()} == {"model.py", "README.md", "requirements.txt"}
    assert runner.invoke(ml, ["init", str(tmp_path / "backend")]).exit_code != 0  # exists: needs --force

    script = tmp_path / "mine.py"
    script.write_text("from labelhive.ml import LabelStudioMLBase\n\nclass A(LabelStudioMLBase):\n    pass\n\n"
                      "class B(LabelStudioMLBase):\n    pass\n")
    assert runner.invoke(ml, ["init", str(tmp_path / "two"), "--script", str(script)]).exit_code != 0
    assert runner.invoke(ml, ["init", str(tmp_path / "two"), "--script", f"{script}:B", "--force"]).exit_code == 0
    assert load_model_class(tmp_path / "two", "model.py:B").__name__ == "B"
    example = runner.invoke(ml, ["init", str(tmp_path / "img"), "--example", "image_classifier"])
    assert example.exit_code == 0 and (tmp_path / "img" / "model.py").exists()

    with ml_backend(tmp_path / "backend", tmp_path / "backend") as url:
        assert httpx.get(url + "/health").json() == {"status": "UP", "model_class": "NewModel"}
        config = DIGITS_CONFIG
        assert httpx.post(url + "/setup", json={"project": "1.1", "schema": config}).json() == {"model_version": "0.0.1"}
        result = httpx.post(url + "/predict", json=predict_body([{"id": 1, "data": {"image": "x"}}], "1.1", config))
        assert result.json()["results"][0]["result"][0]["value"] == {"choices": ["0"]}
    assert (tmp_path / "backend" / "cache.db").exists()  # state lives in the backend directory

    with ml_backend(tmp_path / "backend", tmp_path / "auth", env={"BASIC_AUTH_USER": "u", "BASIC_AUTH_PASS": "p"}) as url:
        assert httpx.get(url + "/health").status_code == 401
        assert httpx.get(url + "/health", auth=("u", "p")).status_code == 200


@pytest.fixture(scope="module")
def labelhive(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("ml-server")) as srv:
        yield srv


def _drive_example(example: str, model_dir: Path, api: Api, project: dict, labeled: list[tuple[int, str]],
                   new_label: tuple[int, str], unlabeled: list[dict], from_name: str, to_name: str,
                   monkeypatch) -> tuple[list, str]:
    """Annotate `labeled` through the API, then do what the server does: /setup, START_TRAINING, an
    ANNOTATION_CREATED webhook for `new_label`, /predict `unlabeled`. Returns the results and the model version."""
    monkeypatch.setenv("MODEL_DIR", str(model_dir))
    for task_id, label in labeled:
        api.annotate(task_id, from_name, to_name, label)
    client = TestClient(create_app(load_model_class(EXAMPLES_DIR / example)))
    tag = f"{project['id']}.1700000000"
    assert client.post("/setup", json={"project": tag, "schema": project["label_config"], "hostname": api.url,
                                       "access_token": api.token}).json() == {"model_version": "0.0.1"}
    untrained = client.post("/predict", json=predict_body(unlabeled[:2], tag, project["label_config"])).json()
    assert untrained["results"] == [[], []]  # no model yet: no predictions, one empty entry per task
    payload = api.call("GET", f"/api/projects/{project['id']}")
    trained = client.post("/webhook", json={"action": "START_TRAINING", "project": payload})
    assert trained.status_code == 201, trained.text
    assert trained.json()["result"]["status"] == "ok" and trained.json()["result"]["examples"] == len(labeled)
    first = client.post("/setup", json={"project": tag, "schema": project["label_config"]}).json()["model_version"]
    assert first == "0.1.0"
    # The same labeled set again (a burst of webhooks): nothing to learn, the version stays.
    same = client.post("/webhook", json={"action": "START_TRAINING", "project": payload}).json()["result"]
    assert same == {"status": "unchanged", "model_version": "0.1.0", "examples": len(labeled)}
    # One more annotation, announced as the server's webhook does: a new version.
    task_id, label = new_label
    annotation = api.annotate(task_id, from_name, to_name, label)
    again = client.post("/webhook", json={"action": "ANNOTATION_CREATED", "project": payload, "annotation": annotation,
                                          "task": api.call("GET", f"/api/tasks/{task_id}")}).json()["result"]
    assert again["model_version"] == "0.2.0" and again["examples"] == len(labeled) + 1
    results = []
    for start in range(0, len(unlabeled), 50):
        batch = unlabeled[start:start + 50]
        answer = client.post("/predict", json=predict_body(batch, tag, project["label_config"])).json()
        assert len(answer["results"]) == len(batch)
        results += answer["results"]
    return results, again["model_version"]


@needs_sklearn
def test_image_example_learns_digits_from_annotations(labelhive, tmp_path, monkeypatch):
    api = Api(labelhive.url, labelhive.token)
    project = api.project("digits", DIGITS_CONFIG)
    files = write_digits(tmp_path / "digits", 300)
    api.call("POST", f"/api/projects/{project['id']}/import",
             files=[("file", (p.name, p.read_bytes(), "image/png")) for p, _ in files])
    tasks = sorted(api.tasks(project["id"]), key=lambda t: t["id"])
    assert len(tasks) == 300 and tasks[0]["data"]["image"].startswith("/data/upload/")
    labeled = [(t["id"], label_of_upload(t["data"]["image"])) for t in tasks[:100]]
    extra = (tasks[-1]["id"], label_of_upload(tasks[-1]["data"]["image"]))
    results, version = _drive_example("image_classifier", tmp_path / "models", api, project, labeled, extra,
                                      tasks[100:-1], "digit", "image", monkeypatch)
    truth = [label_of_upload(t["data"]["image"]) for t in tasks[100:-1]]
    predicted = [r["result"][0]["value"]["choices"][0] for r in results]
    accuracy = sum(p == t for p, t in zip(predicted, truth)) / len(truth)
    assert accuracy >= 0.85, f"accuracy {accuracy:.2f} after 100 annotations"
    assert all(0 <= r["score"] <= 1 and r["model_version"] == version for r in results)
    assert all(r["result"][0]["from_name"] == "digit" and r["result"][0]["to_name"] == "image" for r in results)
    # Scores mean something: the wrong answers are, on average, the less confident ones.
    wrong = [r["score"] for r, p, t in zip(results, predicted, truth) if p != t]
    right = [r["score"] for r, p, t in zip(results, predicted, truth) if p == t]
    assert not wrong or sum(wrong) / len(wrong) < sum(right) / len(right)
    assert (tmp_path / "models" / str(project["id"]) / f"model-{version}.pkl").exists()


@needs_sklearn
def test_text_example_learns_topics_from_annotations(labelhive, tmp_path, monkeypatch):
    api = Api(labelhive.url, labelhive.token)
    project = api.project("topics", TEXT_CONFIG)
    data = sentences(240, seed=1)
    api.call("POST", f"/api/projects/{project['id']}/import", json=[{"text": t} for t, _ in data])
    tasks = sorted(api.tasks(project["id"]), key=lambda t: t["id"])
    truth = dict(data)
    labeled = [(t["id"], truth[t["data"]["text"]]) for t in tasks[:60]]
    extra = (tasks[-1]["id"], truth[tasks[-1]["data"]["text"]])
    results, version = _drive_example("text_classifier", tmp_path / "models", api, project, labeled, extra,
                                      tasks[60:-1], "topic", "text", monkeypatch)
    predicted = [r["result"][0]["value"]["choices"][0] for r in results]
    accuracy = sum(p == truth[t["data"]["text"]] for p, t in zip(predicted, tasks[60:-1])) / len(predicted)
    assert accuracy >= 0.85, f"accuracy {accuracy:.2f} after 60 annotations (chance is 0.25)"
    assert all(0 <= r["score"] <= 1 and r["model_version"] == version for r in results)


def _has_ml_api() -> bool:
    routes = Path(__file__).parent.parent / "src" / "labelhive" / "routes"
    return any('"/api/ml' in p.read_text() for p in routes.glob("*.py"))


@needs_sklearn
@pytest.mark.skipif(not _has_ml_api(), reason="the server has no /api/ml yet")
def test_example_backend_connected_to_labelhive(labelhive, tmp_path):
    """The whole loop through the server: connect (health + setup), Train, retrieve predictions as a job,
    and an annotation's webhook retraining the model."""
    api = Api(labelhive.url, labelhive.token)
    project = api.project("digits e2e", DIGITS_CONFIG)
    files = write_digits(tmp_path / "digits", 200)
    api.call("POST", f"/api/projects/{project['id']}/import",
             files=[("file", (p.name, p.read_bytes(), "image/png")) for p, _ in files])
    tasks = sorted(api.tasks(project["id"]), key=lambda t: t["id"])
    for t in tasks[:100]:
        api.annotate(t["id"], "digit", "image", label_of_upload(t["data"]["image"]))

    with ml_backend(EXAMPLES_DIR / "image_classifier", tmp_path / "models") as url:
        backend = api.call("POST", "/api/ml", json={"url": url, "project": project["id"], "title": "digits"})
        assert backend["state"] == "CO" and backend["model_version"] == "0.0.1"
        api.call("POST", f"/api/ml/{backend['id']}/train", json={})
        setup = httpx.post(url + "/setup", json={"project": f"{project['id']}.0", "schema": DIGITS_CONFIG}).json()
        assert setup["model_version"] == "0.1.0"

        job = api.call("POST", "/api/dm/actions", params={"id": "retrieve_tasks_predictions", "project": project["id"]},
                       json={"selectedItems": {"all": False, "included": [t["id"] for t in tasks[100:]]}})["job"]
        for _ in range(600):
            state = api.call("GET", f"/api/jobs/{job}")
            if state["status"] in ("completed", "failed"):
                break
            time.sleep(0.1)
        assert state["status"] == "completed", state
        rest = {t["id"]: t for t in api.tasks(project["id"])}
        predictions = [(rest[t["id"]]["predictions"], label_of_upload(t["data"]["image"])) for t in tasks[100:]]
        assert all(len(p) == 1 and p[0]["model_version"] == "0.1.0" for p, _ in predictions)
        accuracy = sum(p[0]["result"][0]["value"]["choices"][0] == label for p, label in predictions) / len(predictions)
        assert accuracy >= 0.85

        # Labeling goes on; the server's webhook retrains the model in the background.
        api.annotate(tasks[150]["id"], "digit", "image", label_of_upload(tasks[150]["data"]["image"]))
        for _ in range(300):
            version = httpx.get(url + "/versions", params={"project": f"{project['id']}.0"}).json()["versions"]
            if version == ["0.2.0"]:
                break
            time.sleep(0.1)
        assert version == ["0.2.0"]


SEGMENT_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="mask" toName="image"><Label value="Ball"/></BrushLabels>
  <RectangleLabels name="box" toName="image" smart="true"><Label value="Ball"/></RectangleLabels>
  <KeyPointLabels name="point" toName="image" smart="true"><Label value="Ball"/></KeyPointLabels>
</View>"""


def _ball_image(path: Path):
    """A red disk (centre 120,90, radius 40) on a noisy grey background, 240x180; returns the true mask."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:180, :240]
    disk = (xx - 120) ** 2 + (yy - 90) ** 2 <= 40 ** 2
    pixels = rng.integers(90, 140, (180, 240, 3)).astype(np.uint8)
    pixels[disk] = (200, 30, 30)
    Image.fromarray(pixels).save(path)
    return disk


def _iou(a, b) -> float:
    return (a & b).sum() / (a | b).sum()


@pytest.mark.skipif(importlib.util.find_spec("cv2") is None, reason="the segmenter example needs OpenCV")
def test_interactive_segmenter_turns_a_box_or_a_point_into_a_mask(labelhive, tmp_path):
    from label_studio_sdk.converter.brush import decode_rle

    disk = _ball_image(tmp_path / "ball.png")
    api = Api(labelhive.url, labelhive.token)
    project = api.project("balls", SEGMENT_CONFIG)
    api.call("POST", f"/api/projects/{project['id']}/import",
             files=[("file", ("ball.png", (tmp_path / "ball.png").read_bytes(), "image/png"))])
    task = api.tasks(project["id"])[0]
    box = {"id": "b1", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "origin": "manual",
           "original_width": 240, "original_height": 180, "image_rotation": 0, "is_positive": True,
           "value": {"x": 30.0, "y": 22.0, "width": 40.0, "height": 56.0, "rotation": 0, "rectanglelabels": ["Ball"]}}
    point = {"id": "p1", "from_name": "point", "to_name": "image", "type": "keypointlabels", "origin": "manual",
             "original_width": 240, "original_height": 180, "image_rotation": 0, "is_positive": True,
             "value": {"x": 50.0, "y": 50.0, "width": 1, "keypointlabels": ["Ball"]}}

    with ml_backend(EXAMPLES_DIR / "interactive_segmenter", tmp_path / "models") as url:
        backend = api.call("POST", "/api/ml", json={"url": url, "project": project["id"], "is_interactive": True})
        for prompt, least in ((box, 0.9), (point, 0.95)):
            answer = api.call("POST", f"/api/ml/{backend['id']}/interactive-annotating",
                              json={"task": task["id"], "context": {"result": [prompt]}})
            region = answer["data"]["result"][0]
            assert (region["from_name"], region["to_name"], region["type"]) == ("mask", "image", "brushlabels")
            assert region["value"]["brushlabels"] == ["Ball"] and region["original_width"] == 240
            mask = decode_rle(region["value"]["rle"]).reshape(180, 240, 4)[..., 3] > 0
            assert _iou(mask, disk) >= least, prompt["type"]
        # Without a prompt (batch predictions) it has nothing to say.
        empty = httpx.post(url + "/predict", json=predict_body([task], f"{project['id']}.0", SEGMENT_CONFIG)).json()
        assert empty["results"] == [[]]
