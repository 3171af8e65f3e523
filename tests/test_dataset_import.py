"""Dataset import (COCO, YOLO, Pascal VOC): tasks with regions, generated configs, round trips, bad input."""
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from PIL import Image

from conftest import TOKEN
from labelhive.app import create_app
from labelhive.cli import main
from labelhive.config import Settings

DETECTION = """<View>
  <Image name="img" value="$picture"/>
  <RectangleLabels name="box" toName="img">
    <Label value="cat"/>
    <Label value="dog"/>
  </RectangleLabels>
</View>"""

# Pixel geometry of the COCO dataset below: a 200x100 and a 64x48 image.
BOXES = {"a.png": [("cat", [10.0, 20.0, 50.5, 30.25])], "b.png": [("dog", [0.0, 0.0, 64.0, 48.0])]}
POLYGONS = {"a.png": [("dog", [100.0, 10.0, 190.0, 10.0, 150.0, 90.5])]}


def write_png(path: Path, width: int, height: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), (30, 120, 200)).save(path, "PNG")
    return path


def coco_dataset(folder: Path, **overrides) -> Path:
    write_png(folder / "images" / "a.png", 200, 100)
    write_png(folder / "images" / "b.png", 64, 48)
    doc = {
        "images": [{"id": 1, "file_name": "images/a.png", "width": 200, "height": 100},
                   {"id": 7, "file_name": "images/b.png", "width": 64, "height": 48}],
        "categories": [{"id": 3, "name": "cat"}, {"id": 4, "name": "dog"}, {"id": 5, "name": "bird"}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 3, "bbox": BOXES["a.png"][0][1], "segmentation": []},
            {"id": 2, "image_id": 1, "category_id": 4, "bbox": [100, 10, 90, 80.5],
             "segmentation": [POLYGONS["a.png"][0][1]]},
            {"id": 3, "image_id": 7, "category_id": 4, "bbox": BOXES["b.png"][0][1]},
        ],
    }
    doc.update(overrides)
    (folder / "annotations.json").write_text(json.dumps(doc))
    return folder


def yolo_dataset(folder: Path, names: str = "classes.txt", lines: str | None = None) -> Path:
    write_png(folder / "images" / "train" / "a.png", 200, 100)
    write_png(folder / "images" / "train" / "empty.png", 30, 30)
    (folder / "labels" / "train").mkdir(parents=True)
    (folder / "labels" / "train" / "a.txt").write_text(
        lines if lines is not None else "0 0.5 0.5 0.2 0.4\n\n1 0.1 0.1 0.9 0.1 0.5 0.8\n")
    if names == "classes.txt":
        (folder / "classes.txt").write_text("cat\ndog\n")
    else:
        (folder / "data.yaml").write_text("path: .\ntrain: images/train\nnames:\n  0: cat\n  1: dog\n")
    return folder


VOC_XML = """<?xml version="1.0"?>
<annotation>
  <folder>JPEGImages</folder>
  <filename>a.png</filename>
  <size><width>200</width><height>100</height><depth>3</depth></size>
  <object>
    <name>cat</name>
    <bndbox><xmin>10</xmin><ymin>20</ymin><xmax>60</xmax><ymax>50</ymax></bndbox>
  </object>
  <object>
    <name>dog</name>
    <bndbox>
      <xmin>100</xmin><ymin>0</ymin><xmax>{xmax}</xmax><ymax>100</ymax>
    </bndbox>
  </object>
</annotation>
"""


def voc_dataset(folder: Path, xmax: int = 200) -> Path:
    write_png(folder / "JPEGImages" / "a.png", 200, 100)
    (folder / "Annotations").mkdir(parents=True)
    (folder / "Annotations" / "a.xml").write_text(VOC_XML.format(xmax=xmax))
    return folder


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def lh_settings(tmp_path, database_url, home):
    home.mkdir()
    return Settings(data_dir=tmp_path / "data", database_url=database_url, username="admin@example.com",
                    password="secret-password", user_token=TOKEN, local_files_root=home)


