"""Our exports read by the libraries people feed them to: pycocotools (COCO, BRUSH_TO_COCO) and Datumaro, the
format library behind CVAT (COCO, Pascal VOC, YOLO).

Label Studio's converter lays its archives out in a way Datumaro's importers do not find: COCO wants
annotations/instances_<subset>.json, VOC wants ImageSets/Main/<subset>.txt, YOLO wants obj.names (or
data.yaml) for the class list. Our archives hold Label Studio's files unchanged (tests/test_export_formats.py)
plus those standard files, so Datumaro imports our downloads as they are; the test shows both.

Datumaro 1.13 needs its own dependency set (pandas 2, pyarrow), so it lives in a virtualenv built once under
~/.cache/labelhive-tests (LABELHIVE_TEST_DATUMARO_VENV overrides), reused by later runs on the machine, and
is run as a subprocess that prints what it read as JSON.
"""
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from export_helpers import DETECTION, annotate, export, import_tasks, new_project, png, polygon, rect, upload

VENV = Path(os.environ.get("LABELHIVE_TEST_DATUMARO_VENV")
            or Path.home() / ".cache" / "labelhive-tests" / "datumaro-venv")
PACKAGES = ["datumaro==1.13.12"]

READ = r'''
import json, logging, sys
logging.disable(logging.WARNING)
import datumaro as dm

out = {}
for name, path, fmt in json.loads(sys.argv[1]):
    try:
        ds = dm.Dataset.import_from(path, fmt)
        labels = [c.name for c in ds.categories()[dm.AnnotationType.label]]
        items = list(ds)
        kinds = [(a.type.name, None if a.label is None else labels[a.label]) for it in items for a in it.annotations]
        boxes = sorted(([labels[a.label] if a.label is not None else None] + [round(v, 2) for v in a.get_bbox()]
                        for it in items for a in it.annotations if a.type.name == "bbox"), key=str)
        out[name] = {"items": sorted(it.id for it in items), "labels": labels, "boxes": boxes,
                     "polygons": sum(k == "polygon" for k, _ in kinds),
                     "images_found": sum(bool(it.media and it.media.has_data) for it in items)}
    except Exception as exc:
        cause = exc.__cause__ or exc
        out[name] = {"error": type(exc).__name__, "cause": str(cause)}
print(json.dumps(out))
'''


def _box(x, y, w, h, label="car", size=(64, 48)):
    return rect(x, y, w, h, label, size=size)


def build(client) -> tuple[int, list[int]]:
    """Two uploaded images with boxes (one with a polygon too) and one never annotated."""
    pid = new_project(client, DETECTION)
    ids = upload(client, pid, {"street.png": png(64, 48), "grey.png": png(30, 20, "L"), "empty.png": png(8, 8)})
    annotate(client, ids[0], [_box(10, 20, 30, 40), _box(50, 50, 10, 10, "person"),
                              polygon([[10, 10], [50, 12.5], [30, 60]], size=(64, 48))])
    annotate(client, ids[1], [_box(0, 0, 50, 50, "person", size=(30, 20))])
    return pid, ids


