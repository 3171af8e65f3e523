"""Shared by the export tests: projects with real media, Label Studio's converter as the oracle, unpacking."""
import io
import json
import uuid
import zipfile
from pathlib import Path

from PIL import Image

DETECTION = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img">
    <Label value="car"/>
    <Label value="person"/>
  </RectangleLabels>
  <PolygonLabels name="poly" toName="img">
    <Label value="road"/>
  </PolygonLabels>
</View>"""


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (200, 10, 10) if mode == "RGB" else 128).save(out, "PNG")
    return out.getvalue()


def new_project(client, config: str, title: str = "export") -> int:
    r = client.post("/api/projects", json={"title": title, "label_config": config})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def upload(client, pid: int, files: dict[str, bytes]) -> list[int]:
    """Upload media files; each becomes a task pointing at /data/upload/..."""
    r = client.post(f"/api/projects/{pid}/import?return_task_ids=true",
                    files=[("file", (name, raw)) for name, raw in files.items()])
    assert r.status_code == 201, r.text
    return r.json()["task_ids"]


def import_tasks(client, pid: int, tasks: list) -> list[int]:
    r = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=tasks)
    assert r.status_code == 201, r.text
    return r.json()["task_ids"]


def annotate(client, task_id: int, result: list, **extra) -> dict:
    r = client.post(f"/api/tasks/{task_id}/annotations", json={"result": result, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def rect(x, y, w, h, label="car", rotation=0, size=(640, 480), name="box"):
    region = {"id": uuid.uuid4().hex[:10], "from_name": name, "to_name": "img", "type": "rectanglelabels",
              "value": {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]}}
    if size:
        region.update(original_width=size[0], original_height=size[1], image_rotation=0)
    return region


def polygon(points, label="road", size=(640, 480)):
    return {"id": uuid.uuid4().hex[:10], "from_name": "poly", "to_name": "img", "type": "polygonlabels",
            "original_width": size[0], "original_height": size[1], "image_rotation": 0,
            "value": {"points": points, "closed": True, "polygonlabels": [label]}}


def export(client, pid: int, fmt: str, **params):
    r = client.get(f"/api/projects/{pid}/export", params={"exportType": fmt, "download_all_tasks": "true", **params})
    assert r.status_code == 200, r.text
    return r


def unpack(response) -> dict[str, bytes]:
    """The files of a download: the members of a zip, or the one file under its extension's name."""
    disposition = response.headers["content-disposition"]
    if disposition.endswith('.zip"'):
        with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
            return {n: zf.read(n) for n in zf.namelist()}
    return {"<file>" + disposition.rsplit(".", 1)[1].rstrip('"'): response.content}


def run_oracle(tmp_path: Path, config: str, tasks: list, fmt: str, **converter_args) -> dict[str, bytes]:
    """What label_studio_sdk.converter writes for `fmt` from our JSON export, as {relative path: bytes}
    (folders as "name/" with b"", the way they appear in a zip)."""
    from label_studio_sdk.converter import Converter

    work = tmp_path / f"oracle-{uuid.uuid4().hex[:8]}"
    out = work / "out"
    out.mkdir(parents=True)
    source = work / "export.json"
    source.write_text(json.dumps(tasks), encoding="utf-8")
    converter_args.setdefault("upload_dir", str(work / "no-uploads"))
    Converter(config=config, project_dir=None, **converter_args).convert(str(source), str(out), fmt, is_dir=False)
    files = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        files[rel + "/" if path.is_dir() else rel] = b"" if path.is_dir() else path.read_bytes()
    return files


def without_dirs(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if not k.endswith("/")}


def coco_json(raw: bytes) -> dict:
    data = json.loads(raw)
    data["info"].pop("date_created")
    return data


def wait_for_snapshot(client, pid: int, eid: int, deadline_s: float = 60) -> dict:
    """Poll the snapshot until it is no longer in progress, as the SDK's export_snapshot_create callers do."""
    import time

    end = time.monotonic() + deadline_s
    while True:
        r = client.get(f"/api/projects/{pid}/exports/{eid}")
        assert r.status_code == 200, r.text
        snap = r.json()
        if snap["status"] not in ("created", "in_progress") or time.monotonic() > end:
            return snap
        time.sleep(0.05)
