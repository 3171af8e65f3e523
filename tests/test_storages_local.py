"""Local-directory storages: sync (incremental, regex, task files), safe serving, export on save."""
import dataclasses
import io
import json
import os
import time

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from conftest import FLOWERS, TOKEN
from labelhive.app import create_app


def jpeg(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "home"
    (root / "flowers" / "train" / "roses").mkdir(parents=True)
    (root / "flowers" / "train" / "a.jpg").write_bytes(jpeg("red"))
    (root / "flowers" / "train" / "roses" / "b.jpg").write_bytes(jpeg("blue"))
    (root / "flowers" / "train" / "notes.txt").write_text("not an image")
    (root / "secret.txt").write_text("top secret")
    return root


@pytest.fixture
def settings(settings, root):
    """conftest's settings, with this module's folder as the local files root."""
    return dataclasses.replace(settings, local_files_root=root)


@pytest.fixture
def lh(client):
    return client


def make_project(lh, config=FLOWERS):
    return lh.post("/api/projects", json={"title": "F", "label_config": config}).json()["id"]


def images(lh, pid):
    return sorted(t["data"]["image_path"] for t in lh.get(f"/api/tasks?project={pid}").json()["tasks"])


def test_sync_is_incremental_and_filtered(lh, root):
    pid = make_project(lh)
    r = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(root / "flowers" / "train"),
                                                   "regex_filter": r"\.jpe?g$", "use_blob_urls": True})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    synced = lh.post(f"/api/storages/localfiles/{sid}/sync").json()
    assert (synced["status"], synced["last_sync_count"]) == ("completed", 2)
    assert images(lh, pid) == ["/data/local-files/?d=flowers/train/a.jpg",
                               "/data/local-files/?d=flowers/train/roses/b.jpg"]
    (root / "flowers" / "train" / "c.jpg").write_bytes(jpeg("green"))
    again = lh.post(f"/api/storages/localfiles/{sid}/sync").json()
    assert again["last_sync_count"] == 1 and len(images(lh, pid)) == 3
    assert [s["id"] for s in lh.get(f"/api/storages?project={pid}").json()] == [sid]


def test_tasks_are_numbered_in_folder_order(lh, root):
    """A class-per-folder data set comes in folder by folder, in name order: daisy first, tulip last."""
    base = root / "flowers" / "test"
    for flower in ("tulip", "daisy", "rose"):
        (base / flower).mkdir(parents=True)
        for n in (2, 1, 10):
            (base / flower / f"{n:02d}.jpg").write_bytes(jpeg("white"))
    (base / "a-readme.jpg").write_bytes(jpeg("black"))
    pid = make_project(lh)
    sid = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(base), "use_blob_urls": True,
                                                     "recursive_scan": True}).json()["id"]
    assert lh.post(f"/api/storages/localfiles/{sid}/sync").json()["last_sync_count"] == 10
    tasks = lh.get(f"/api/tasks?project={pid}").json()["tasks"]
    by_id = [t["data"]["image_path"].split("flowers/test/")[1] for t in sorted(tasks, key=lambda t: t["id"])]
    assert by_id == ["a-readme.jpg"] + [f"{flower}/{n}.jpg" for flower in ("daisy", "rose", "tulip")
                                        for n in ("01", "02", "10")]


def test_task_json_files_are_read_when_not_using_blob_urls(lh, root):
    tasks_dir = root / "tasks"
    tasks_dir.mkdir()
    (tasks_dir / "batch.json").write_text(json.dumps([{"image_path": "x.jpg"}, {"image_path": "y.jpg"}]))
    (tasks_dir / "more.jsonl").write_text('{"data": {"image_path": "z.jpg"}}\n')
    pid = make_project(lh)
    sid = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(tasks_dir),
                                                     "use_blob_urls": False}).json()["id"]
    assert lh.post(f"/api/storages/localfiles/{sid}/sync").json()["last_sync_count"] == 3
    assert images(lh, pid) == ["x.jpg", "y.jpg", "z.jpg"]
    (tasks_dir / "bad.json").write_text('[{"image_path": "w.jpg"}, {"other": 1}]')
    r = lh.post(f"/api/storages/localfiles/{sid}/sync")
    assert r.status_code == 400 and "bad.json task #1" in r.json()["detail"] and "image_path" in r.json()["detail"]
    assert len(images(lh, pid)) == 3
    assert lh.get(f"/api/storages/localfiles/{sid}").json()["status"] == "failed"


