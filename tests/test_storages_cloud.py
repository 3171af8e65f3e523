"""Cloud storages (S3, Azure Blob, GCS) against real servers on loopback: validate, sync, export, presign."""
import base64
import io
import json
import uuid
from urllib.parse import quote

import boto3
import httpx
import pytest
from PIL import Image

import cloud_servers as servers

RESULT = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]


def jpeg(color="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def no_ambient_cloud_credentials(monkeypatch):
    """Only the settings under test may reach a server: no keys from the environment, no metadata service."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "GOOGLE_APPLICATION_CREDENTIALS", "STORAGE_EMULATOR_HOST", "AZURE_STORAGE_CONNECTION_STRING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")


@pytest.fixture
def refused():
    """An endpoint where nothing listens: connecting fails at once."""
    endpoint, sock = servers.refusing_endpoint()
    yield endpoint
    sock.close()


@pytest.fixture(scope="session")
def moto():
    endpoint, keys, stop = servers.start_moto()
    yield endpoint, keys
    stop()


@pytest.fixture
def s3(moto):
    """A fresh bucket; returns (storage settings for it, a boto3 client of the test's own)."""
    endpoint, keys = moto
    bucket = f"lh-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    client.create_bucket(Bucket=bucket)
    return {"bucket": bucket, "s3_endpoint": endpoint, "region_name": "us-east-1", **keys}, client


@pytest.fixture(scope="session")
def azurite():
    try:
        endpoint, stop = servers.start_azurite()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    yield endpoint
    stop()


@pytest.fixture(scope="session")
def gcs_emulator():
    endpoint, stop = servers.start_gcs()
    yield endpoint
    stop()


def add_s3(client, pid, settings, kind="import", **extra):
    path = "/api/storages/export/s3" if kind == "export" else "/api/storages/s3"
    return client.post(path, json={"project": pid, "title": "bucket", **settings, **extra})


def tasks_of(client, pid):
    return client.get(f"/api/tasks?project={pid}").json()


def test_s3_wrong_credentials_and_unreachable_endpoints_are_refused(client, project, s3, moto, refused):
    settings, _ = s3
    pid = project["id"]
    servers.set_s3_auth(moto[0], True)
    try:
        r = add_s3(client, pid, settings, aws_secret_access_key="wrong", use_blob_urls=True)
        assert r.status_code == 400 and "aws_secret_access_key" in r.json()["detail"], r.text
        r = add_s3(client, pid, settings, aws_access_key_id="AKIANOTAKEY", use_blob_urls=True)
        assert r.status_code == 400 and "aws_access_key_id" in r.json()["detail"]
        r = add_s3(client, pid, settings, bucket="no-such-bucket-here")
        assert r.status_code == 400 and "no bucket 'no-such-bucket-here'" in r.json()["detail"]
        assert add_s3(client, pid, settings).status_code == 201  # the right keys pass while auth is on
    finally:
        servers.set_s3_auth(moto[0], False)
    r = add_s3(client, pid, settings, s3_endpoint=refused)
    assert r.status_code == 400 and "Cannot connect" in r.json()["detail"] and "s3_endpoint" in r.json()["detail"]
    r = client.post("/api/storages/s3/validate", json={"project": pid, **settings, "bucket": "missing-bucket"})
    assert r.status_code == 400
    assert [s["bucket"] for s in client.get(f"/api/storages?project={pid}").json()] == [settings["bucket"]]
    listed = client.get(f"/api/storages?project={pid}").json()[0]
    assert "aws_secret_access_key" not in listed and listed["aws_secret_access_key_is_set"] is True
    s3[1].delete_bucket(Bucket=settings["bucket"])  # the bucket goes away after the storage was set up
    r = client.post(f"/api/storages/s3/{listed['id']}/sync")
    assert r.status_code == 400 and f"no bucket '{settings['bucket']}'" in r.json()["detail"]
    failed = client.get(f"/api/storages/s3/{listed['id']}").json()
    assert failed["status"] == "failed" and "no bucket" in failed["traceback"]


def test_s3_sync_of_10k_objects_is_incremental_and_filtered(client, project, s3):
    settings, bucket = s3
    pid = project["id"]
    servers.seed_s3(settings["bucket"], {f"photos/{i:05d}.jpg": b"x" for i in range(10_000)}
                    | {"photos/readme.txt": b"not an image", "elsewhere/a.jpg": b"x"})
    r = add_s3(client, pid, settings, prefix="photos", regex_filter=r"\.jpg$", use_blob_urls=True, presign=False)
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    synced = client.post(f"/api/storages/s3/{sid}/sync").json()
    assert (synced["status"], synced["last_sync_count"]) == ("completed", 10_000), synced
    page = client.get(f"/api/tasks?project={pid}&page_size=3").json()
    assert page["total"] == 10_000 and stored_uri(page["tasks"][0]).startswith(f"s3://{settings['bucket']}/photos/")
    bucket.put_object(Bucket=settings["bucket"], Key="photos/new/10000.jpg", Body=b"x")
    bucket.put_object(Bucket=settings["bucket"], Key="photos/new/notes.md", Body=b"x")
    again = client.post(f"/api/storages/s3/{sid}/sync").json()
    assert again["last_sync_count"] == 1
    assert client.get(f"/api/tasks?project={pid}&page_size=1").json()["total"] == 10_001


def test_s3_recursive_scan_off_reads_only_the_top_folder(client, project, s3):
    settings, bucket = s3
    for key in ("top/a.jpg", "top/deeper/b.jpg"):
        bucket.put_object(Bucket=settings["bucket"], Key=key, Body=jpeg())
    sid = add_s3(client, project["id"], settings, prefix="top/", recursive_scan=False, use_blob_urls=True).json()["id"]
    assert client.post(f"/api/storages/s3/{sid}/sync").json()["last_sync_count"] == 1
    [task] = tasks_of(client, project["id"])["tasks"]
    assert stored_uri(task) == f"s3://{settings['bucket']}/top/a.jpg"


def test_s3_task_files_and_a_bad_file_imports_nothing(client, project, s3):
    settings, bucket = s3
    pid = project["id"]

    def put(key, body):
        bucket.put_object(Bucket=settings["bucket"], Key=key, Body=body)

    img = f"s3://{settings['bucket']}/img"
    put("tasks/1.json", json.dumps([{"image_path": f"{img}/1.jpg"}, {"data": {"image_path": f"{img}/2.jpg"}}]))
    put("tasks/2.json", f'[{{"image_path": "{img}/3.jpg"}}, {{"image_path": ')  # cut short
    put("tasks/3.jsonl", json.dumps({"image_path": f"{img}/4.jpg"}) + "\n")
    sid = add_s3(client, pid, settings, prefix="tasks", use_blob_urls=False).json()["id"]
    r = client.post(f"/api/storages/s3/{sid}/sync")
    assert r.status_code == 400
    assert "tasks/2.json" in r.json()["detail"] and "nothing was imported" in r.json()["detail"]
    assert tasks_of(client, pid)["total"] == 0
    assert client.get(f"/api/storages/s3/{sid}").json()["status"] == "failed"
    put("tasks/2.json", json.dumps({"image_path": f"{img}/3.jpg"}))
    assert client.post(f"/api/storages/s3/{sid}/sync").json()["last_sync_count"] == 4
    uris = sorted(stored_uri(t) for t in tasks_of(client, pid)["tasks"])
    assert uris == [f"{img}/1.jpg", f"{img}/2.jpg", f"{img}/3.jpg", f"{img}/4.jpg"]


def test_s3_export_on_save_delete_and_sync(client, project, s3):
    settings, bucket = s3
    pid = project["id"]
    tid = client.post(f"/api/projects/{pid}/import", json=[{"image_path": "s3://photos/a.jpg"}],
                      params={"return_task_ids": "true"}).json()["task_ids"][0]
    r = add_s3(client, pid, settings, kind="export", prefix="annotations", can_delete_objects=True)
    assert r.status_code == 201, r.text
    ann = client.post(f"/api/tasks/{tid}/annotations", json={"result": RESULT}).json()
    key = f"annotations/{ann['id']}"
    written = json.loads(bucket.get_object(Bucket=settings["bucket"], Key=key)["Body"].read())
    assert written["id"] == ann["id"] and written["result"] == RESULT
    assert written["task"]["id"] == tid and written["task"]["data"] == {"image_path": "s3://photos/a.jpg"}
    client.delete(f"/api/annotations/{ann['id']}")
    assert bucket.list_objects_v2(Bucket=settings["bucket"])["KeyCount"] == 0
    second = client.post(f"/api/tasks/{tid}/annotations", json={"result": RESULT}).json()
    bucket.delete_object(Bucket=settings["bucket"], Key=f"annotations/{second['id']}")
    sid = client.get(f"/api/storages/export?project={pid}").json()[0]["id"]
    assert client.post(f"/api/storages/export/s3/{sid}/sync").json()["last_sync_count"] == 1
    assert bucket.get_object(Bucket=settings["bucket"], Key=f"annotations/{second['id']}")["ContentLength"] > 0


def stored_uri(task: dict) -> str:
    """The cloud URI behind the /tasks/{id}/presign link that task JSON shows."""
    link = task["data"]["image_path"]
    assert link.startswith(f"/tasks/{task['id']}/presign/?fileuri="), link
    return base64.urlsafe_b64decode(link.partition("fileuri=")[2]).decode()


def _one_synced_task(client, pid, sync_path):
    assert client.post(sync_path).json()["last_sync_count"] == 1
    [task] = client.get(f"/api/tasks?project={pid}").json()["tasks"]
    return task["id"], stored_uri(task)


def _check_presign_and_proxy(client, tid, uri, body, storage_path):
    """Redirect to a presigned URL that the server itself honours, then the same bytes streamed through us."""
    link = client.get(f"/api/tasks/{tid}").json()["data"]["image_path"]
    assert link.startswith(f"/tasks/{tid}/presign/?fileuri=")
    redirect = client.get(link, follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["cache-control"] == "no-store"
    fetched = httpx.get(redirect.headers["location"])
    assert fetched.status_code == 200 and fetched.content == body
    assert client.patch(storage_path, json={"presign": False}).status_code == 200
    proxied = client.get(link)
    assert proxied.status_code == 200 and proxied.content == body
    assert proxied.headers["content-type"] == "image/jpeg"
    ranged = client.get(link, headers={"Range": "bytes=2-9"})
    assert ranged.status_code == 206 and ranged.content == body[2:10]
    assert ranged.headers["content-range"] == f"bytes 2-9/{len(body)}"
    raw = client.get(f"/tasks/{tid}/resolve?fileuri={quote(uri, safe='')}")  # SDK 1.0.x sends the URI itself
    assert raw.status_code == 200 and raw.content == body


def test_s3_presign_redirect_proxy_and_refusals(client, anon, project, s3):
    settings, bucket = s3
    pid = project["id"]
    body = jpeg("blue")
    bucket.put_object(Bucket=settings["bucket"], Key="media/a.jpg", Body=body, ContentType="image/jpeg")
    sid = add_s3(client, pid, settings, prefix="media", use_blob_urls=True, presign_ttl=5).json()["id"]
    tid, uri = _one_synced_task(client, pid, f"/api/storages/s3/{sid}/sync")
    assert uri == f"s3://{settings['bucket']}/media/a.jpg"
    nxt = client.get(f"/api/projects/{pid}/next").json()
    assert nxt["data"]["image_path"].startswith(f"/tasks/{tid}/presign/")
    link = client.get(f"/api/tasks?project={pid}").json()["tasks"][0]["data"]["image_path"]
    assert "X-Amz-Signature" in client.get(link, follow_redirects=False).headers["location"]
    _check_presign_and_proxy(client, tid, uri, body, f"/api/storages/s3/{sid}")
    assert anon.get(link).status_code == 401
    # A URI the task does not hold is refused, even in the storage's bucket.
    secret = quote(f"s3://{settings['bucket']}/secret.txt", safe="")
    r = client.get(f"/tasks/{tid}/presign?fileuri={secret}")
    assert r.status_code == 403
    assert client.get(f"/tasks/{tid}/presign?fileuri=bm90IGEgdXJp").status_code == 400
    assert client.get(f"{link}&check=1").json()["detail"] == f"{uri} is available."
    bucket.delete_object(Bucket=settings["bucket"], Key="media/a.jpg")
    gone = client.get(link)
    assert gone.status_code == 404 and "moved or deleted" in gone.json()["detail"]
    # In presign mode the redirect would hide this behind the provider's error; ?check=1 says it plainly.
    assert client.patch(f"/api/storages/s3/{sid}", json={"presign": True}).status_code == 200
    assert client.get(link, follow_redirects=False).status_code == 303
    gone = client.get(f"{link}&check=1")
    assert gone.status_code == 404 and "moved or deleted" in gone.json()["detail"]
    client.delete(f"/api/storages/s3/{sid}")
    r = client.get(link)
    assert r.status_code == 404 and "no s3 import storage" in r.json()["detail"]
    # Like Label Studio, URIs of buckets that no storage of the project reads are shown as they are.
    assert client.get(f"/api/tasks/{tid}").json()["data"]["image_path"] == uri


def test_azure_blob_validate_sync_export_presign(client, project, azurite, refused):
    from azure.storage.blob import BlobServiceClient

    pid = project["id"]
    container = f"lh-{uuid.uuid4().hex[:12]}"
    service = BlobServiceClient(azurite, credential={"account_name": servers.AZURITE_ACCOUNT,
                                                     "account_key": servers.AZURITE_KEY})
    box = service.create_container(container)
    body = jpeg("green")
    box.upload_blob("media/a.jpg", body)
    box.upload_blob("media/notes.txt", b"text")
    settings = {"project": pid, "container": container, "account_name": servers.AZURITE_ACCOUNT,
                "account_key": servers.AZURITE_KEY, "azure_endpoint": azurite}
    wrong_key = servers.AZURITE_KEY[:-8] + "AAAAAAA="
    r = client.post("/api/storages/azure", json={**settings, "account_key": wrong_key})
    assert r.status_code == 400 and "account_key" in r.json()["detail"], r.text
    r = client.post("/api/storages/azure", json={**settings, "container": "missing"})
    assert r.status_code == 400 and "no container 'missing'" in r.json()["detail"]
    r = client.post("/api/storages/azure", json={**settings, "azure_endpoint": refused + "/x"})
    assert r.status_code == 400 and "Cannot connect" in r.json()["detail"]
    assert client.get(f"/api/storages?project={pid}").json() == []
    r = client.post("/api/storages/azure", json={**settings, "prefix": "media", "regex_filter": r"\.jpg$",
                                                 "use_blob_urls": True})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    tid, uri = _one_synced_task(client, pid, f"/api/storages/azure/{sid}/sync")
    assert uri == f"azure-blob://{container}/media/a.jpg"
    _check_presign_and_proxy(client, tid, uri, body, f"/api/storages/azure/{sid}")
    r = client.post("/api/storages/export/azure", json={**settings, "prefix": "out", "can_delete_objects": True})
    assert r.status_code == 201, r.text
    ann = client.post(f"/api/tasks/{tid}/annotations", json={"result": RESULT}).json()
    written = json.loads(box.download_blob(f"out/{ann['id']}").readall())
    assert written["result"] == RESULT and written["task"]["data"]["image_path"] == uri
    client.delete(f"/api/annotations/{ann['id']}")
    assert [b.name for b in box.list_blobs(name_starts_with="out/")] == []


def test_gcs_validate_sync_export_presign(client, project, gcs_emulator, refused):
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    pid = project["id"]
    gcs = storage.Client(project="test", credentials=AnonymousCredentials(),
                         client_options={"api_endpoint": gcs_emulator})
    bucket = gcs.create_bucket(f"lh-{uuid.uuid4().hex[:12]}")
    body = jpeg("yellow")
    bucket.blob("media/a.jpg").upload_from_string(body, content_type="image/jpeg")
    bucket.blob("media/deeper/b.jpg").upload_from_string(body, content_type="image/jpeg")
    settings = {"project": pid, "bucket": bucket.name, "gcs_endpoint": gcs_emulator,
                "google_application_credentials": servers.service_account_json()}
    r = client.post("/api/storages/gcs", json={**settings, "google_application_credentials": "{not json"})
    assert r.status_code == 400 and "google_application_credentials" in r.json()["detail"], r.text
    r = client.post("/api/storages/gcs", json={**settings, "bucket": "missing-bucket"})
    assert r.status_code == 400 and "no bucket 'missing-bucket'" in r.json()["detail"]
    r = client.post("/api/storages/gcs", json={**settings, "gcs_endpoint": refused})
    assert r.status_code == 400 and "Cannot connect" in r.json()["detail"]
    assert client.get(f"/api/storages?project={pid}").json() == []
    r = client.post("/api/storages/gcs", json={**settings, "prefix": "media", "recursive_scan": False,
                                               "use_blob_urls": True})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    tid, uri = _one_synced_task(client, pid, f"/api/storages/gcs/{sid}/sync")
    assert uri == f"gs://{bucket.name}/media/a.jpg"
    _check_presign_and_proxy(client, tid, uri, body, f"/api/storages/gcs/{sid}")
    r = client.post("/api/storages/export/gcs", json={**settings, "prefix": "out", "can_delete_objects": True})
    assert r.status_code == 201, r.text
    ann = client.post(f"/api/tasks/{tid}/annotations", json={"result": RESULT}).json()
    written = json.loads(bucket.blob(f"out/{ann['id']}").download_as_bytes())
    assert written["result"] == RESULT and written["task"]["data"]["image_path"] == uri
    client.delete(f"/api/annotations/{ann['id']}")
    assert [b.name for b in gcs.list_blobs(bucket.name, prefix="out/")] == []


def test_s3_images_get_thumbnails(client, project, s3):
    settings, bucket = s3
    pid = project["id"]
    big = io.BytesIO()
    Image.new("RGB", (400, 300), "green").save(big, "JPEG")
    bucket.put_object(Bucket=settings["bucket"], Key="media/g.jpg", Body=big.getvalue(), ContentType="image/jpeg")
    sid = add_s3(client, pid, settings, prefix="media", use_blob_urls=True).json()["id"]
    tid, _ = _one_synced_task(client, pid, f"/api/storages/s3/{sid}/sync")
    r = client.get(f"/api/tasks/{tid}/thumbnail?field=image_path&size=64")
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(r.content)) as img:
        assert img.size == (64, 48) and img.convert("RGB").getpixel((5, 5))[1] > 100
