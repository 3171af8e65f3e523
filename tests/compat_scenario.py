"""One walk over the API that Label Studio CE 1.23.2 serves and its clients call (../shared/LS-COMPAT.md, the SDK
2.x clients): each step a request, its answer reduced to a shape (status, keys, value types). Run against a
Label Studio by scripts/capture_ls_fixtures.py to record tests/fixtures/ls-1.23.2/api-shapes.json, and against
LabelHive by tests/test_compat_shapes.py, which compares the two."""
import contextlib
import io
import json
import re
import uuid
from pathlib import Path

CONFIG = ('<View><Image name="image" value="$image"/><Choices name="class" toName="image">'
          '<Choice value="rose"/><Choice value="tulip"/></Choices></View>')
HOOK = "http://127.0.0.1:9/hook"


def choice(label: str) -> list[dict]:
    return [{"id": "c1", "from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": [label]}}]


def shape(value):
    """Keys and value types, nested; a list by its first item. Strings, numbers, booleans and null by name."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "str"


def _steps(ctx: dict):
    """(name, method, path, options, keep): `keep(body)` stores what later steps need in ctx."""
    q = {"filters": {"conjunction": "and", "items": []}, "selectedItems": {"all": True, "excluded": []}}
    yield "version", "GET", "/api/version", {}, None
    yield "whoami", "GET", "/api/current-user/whoami", {}, lambda b: ctx.update(me=b["id"], org=b.get(
        "active_organization") or 1)
    yield "users list", "GET", "/api/users", {}, None
    yield "organizations list", "GET", "/api/organizations", {}, None
    yield "project create", "POST", "/api/projects", {"json": {"title": "Shapes", "label_config": CONFIG}}, \
        lambda b: ctx.update(p=b["id"])
    yield "project create bad type", "POST", "/api/projects", {"json": {"title": "Bad", "maximum_annotations": "x"}}, \
        None
    yield "project get", "GET", "/api/projects/{p}", {}, None
    yield "project missing", "GET", "/api/projects/999999", {}, None
    yield "project update", "PATCH", "/api/projects/{p}", {"json": {"description": "shapes"}}, None
    yield "projects list", "GET", "/api/projects", {"params": {"page": 1}}, None
    yield "projects list by ids", "GET", "/api/projects", {"params": {"ids": "{p}", "include": "id,title"}}, None
    yield "project validate", "POST", "/api/projects/{p}/validate", {"json": {"label_config": CONFIG}}, None
    yield "import", "POST", "/api/projects/{p}/import", {"params": {"return_task_ids": "true"}, "json": [
        {"data": {"image": "https://example.com/1.jpg"}, "annotations": [{"result": choice("rose")}],
         "predictions": [{"result": choice("tulip"), "score": 0.5, "model_version": "m1"}]},
        {"data": {"image": "https://example.com/2.jpg"}}]}, lambda b: ctx.update(t=b["task_ids"][0],
                                                                                t2=b["task_ids"][1])
    yield "import bad extension", "POST", "/api/projects/{p}/import", {
        "files": {"file": ("x.exe", b"MZ", "application/octet-stream")}}, None
    yield "project tasks", "GET", "/api/projects/{p}/tasks", {}, None
    yield "project task create", "POST", "/api/projects/{p}/tasks", {"json": {"data": {"image": "https://e.com/3.jpg"}}}, \
        None
    yield "task create", "POST", "/api/tasks", {"json": {"project": "{p}", "data": {"image": "https://e.com/4.jpg"}}}, \
        None
    yield "tasks list", "GET", "/api/tasks", {"params": {"project": "{p}", "fields": "all", "query": json.dumps(q)}}, None
    yield "tasks list past the end", "GET", "/api/tasks", {"params": {"project": "{p}", "page": 99}}, None
    yield "task get", "GET", "/api/tasks/{t}", {}, None
    yield "task missing", "GET", "/api/tasks/999999", {}, None
    yield "task update", "PATCH", "/api/tasks/{t}", {"json": {"meta": {"seen": 1}}}, None
    yield "annotation create", "POST", "/api/tasks/{t2}/annotations", {"json": {"result": choice("rose"),
                                                                               "lead_time": 2.5}}, \
        lambda b: ctx.update(a=b["id"])
    yield "annotations list", "GET", "/api/tasks/{t2}/annotations", {}, None
    yield "annotation get", "GET", "/api/annotations/{a}", {}, None
    yield "annotation update", "PATCH", "/api/annotations/{a}", {"json": {"result": choice("tulip")}}, None
    yield "prediction create", "POST", "/api/predictions", {"json": {"task": "{t2}", "result": choice("rose"),
                                                                     "score": 0.9, "model_version": "m2"}}, \
        lambda b: ctx.update(pr=b["id"])
    yield "predictions list", "GET", "/api/predictions", {"params": {"task": "{t2}"}}, None
    yield "prediction get", "GET", "/api/predictions/{pr}", {}, None
    yield "prediction update", "PATCH", "/api/predictions/{pr}", {"json": {"score": 0.7}}, None
    yield "import predictions", "POST", "/api/projects/{p}/import/predictions", {"json": [
        {"task": "{t2}", "result": choice("tulip"), "score": 0.2, "model_version": "m3"}]}, None
    yield "model versions", "GET", "/api/projects/{p}/model-versions", {}, None
    yield "draft create", "POST", "/api/tasks/{t2}/drafts", {"json": {"result": choice("rose"), "lead_time": 1.0}}, \
        lambda b: ctx.update(d=b["id"])
    yield "draft get", "GET", "/api/drafts/{d}", {}, None
    yield "task drafts list", "GET", "/api/tasks/{t2}/drafts", {}, None
    yield "project summary", "GET", "/api/projects/{p}/summary", {}, None
    yield "draft update", "PATCH", "/api/drafts/{d}", {"json": {"lead_time": 3.0}}, None
    yield "annotation draft create", "POST", "/api/tasks/{t2}/annotations/{a}/drafts", {"json": {"result": []}}, None
    yield "view create", "POST", "/api/dm/views", {"json": {"project": "{p}", "data": {"title": "Roses"}}}, \
        lambda b: ctx.update(v=b["id"])
    yield "views list", "GET", "/api/dm/views", {"params": {"project": "{p}"}}, None
    yield "view get", "GET", "/api/dm/views/{v}", {}, None
    yield "view update", "PATCH", "/api/dm/views/{v}", {"json": {"project": "{p}", "data": {"title": "Tulips"}}}, None
    yield "dm project", "GET", "/api/dm/project", {"params": {"project": "{p}"}}, None
    yield "actions list", "GET", "/api/dm/actions", {"params": {"project": "{p}"}}, None
    yield "action accept predictions", "POST", "/api/dm/actions", {
        "params": {"project": "{p}", "id": "predictions_to_annotations"},
        "json": {"selectedItems": {"all": True, "excluded": []}, "model_version": "m1"}}, None
    yield "next", "GET", "/api/projects/{p}/next", {}, None
    yield "label stream history", "GET", "/api/projects/{p}/label-stream-history/", {}, None
    yield "export formats", "GET", "/api/projects/{p}/export/formats", {}, None
    yield "export json", "GET", "/api/projects/{p}/export", {"params": {"exportType": "JSON"}}, None
    yield "snapshot create", "POST", "/api/projects/{p}/exports", {"json": {"title": "snap"}}, \
        lambda b: ctx.update(e=b["id"])
    yield "snapshots list", "GET", "/api/projects/{p}/exports", {}, None
    yield "snapshot get", "GET", "/api/projects/{p}/exports/{e}", {}, None
    yield "snapshot convert", "POST", "/api/projects/{p}/exports/{e}/convert", {"json": {"export_type": "CSV"}}, None
    yield "webhook create", "POST", "/api/webhooks", {"json": {"project": "{p}", "url": HOOK}}, \
        lambda b: ctx.update(w=b["id"])
    yield "webhooks list", "GET", "/api/webhooks", {"params": {"project": "{p}"}}, None
    yield "webhook get", "GET", "/api/webhooks/{w}", {}, None
    yield "webhook update", "PATCH", "/api/webhooks/{w}", {"json": {"is_active": False}}, None
    yield "file uploads", "GET", "/api/projects/{p}/file-uploads", {}, None
    yield "storages", "GET", "/api/storages", {"params": {"project": "{p}"}}, None
    yield "storages without project", "GET", "/api/storages", {}, None
    yield "export storages", "GET", "/api/storages/export", {"params": {"project": "{p}"}}, None
    yield "labels", "GET", "/api/labels", {}, None
    yield from _account_steps(ctx)
    yield from _storage_steps(ctx)
    yield from _ml_steps(ctx)
    yield "views order", "POST", "/api/dm/views/order/", {"json": {"project": "{p}", "ids": ["{v}"]}}, None
    yield "annotation delete", "DELETE", "/api/annotations/{a}", {}, None
    yield "prediction delete", "DELETE", "/api/predictions/{pr}", {}, None
    yield "view delete", "DELETE", "/api/dm/views/{v}", {}, None
    yield "views reset", "DELETE", "/api/dm/views/reset/", {"params": {"project": "{p}"}}, None
    yield "webhook delete", "DELETE", "/api/webhooks/{w}", {}, None
    yield "snapshot delete", "DELETE", "/api/projects/{p}/exports/{e}", {}, None
    yield "file upload delete", "DELETE", "/api/import/file-upload/{fu}", {}, None
    yield "tasks delete all", "DELETE", "/api/projects/{p}/tasks/", {}, None
    yield "project delete", "DELETE", "/api/projects/{p}", {}, None


def _account_steps(ctx: dict):
    """Users, the organization and its members, the current user, webhooks' event list, file uploads."""
    yield "current user", "GET", "/api/current-user", {}, None
    yield "current user token", "GET", "/api/current-user/token", {}, None
    yield "user get", "GET", "/api/users/{me}", {}, None
    yield "user update self", "PATCH", "/api/users/{me}", {"json": {"first_name": "Ada"}}, None
    yield "user create", "POST", "/api/users", {"json": {"email": "shapes-new@example.com", "username": "shapes-new",
                                                         "first_name": "Nell"}}, lambda b: ctx.update(u=b["id"])
    yield "user get other", "GET", "/api/users/{u}", {}, None
    yield "user delete other", "DELETE", "/api/users/{u}", {}, None
    yield "organization get", "GET", "/api/organizations/{org}", {}, None
    yield "organization memberships", "GET", "/api/organizations/{org}/memberships", {}, None
    yield "organization membership get", "GET", "/api/organizations/{org}/memberships/{me}/", {}, None
    yield "invite link", "GET", "/api/invite", {}, None
    yield "hotkeys", "GET", "/api/current-user/hotkeys/", {}, None
    yield "hotkeys update", "PATCH", "/api/current-user/hotkeys/", {"json": {"custom_hotkeys": {
        "annotation:submit": {"key": "ctrl+s", "active": True}}}}, None
    yield "hotkeys update bad", "PATCH", "/api/current-user/hotkeys/", {"json": {"custom_hotkeys": {"bad": 1}}}, None
    yield "jwt settings", "GET", "/api/jwt/settings", {}, None
    yield "personal tokens", "GET", "/api/token/", {}, None
    yield "project counts", "GET", "/api/projects/counts/", {"params": {"ids": "{p}"}}, None
    yield "webhooks info", "GET", "/api/webhooks/info/", {}, None
    yield "import csv file", "POST", "/api/projects/{p}/import", {
        "files": {"file": ("more.csv", b"image\nhttps://e.com/5.jpg\n", "text/csv")}}, \
        lambda b: ctx.update(fu=b["file_upload_ids"][0])
    yield "file uploads all", "GET", "/api/projects/{p}/file-uploads", {"params": {"all": "true"}}, None
    yield "file uploads by id", "GET", "/api/projects/{p}/file-uploads", {"params": {"ids": "[{fu}]"}}, None
    yield "file upload get", "GET", "/api/import/file-upload/{fu}", {}, None