def test_the_types_list_names_the_local_files_root(lh, root):
    for prefix in ("/api/storages", "/api/storages/export"):
        types = {t["name"]: t for t in lh.get(f"{prefix}/types").json()}
        assert types["localfiles"]["root"] == str(root)
        assert "root" not in types["s3"]


def test_paths_outside_the_root_are_refused(lh, root, tmp_path):
    pid = make_project(lh)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    r = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(outside)})
    assert r.status_code == 400 and "LABELHIVE_LOCAL_FILES_ROOT" in r.json()["validation_errors"]["path"][0]
    r = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(root / "missing")})
    assert r.status_code == 400 and "not a directory" in r.json()["validation_errors"]["path"][0]
    assert lh.get(f"/api/storages?project={pid}").json() == []


def test_serving_is_safe_and_supports_caching_and_ranges(lh, root, tmp_path):
    pid = make_project(lh)
    sid = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(root / "flowers" / "train"),
                                                     "use_blob_urls": True}).json()["id"]
    lh.post(f"/api/storages/localfiles/{sid}/sync")
    r = lh.get("/data/local-files/?d=flowers/train/a.jpg")
    assert r.status_code == 200 and r.content == (root / "flowers/train/a.jpg").read_bytes()
    assert r.headers["content-type"] == "image/jpeg" and r.headers["etag"] and r.headers["last-modified"]
    ranged = lh.get("/data/local-files/?d=flowers/train/a.jpg", headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 206 and ranged.content == r.content[:10]
    (tmp_path / "outside.txt").write_text("outside")
    os.symlink(tmp_path / "outside.txt", root / "flowers" / "train" / "link.jpg")
    os.symlink(root / "secret.txt", root / "flowers" / "train" / "inroot.jpg")
    for trick in ("flowers/train/../../secret.txt", "/etc/passwd", str(root / "secret.txt"), "secret.txt",
                  "flowers%2Ftrain%2F..%2F..%2Fsecret.txt", "flowers/train/link.jpg", "flowers/train/inroot.jpg",
                  "..%2Fdata%2Flabelhive.sqlite3", "flowers\\train\\a.jpg"):
        bad = lh.get(f"/data/local-files/?d={trick}")
        assert bad.status_code in (403, 404), trick
        assert b"top secret" not in bad.content and b"outside" not in bad.content
    assert lh.get("/data/local-files/?d=flowers/train/a.jpg", headers={"Authorization": "Token nope"}).status_code == 401
    (root / "flowers/train/a.jpg").unlink()
    gone = lh.get("/data/local-files/?d=flowers/train/a.jpg")
    assert gone.status_code == 404 and "moved or deleted" in gone.json()["detail"]


def test_export_storage_writes_on_save_and_removes_on_delete(lh, root):
    pid = make_project(lh)
    out = root / "exports"
    out.mkdir()
    lh.post("/api/projects/%d/import" % pid, json=[{"image_path": "a.jpg"}])
    tid = lh.get(f"/api/tasks?project={pid}").json()["tasks"][0]["id"]
    r = lh.post("/api/storages/export/localfiles", json={"project": pid, "path": str(out), "can_delete_objects": True})
    assert r.status_code == 201, r.text
    result = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
    ann = lh.post(f"/api/tasks/{tid}/annotations", json={"result": result}).json()
    written = json.loads((out / str(ann["id"])).read_text())
    assert written["result"] == result and written["task"]["id"] == tid
    assert written["task"]["data"] == {"image_path": "a.jpg"}
    lh.delete(f"/api/annotations/{ann['id']}")
    assert not (out / str(ann["id"])).exists()
    second = lh.post(f"/api/tasks/{tid}/annotations", json={"result": result}).json()
    (out / str(second["id"])).unlink()
    sid = lh.get(f"/api/storages/export?project={pid}").json()[0]["id"]
    assert lh.post(f"/api/storages/export/localfiles/{sid}/sync").json()["last_sync_count"] == 1
    assert (out / str(second["id"])).exists()


def test_thumbnails_of_local_files(lh, root):
    pid = make_project(lh)
    sid = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(root / "flowers" / "train"),
                                                     "regex_filter": r"a\.jpg$"}).json()["id"]
    lh.post(f"/api/storages/localfiles/{sid}/sync")
    tid = lh.get(f"/api/tasks?project={pid}").json()["tasks"][0]["id"]
    r = lh.get(f"/api/tasks/{tid}/thumbnail?field=image_path&size=64")
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(r.content)) as img:
        assert img.size == (40, 30) and img.convert("RGB").getpixel((5, 5))[0] > 200  # never upscaled
    # Repeat requests are answered from memory, but a changed or deleted source is noticed at once.
    source = root / "flowers" / "train" / "a.jpg"
    assert lh.get(f"/api/tasks/{tid}/thumbnail?field=image_path&size=64").content == r.content
    Image.new("RGB", (40, 30), (0, 0, 250)).save(source)
    os.utime(source, (time.time() + 5, time.time() + 5))
    with Image.open(io.BytesIO(lh.get(f"/api/tasks/{tid}/thumbnail?field=image_path&size=64").content)) as img:
        assert img.convert("RGB").getpixel((5, 5))[2] > 200
    source.unlink()
    gone = lh.get(f"/api/tasks/{tid}/thumbnail?field=image_path&size=64")
    assert gone.status_code == 404 and "deleted" in gone.json()["detail"]


