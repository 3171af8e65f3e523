"""Bad input gets a 4xx in Label Studio's error shape, a message that says what to fix, and writes nothing.

"Nothing written" is checked on the database (row counts of every table a request could touch, and the
project's tasks as exported) and on disk (no file left under the media dir).
"""
import json
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from labelhive.app import create_app
from labelhive.config import Settings
from labelhive.models import Annotation, ExportSnapshot, FileUpload, Prediction, Project, Task, Token, User, View

ERROR_KEYS = {"id", "status_code", "version", "detail", "exc_info"}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")




def assert_error(r, status: int, *words: str, field: str | None = None) -> dict:
    """Label Studio's error body; every word must appear in the message (or the field's messages)."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert ERROR_KEYS <= set(body) <= ERROR_KEYS | {"validation_errors"}, body
    uuid.UUID(body["id"])
    assert body["status_code"] == status and body["exc_info"] is None and body["version"]
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        assert status == 400 and body["detail"] == "Validation error", body
        assert field in body["validation_errors"], body
        messages = body["validation_errors"][field]
        assert isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)
        text = " ".join(messages)
    else:
        text = body["detail"] + " " + json.dumps(body.get("validation_errors") or {})
    for word in words:
        assert word.lower() in text.lower(), (word, text)
    return body


def state(app, settings) -> dict:
    """Every row count a request could change, and every file under the media dir."""
    with app.state.sessions() as session:
        counts = {m.__tablename__: session.scalar(select(func.count()).select_from(m))
                  for m in (Project, Task, Annotation, Prediction, FileUpload, View, ExportSnapshot, User, Token)}
        projects = [(p.id, p.title, p.label_config, p.updated_at) for p in
                    session.scalars(select(Project).order_by(Project.id))]
        tasks = [(t.id, t.data, t.total_annotations, t.total_predictions, t.file_upload_id, t.updated_at)
                 for t in session.scalars(select(Task).order_by(Task.id))]
        annotations = [(a.id, a.result, a.updated_at) for a in session.scalars(select(Annotation).order_by(Annotation.id))]
    files = sorted(str(p.relative_to(settings.media_dir)) for p in settings.media_dir.rglob("*") if p.is_file())
    return {"counts": counts, "projects": projects, "tasks": tasks, "annotations": annotations, "files": files}


@pytest.fixture
def seeded(client, project):
    """The flowers project with two tasks, an annotation, a prediction and a view."""
    pid = project["id"]
    r = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=[
        {"data": {"image_path": "a.jpg"}, "annotations": [{"result": [
            {"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]}],
         "predictions": [{"result": "daisy", "score": 0.5}]},
        {"image_path": "b.jpg"}])
    assert r.status_code == 201, r.text
    tids = r.json()["task_ids"]
    ann = client.get(f"/api/tasks/{tids[0]}/annotations").json()[0]["id"]
    pred = client.get("/api/predictions", params={"task": tids[0]}).json()[0]["id"]
    r = client.post("/api/dm/views", json={"project": pid, "data": {"title": "Tab"}})
    assert r.status_code == 201, r.text
    return {"project": pid, "tasks": tids, "annotation": ann, "prediction": pred, "view": r.json()["id"],
            "user": client.get("/api/current-user/whoami").json()["id"]}


# ---------------------------------------------------------------- imports


def test_malformed_json_import(client, app, settings, seeded):
    pid = seeded["project"]
    before = state(app, settings)
    r = client.post(f"/api/projects/{pid}/import", content=b'[{"image_path": "a.jpg"},',
                    headers={"Content-Type": "application/json"})
    assert_error(r, 400, "JSON")
    r = client.post(f"/api/projects/{pid}/import", files={"file": ("tasks.json", b'[{"image_path": "x.jpg"}')})
    assert_error(r, 400, "tasks.json", "JSON")
    r = client.post(f"/api/projects/{pid}/import", json="just a string")
    assert_error(r, 400, "list")
    r = client.post(f"/api/projects/{pid}/import", json=[{"image_path": "ok.jpg"}, 42])
    assert_error(r, 400, "#1", "object")
    assert state(app, settings) == before


def test_csv_without_a_header_row(client, app, settings, seeded):
    pid = seeded["project"]
    before = state(app, settings)
    raw = b"https://example.com/a.jpg\nhttps://example.com/b.jpg\n"
    r = client.post(f"/api/projects/{pid}/import", files={"file": ("urls.csv", raw, "text/csv")})
    assert_error(r, 400, "urls.csv", "header")
    r = client.post(f"/api/projects/{pid}/import", files={"file": ("rows.tsv", b"1\t2\n3\t4\n")})
    assert_error(r, 400, "rows.tsv", "header")
    assert state(app, settings) == before


def test_malformed_csv_is_refused_with_its_line_and_nothing_imported(client, app, settings, seeded):
    """A lenient reader turns an unterminated quote into one task holding the rest of the file."""
    pid = seeded["project"]
    before = state(app, settings)
    cases = [
        ("open.csv", b'image_path,cluster\na.jpg,1\n"b.jpg,2\nc.jpg,3\nd.jpg,4\n', ("line 3", "never closed")),
        ("ragged.csv", b"image_path,cluster\na.jpg,1\nb.jpg\nc.jpg,3\n", ("line 3", "1 value but", "2 columns")),
        ("long.tsv", b"image_path\tcluster\na.jpg\t1\tx\n", ("line 2", "3 values")),
        ("latin1.csv", b"image_path,cluster\na.jpg,1\nb\xe9.jpg,2\n", ("line 3", "UTF-8")),
        ("stray.csv", b'image_path,cluster\n"a.jpg"x,1\n', ("line 2", "quote")),
    ]
    for name, raw, words in cases:
        r = client.post(f"/api/projects/{pid}/import", files={"file": (name, raw, "text/csv")})
        assert_error(r, 400, name, *words)
    # A quoted value may span lines; the next row's line is still right.
    r = client.post(f"/api/projects/{pid}/import", files={"file": ("multi.csv", b'image_path,note\na.jpg,"two\nlines"\nb.jpg\n')})
    assert_error(r, 400, "multi.csv line 4")
    assert state(app, settings) == before


def test_task_missing_the_configs_variable(client, app, settings, seeded):
    pid = seeded["project"]
    before = state(app, settings)
    r = client.post(f"/api/projects/{pid}/import", json=[{"image": "a.jpg"}])
    assert_error(r, 400, '"image_path" key is expected in task data')
    # Only the 3rd task is bad: nothing is written, and the message says which one.
    tasks = [{"image_path": "1.jpg"}, {"data": {"image_path": "2.jpg"}}, {"data": {"photo": "3.jpg"}},
             {"image_path": "4.jpg"}]
    r = client.post(f"/api/projects/{pid}/import", json=tasks)
    body = assert_error(r, 400, "image_path", "#2")
    assert "#0" not in body["detail"] and "#3" not in body["detail"]
    # A wrong type is named too: Image takes a string or a list.
    r = client.post(f"/api/projects/{pid}/import", json=[{"image_path": "ok.jpg"}, {"image_path": {"x": 1}}])
    assert_error(r, 400, "image_path", "#1", "dict")
    # Single task creation too.
    r = client.post("/api/tasks", json={"project": pid, "data": {"img": "x.jpg"}})
    assert_error(r, 400, "image_path")
    r = client.patch(f"/api/tasks/{seeded['tasks'][1]}", json={"data": {"img": "x.jpg"}})
    assert_error(r, 400, "image_path")
    assert state(app, settings) == before


def test_import_failing_half_way_writes_nothing(client, app, settings, seeded):
    pid = seeded["project"]
    before = state(app, settings)
    tasks = [{"data": {"image_path": f"{i}.jpg", "n": i}} for i in range(1000)]
    tasks[499]["annotations"] = [{"result": {"not": "a list"}}]
    r = client.post(f"/api/projects/{pid}/import", json=tasks)
    assert_error(r, 400, "#499", "list")
    tasks[499] = {"data": {"image": "499.jpg"}}
    r = client.post(f"/api/projects/{pid}/import", json=tasks)
    assert_error(r, 400, "#499", "image_path")
    assert state(app, settings) == before


BAD_SECOND_FILES = [
    ("broken.json", b'[{"image_path": "x.jpg"'),
    ("noheader.csv", b"https://example.com/x.jpg\n"),
    ("bad-task.json", b'[{"image_path": "ok.jpg"}, {"photo": "x.jpg"}]'),
    ("virus.exe", b"MZ\x90\x00"),
]
GOOD_FIRST_FILES = [
    ("good.json", b'[{"image_path": "g1.jpg"}, {"image_path": "g2.jpg"}]'),
    ("good.csv", b"image_path,n\ng1.jpg,1\n"),
    ("photo.png", PNG),
]


def test_second_of_two_uploads_invalid_leaves_the_project_as_it_was(client, app, settings, seeded):
    pid = seeded["project"]
    before = state(app, settings)
    for second in BAD_SECOND_FILES:
        for first in GOOD_FIRST_FILES:
            r = client.post(f"/api/projects/{pid}/import", files=[("file", first), ("file", second)])
            assert_error(r, 400)
            assert state(app, settings) == before, (first[0], second[0])
    assert client.get(f"/api/projects/{pid}/file-uploads").json() == []
    # the message names the file at fault, for every kind of fault but a bad task inside the file (next test)
    for second in BAD_SECOND_FILES[:2] + BAD_SECOND_FILES[3:]:
        r = client.post(f"/api/projects/{pid}/import", files=[("file", GOOD_FIRST_FILES[0]), ("file", second)])
        assert_error(r, 400, second[0])


def test_bad_task_in_an_uploaded_file_is_named_by_file_and_position(client, seeded):
    r = client.post(f"/api/projects/{seeded['project']}/import",
                    files=[("file", GOOD_FIRST_FILES[0]), ("file", BAD_SECOND_FILES[2])])
    # bad-task.json's second task (#1 in that file); the first file's two tasks must not shift the count
    assert_error(r, 400, "bad-task.json", "#1", "image_path")


def test_annotation_result_that_is_not_a_list(client, app, settings, seeded):
    tid, aid = seeded["tasks"][0], seeded["annotation"]
    before = state(app, settings)
    r = client.post(f"/api/tasks/{tid}/annotations", json={"result": {"choices": ["rose"]}})
    assert_error(r, 400, "list", field="result")
    r = client.post(f"/api/tasks/{tid}/annotations", json={"result": "rose"})
    assert_error(r, 400, "list", field="result")
    r = client.post(f"/api/tasks/{tid}/annotations", json={"result": ["rose"]})
    assert_error(r, 400, "result[0]", field="result")
    r = client.patch(f"/api/annotations/{aid}", json={"result": {"choices": ["rose"]}})
    assert_error(r, 400, "list", field="result")
    r = client.post(f"/api/tasks/{tid}/annotations", json=[{"result": []}])
    assert_error(r, 400, "object")
    r = client.post(f"/api/tasks/{tid}/annotations", json={"result": [], "lead_time": "ten seconds"})
    assert_error(r, 400, "number", field="lead_time")
    r = client.post(f"/api/tasks/{tid}/annotations", json={"result": [], "completed_by": 987654})
    assert_error(r, 400, "987654", field="completed_by")
    r = client.post(f"/api/tasks/{seeded['tasks'][1]}/annotations",
                    json={"result": [], "parent_prediction": seeded["prediction"]})
    assert_error(r, 400, str(seeded["prediction"]), field="parent_prediction")
    r = client.post(f"/api/tasks/{tid}/annotations", content=b"{not json", headers={"Content-Type": "application/json"})
    assert_error(r, 400, "JSON")
    assert state(app, settings) == before


def test_prediction_import_for_an_unknown_task(client, app, settings, seeded):
    pid, tid = seeded["project"], seeded["tasks"][0]
    before = state(app, settings)
    r = client.post(f"/api/projects/{pid}/import/predictions",
                    json=[{"task": tid, "result": "rose"}, {"task": 987654, "result": "daisy"}])
    assert_error(r, 400, "987654")
    r = client.post(f"/api/projects/{pid}/import/predictions", json=[{"task": tid}])
    assert_error(r, 400, "result")
    r = client.post("/api/predictions", json={"task": tid, "result": "rose", "score": "high"})
    assert_error(r, 400, "number", field="score")
    r = client.post("/api/predictions", json={"result": "rose"})
    assert_error(r, 400, "required", field="task")
    assert state(app, settings) == before


def test_export_with_bad_parameters(client, seeded):
    pid = seeded["project"]
    r = client.get(f"/api/projects/{pid}/export", params={"exportType": "XLSX"})
    assert_error(r, 400, "XLSX", "JSON", "CSV")
    r = client.get(f"/api/projects/{pid}/export", params={"exportType": "COCO"})
    assert_error(r, 400, "COCO", "JSON")
    r = client.get(f"/api/projects/{pid}/export", params={"exportType": "JSON", "ids[]": "abc"})
    assert_error(r, 400, "ids", "integer")
    # refused exports leave no temporary file behind
    assert [p for p in client.app.state.settings.export_dir.rglob("*") if p.is_file()] == []


# ---------------------------------------------------------------- label configs


MISSING_TARGET = """<View>
  <Image name="image" value="$image_path"/>
  <Choices name="class" toName="picture"><Choice value="a"/></Choices>