@pytest.fixture
def lh(lh_settings):
    app = create_app(lh_settings)
    with TestClient(app, headers={"Authorization": f"Token {TOKEN}"}) as client:
        yield client
    app.state.engine.dispose()


def new_project(lh, config: str | None = None) -> int:
    body = {"title": "D"} | ({"label_config": config} if config else {})
    r = lh.post("/api/projects", json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def tasks_of(lh, pid: int) -> list[dict]:
    r = lh.get(f"/api/projects/{pid}/export?exportType=JSON&download_all_tasks=true")
    assert r.status_code == 200, r.text
    return sorted(r.json(), key=lambda t: t["id"])


def task_count(lh, pid: int) -> int:
    return lh.get(f"/api/projects/{pid}").json()["task_number"]


def pixels(region: dict) -> tuple[str, list[float]]:
    """A region's label and its geometry in pixels, as a COCO bbox or a flat polygon."""
    v, w, h = region["value"], region["original_width"], region["original_height"]
    if region["type"] == "rectanglelabels":
        return v["rectanglelabels"][0], [v["x"] * w / 100, v["y"] * h / 100, v["width"] * w / 100,
                                         v["height"] * h / 100]
    return v["polygonlabels"][0], [c for x, y in v["points"] for c in (x * w / 100, y * h / 100)]


def close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 1e-6 for x, y in zip(a, b))


def by_image(tasks: list[dict], key: str, source: str) -> dict[str, list[dict]]:
    return {t["data"][key].rsplit("/", 1)[-1].split("-", 1)[-1]: t[source][0]["result"] if t[source] else []
            for t in tasks}


def test_coco_folder_on_the_server_becomes_annotated_tasks_and_a_config(lh, home):
    coco_dataset(home / "pets")
    pid = new_project(lh)
    r = lh.post(f"/api/projects/{pid}/import/dataset", json={"format": "COCO", "path": str(home / "pets")})
    assert r.status_code == 201, r.text
    assert (r.json()["task_count"], r.json()["annotation_count"], r.json()["label_config_generated"]) == (2, 2, True)
    config = lh.get(f"/api/projects/{pid}").json()["label_config"]
    assert '<RectangleLabels name="label" toName="image">' in config and "<PolygonLabels" in config
    assert config.count('<Label value="bird"/>') == 2  # every category, even one without regions

    tasks = tasks_of(lh, pid)
    assert [t["data"]["image"] for t in tasks] == ["/data/local-files/?d=pets/images/a.png",
                                                  "/data/local-files/?d=pets/images/b.png"]
    assert lh.get(tasks[0]["data"]["image"]).status_code == 200  # the folder was attached, so it is served
    regions = by_image(tasks, "image", "annotations")
    assert [r["type"] for r in regions["a.png"]] == ["rectanglelabels", "polygonlabels"]
    a_box, a_poly = regions["a.png"]
    assert (a_box["original_width"], a_box["original_height"], a_box["image_rotation"]) == (200, 100, 0)
    assert a_box["value"] == {"x": 5.0, "y": 20.0, "width": 25.25, "height": 30.25, "rotation": 0,
                              "rectanglelabels": ["cat"]}
    assert a_poly["from_name"] == "polygon" and pixels(a_poly) == ("dog", POLYGONS["a.png"][0][1])
    assert pixels(regions["b.png"][0]) == ("dog", BOXES["b.png"][0][1])


def _coco_export(lh, pid: int) -> dict:
    r = lh.get(f"/api/projects/{pid}/export?exportType=COCO")
    assert r.status_code == 200, r.text
    if r.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return json.loads(z.read("result.json"))
    return r.json()