def _storage_steps(ctx: dict):
    """Local folders and S3 (against the caller's loopback S3 server), import and export: the storage clients.
    Azure and GCS need their cloud's hosts, so only their lists are asked here (tests/test_storages_cloud.py
    covers them against emulators)."""
    yield "storage types", "GET", "/api/storages/types", {}, None
    yield "export storage types", "GET", "/api/storages/export/types", {}, None
    local = {"project": "{p}", "path": "{files_root}/shapes", "regex_filter": ".*\\.jpg", "use_blob_urls": True,
             "title": "Local"}
    yield "localfiles validate", "POST", "/api/storages/localfiles/validate", {"json": local}, None
    yield "localfiles create", "POST", "/api/storages/localfiles", {"json": local}, lambda b: ctx.update(lf=b["id"])
    yield "localfiles list", "GET", "/api/storages/localfiles", {"params": {"project": "{p}"}}, None
    yield "localfiles get", "GET", "/api/storages/localfiles/{lf}", {}, None
    yield "localfiles update", "PATCH", "/api/storages/localfiles/{lf}", {"json": {"title": "Local two"}}, None
    yield "localfiles sync", "POST", "/api/storages/localfiles/{lf}/sync", {}, None
    out = {"project": "{p}", "path": "{files_root}/out", "title": "Out"}
    yield "localfiles export create", "POST", "/api/storages/export/localfiles", {"json": out}, \
        lambda b: ctx.update(lfe=b["id"])
    yield "localfiles export list", "GET", "/api/storages/export/localfiles", {"params": {"project": "{p}"}}, None
    yield "localfiles export sync", "POST", "/api/storages/export/localfiles/{lfe}/sync", {}, None
    yield "localfiles export delete", "DELETE", "/api/storages/export/localfiles/{lfe}", {}, None
    yield "localfiles delete", "DELETE", "/api/storages/localfiles/{lf}", {}, None
    s3 = {"project": "{p}", "bucket": "{bucket}", "s3_endpoint": "{s3}", "aws_access_key_id": "{s3_key}",
          "aws_secret_access_key": "{s3_secret}", "region_name": "us-east-1", "presign": True, "title": "S3",
          "regex_filter": ".*\\.jpg", "use_blob_urls": True}
    yield "s3 validate", "POST", "/api/storages/s3/validate", {"json": s3}, None
    yield "s3 create", "POST", "/api/storages/s3", {"json": s3}, lambda b: ctx.update(s3id=b["id"])
    yield "s3 list", "GET", "/api/storages/s3", {"params": {"project": "{p}"}}, None
    yield "s3 get", "GET", "/api/storages/s3/{s3id}", {}, None
    yield "s3 update", "PATCH", "/api/storages/s3/{s3id}", {"json": {"title": "S3 two"}}, None
    yield "s3 sync", "POST", "/api/storages/s3/{s3id}/sync", {}, None
    s3_out = {**{k: v for k, v in s3.items() if k not in ("regex_filter", "use_blob_urls", "presign")},
              "prefix": "out", "can_delete_objects": False}
    yield "s3 export create", "POST", "/api/storages/export/s3", {"json": s3_out}, lambda b: ctx.update(s3e=b["id"])
    yield "s3 export get", "GET", "/api/storages/export/s3/{s3e}", {}, None
    yield "s3 export sync", "POST", "/api/storages/export/s3/{s3e}/sync", {}, None
    yield "s3 export delete", "DELETE", "/api/storages/export/s3/{s3e}", {}, None
    yield "s3 delete", "DELETE", "/api/storages/s3/{s3id}", {}, None
    for kind in ("azure", "gcs"):
        yield f"{kind} list", "GET", f"/api/storages/{kind}", {"params": {"project": "{p}"}}, None
        yield f"{kind} export list", "GET", f"/api/storages/export/{kind}", {"params": {"project": "{p}"}}, None