def extract(response, target: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        zf.extractall(target)
    return target


# ---------------------------------------------------------------- pycocotools


def test_pycocotools_reads_our_coco(client, tmp_path):
    coco_api = pytest.importorskip("pycocotools.coco")
    pid, _ = build(client)
    folder = extract(export(client, pid, "COCO_WITH_IMAGES"), tmp_path / "coco")
    coco = coco_api.COCO(str(folder / "result.json"))
    assert len(coco.getImgIds()) == 3 and len(coco.getAnnIds()) == 4
    cats = {c["name"]: c["id"] for c in coco.loadCats(coco.getCatIds())}
    assert cats == {"car": 0, "person": 1, "road": 2}
    street = next(i for i in coco.loadImgs(coco.getImgIds()) if i["file_name"].endswith("street.png"))
    assert (street["width"], street["height"]) == (64, 48) and (folder / street["file_name"]).is_file()
    boxes = {coco.loadCats(a["category_id"])[0]["name"]: a["bbox"]
             for a in coco.loadAnns(coco.getAnnIds(imgIds=[street["id"]]))}
    assert boxes["car"] == pytest.approx([6.4, 9.6, 19.2, 19.2])
    assert boxes["person"] == pytest.approx([32, 24, 6.4, 4.8])
    [road] = coco.loadAnns(coco.getAnnIds(catIds=[cats["road"]]))
    mask = coco.annToMask(road)  # the polygon rasterised by the reference implementation
    assert mask.shape == (48, 64) and abs(int(mask.sum()) - road["area"]) < 0.2 * road["area"]
    assert len(coco.getAnnIds(catIds=[cats["person"]])) == 2

    # the standard copy: the same annotations, categories from 1, file_name relative to images/
    standard = coco_api.COCO(str(folder / "annotations" / "instances_default.json"))
    assert {c["name"]: c["id"] for c in standard.loadCats(standard.getCatIds())} == {"car": 1, "person": 2, "road": 3}
    [same] = standard.loadImgs([street["id"]])
    assert (folder / "images" / same["file_name"]).is_file() and "images/" + same["file_name"] == street["file_name"]
    for ann in coco.loadAnns(coco.getAnnIds()):
        [twin] = standard.loadAnns([ann["id"]])
        assert twin == {**ann, "category_id": ann["category_id"] + 1}


def test_pycocotools_reads_our_brush_to_coco(client, tmp_path):
    coco_api = pytest.importorskip("pycocotools.coco")
    np = pytest.importorskip("numpy")
    from test_export_brush import BRUSH, square, stroke

    pid = new_project(client, BRUSH)
    [task] = import_tasks(client, pid, [{"image": "http://127.0.0.1:9/a.png"}])
    painted = square(2, 3, 12, 9)
    annotate(client, task, [stroke(painted)])
    folder = extract(export(client, pid, "BRUSH_TO_COCO"), tmp_path / "brush")
    coco = coco_api.COCO(str(folder / "result_coco.json"))
    [ann] = coco.loadAnns(coco.getAnnIds())
    assert coco.loadImgs(ann["image_id"])[0]["file_name"] == "a.png"
    mask = coco.annToMask(ann)
    # the outline runs through the centres of the edge pixels, so its raster is the mask less a half-pixel rim
    assert np.array_equal(mask[4:8, 3:11], painted[4:8, 3:11] // 255) and not mask[painted == 0].any()


# ---------------------------------------------------------------- Datumaro


@pytest.fixture(scope="module")
def datumaro_python() -> Path:
    """The cached venv's python; built once per machine (a lock keeps parallel workers from racing)."""
    marker = VENV / ".installed"
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / f".{VENV.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (marker.exists() and marker.read_text() == " ".join(PACKAGES)):
            try:
                subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True,
                               capture_output=True, timeout=120)
                subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                                *PACKAGES], check=True, capture_output=True, text=True, timeout=900)
            except subprocess.CalledProcessError as exc:
                pytest.skip(f"cannot install {' '.join(PACKAGES)} in a virtualenv: {(exc.stderr or '')[-500:]}")
            except subprocess.TimeoutExpired:
                pytest.skip(f"installing {' '.join(PACKAGES)} took too long (no package index reachable?)")
            marker.write_text(" ".join(PACKAGES))
    return VENV / "bin" / "python"