def test_coco_import_then_coco_export_gives_back_the_same_boxes_and_polygons(lh, home):
    coco_dataset(home / "pets")
    pid = new_project(lh)
    assert lh.post(f"/api/projects/{pid}/import/dataset",
                   json={"format": "coco", "path": str(home / "pets" / "annotations.json")}).status_code == 201
    formats = [f["name"] for f in lh.get(f"/api/projects/{pid}/export/formats").json()]
    if "COCO" not in formats:
        pytest.skip("runs once the COCO exporter is listed in /export/formats")
    out = _coco_export(lh, pid)
    names = {c["id"]: c["name"] for c in out["categories"]}
    assert sorted(names.values()) == ["bird", "cat", "dog"]
    files = {i["id"]: i["file_name"].rsplit("/", 1)[-1] for i in out["images"]}
    got = sorted((files[a["image_id"]], names[a["category_id"]], a["bbox"], a["segmentation"])
                 for a in out["annotations"])
    want = sorted([(img, label, bbox, []) for img, boxes in BOXES.items() for label, bbox in boxes] +
                  [("a.png", "dog", [100.0, 10.0, 90.0, 80.5], [POLYGONS["a.png"][0][1]])])
    assert len(got) == len(want)
    for (g_img, g_label, g_box, g_seg), (w_img, w_label, w_box, w_seg) in zip(got, want):
        assert (g_img, g_label) == (w_img, w_label)
        assert close(g_box, w_box)
        assert len(g_seg) == len(w_seg) and all(close(g, w) for g, w in zip(g_seg, w_seg))


@pytest.mark.parametrize("names", ["classes.txt", "data.yaml"])
def test_yolo_upload_as_predictions(lh, tmp_path, names):
    folder = yolo_dataset(tmp_path / "yolo", names)
    pid = new_project(lh)
    files = [("files", (p.relative_to(folder).as_posix(), p.read_bytes())) for p in sorted(folder.rglob("*"))
             if p.is_file()]
    r = lh.post(f"/api/projects/{pid}/import/dataset", data={"format": "YOLO", "as": "predictions",
                                                              "model_version": "yolov8n"}, files=files)
    assert r.status_code == 201, r.text
    assert (r.json()["task_count"], r.json()["prediction_count"], r.json()["annotation_count"]) == (2, 1, 0)
    tasks = tasks_of(lh, pid)
    assert all(t["data"]["image"].startswith(f"/data/upload/{pid}/") for t in tasks)
    assert lh.get(tasks[0]["data"]["image"]).status_code == 200
    preds = lh.get(f"/api/predictions?task={tasks[0]['id']}").json()
    assert preds[0]["model_version"] == "yolov8n"
    box, poly = preds[0]["result"]
    assert pixels(box) == ("cat", [80.0, 30.0, 40.0, 40.0])
    assert close(pixels(poly)[1], [20.0, 10.0, 180.0, 10.0, 100.0, 80.0])
    assert lh.get(f"/api/predictions?task={tasks[1]['id']}").json() == []  # empty.png had no label file


def test_zipped_voc_into_a_project_with_a_config(lh, tmp_path):
    folder = voc_dataset(tmp_path / "voc")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for p in folder.rglob("*"):
            if p.is_file():
                z.write(p, "myvoc/" + p.relative_to(folder).as_posix())
    pid = new_project(lh, DETECTION)
    r = lh.post(f"/api/projects/{pid}/import/dataset", data={"format": "VOC"},
                files=[("file", ("voc.zip", archive.getvalue()))])
    assert r.status_code == 201, r.text
    assert r.json()["label_config_generated"] is False
    assert lh.get(f"/api/projects/{pid}").json()["label_config"] == DETECTION
    [task] = tasks_of(lh, pid)
    regions = task["annotations"][0]["result"]
    assert [(x["from_name"], x["to_name"]) for x in regions] == [("box", "img")] * 2
    assert [pixels(x) for x in regions] == [("cat", [10.0, 20.0, 50.0, 30.0]), ("dog", [100.0, 0.0, 100.0, 100.0])]
    assert task["data"]["picture"].startswith(f"/data/upload/{pid}/")