def _ml_steps(ctx: dict):
    """The ML client against the caller's protocol backend (tests/protocol_backend.py)."""
    yield "ml create", "POST", "/api/ml", {"json": {"project": "{p}", "url": "{ml}", "title": "Model"}}, \
        lambda b: ctx.update(ml_id=b["id"])
    yield "ml list", "GET", "/api/ml", {"params": {"project": "{p}"}}, None
    yield "ml get", "GET", "/api/ml/{ml_id}", {}, None
    yield "ml update", "PATCH", "/api/ml/{ml_id}", {"json": {"title": "Model two"}}, None
    yield "ml versions", "GET", "/api/ml/{ml_id}/versions", {}, None
    yield "ml train", "POST", "/api/ml/{ml_id}/train", {}, None
    yield "ml interactive", "POST", "/api/ml/{ml_id}/interactive-annotating", {"json": {"task": "{t}",
                                                                                     "context": {}}}, None
    yield "ml delete", "DELETE", "/api/ml/{ml_id}", {}, None


def _fill(value, ctx: dict):
    """"{p}"-style placeholders in paths, parameters and bodies; a whole-value placeholder keeps its int type."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in ctx:
            return ctx[value[1:-1]]
        return re.sub(r"\{(\w+)\}", lambda m: str(ctx[m[1]]) if m[1] in ctx else m[0], value)
    if isinstance(value, dict):
        return {k: _fill(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ctx) for v in value]
    return value


def run(client, env: dict) -> dict:
    """Every step against `client` (an httpx.Client or Starlette TestClient): {name: {"status", "shape"}}.
    `env` names what the server reaches: files_root (a folder it may serve, with shapes/*.jpg), s3, bucket,
    s3_key, s3_secret (an S3 server with that bucket, holding *.jpg), ml (a protocol backend's URL)."""
    ctx: dict = dict(env)
    answers = {}
    for name, method, path, options, keep in _steps(ctx):
        opts = {k: (_fill(v, ctx) if k != "files" else v) for k, v in options.items()}
        if "params" in opts:
            opts["params"] = {k: str(v) for k, v in opts["params"].items()}
        r = client.request(method, _fill(path, ctx), **opts)
        try:
            body = r.json()
        except ValueError:
            body = None
        answers[name] = {"status": r.status_code, "shape": shape(body)}
        if keep and r.status_code < 300:
            keep(body)
    return answers


@contextlib.contextmanager
def environment(files_root: Path):
    """What run() needs, on loopback: a folder of images under `files_root` (which the server must serve), moto's
    S3 server with a bucket of images, and a protocol ML backend. Yields run()'s `env`."""
    import boto3

    from cloud_servers import start_moto
    from PIL import Image

    from protocol_backend import ProtocolBackend

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    image = buffer.getvalue()
    folder = Path(files_root) / f"compat-{uuid.uuid4().hex[:8]}"
    (folder / "shapes").mkdir(parents=True)
    (folder / "out").mkdir()
    (folder / "shapes" / "a.jpg").write_bytes(image)
    endpoint, keys, stop = start_moto()
    backend = ProtocolBackend()
    try:
        bucket = f"compat-{uuid.uuid4().hex[:8]}"
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="a.jpg", Body=image)
        yield {"files_root": str(folder), "s3": endpoint, "bucket": bucket, "s3_key": keys["aws_access_key_id"],
               "s3_secret": keys["aws_secret_access_key"], "ml": backend.url}
    finally:
        backend.close()
        stop()
