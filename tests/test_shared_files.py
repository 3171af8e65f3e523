"""Uploads and export files in S3-compatible storage (LABELHIVE_MEDIA_URL, issue 16): two servers that share the
database but not a disk (two data dirs), as a web machine and a worker machine would. An export written by one is
downloaded from the other, as JSON and converted; an image uploaded to one is served, thumbnailed and exported
by the other; deleting removes them from the bucket."""
import io
import time
import uuid

import boto3
import httpx
import pytest

from cloud_servers import start_moto
from export_helpers import DETECTION
from server import live_server


@pytest.fixture(scope="module")
def moto():
    endpoint, keys, stop = start_moto()  # one per process: its users and buckets are the process's
    yield endpoint, keys
    stop()


@pytest.fixture
def bucket(moto):
    endpoint, keys = moto
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    name = f"exports-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    env = {"LABELHIVE_MEDIA_URL": f"s3://{name}/team", "AWS_ENDPOINT_URL": endpoint,
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": keys["aws_access_key_id"],
           "AWS_SECRET_ACCESS_KEY": keys["aws_secret_access_key"]}
    s3.bucket_name = name
    yield s3, env


def keys_in(s3) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=s3.bucket_name).get("Contents", [])}


def test_an_export_written_on_one_machine_is_downloaded_from_another(tmp_path, bucket):
    s3, env = bucket
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    with live_server(tmp_path / "a", database_url=database, extra_env=env) as a, \
            live_server(tmp_path / "b", database_url=database, extra_env=env) as b, \
            httpx.Client(base_url=a.url, headers=b.headers, timeout=60) as on_a, \
            httpx.Client(base_url=b.url, headers=b.headers, timeout=60) as on_b:
        pid = on_a.post("/api/projects", json={"title": "P", "label_config": DETECTION}).json()["id"]
        box = {"from_name": "label", "to_name": "image", "type": "rectanglelabels",
               "value": {"x": 10, "y": 10, "width": 20, "height": 20, "rectanglelabels": ["Car"]}}
        on_a.post(f"/api/projects/{pid}/import", json=[
            {"data": {"image": f"http://img/{i}.jpg"}, "annotations": [{"result": [box]}]} for i in range(30)])
        eid = on_a.post(f"/api/projects/{pid}/exports", json={}).json()["id"]
        deadline = time.monotonic() + 60
        while (snap := on_b.get(f"/api/projects/{pid}/exports/{eid}").json())["status"] != "completed":
            assert snap["status"] == "in_progress" and time.monotonic() < deadline, snap
            time.sleep(0.1)
        assert f"team/export/snapshot-{eid}.json" in keys_in(s3)
        assert not (tmp_path / "b" / "export" / f"snapshot-{eid}.json").exists()  # b has never seen it

        exported = on_b.get(f"/api/projects/{pid}/exports/{eid}/download").json()
        assert [t["data"]["image"] for t in exported] == [f"http://img/{i}.jpg" for i in range(30)]
        csv = on_b.get(f"/api/projects/{pid}/exports/{eid}/download", params={"exportType": "CSV"})
        assert csv.status_code == 200 and csv.text.count("\n") >= 31

        on_a.post(f"/api/projects/{pid}/exports/{eid}/convert", json={"export_type": "COCO"})
        deadline = time.monotonic() + 60
        while not any(c["status"] == "completed" for c in
                      on_b.get(f"/api/projects/{pid}/exports/{eid}").json()["converted_formats"]):
            assert time.monotonic() < deadline, "the conversion did not finish"
            time.sleep(0.1)
        coco = on_b.get(f"/api/projects/{pid}/exports/{eid}/download", params={"exportType": "COCO"})
        assert coco.status_code == 200 and coco.content[:2] == b"PK"  # the zip a's worker made, from the bucket

        assert on_b.delete(f"/api/projects/{pid}/exports/{eid}").status_code == 204
        assert not {k for k in keys_in(s3) if f"snapshot-{eid}" in k}


def test_an_upload_to_one_machine_is_served_by_another(tmp_path, bucket):
    from PIL import Image

    s3, env = bucket
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture, "PNG")
    with live_server(tmp_path / "a", database_url=database, extra_env=env) as a, \
            live_server(tmp_path / "b", database_url=database, extra_env=env) as b, \
            httpx.Client(base_url=a.url, headers=b.headers, timeout=60) as on_a, \
            httpx.Client(base_url=b.url, headers=b.headers, timeout=60) as on_b:
        pid = on_a.post("/api/projects", json={"title": "P", "label_config": DETECTION}).json()["id"]
        r = on_a.post(f"/api/projects/{pid}/import", files={"file": ("red.png", picture.getvalue(), "image/png")})
        assert r.status_code == 201, r.text
        task = on_b.get("/api/tasks", params={"project": pid, "fields": "all"}).json()["tasks"][0]
        url = task["data"]["image"]
        assert url.startswith(f"/data/upload/{pid}/")
        assert any(k.startswith(f"team/media/upload/{pid}/") for k in keys_in(s3))
        served = on_b.get(url)
        assert served.status_code == 200 and served.content == picture.getvalue()
        thumb = on_b.get(f"/api/tasks/{task['id']}/thumbnail", params={"field": "image", "size": 128})
        assert thumb.status_code == 200 and thumb.content[:3] == b"\xff\xd8\xff"  # a JPEG made on b

        assert on_b.delete(f"/api/projects/{pid}").status_code == 204
        assert not [k for k in keys_in(s3) if k.startswith(f"team/media/upload/{pid}/")]