def datumaro_read(python: Path, jobs: list[tuple[str, Path, str]]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    proc = subprocess.run([str(python), "-c", READ, json.dumps([(n, str(p), f) for n, p, f in jobs])],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


# What Label Studio's converter leaves out and we add (see the docstrings of exporters/coco.py, voc.py, yolo.py)
EXTRAS = {"coco": ["annotations"], "voc": ["ImageSets", "labelmap.txt"], "yolo": ["obj.names", "data.yaml"]}


def as_label_studio_wrote_it(folder: Path, kind: str, target: Path) -> Path:
    shutil.copytree(folder, target)
    for name in EXTRAS[kind]:
        path = target / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return target


def test_datumaro_imports_our_coco_voc_and_yolo_downloads_as_they_are(client, tmp_path, datumaro_python):
    pid, _ = build(client)
    # the rectangles-only project for YOLO: Datumaro's YOLO reader takes boxes only, not polygon lines
    yolo_pid = new_project(client, DETECTION)
    yolo_ids = upload(client, yolo_pid, {"street.png": png(64, 48), "grey.png": png(30, 20, "L")})
    annotate(client, yolo_ids[0], [_box(10, 20, 30, 40), _box(50, 50, 10, 10, "person")])
    annotate(client, yolo_ids[1], [_box(0, 0, 50, 50, "person", size=(30, 20))])
    got = {name: extract(export(client, p, fmt), tmp_path / name) for name, p, fmt in [
        ("coco", pid, "COCO_WITH_IMAGES"), ("plain-coco", pid, "COCO"), ("voc", pid, "VOC"),
        ("yolo", yolo_pid, "YOLO_WITH_IMAGES"), ("plain-yolo", yolo_pid, "YOLO"),
        ("yolo-polygons", pid, "YOLO_WITH_IMAGES")]}
    # Ultralytics' data.yaml alone (no obj.names) is read by Datumaro's "yolo" as well
    yaml_only = shutil.copytree(got["yolo"], tmp_path / "yolo-data-yaml")
    (yaml_only / "obj.names").unlink()
    # why no darknet obj.data: with one, Datumaro looks for each label file next to its image
    darknet = shutil.copytree(got["yolo"], tmp_path / "yolo-obj-data")
    (darknet / "obj.data").write_text("classes = 3\ntrain = train.txt\nnames = obj.names\nbackup = backup/\n")
    (darknet / "train.txt").write_text("".join(f"images/{p.name}\n" for p in sorted((darknet / "images").iterdir())))
    label_studio = {kind: as_label_studio_wrote_it(got[kind], kind, tmp_path / f"ls-{kind}")
                    for kind in ("coco", "voc", "yolo")}
    # Label Studio's result.json moved to where Datumaro looks, as a user of Label Studio has to
    moved = as_label_studio_wrote_it(got["coco"], "coco", tmp_path / "ls-coco-moved")
    (moved / "annotations").mkdir()
    (moved / "result.json").rename(moved / "annotations" / "instances_default.json")
    read = datumaro_read(datumaro_python, [
        ("coco", got["coco"], "coco_instances"), ("coco-any", got["coco"], "coco"),
        ("plain-coco", got["plain-coco"], "coco_instances"),
        ("voc", got["voc"], "voc"), ("voc-detection", got["voc"], "voc_detection"),
        ("yolo", got["yolo"], "yolo"), ("yolo-data-yaml", yaml_only, "yolo"),
        ("plain-yolo", got["plain-yolo"], "yolo"), ("yolo-polygons", got["yolo-polygons"], "yolo"),
        ("yolo-obj-data", darknet, "yolo"),
        ("ls-coco", label_studio["coco"], "coco_instances"), ("ls-voc", label_studio["voc"], "voc"),
        ("ls-yolo", label_studio["yolo"], "yolo"), ("ls-coco-moved", moved, "coco_instances")])

    # Label Studio's layout as it is: no importer finds the dataset
    for name in ("ls-coco", "ls-voc", "ls-yolo"):
        assert read[name]["error"] == "DatasetNotFoundError", read[name]
    # and once moved, Label Studio's category 0 is Datumaro's "no class": the "car" box loses its label;
    # file_name "images/x.png" is looked for under images/images/, so no pixels either
    ls = read["ls-coco-moved"]
    assert sorted(b[0] or "-" for b in ls["boxes"]) == ["-", "person", "person", "road"]
    assert ls["images_found"] == 0 and all(i.startswith("images/") for i in ls["items"])

    # COCO with images: all 3 images with their pixels, 3 boxes and the polygon (Datumaro also gives its box),
    # every one labelled
    car, person = ["car", 6.4, 9.6, 19.2, 19.2], ["person", 32.0, 24.0, 6.4, 4.8]
    c = read["coco"]
    assert c["labels"] == ["car", "person", "road"] and len(c["items"]) == 3 and c["images_found"] == 3
    assert sorted(b[0] for b in c["boxes"]) == ["car", "person", "person", "road"] and c["polygons"] == 1
    assert car in c["boxes"] and person in c["boxes"] and ["person", 0.0, 0.0, 15.0, 10.0] in c["boxes"]
    assert read["coco-any"] == c
    # items are named as in VOC and YOLO (and as CVAT names frames): the image's file name without extension
    assert sorted(i.split("-", 1)[1] for i in c["items"]) == ["empty", "grey", "street"]
    # without images: the same images (sizes, no pixels), boxes and classes
    plain = read["plain-coco"]
    assert {**plain, "images_found": 3} == c and plain["images_found"] == 0

    # VOC: the 2 annotated images, the boxes (VOC has no polygons) in pixels, exactly the project's classes.
    # Datumaro looks for pixels in JPEGImages/; Label Studio's layout (which we keep) has them in images/.
    for name in ("voc", "voc-detection"):
        v = read[name]
        assert len(v["items"]) == 2 and v["labels"] == ["car", "person", "road"], v
        assert sorted(v["boxes"]) == [["car", 6.0, 9.0, 19.0, 19.0], ["person", 0.0, 0.0, 15.0, 10.0],
                                      ["person", 32.0, 24.0, 6.0, 4.0]]

    # YOLO with images: every image found, boxes back in pixels, the classes; obj.names or data.yaml alike
    y = read["yolo"]
    assert len(y["items"]) == 2 and y["labels"] == ["car", "person", "road"] and y["images_found"] == 2
    assert sorted(y["boxes"]) == [car, ["person", 0.0, 0.0, 15.0, 10.0], person]
    assert read["yolo-data-yaml"] == y
    assert read["yolo-obj-data"]["error"] == "ItemImportError" and ".txt" in read["yolo-obj-data"]["cause"]
    # YOLO without images: Datumaro needs each image for its size (the lines are fractions of it)
    assert read["plain-yolo"]["error"] == "ItemImportError", read["plain-yolo"]
    # polygon lines (class x1 y1 x2 y2 ...), which Label Studio writes for PolygonLabels, stop Datumaro's reader
    assert read["yolo-polygons"]["error"] in ("DatasetImportError", "ItemImportError")
    assert "Expected 5 fields" in read["yolo-polygons"]["cause"]
