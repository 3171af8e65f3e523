"""Export files in S3-compatible storage (LABELHIVE_MEDIA_URL, issue 16): two servers that share the database
but not a disk (two data dirs), as a web machine and a worker machine would. An export written by one is
downloaded from the other, as JSON and converted, and deleting it removes it from the bucket."""
import time

import boto3
import httpx
import pytest

from cloud_servers import start_moto
from export_helpers import DETECTION
from server import live_server


@pytest.fixture
def bucket():
    endpoint, keys, stop = start_moto()
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    s3.create_bucket(Bucket="exports")
    env = {"LABELHIVE_MEDIA_URL": "s3://exports/team", "AWS_ENDPOINT_URL": endpoint,
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": keys["aws_access_key_id"],
           "AWS_SECRET_ACCESS_KEY": keys["aws_secret_access_key"]}
    yield s3, env
    stop()


def keys_in(s3) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket="exports").get("Contents", [])}


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