</View>"""


def test_label_config_that_is_not_xml(client, app, settings, seeded):
    before = state(app, settings)
    for bad in ("this is not XML", "<View><Image name='i' value='$i'></View>", "<View"):
        r = client.post("/api/projects", json={"title": "bad", "label_config": bad})
        assert_error(r, 400, "XML", field="label_config")
        r = client.patch(f"/api/projects/{seeded['project']}", json={"label_config": bad})
        assert_error(r, 400, "XML", field="label_config")
    r = client.post("/api/projects/validate", json={"label_config": "this is not XML"})
    assert_error(r, 400, "XML", field="label_config")
    assert state(app, settings) == before


def test_label_config_whose_to_name_points_nowhere(client, app, settings, seeded):
    pid = seeded["project"]
    project_before = client.get(f"/api/projects/{pid}").json()
    before = state(app, settings)
    r = client.post("/api/projects", json={"title": "bad", "label_config": MISSING_TARGET})
    assert_error(r, 400, "picture", "toName", field="label_config")
    r = client.patch(f"/api/projects/{pid}", json={"label_config": MISSING_TARGET, "title": "renamed"})
    assert_error(r, 400, "picture", "toName", field="label_config")
    r = client.post(f"/api/projects/{pid}/validate", json={"label_config": MISSING_TARGET})
    assert_error(r, 400, "picture", field="label_config")
    assert state(app, settings) == before
    assert client.get(f"/api/projects/{pid}").json() == project_before


# ---------------------------------------------------------------- unknown ids


def test_unknown_ids_are_404(client, app, settings, seeded):
    pid, missing = seeded["project"], 987654
    before = state(app, settings)
    cases = [
        ("GET", f"/api/projects/{missing}", "Project"),
        ("PATCH", f"/api/projects/{missing}", "Project"),
        ("DELETE", f"/api/projects/{missing}", "Project"),
        ("POST", f"/api/projects/{missing}/import", "Project"),
        ("GET", f"/api/projects/{missing}/export", "Project"),
        ("GET", f"/api/tasks/{missing}", "Task"),
        ("PATCH", f"/api/tasks/{missing}", "Task"),
        ("DELETE", f"/api/tasks/{missing}", "Task"),
        ("GET", f"/api/tasks/{missing}/annotations", "Task"),
        ("POST", f"/api/tasks/{missing}/annotations", "Task"),
        ("GET", f"/api/tasks?project={missing}", "Project"),
        ("GET", f"/api/annotations/{missing}", "Annotation"),
        ("PATCH", f"/api/annotations/{missing}", "Annotation"),
        ("DELETE", f"/api/annotations/{missing}", "Annotation"),
        ("GET", f"/api/predictions/{missing}", "Prediction"),
        ("PATCH", f"/api/predictions/{missing}", "Prediction"),
        ("DELETE", f"/api/predictions/{missing}", "Prediction"),
        ("POST", "/api/predictions", "Task"),
        ("GET", f"/api/dm/views/{missing}", "View"),
        ("PATCH", f"/api/dm/views/{missing}", "View"),
        ("DELETE", f"/api/dm/views/{missing}", "View"),
        ("GET", f"/api/tasks?project={pid}&view={missing}", "View"),
        ("GET", f"/api/projects/{pid}/exports/{missing}", "Export"),
        ("GET", f"/api/projects/{pid}/exports/{missing}/download", "Export"),
    ]
    for method, url, what in cases:
        body = {"task": missing, "result": []} if url == "/api/predictions" else {"result": []}
        r = client.request(method, url, json=body if method in ("POST", "PATCH") else None)
        assert_error(r, 404, what, str(missing)), (method, url)
    assert state(app, settings) == before


def test_non_numeric_ids_are_404_like_label_studio(client):
    for url in ("/api/projects/abc", "/api/tasks/abc", "/api/annotations/abc", "/api/predictions/abc",
                "/api/dm/views/abc"):
        assert_error(client.get(url), 404)


def test_unknown_route_is_404_in_error_shape(client):
    assert_error(client.get("/api/no-such-thing"), 404)
    assert_error(client.get("/api/no-such-thing/"), 404)


# ---------------------------------------------------------------- uploads: size and type


@pytest.fixture
def small_app(settings):
    small = Settings(data_dir=settings.data_dir, database_url=settings.database_url, username=settings.username,
                     password=settings.password, user_token=settings.user_token, max_upload_mb=0.001)
    app = create_app(small)
    yield app
    app.state.engine.dispose()


def test_upload_over_the_size_limit(small_app, settings):
    with TestClient(small_app, headers={"Authorization": f"Token {settings.user_token}"}) as client:
        r = client.post("/api/projects", json={"title": "Small", "label_config":
                                               '<View><Image name="image" value="$image_path"/></View>'})
        pid = r.json()["id"]
        before = state(small_app, settings)
        big = PNG + b"\x00" * 4096
        r = client.post(f"/api/projects/{pid}/import", files={"file": ("big.png", big, "image/png")})
        assert_error(r, 413, "limit", "LABELHIVE_MAX_UPLOAD_MB")
        r = client.post(f"/api/projects/{pid}/import", files=[("file", ("small.png", PNG)), ("file", ("big.png", big))])
        assert_error(r, 413, "limit")
        r = client.post(f"/api/projects/{pid}/import", json=[{"image_path": "x" * 4096}])
        assert_error(r, 413, "limit")
        assert state(small_app, settings) == before
        # under the limit it works, so the limit is what refused the others
        r = client.post(f"/api/projects/{pid}/import", files={"file": ("small.png", PNG, "image/png")})
        assert r.status_code == 201, r.text


def test_chunked_import_over_the_size_limit(small_app, settings):
    with TestClient(small_app, headers={"Authorization": f"Token {settings.user_token}"}) as client:
        pid = client.post("/api/projects", json={"title": "Small", "label_config":
                                                 '<View><Image name="image" value="$image_path"/></View>'}).json()["id"]
        before = state(small_app, settings)
        body = json.dumps([{"image_path": "x" * 4096}]).encode()
        r = client.post(f"/api/projects/{pid}/import", content=iter([body[:100], body[100:]]),
                        headers={"Content-Type": "application/json"})
        assert "content-length" not in {k.lower() for k in r.request.headers}
        assert state(small_app, settings) == before
        assert_error(r, 413, "limit")


def test_size_limit_message_states_the_real_limit(small_app, settings):
    with TestClient(small_app, headers={"Authorization": f"Token {settings.user_token}"}) as client:
        pid = client.post("/api/projects", json={"title": "Small"}).json()["id"]
        r = client.post(f"/api/projects/{pid}/import", files={"file": ("big.png", PNG + b"\x00" * 4096)})
        detail = assert_error(r, 413)["detail"]
        assert "limit is 0 MB" not in detail and "0.0 MB" not in detail, detail


def test_file_type_not_allowed(client, app, settings, seeded):
    pid = seeded["project"]
    before = state(app, settings)
    for name in ("setup.exe", "script.sh", "archive.zip", "noextension"):
        r = client.post(f"/api/projects/{pid}/import", files={"file": (name, b"MZ\x90\x00payload")})
        assert_error(r, 400, name, "allowed", ".json", ".png")
    assert state(app, settings) == before


# ---------------------------------------------------------------- auth


def test_missing_or_wrong_credentials_are_401(anon, client, app, settings, seeded):
    before = state(app, settings)
    jwt = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjo0MTAyNDQ0ODAwLCJ1c2VyX2lk"
           "IjoxfQ.c2lnbmF0dXJlLXRoYXQtZG9lcy1ub3QtbWF0Y2g")
    for headers in ({}, {"Authorization": "Token " + "b" * 40}, {"Authorization": f"Bearer {jwt}"},
                    {"Authorization": "Token"}, {"Authorization": "Basic YWRtaW46c2VjcmV0"},
                    {"X-API-Key": "c" * 40}):
        for method, url in (("GET", "/api/projects"), ("GET", "/api/current-user/token"),
                            ("POST", f"/api/projects/{seeded['project']}/import"),
                            ("GET", f"/api/projects/{seeded['project']}/export")):
            r = anon.request(method, url, headers=headers, json=[{"image_path": "x.jpg"}] if method == "POST" else None)
            assert_error(r, 401), (headers, url)
            assert "token" not in r.json() or r.json().get("token") is None
    r = anon.get("/api/projects", headers={"Authorization": "Token " + "b" * 40})
    assert_error(r, 401, "invalid token")
    assert_error(anon.get("/api/projects"), 401, "credentials")
    assert state(app, settings) == before


def _login_token(app, email: str, password: str) -> str:
    """Log in as a browser does, then read the token, as the legacy SDK does."""
    with TestClient(app) as browser:
        browser.get("/user/login")
        r = browser.post("/user/login", data={"email": email, "password": password,
                                              "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
                         follow_redirects=False)
        assert r.status_code == 302, r.text
        r = browser.get("/api/current-user/token")
        assert r.status_code == 200, r.text
        return r.json()["token"]


def test_other_users_private_data(client, app, settings):
    me = client.get("/api/current-user/whoami").json()
    r = client.post("/api/users", json={"email": "bee@example.com", "password": "bee-password-1", "first_name": "B"})
    assert r.status_code == 201, r.text
    bee_id = r.json()["id"]
    assert "token" not in r.json() and "password" not in r.json()
    bee_token = _login_token(app, "bee@example.com", "bee-password-1")
    assert bee_token != settings.user_token
    with TestClient(app, headers={"Authorization": f"Token {bee_token}"}) as bee:
        assert bee.get("/api/current-user/whoami").json()["id"] == bee_id
        # B's token endpoint gives B's own token, never A's
        assert bee.get("/api/current-user/token").json()["token"] == bee_token
        seen = bee.get(f"/api/users/{me['id']}")
        assert seen.status_code in (200, 403, 404)
        assert settings.user_token not in seen.text and "password" not in seen.text
        assert settings.user_token not in bee.get("/api/users").text
        before = state(app, settings)
        r = bee.patch(f"/api/users/{me['id']}", json={"first_name": "Hacked", "password": "new-password-123"})
        assert_error(r, 405, "own")  # Label Studio's status for another member's profile
        r = bee.delete(f"/api/users/{me['id']}")
        assert_error(r, 403, "own")
        assert state(app, settings) == before
    # A is untouched: same name, same password (can still log in), same token, still active
    after = client.get("/api/current-user/whoami").json()
    assert after["first_name"] == me["first_name"]
    assert _login_token(app, settings.username, settings.password) == settings.user_token
    r = client.patch(f"/api/users/{me['id']}", json={"first_name": "Ay"})
    assert r.status_code == 200 and r.json()["first_name"] == "Ay"


# ---------------------------------------------------------------- paging and filters


def test_page_past_the_end_is_404_invalid_page(client, seeded):
    pid = seeded["project"]
    body = assert_error(client.get("/api/tasks", params={"project": pid, "page": 999}), 404)
    assert body["detail"] == "Invalid page."
    body = assert_error(client.get("/api/tasks", params={"project": pid, "page": 2, "page_size": 2}), 404)
    assert body["detail"] == "Invalid page."
    assert client.get("/api/tasks", params={"project": pid, "page": 1, "page_size": 2}).status_code == 200
    body = assert_error(client.get("/api/projects", params={"page": 999}), 404)
    assert body["detail"] == "Invalid page."
    body = assert_error(client.get(f"/api/projects/{pid}/tasks", params={"page": 999}), 404)
    assert body["detail"] == "Invalid page."
    assert_error(client.get("/api/tasks", params={"project": pid, "page": "two"}), 400, "page", "integer")


def test_filter_with_an_unknown_operator(client, app, settings, seeded):
    pid = seeded["project"]
    query = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:id", "operator": "bigger_than", "type": "Number", "value": 1}]}}
    r = client.get("/api/tasks", params={"project": pid, "query": json.dumps(query)})
    assert_error(r, 400, "bigger_than", "operator", "greater")
    query["filters"]["items"][0].update(operator="equal", filter="filter:tasks:no_such_column")
    r = client.get("/api/tasks", params={"project": pid, "query": json.dumps(query)})
    assert_error(r, 400, "no_such_column")
    r = client.get("/api/tasks", params={"project": pid, "query": "{not json"})
    assert_error(r, 400, "query", "JSON")
    # the same bad filter saved in a view is refused when the view is used, and a bulk action touches nothing
    r = client.patch(f"/api/dm/views/{seeded['view']}", json={"data": {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:id", "operator": "bigger_than", "type": "Number", "value": 1}]}}})
    before = state(app, settings)
    r = client.get("/api/tasks", params={"project": pid, "view": seeded["view"]})
    assert_error(r, 400, "bigger_than")
    r = client.post("/api/dm/actions", params={"project": pid, "id": "delete_tasks"},
                    json={"filters": {"conjunction": "and", "items": [
                        {"filter": "filter:tasks:id", "operator": "bigger_than", "type": "Number", "value": 0}]},
                          "selectedItems": {"all": True, "excluded": []}})
    assert_error(r, 400, "bigger_than")
    assert state(app, settings) == before


# ---------------------------------------------------------------- trailing slashes


def test_every_route_answers_with_and_without_a_trailing_slash(client, seeded):
    pid, tid, aid = seeded["project"], seeded["tasks"][0], seeded["annotation"]
    pred, view = seeded["prediction"], seeded["view"]
    reads = [
        "/health", "/api/version", "/api/current-user/whoami", "/api/current-user/token", "/api/users",
        f"/api/users/{seeded['user']}", "/api/organizations", "/api/projects", f"/api/projects/{pid}",
        f"/api/projects/{pid}/tasks", f"/api/projects/{pid}/export/formats",
        f"/api/projects/{pid}/export?exportType=JSON", f"/api/projects/{pid}/exports",
        f"/api/projects/{pid}/file-uploads", f"/api/projects/{pid}/model-versions", f"/api/tasks?project={pid}",
        f"/api/tasks/{tid}", f"/api/tasks/{tid}/annotations", f"/api/annotations/{aid}",
        f"/api/predictions?task={tid}", f"/api/predictions/{pred}", f"/api/dm/views?project={pid}",
        f"/api/dm/views/{view}", f"/api/dm/actions?project={pid}",
    ]
    for url in reads:
        path, _, query = url.partition("?")
        answers = []
        for variant in (path, path + "/"):
            r = client.get(variant + ("?" + query if query else ""), follow_redirects=False)
            assert not 300 <= r.status_code < 400, (variant, r.status_code, r.headers.get("location"))
            assert r.status_code == 200, (variant, r.text)
            answers.append(r)
        if answers[0].headers["content-type"].startswith("application/json") and "export" not in path:
            assert answers[0].json() == answers[1].json(), path
    choice = {"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}
    writes = [
        ("POST", "/api/projects", {"title": "slash"}, 201),
        ("PATCH", f"/api/projects/{pid}", {"description": "d"}, 200),
        ("POST", "/api/projects/validate", {"label_config": "<View></View>"}, 200),
        ("POST", f"/api/projects/{pid}/import", [{"image_path": "1.jpg"}], 201),
        ("POST", "/api/tasks", {"project": pid, "data": {"image_path": "2.jpg"}}, 201),
        ("PATCH", f"/api/tasks/{tid}", {"meta": {"k": 1}}, 200),
        ("POST", f"/api/tasks/{tid}/annotations", {"result": [choice]}, 201),
        ("PATCH", f"/api/annotations/{aid}", {"lead_time": 2.5}, 200),
        ("POST", "/api/predictions", {"task": tid, "result": "rose"}, 201),
        ("PATCH", f"/api/predictions/{pred}", {"score": 0.7}, 200),
        ("POST", "/api/dm/views", {"project": pid, "data": {"title": "t"}}, 201),
        ("PATCH", f"/api/dm/views/{view}", {"data": {"title": "renamed"}}, 200),
        ("POST", f"/api/projects/{pid}/exports", {"title": "snap"}, 201),
    ]
    for method, path, body, status in writes:
        for variant in (path, path + "/"):
            r = client.request(method, variant, json=body, follow_redirects=False)
            assert r.status_code == status, (method, variant, r.status_code, r.text)
    # deletes, each object through one form
    extra = client.post("/api/predictions", json={"task": tid, "result": "rose"}).json()["id"]
    for variant in (f"/api/predictions/{pred}", f"/api/predictions/{extra}/"):
        r = client.delete(variant, follow_redirects=False)
        assert r.status_code == 204, (variant, r.text)
    assert_error(client.get(f"/api/predictions/{extra}/", follow_redirects=False), 404)


def test_bulk_annotations_with_a_foreign_task_or_a_bad_result_create_nothing(client, app, settings, seeded):
    pid, tids = seeded["project"], seeded["tasks"]
    other = client.post("/api/projects", json={"title": "Other"}).json()["id"]
    foreign = client.post(f"/api/projects/{other}/import?return_task_ids=true", json=[{"text": "x"}]).json()["task_ids"]
    before = state(app, settings)
    good = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
    r = client.post("/api/annotations/bulk", json={"project": pid, "tasks": tids + foreign, "result": good})
    assert_error(r, 400, f"not in project {pid}", "nothing was created", field="tasks")
    r = client.post("/api/annotations/bulk", json={"project": pid, "tasks": tids, "result": {"choices": "rose"}})
    assert_error(r, 400, "list")
    r = client.post("/api/annotations/bulk", json={"result": good})
    assert_error(r, 400, "tasks", "selected_items")
    r = client.post("/api/annotations/bulk-delete", json={"project": pid, "ids": list(range(1, 102))})
    assert_error(r, 400, "at most 100", field="ids")
    assert state(app, settings) == before