def test_validate_checks_settings_without_saving(lh, root):
    pid = make_project(lh)
    good = lh.post("/api/storages/localfiles/validate", json={"project": pid, "path": str(root / "flowers")})
    assert good.status_code == 200 and "reachable" in good.json()["detail"]
    bad = lh.post("/api/storages/localfiles/validate", json={"project": pid, "path": str(root / "nope")})
    assert bad.status_code == 400 and "not a directory" in bad.json()["validation_errors"]["path"][0]
    assert lh.get(f"/api/storages?project={pid}").json() == []


def wait_for_sync(lh, sid):
    for _ in range(400):
        s = lh.get(f"/api/storages/localfiles/{sid}").json()
        if s["status"] not in ("queued", "in_progress"):
            return s
        time.sleep(0.05)
    raise AssertionError(f"sync of storage {sid} did not finish: {s}")


def test_background_sync_reports_progress_and_outcome(lh, root):
    folder = root / "many"
    folder.mkdir()
    for i in range(2500):
        (folder / f"{i:05d}.jpg").write_bytes(b"x")
    pid = make_project(lh)
    sid = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(folder)}).json()["id"]
    started = lh.post(f"/api/storages/localfiles/{sid}/sync?background=true")
    assert started.status_code == 200 and started.json()["status"] == "queued"
    assert started.json()["meta"]["progress"]["phase"] == "queued"
    done = wait_for_sync(lh, sid)
    assert (done["status"], done["last_sync_count"]) == ("completed", 2500)
    # No progress once done; Label Studio's record of the sync instead.
    assert "progress" not in done["meta"] and done["meta"]["tasks_existed"] == 0
    assert done["meta"]["time_queued"] <= done["meta"]["time_in_progress"] <= done["meta"]["time_completed"]
    assert lh.get(f"/api/projects/{pid}").json()["task_number"] == 2500
    # A failure in the background is recorded on the storage, with nothing imported.
    (folder / "00000.jpg").unlink()
    (folder / "broken.json").write_text("{not json")
    lh.patch(f"/api/storages/localfiles/{sid}", json={"use_blob_urls": False, "regex_filter": r"\.json$"})
    lh.post(f"/api/storages/localfiles/{sid}/sync?background=1")
    failed = wait_for_sync(lh, sid)
    assert failed["status"] == "failed" and "broken.json" in failed["traceback"]
    assert lh.get(f"/api/projects/{pid}").json()["task_number"] == 2500


