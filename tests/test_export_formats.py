"""Region export formats through the API, each checked against label_studio_sdk.converter on our JSON export.

Where LabelHive deliberately differs (a fix of a converter bug), the test shows the converter's output too.
Our COCO, VOC and YOLO archives hold every file the converter writes, unchanged, plus the standard files of
those formats that it leaves out (tests/test_export_readers.py shows why: Datumaro finds no dataset without
them); `standard_files` takes those out and checks they are exactly these.
"""
import json
import math
import re
import zipfile

import pytest
from export_helpers import (
    DETECTION,
    annotate,
    coco_json,
    export,
    import_tasks,
    new_project,
    png,
    polygon,
    rect,
    run_oracle,
    unpack,
    upload,
)

pytest.importorskip("label_studio_sdk.converter")

ADDED = {"COCO": {"annotations/", "annotations/instances_default.json"},
         "VOC": {"ImageSets/", "ImageSets/Main/", "ImageSets/Main/default.txt", "labelmap.txt"},
         "YOLO": {"obj.names", "data.yaml"}, "YOLO_OBB": {"data.yaml"}}


def standard_files(ours: dict, expected: dict, fmt: str) -> dict:
    """Take the files we add to the converter's out of `ours` and return them; ours then holds only the
    files the converter writes too."""
    added = {k: ours.pop(k) for k in set(ours) - set(expected)}
    assert set(added) == ADDED[fmt.removesuffix("_WITH_IMAGES")], fmt
    return added


def data_yaml(raw: bytes) -> dict:
    import yaml

    return yaml.safe_load(raw)