def test_images_from_a_url_prefix(lh, home):
    folder = coco_dataset(home / "pets")
    for p in (folder / "images").iterdir():
        p.unlink()
    pid = new_project(lh)
    r = lh.post(f"/api/projects/{pid}/import/dataset",
                json={"format": "COCO", "path": str(folder), "images": "https://cdn.example.com/pets/"})
    assert r.status_code == 201, r.text
    assert [t["data"]["image"] for t in tasks_of(lh, pid)] == ["https://cdn.example.com/pets/images/a.png",
                                                               "https://cdn.example.com/pets/images/b.png"]


def test_unknown_class_for_the_projects_config_is_refused(lh, tmp_path):
    folder = yolo_dataset(tmp_path / "yolo", lines="0 0.5 0.5 0.2 0.2\n")
    (folder / "classes.txt").write_text("horse\n")
    pid = new_project(lh, DETECTION)
    files = [("f", (p.relative_to(folder).as_posix(), p.read_bytes())) for p in folder.rglob("*") if p.is_file()]
    r = lh.post(f"/api/projects/{pid}/import/dataset", data={"format": "YOLO"}, files=files)
    assert r.status_code == 400
    assert "labels/train/a.txt line 1: class 'horse' is not a label of RectangleLabels \"box\"" in r.json()["detail"]
    assert task_count(lh, pid) == 0


def _refused(lh, pid: int, body: dict) -> str:
    r = lh.post(f"/api/projects/{pid}/import/dataset", json=body)
    assert r.status_code == 400, r.text
    assert task_count(lh, pid) == 0
    assert lh.get(f"/api/projects/{pid}").json()["label_config"] == "<View></View>"  # rolled back too
    return r.json()["detail"]


def test_bad_datasets_name_the_file_and_line_and_import_nothing(lh, home):
    pid = new_project(lh)
    bad = {"id": 9, "image_id": 42, "category_id": 3, "bbox": [1, 1, 2, 2]}
    folder = coco_dataset(home / "coco")
    doc = json.loads((folder / "annotations.json").read_text())
    (folder / "annotations.json").write_text(json.dumps({**doc, "annotations": doc["annotations"] + [bad]}))
    assert _refused(lh, pid, {"format": "COCO", "path": str(folder)}) == (
        'annotations.json: annotations[3].image_id 42 matches no image in "images".')

    yolo_dataset(home / "yolo", lines="0 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.1 0.1\n2 0.5 0.5 0.1 0.1\n")
    assert _refused(lh, pid, {"format": "YOLO", "path": str(home / "yolo"), "as": "predictions"}) == (
        "labels/train/a.txt line 3: class index 2 is out of range: classes.txt lists 2 classes (0-1).")

    voc_dataset(home / "voc", xmax=201)
    assert _refused(lh, pid, {"format": "VOC", "path": str(home / "voc")}) == (
        "Annotations/a.xml line 13: the box of 'dog' (xmin 100, ymin 0, xmax 201, ymax 100) is not inside the "
        "200x100 image.")
    assert lh.get(f"/api/storages/localfiles?project={pid}").json() == []


def test_an_uploaded_bad_dataset_leaves_no_files_behind(lh, tmp_path, lh_settings):
    folder = yolo_dataset(tmp_path / "yolo", lines="5 0.5 0.5 0.2 0.2\n")
    pid = new_project(lh)
    files = [("f", (p.relative_to(folder).as_posix(), p.read_bytes())) for p in folder.rglob("*") if p.is_file()]
    r = lh.post(f"/api/projects/{pid}/import/dataset", data={"format": "YOLO"}, files=files)
    assert r.status_code == 400 and "labels/train/a.txt line 1: class index 5" in r.json()["detail"]
    assert task_count(lh, pid) == 0
    assert list((lh_settings.media_dir / "upload").rglob("*.png")) == []
    assert [p.name for p in lh_settings.data_dir.iterdir() if p.name.startswith("dataset-")] == []


def test_paths_outside_the_local_files_root_are_refused(lh, tmp_path):
    coco_dataset(tmp_path / "elsewhere")
    pid = new_project(lh)
    r = lh.post(f"/api/projects/{pid}/import/dataset", json={"format": "COCO", "path": str(tmp_path / "elsewhere")})
    assert r.status_code == 400 and "outside the local files root" in r.text
    assert task_count(lh, pid) == 0