def test_a_restart_fails_a_stopped_sync_but_not_a_live_process_sync(settings, root):
    """A sync whose lease ended (its process died) is failed with the reason at start-up; one whose lease is
    still being renewed belongs to another live process on the same database and is left running."""
    from datetime import datetime, timedelta, timezone

    from labelhive.models import Storage

    app = create_app(settings)
    with TestClient(app, headers={"Authorization": f"Token {TOKEN}"}) as client:
        pid = make_project(client)
        stopped, live = (client.post("/api/storages/localfiles", json={"project": pid, "path": str(root / "flowers")})
                         .json()["id"] for _ in range(2))
    now = datetime.now(timezone.utc)
    with app.state.sessions() as session:  # as the two processes left them
        for sid, lease in ((stopped, now - timedelta(seconds=5)), (live, now + timedelta(seconds=600))):
            row = session.get(Storage, sid)
            row.status, row.lease_until = "in_progress", lease
        session.commit()
    app.state.engine.dispose()
    restarted = create_app(settings)
    with TestClient(restarted, headers={"Authorization": f"Token {TOKEN}"}) as client:
        s = client.get(f"/api/storages/localfiles/{stopped}").json()
        assert s["status"] == "failed" and "Start it again" in s["traceback"]
        assert client.get(f"/api/storages/localfiles/{live}").json()["status"] == "in_progress"
    restarted.state.engine.dispose()


def test_annotations_made_in_bulk_reach_the_export_storage(lh, root):
    pid = make_project(lh)
    out = root / "bulk-exports"
    out.mkdir()
    choice = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
    ids = lh.post(f"/api/projects/{pid}/import?return_task_ids=true", json=[
        {"data": {"image_path": f"{i}.jpg"}, "predictions": [{"result": choice, "model_version": "m1"}]}
        for i in range(3)]).json()["task_ids"]
    assert lh.post("/api/storages/export/localfiles", json={"project": pid, "path": str(out)}).status_code == 201
    r = lh.post(f"/api/dm/actions?id=predictions_to_annotations&project={pid}",
                json={"selectedItems": {"all": True, "excluded": []}, "model_version": "m1"})
    assert r.json()["processed_items"] == 3
    bulk = lh.post("/api/annotations/bulk", json={"project": pid, "tasks": ids[:2], "result": choice}).json()
    expected = {a["id"] for t in ids for a in lh.get(f"/api/tasks/{t}").json()["annotations"]}
    assert len(expected) == 5 and {a["id"] for a in bulk} <= expected
    for _ in range(100):  # written by the worker, after the answer
        if {int(f.name) for f in out.iterdir()} == expected:
            break
        time.sleep(0.05)
    assert {int(f.name) for f in out.iterdir()} == expected
    written = json.loads((out / str(bulk[0]["id"])).read_text())
    assert written["result"] == choice and written["task"]["id"] == ids[0]


def test_a_sync_running_in_another_process_is_not_started_twice(lh, root, app):
    """The claim is in the database, not in this process's memory: a storage another process is syncing
    (in_progress, lease live) refuses a second background sync with a message, and takes one once it ended."""
    from datetime import datetime, timedelta, timezone

    from labelhive.models import Storage

    pid = make_project(lh)
    sid = lh.post("/api/storages/localfiles", json={"project": pid, "path": str(root / "flowers")}).json()["id"]
    with app.state.sessions() as session:
        row = session.get(Storage, sid)
        row.status, row.lease_until = "in_progress", datetime.now(timezone.utc) + timedelta(seconds=600)
        session.commit()
    r = lh.post(f"/api/storages/localfiles/{sid}/sync?background=true")
    assert r.status_code == 400 and "already syncing" in r.json()["detail"]
    with app.state.sessions() as session:
        session.get(Storage, sid).status = "completed"
        session.commit()
    r = lh.post(f"/api/storages/localfiles/{sid}/sync?background=true")
    assert r.status_code == 200, r.text
    for _ in range(200):
        s = lh.get(f"/api/storages/localfiles/{sid}").json()
        if s["status"] not in ("queued", "in_progress"):
            break
        time.sleep(0.05)
    assert s["status"] == "completed" and s["last_sync_count"] > 0, s