@pytest.fixture(autouse=True)
def no_label_studio_host(monkeypatch):
    # The converter would try to fetch uploads from a Label Studio server named here.
    for name in ("LABEL_STUDIO_URL", "LABEL_STUDIO_HOST", "LABEL_STUDIO_API_KEY", "LABEL_STUDIO_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def build_detection(client, rotation=30) -> tuple[int, list[int]]:
    pid = new_project(client, DETECTION, "Detection")
    uploaded = upload(client, pid, {"street.png": png(64, 48), "grey.png": png(30, 20, "L")})
    others = import_tasks(client, pid, [
        {"image": "http://127.0.0.1:9/photos/a%20b.jpg?size=large"},  # nothing listens on port 9
        {"image": "b.png"},
        {"image": "s3://bucket/dir/c.jpg"},
        {"image": "d.jpg"},  # never annotated
    ])
    street, grey = uploaded
    web, bare, bucket, _ = others
    annotate(client, street, [rect(10, 20, 30, 40), rect(50, 50, 10, 10, "person", rotation=rotation),
                              polygon([[10, 10], [50, 12.5], [30, 60]])])
    annotate(client, street, [rect(1, 2, 3, 4, "bicycle")])  # a label missing from the config
    annotate(client, grey, [rect(0, 0, 100, 100, "person", size=(30, 20))])
    annotate(client, web, [rect(5.5, 6.25, 20, 20)], was_cancelled=True)
    annotate(client, web, [rect(12.5, 12.5, 50, 25, "person", size=None), rect(20, 20, 20, 20)])
    annotate(client, bare, [])
    annotate(client, bucket, [polygon([[0, 0], [100, 0], [100, 100], [0, 100]], size=(1000, 800))])
    return pid, uploaded


def test_coco_matches_the_converter(client, tmp_path):
    pid, _ = build_detection(client)
    tasks = export(client, pid, "JSON").json()
    ours = unpack(export(client, pid, "COCO"))
    expected = run_oracle(tmp_path, DETECTION, tasks, "COCO")
    standard = coco_json(standard_files(ours, expected, "COCO")["annotations/instances_default.json"])
    assert set(ours) == set(expected) == {"images/", "result.json"}
    coco = coco_json(ours["result.json"])
    assert coco == coco_json(expected["result.json"])
    # what a user checks: pixels from original_width/height, the rotated box enclosing the rotated corners
    names = {c["name"]: c["id"] for c in coco["categories"]}
    assert names == {"car": 0, "person": 1, "road": 2, "bicycle": 3}
    boxes = {name: [a["bbox"] for a in coco["annotations"] if a["category_id"] == i] for name, i in names.items()}
    assert [64.0, 96.0, 192.0, 192.0] in boxes["car"]
    rotated = next(b for b in boxes["person"] if b[2] != 30.0)
    corner = (320 + 64 * math.cos(math.radians(30)), 240 + 64 * math.sin(math.radians(30)))
    assert rotated[0] <= corner[0] <= rotated[0] + rotated[2] and rotated[1] <= corner[1] <= rotated[1] + rotated[3]
    assert coco["images"][0]["file_name"].startswith("/data/upload/")

    # The standard copy (annotations/instances_default.json): the same dataset, categories from 1 (Datumaro
    # and CVAT read id 0 as "no class"), file_name the image's name inside images/ (where COCO_WITH_IMAGES
    # puts it; Datumaro refuses a URL there).
    assert standard["categories"] == [{**c, "id": c["id"] + 1} for c in coco["categories"]]
    assert standard["annotations"] == [{**a, "category_id": a["category_id"] + 1} for a in coco["annotations"]]
    assert standard["info"] == coco["info"]
    unnamed = [{**i, "file_name": None} for i in coco["images"]]
    assert [{**i, "file_name": None} for i in standard["images"]] == unnamed
    by_url = dict(zip((i["file_name"] for i in coco["images"]), (i["file_name"] for i in standard["images"])))
    uploaded = [u for u in by_url if u.startswith("/data/upload/")]
    assert len(uploaded) == 2 and all(by_url[u] == u.rsplit("/", 1)[1] for u in uploaded)
    downloads = [u for u in by_url if u.startswith("images/")]  # the web image and the bare names
    assert len(downloads) == 3 and all(by_url[u] == u.removeprefix("images/") for u in downloads)
    assert re.fullmatch(r"[0-9a-f]{8}__c\.jpg", by_url["s3://bucket/dir/c.jpg"])


@pytest.mark.parametrize("fmt", ["YOLO", "YOLO_OBB"])
def test_yolo_matches_the_converter_for_unrotated_boxes(client, tmp_path, fmt):
    pid = new_project(client, DETECTION)
    ids = upload(client, pid, {"street.png": png(64, 48)}) + import_tasks(client, pid, [
        {"image": "http://127.0.0.1:9/a.jpg"}, {"image": "s3://bucket/b.jpg"}, {"image": "c.png"}])
    annotate(client, ids[0], [rect(10, 20, 30, 40), rect(1, 2, 3, 4, "bicycle"),
                              polygon([[10, 10], [50, 12.5], [30, 60]])])
    annotate(client, ids[1], [rect(12.5, 12.5, 50, 25, "person")])
    annotate(client, ids[2], [rect(0, 0, 10, 10, "person")])
    tasks = export(client, pid, "JSON").json()
    ours = unpack(export(client, pid, fmt))
    expected = run_oracle(tmp_path, DETECTION, tasks, fmt)
    added = standard_files(ours, expected, fmt)
    notes = json.loads(ours.pop("notes.json"))
    assert notes == json.loads(expected.pop("notes.json"))
    assert ours == expected
    assert ours["classes.txt"] == b"car\nperson\nroad\nbicycle\n"
    # Ultralytics' data.yaml (train with it as it is) and, for darknet-style lines, obj.names (Datumaro, CVAT)
    assert data_yaml(added["data.yaml"]) == {"train": "images", "val": "images", "nc": 4,
                                             "names": {0: "car", 1: "person", 2: "road", 3: "bicycle"}}
    assert added.get("obj.names", ours["classes.txt"]) == ours["classes.txt"]
    street = next(k for k in ours if k.startswith("labels/") and k.endswith("street.txt"))
    first = ours[street].decode().splitlines()[0].split()
    if fmt == "YOLO":
        assert first == ["0", "0.25", "0.4", "0.3", "0.4"]
    else:
        assert [float(v) for v in first[1:]] == pytest.approx([0.1, 0.2, 0.4, 0.2, 0.4, 0.6, 0.1, 0.6])


def test_rotated_boxes_are_exported_rotated_a_fix_of_the_converter(client, tmp_path):
    """The converter writes a rotated rectangle to YOLO and VOC as if it were not rotated; we write the box
    around the rotated rectangle (what COCO gets from the converter too). YOLO_OBB keeps the four corners."""
    pid = new_project(client, DETECTION)
    [tid] = upload(client, pid, {"street.png": png(64, 48)})
    annotate(client, tid, [rect(40, 10, 20, 10, rotation=90, size=(100, 100))])
    tasks = export(client, pid, "JSON").json()
    # Corners of the rectangle turned 90 degrees about its top-left corner (40, 10): x 30..40, y 10..30.
    ours = unpack(export(client, pid, "YOLO"))
    line = next(v for k, v in ours.items() if k.startswith("labels/") and v).decode().split()
    assert [float(v) for v in line[1:]] == pytest.approx([0.35, 0.2, 0.1, 0.2])
    label_studio = run_oracle(tmp_path, DETECTION, tasks, "YOLO")
    ls_line = next(v for k, v in label_studio.items() if k.startswith("labels/") and v).decode().split()
    assert [float(v) for v in ls_line[1:]] == pytest.approx([0.5, 0.15, 0.2, 0.1])  # the unrotated box: wrong
    coco = coco_json(unpack(export(client, pid, "COCO"))["result.json"])
    assert coco["annotations"][0]["bbox"] == pytest.approx([30, 10, 10, 20])
    voc = next(v for k, v in unpack(export(client, pid, "VOC")).items() if k.endswith(".xml")).decode()
    assert "<xmin>30</xmin>\n<ymin>10</ymin>\n<xmax>40</xmax>\n<ymax>30</ymax>" in voc
    obb = next(v for k, v in unpack(export(client, pid, "YOLO_OBB")).items() if k.startswith("labels/") and v)
    assert obb == next(v for k, v in run_oracle(tmp_path, DETECTION, tasks, "YOLO_OBB").items()
                       if k.startswith("labels/") and v)


def test_voc_matches_the_converter_byte_for_byte(client, tmp_path):
    pid, _ = build_detection(client)
    ids = import_tasks(client, pid, [{"image": "q.png"}])
    annotate(client, ids[0], [rect(10, 10, 10, 10, 'a "quoted" <label> & more')], completed_by=None)
    tasks = export(client, pid, "JSON").json()
    # Label Studio downloads the images VOC names (download_resources defaults to true in its API).
    media = client.app.state.settings.media_dir / "upload"
    ours = unpack(export(client, pid, "VOC"))
    expected = run_oracle(tmp_path, DETECTION, tasks, "VOC", upload_dir=str(media), download_resources=True)
    added = standard_files(ours, expected, "VOC")
    # VOC's image list (one line per XML file) and the class list Datumaro and CVAT read
    assert sorted(added["ImageSets/Main/default.txt"].decode().splitlines()) == sorted(
        k.removeprefix("Annotations/").removesuffix(".xml") for k in ours if k.endswith(".xml"))
    assert added["labelmap.txt"].decode() == ("# label:color_rgb:parts:actions\ncar:::\nperson:::\nroad:::\n"
                                              'bicycle:::\na "quoted" <label> & more:::\n')
    # The rotated "person" box is the one deliberate difference (see the test above); all else is equal.
    rotated = re.compile(rb"<object>\n<name>person</name>(?:(?!</object>).)*</object>\n", re.S)
    street = next(k for k in ours if k.endswith("street.xml"))
    assert rotated.search(ours[street]).group() != rotated.search(expected[street]).group()
    ours[street], expected[street] = rotated.sub(b"", ours[street]), rotated.sub(b"", expected[street])
    assert ours == expected
    assert sorted(k for k in ours if k.startswith("images/") and not k.endswith("/")) == sorted(
        f"images/{t['data']['image'].rsplit('/', 1)[1]}" for t in tasks if t["data"]["image"].startswith("/data/"))
    grey = next(v for k, v in ours.items() if k.endswith("grey.xml")).decode()
    assert "<depth>1</depth>" in grey and "<width>30</width>" in grey


def test_with_images_formats_pack_the_images_this_server_holds(client, tmp_path):
    pid, uploaded = build_detection(client, rotation=0)
    tasks = export(client, pid, "JSON").json()
    media = str(client.app.state.settings.media_dir / "upload")
    by_task = {t["id"]: t["data"]["image"] for t in tasks}
    for fmt in ("YOLO_WITH_IMAGES", "YOLO_OBB_WITH_IMAGES"):
        ours = unpack(export(client, pid, fmt))
        expected = run_oracle(tmp_path, DETECTION, tasks, fmt, upload_dir=media)
        standard_files(ours, expected, fmt)
        assert json.loads(ours.pop("notes.json")) == json.loads(expected.pop("notes.json"))
        assert ours == expected, fmt
        # the bucket image is not held here, so neither it nor a label file for it is in the archive
        assert not any("c.txt" in k for k in ours)
    ours = unpack(export(client, pid, "COCO_WITH_IMAGES"))
    expected = run_oracle(tmp_path, DETECTION, tasks, "COCO_WITH_IMAGES", upload_dir=media)
    standard = coco_json(standard_files(ours, expected, "COCO")["annotations/instances_default.json"])
    assert set(ours) == set(expected)
    assert all(ours[k] == expected[k] for k in ours if k.startswith("images/"))
    coco, label_studio = coco_json(ours["result.json"]), coco_json(expected["result.json"])
    # The one difference: Label Studio names a copied upload by its path on the server (relative to a temp
    # folder, e.g. "../../../data/media/upload/1/x.png"); we name the copy inside the archive.
    for ls_image in label_studio["images"]:
        if ls_image["file_name"].startswith(".."):
            ls_image["file_name"] = "images/" + ls_image["file_name"].rsplit("/", 1)[1]
    assert coco == label_studio
    for image in coco["images"]:
        if image["file_name"].startswith("images/"):
            assert image["file_name"] in ours
    street = by_task[uploaded[0]].rsplit("/", 1)[1]
    assert {"width": 64, "height": 48, "file_name": f"images/{street}"}.items() <= coco["images"][0].items()
    # the standard copy names each image inside images/, here for the images the archive holds too
    assert standard["images"][0]["file_name"] == street
    for ls_image, std_image in zip(coco["images"], standard["images"], strict=True):
        if ls_image["file_name"].startswith("images/"):
            assert std_image["file_name"] == ls_image["file_name"].removeprefix("images/")
            assert ls_image["file_name"] in ours
        else:  # an image this server does not hold keeps its URL in Label Studio's file
            assert re.fullmatch(r"[0-9a-f]{8}__[^/]+", std_image["file_name"])


NUMBERED = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img">
    <Label value="car" category="1"/>
    <Label value="person" category="3"/>
  </RectangleLabels>
</View>"""


def test_category_ids_set_in_the_config_are_kept_in_the_standard_files(client, tmp_path):
    """Ids that start at 1 stay as they are in COCO's standard copy; YOLO's lists name the ids no label has."""
    pid = new_project(client, NUMBERED)
    [tid] = upload(client, pid, {"street.png": png(64, 48)})
    annotate(client, tid, [rect(10, 20, 30, 40), rect(50, 50, 10, 10, "person")])
    tasks = export(client, pid, "JSON").json()
    ours = unpack(export(client, pid, "COCO"))
    standard = coco_json(standard_files(ours, run_oracle(tmp_path, NUMBERED, tasks, "COCO"), "COCO")[
        "annotations/instances_default.json"])
    coco = coco_json(ours["result.json"])
    assert coco["categories"] == standard["categories"] == [{"id": 1, "name": "car"}, {"id": 3, "name": "person"}]
    assert [a["category_id"] for a in standard["annotations"]] == [1, 3]
    ours = unpack(export(client, pid, "YOLO"))
    expected = run_oracle(tmp_path, NUMBERED, tasks, "YOLO")
    added = standard_files(ours, expected, "YOLO")
    assert ours["classes.txt"] == expected["classes.txt"] == b"car\nperson\n"  # Label Studio's, by position
    label = next(v for k, v in ours.items() if k.startswith("labels/") and v).decode()
    assert [line.split()[0] for line in label.splitlines()] == ["1", "3"]
    assert data_yaml(added["data.yaml"])["names"] == {0: "class_0", 1: "car", 2: "class_2", 3: "person"}
    assert added["obj.names"] == b"class_0\ncar\nclass_2\nperson\n"


POSE = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="person"/></RectangleLabels>
  <KeyPointLabels name="kp" toName="img">
    <Label value="nose" model_index="0"/>
    <Label value="left_eye" model_index="1"/>
    <Label value="right_eye" model_index="2"/>
  </KeyPointLabels>
</View>"""


def test_yolo_keypoints_data_yaml_gives_the_keypoint_shape(client, tmp_path):
    pid = new_project(client, POSE)
    [tid] = upload(client, pid, {"street.png": png(64, 48)})
    box = rect(10, 20, 30, 40, "person")
    point = {"id": "p1", "from_name": "kp", "to_name": "img", "type": "keypointlabels", "parentID": box["id"],
             "original_width": 640, "original_height": 480, "image_rotation": 0,
             "value": {"x": 20, "y": 30, "width": 1, "keypointlabels": ["left_eye"]}}
    annotate(client, tid, [box, point])
    tasks = export(client, pid, "JSON").json()
    ours = unpack(export(client, pid, "YOLO"))
    expected = run_oracle(tmp_path, POSE, tasks, "YOLO")
    added = {k: ours.pop(k) for k in set(ours) - set(expected)}
    assert set(added) == {"data.yaml"}  # no obj.names: darknet has no keypoints, and Datumaro reads none
    assert {k: v for k, v in ours.items() if k != "notes.json"} == {
        k: v for k, v in expected.items() if k != "notes.json"}
    assert data_yaml(added["data.yaml"]) == {"train": "images", "val": "images", "nc": 1, "names": {0: "person"},
                                             "kpt_shape": [3, 3]}
    label = next(v for k, v in ours.items() if k.startswith("labels/") and v).decode().split()
    assert len(label) == 5 + 3 * 3


def test_local_folder_images_are_named_like_the_converter_names_them(tmp_path, database_url):
    from fastapi.testclient import TestClient

    from conftest import TOKEN
    from labelhive.app import create_app
    from labelhive.config import Settings

    root = tmp_path / "home"
    (root / "shots").mkdir(parents=True)
    (root / "shots" / "one.png").write_bytes(png(40, 20))
    (root / "shots" / "two.png").write_bytes(png(10, 10))
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, username="admin@example.com",
                        password="secret-password", user_token=TOKEN, local_files_root=root)
    app = create_app(settings)
    with TestClient(app, headers={"Authorization": f"Token {TOKEN}"}) as client:
        pid = new_project(client, DETECTION)
        r = client.post("/api/storages/localfiles", json={"project": pid, "path": str(root / "shots"),
                                                          "use_blob_urls": True})
        assert r.status_code == 201, r.text
        assert client.post(f"/api/storages/localfiles/{r.json()['id']}/sync").status_code == 200
        tasks = client.get("/api/tasks", params={"project": pid}).json()["tasks"]
        for task in tasks:
            annotate(client, task["id"], [rect(10, 10, 50, 50, size=(40, 20))])
        tasks = export(client, pid, "JSON").json()
        resolver = lambda d: str(root / d)  # noqa: E731  Label Studio's server installs one like it
        for fmt in ("YOLO_WITH_IMAGES", "COCO_WITH_IMAGES", "VOC"):
            ours = unpack(export(client, pid, fmt))
            expected = run_oracle(tmp_path, DETECTION, tasks, fmt, local_files_resolver=resolver,
                                  download_resources=True)
            standard_files(ours, expected, fmt)
            for name in ("notes.json", "result.json"):
                if name in ours:
                    ours[name] = coco_json(ours[name]) if name == "result.json" else json.loads(ours[name])
                    expected[name] = (coco_json(expected[name]) if name == "result.json"
                                      else json.loads(expected[name]))
            assert ours == expected, fmt
            assert sum(k.startswith("images/") and k.endswith(".png") for k in ours) == 2
    app.state.engine.dispose()