def test_a_later_sync_of_the_attached_folder_adds_only_new_images(lh, home):
    folder = coco_dataset(home / "pets")
    pid = new_project(lh)
    storage = lh.post(f"/api/projects/{pid}/import/dataset", json={"format": "COCO", "path": str(folder)}).json()
    assert storage["storage"]
    write_png(folder / "images" / "c.png", 10, 10)
    synced = lh.post(f"/api/storages/localfiles/{storage['storage']}/sync").json()
    assert synced["last_sync_count"] == 1 and task_count(lh, pid) == 3


def test_cli_import_dataset(lh_settings, home):
    voc_dataset(home / "voc")
    app = create_app(lh_settings)
    with TestClient(app, headers={"Authorization": f"Token {TOKEN}"}) as lh:
        pid = new_project(lh)
    app.state.engine.dispose()
    env = {"LABELHIVE_DATABASE_URL": lh_settings.database_url, "LABELHIVE_LOCAL_FILES_ROOT": str(home)}
    r = CliRunner().invoke(main, ["import-dataset", str(pid), str(home / "voc"), "--format", "voc",
                                  "--as", "predictions", "--data-dir", str(lh_settings.data_dir)], env=env)
    assert r.exit_code == 0, r.output
    assert "Created 1 task with 1 prediction" in r.output and "generated its label config" in r.output
    r = CliRunner().invoke(main, ["import-dataset", str(pid), str(home / "voc"), "--format", "yolo",
                                  "--data-dir", str(lh_settings.data_dir)], env=env)
    assert r.exit_code != 0 and "classes.txt" in r.output


def test_cli_copy_images_takes_a_dataset_from_anywhere(lh_settings, tmp_path):
    yolo_dataset(tmp_path / "outside")
    app = create_app(lh_settings)
    with TestClient(app, headers={"Authorization": f"Token {TOKEN}"}) as lh:
        pid = new_project(lh)
        env = {"LABELHIVE_DATABASE_URL": lh_settings.database_url,
               "LABELHIVE_LOCAL_FILES_ROOT": str(lh_settings.local_files_root)}
        args = ["import-dataset", "D", str(tmp_path / "outside"), "--format", "yolo",
                "--data-dir", str(lh_settings.data_dir)]
        refused = CliRunner().invoke(main, args, env=env)
        assert refused.exit_code != 0 and "outside the local files root" in refused.output
        r = CliRunner().invoke(main, [*args, "--copy-images"], env=env)
        assert r.exit_code == 0, r.output
        tasks = tasks_of(lh, pid)
        assert len(tasks) == 2 and all(t["data"]["image"].startswith(f"/data/upload/{pid}/") for t in tasks)
    app.state.engine.dispose()


def test_crowd_masks_come_in_as_boxes_and_yolo_confidences_as_scores(tmp_path):
    from labelhive import datasets

    crowd = {"id": 4, "image_id": 7, "category_id": 3, "iscrowd": 1, "bbox": [1, 2, 3, 4],
             "segmentation": {"counts": [0, 5, 10], "size": [48, 64]}}
    folder = coco_dataset(tmp_path / "coco")
    doc = json.loads((folder / "annotations.json").read_text())
    (folder / "annotations.json").write_text(json.dumps({**doc, "annotations": [crowd]}))
    [_, b] = datasets.read("COCO", folder).images
    assert [(r.type, r.label) for r in b.regions] == [("rectanglelabels", "cat")]

    folder = yolo_dataset(tmp_path / "yolo", lines="0 0.5 0.5 0.2 0.2 0.87\n1 0.1 0.1 0.9 0.1 0.5 0.8 0.5\n")
    a = next(img for img in datasets.read("yolo", folder).images if img.name == "images/train/a.png")
    assert [(r.type, r.label, r.score) for r in a.regions] == [("rectanglelabels", "cat", 0.87),
                                                               ("polygonlabels", "dog", 0.5)]
    assert len(a.regions[1].value["points"]) == 3
