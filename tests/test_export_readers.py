"""Our exports read by the libraries people feed them to: pycocotools (COCO, BRUSH_TO_COCO) and Datumaro, the
format library behind CVAT (COCO, Pascal VOC, YOLO).

Our archives are laid out exactly as Label Studio's converter lays them out (tests/test_export_formats.py),
and that layout is not the one Datumaro's importers look for: COCO wants annotations/instances_<subset>.json,
VOC wants ImageSets/Main/<subset>.txt, YOLO wants obj.names (or data.yaml) for the class list. The Datumaro
test shows that, then makes those three small moves a user makes and checks what Datumaro reads.

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


def test_datumaro_reads_our_coco_voc_and_yolo(client, tmp_path, datumaro_python):
    pid, _ = build(client)
    # the rectangles-only project for YOLO: Datumaro's YOLO reader takes boxes only, not polygon lines
    yolo_pid = new_project(client, DETECTION)
    yolo_ids = upload(client, yolo_pid, {"street.png": png(64, 48), "grey.png": png(30, 20, "L")})
    annotate(client, yolo_ids[0], [_box(10, 20, 30, 40), _box(50, 50, 10, 10, "person")])
    annotate(client, yolo_ids[1], [_box(0, 0, 50, 50, "person", size=(30, 20))])
    coco = extract(export(client, pid, "COCO_WITH_IMAGES"), tmp_path / "coco")
    plain_coco = extract(export(client, pid, "COCO"), tmp_path / "plain-coco")
    voc = extract(export(client, pid, "VOC"), tmp_path / "voc")
    yolo = extract(export(client, yolo_pid, "YOLO_WITH_IMAGES"), tmp_path / "yolo")
    with_polygons = extract(export(client, pid, "YOLO_WITH_IMAGES"), tmp_path / "yolo-polygons")
    as_exported = [("coco", coco, "coco_instances"), ("voc", voc, "voc_detection"), ("yolo", yolo, "yolo")]
    before = {name: f"{name}-as-exported" for name, _, _ in as_exported}
    jobs = [(before[name], shutil.copytree(path, tmp_path / before[name]), fmt) for name, path, fmt in as_exported]

    # What a user does to hand Label Studio's layout to Datumaro:
    for folder in (coco, plain_coco):
        (folder / "annotations").mkdir()
        (folder / "result.json").rename(folder / "annotations" / "instances_default.json")
    (voc / "ImageSets" / "Main").mkdir(parents=True)
    (voc / "ImageSets" / "Main" / "default.txt").write_text(
        "".join(p.stem + "\n" for p in sorted((voc / "Annotations").glob("*.xml"))))
    for folder in (yolo, with_polygons):
        shutil.copyfile(folder / "classes.txt", folder / "obj.names")
    jobs += [(name, path, fmt) for name, path, fmt in as_exported]
    jobs += [("plain-coco", plain_coco, "coco_instances"), ("yolo-polygons", with_polygons, "yolo")]
    read = datumaro_read(datumaro_python, jobs)

    # Label Studio's layout as it is: no importer finds the dataset
    for name in before.values():
        assert read[name]["error"] == "DatasetNotFoundError", read[name]

    # COCO: 3 images, 3 boxes and the polygon (which Datumaro also gives as its box). Label Studio numbers
    # categories from 0 and Datumaro keeps id 0 for "no class": the "car" box comes back without a label.
    c = read["coco"]
    assert len(c["items"]) == 3 and c["labels"] == ["car", "person", "road"] and c["polygons"] == 1
    assert sorted(b[0] or "-" for b in c["boxes"]) == ["-", "person", "person", "road"]
    assert [None, 6.4, 9.6, 19.2, 19.2] in c["boxes"] and ["person", 32.0, 24.0, 6.4, 4.8] in c["boxes"]
    # file_name is "images/<name>" and Datumaro looks under images/ for it: it finds no pixels, only sizes
    assert c["images_found"] == 0
    # plain COCO names each upload by its URL on the server, which Datumaro refuses as a path
    assert read["plain-coco"]["error"] == "DatasetImportError"
    assert "escapes base directory" in read["plain-coco"]["cause"]

    # VOC: the boxes (VOC has no polygons), in pixels; the labels of VOC's own list
    v = read["voc"]
    assert len(v["items"]) == 2 and {"car", "person"} <= set(v["labels"])
    assert sorted(v["boxes"]) == [["car", 6.0, 9.0, 19.0, 19.0], ["person", 0.0, 0.0, 15.0, 10.0],
                                  ["person", 32.0, 24.0, 6.0, 4.0]]

    # YOLO: every image found, boxes back in pixels, the classes from classes.txt
    y = read["yolo"]
    assert len(y["items"]) == 2 and y["labels"] == ["car", "person", "road"] and y["images_found"] == 2
    assert sorted(y["boxes"]) == [["car", 6.4, 9.6, 19.2, 19.2], ["person", 0.0, 0.0, 15.0, 10.0],
                                  ["person", 32.0, 24.0, 6.4, 4.8]]
    # polygon lines (class x1 y1 x2 y2 ...), which Label Studio writes for PolygonLabels, stop Datumaro's reader
    assert read["yolo-polygons"]["error"] in ("DatasetImportError", "ItemImportError")
    assert "Expected 5 fields" in read["yolo-polygons"]["cause"]