def test_region_formats_download_names_and_packing(client):
    pid, _ = build_detection(client)
    r = export(client, pid, "COCO")
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"].endswith('.zip"')
    with zipfile.ZipFile(__import__("io").BytesIO(r.content)) as zf:
        assert zf.testzip() is None
    # a format that does not fit the config is refused, naming the ones that do
    r = client.get(f"/api/projects/{pid}/export", params={"exportType": "CONLL2003"})
    assert r.status_code == 400 and "COCO" in r.json()["detail"]


@pytest.mark.parametrize("fmt", ["YOLO", "VOC"])
def test_files_written_twice_keep_the_last_write_like_the_converter(client, tmp_path, fmt):
    """Label files go straight into the zip; a name written twice (two annotations of a task, or two
    images with one base name) must still end up with what the converter's folder ends up with."""
    pid = new_project(client, DETECTION)
    ids = import_tasks(client, pid, [{"image": "a.jpg"}, {"image": "a.jpg"}, {"image": "b.jpg"}])
    annotate(client, ids[0], [rect(10, 10, 10, 10)])
    annotate(client, ids[1], [rect(20, 20, 20, 20, "person")])
    annotate(client, ids[2], [rect(30, 30, 5, 5)])
    annotate(client, ids[2], [rect(40, 40, 5, 5, "person")])
    tasks = export(client, pid, "JSON").json()
    ours = unpack(export(client, pid, fmt))
    expected = run_oracle(tmp_path, DETECTION, tasks, fmt)
    standard_files(ours, expected, fmt)
    ours.pop("notes.json", None), expected.pop("notes.json", None)
    assert ours == expected
    files = sorted(k for k in ours if k.endswith((".txt", ".xml")) and "/" in k and "ImageSets" not in k)
    # one file per image name: the two tasks of a.jpg and the two annotations of b.jpg each wrote one twice
    assert [re.sub(r"^[0-9a-f]{8}__", "", f.rsplit("/", 1)[1]) for f in files] == (["a.txt", "b.txt"] if fmt == "YOLO" else ["a.xml", "b.xml"])
