"""One walk over the API that Label Studio CE 1.23.2 serves and its clients call (../shared/LS-COMPAT.md, the SDK
2.x clients): each step a request, its answer reduced to a shape (status, keys, value types). Run against a
Label Studio by scripts/capture_ls_fixtures.py to record tests/fixtures/ls-1.23.2/api-shapes.json, and against
LabelHive by tests/test_compat_shapes.py, which compares the two."""
import json

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
    yield "annotation delete", "DELETE", "/api/annotations/{a}", {}, None
    yield "prediction delete", "DELETE", "/api/predictions/{pr}", {}, None
    yield "view delete", "DELETE", "/api/dm/views/{v}", {}, None
    yield "webhook delete", "DELETE", "/api/webhooks/{w}", {}, None
    yield "snapshot delete", "DELETE", "/api/projects/{p}/exports/{e}", {}, None
    yield "project delete", "DELETE", "/api/projects/{p}", {}, None


def _fill(value, ctx: dict):
    """"{p}"-style placeholders in paths, parameters and bodies; a whole-value placeholder keeps its int type."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in ctx:
            return ctx[value[1:-1]]
        return value.format(**ctx) if "{" in value and not value.startswith(("{\"", "[")) else value
    if isinstance(value, dict):
        return {k: _fill(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ctx) for v in value]
    return value


def run(client) -> dict:
    """Every step against `client` (an httpx.Client or Starlette TestClient): {name: {"status", "shape"}}."""
    ctx: dict = {}
    answers = {}
    for name, method, path, options, keep in _steps(ctx):
        opts = {k: (_fill(v, ctx) if k != "files" else v) for k, v in options.items()}
        if "params" in opts:
            opts["params"] = {k: str(v) for k, v in opts["params"].items()}
        r = client.request(method, path.format(**ctx), **opts)
        try:
            body = r.json()
        except ValueError:
            body = None
        answers[name] = {"status": r.status_code, "shape": shape(body)}
        if keep and r.status_code < 300:
            keep(body)
    return answers
