"""Brush exports (BRUSH_TO_NUMPY, BRUSH_TO_PNG, BRUSH_TO_COCO) through the API, checked against
label_studio_sdk.converter on our own JSON export. Masks are numpy arrays encoded with the SDK's encode_rle,
the way Label Studio's editor stores them; what comes back must be those masks."""
import io
import json
import re
import uuid

import numpy as np
import pytest
from export_helpers import annotate, export, import_tasks, new_project, run_oracle, unpack, upload, png
from PIL import Image

brush = pytest.importorskip("label_studio_sdk.converter.brush")

BRUSH = """<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="tag" toName="image">
    <Label value="cat"/>
    <Label value="dog/puppy"/>
  </BrushLabels>
  <PolygonLabels name="poly" toName="image"><Label value="road"/></PolygonLabels>
  <RectangleLabels name="box" toName="image"><Label value="sign"/></RectangleLabels>
</View>"""
W, H = 30, 20


@pytest.fixture(autouse=True)
def no_label_studio_host(monkeypatch):
    for name in ("LABEL_STUDIO_URL", "LABEL_STUDIO_HOST", "LABEL_STUDIO_API_KEY", "LABEL_STUDIO_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def square(x0, y0, x1, y1, width=W, height=H) -> np.ndarray:
    mask = np.zeros((height, width), dtype=np.uint8)
    mask[y0:y1, x0:x1] = 255
    return mask


def disc(cx, cy, r) -> np.ndarray:
    yy, xx = np.mgrid[:H, :W]
    return np.where((xx - cx) ** 2 + (yy - cy) ** 2 <= r * r, 255, 0).astype(np.uint8)


def stroke(mask: np.ndarray, label="cat", name="tag") -> dict:
    """A brush region as the editor saves it: the RLE of the RGBA image whose alpha channel is the mask."""
    rgba = np.zeros((*mask.shape, 4), dtype=np.uint8)
    rgba[..., 0] = np.where(mask > 0, 200, 0)
    rgba[..., 3] = mask
    return {"id": uuid.uuid4().hex[:10], "from_name": name, "to_name": "image", "type": "brushlabels",
            "original_width": mask.shape[1], "original_height": mask.shape[0], "image_rotation": 0,
            "value": {"format": "rle", "rle": [int(b) for b in brush.encode_rle(rgba.flatten())],
                      "brushlabels": [label]}}


def polygon(points, label="road"):
    return {"id": uuid.uuid4().hex[:10], "from_name": "poly", "to_name": "image", "type": "polygonlabels",
            "original_width": W, "original_height": H, "image_rotation": 0,
            "value": {"points": points, "closed": True, "polygonlabels": [label]}}


def box(x, y, w, h, label="sign", size=(W, H)):
    region = {"id": uuid.uuid4().hex[:10], "from_name": "box", "to_name": "image", "type": "rectanglelabels",
              "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, "rectanglelabels": [label]}}
    if size:
        region.update(original_width=size[0], original_height=size[1], image_rotation=0)
    return region


def second_user(client) -> int:
    r = client.post("/api/users", json={"email": f"ann+{uuid.uuid4().hex[:4]}@example.com",
                                        "password": "another-password"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def build(client) -> tuple[int, dict]:
    pid = new_project(client, BRUSH)
    [street] = upload(client, pid, {"street.png": png(W, H)})
    web, bare, plain = import_tasks(client, pid, [{"image": "http://127.0.0.1:9/x/web.jpg"}, {"image": "bare.png"},
                                                  {"image": "http://127.0.0.1:9/never.jpg"}])
    masks = {"cat-0": square(2, 3, 12, 9), "cat-1": disc(20, 10, 6), "dog-0": square(0, 0, W, H),
             "two-parts": square(1, 1, 4, 4) | square(20, 12, 28, 19)}
    annotate(client, street, [stroke(masks["cat-0"]), stroke(masks["cat-1"]), stroke(masks["dog-0"], "dog/puppy"),
                              polygon([[10, 10], [50, 12.5], [30, 60]]), box(50, 50, 20, 25)])
    annotate(client, street, [stroke(masks["two-parts"])], completed_by=second_user(client))
    annotate(client, web, [stroke(masks["cat-0"]), box(10, 10, 10, 10, size=None)])
    annotate(client, web, [stroke(masks["dog-0"], "dog/puppy")], was_cancelled=True)
    annotate(client, bare, [])
    return pid, masks


@pytest.mark.parametrize("fmt", ["BRUSH_TO_NUMPY", "BRUSH_TO_PNG"])
def test_brush_masks_match_the_converter(client, tmp_path, fmt):
    pid, masks = build(client)
    tasks = export(client, pid, "JSON").json()
    ours = unpack(export(client, pid, fmt))
    expected = run_oracle(tmp_path, BRUSH, tasks, fmt)
    assert ours == expected  # the same names, and byte for byte the same files

    def read(raw: bytes) -> np.ndarray:
        return np.load(io.BytesIO(raw)) if fmt == "BRUSH_TO_NUMPY" else np.asarray(Image.open(io.BytesIO(raw)))

    ext = ".npy" if fmt == "BRUSH_TO_NUMPY" else ".png"
    street, web = sorted({t["id"] for t in tasks if t["annotations"] and t["annotations"][0]["result"]})
    by_name = {re.sub(r"-annotation-\d+-", "-annotation-N-", name): read(raw) for name, raw in ours.items()}
    me = tasks[0]["annotations"][0]["completed_by"]
    assert np.array_equal(by_name[f"task-{street}-annotation-N-by-{me}-tag-cat-0{ext}"], masks["cat-0"])
    assert np.array_equal(by_name[f"task-{street}-annotation-N-by-{me}-tag-cat-1{ext}"], masks["cat-1"])
    # the label's "/" cannot be in a file name
    assert np.array_equal(by_name[f"task-{street}-annotation-N-by-{me}-tag-dog-puppy-0{ext}"], masks["dog-0"])
    other = next(a["completed_by"] for a in tasks[0]["annotations"] if a["completed_by"] != me)
    assert np.array_equal(by_name[f"task-{street}-annotation-N-by-{other}-tag-cat-0{ext}"], masks["two-parts"])
    assert np.array_equal(by_name[f"task-{web}-annotation-N-by-{me}-tag-cat-0{ext}"], masks["cat-0"])
    assert len(ours) == 5  # polygons, boxes and the cancelled annotation are not masks
    assert all(m.shape == (H, W) and m.dtype == np.uint8 for m in by_name.values())


def _without_colors(coco: dict) -> dict:
    coco["info"].pop("date_created")
    for category in coco["categories"]:
        assert re.fullmatch(r"#[0-9a-f]{6}", category.pop("color"))
    return coco


def test_brush_to_coco_matches_the_converter(client, tmp_path):
    pid, masks = build(client)
    tasks = export(client, pid, "JSON").json()
    ours = unpack(export(client, pid, "BRUSH_TO_COCO"))
    expected = run_oracle(tmp_path, BRUSH, tasks, "BRUSH_TO_COCO")
    assert set(ours) == set(expected) == {"images/", "result_coco.json"}
    coco, label_studio = json.loads(ours["result_coco.json"]), json.loads(expected["result_coco.json"])
    colors = {c["name"]: c["color"] for c in coco["categories"]}
    assert _without_colors(coco) == _without_colors(label_studio)

    # what a user checks: the traced outlines are the painted squares, one annotation per separate part
    names = {c["id"]: c["name"] for c in coco["categories"]}
    assert sorted(names.values()) == ["cat", "dog/puppy", "road", "sign"]
    outlines = {(names[a["category_id"]], tuple(a["bbox"])) for a in coco["annotations"]}
    assert {("cat", (2, 3, 10, 6)), ("dog/puppy", (0, 0, W, H)), ("cat", (1, 1, 3, 3)), ("cat", (20, 12, 8, 7)),
            ("sign", (15.0, 10.0, 6.0, 5.0))} <= outlines
    square_outline = next(a for a in coco["annotations"] if a["bbox"] == [2, 3, 10, 6])
    assert square_outline["segmentation"] == [[2, 3, 2, 8, 11, 8, 11, 3]] and square_outline["area"] == 45
    # one image per annotation, like the converter; the web task's box has no size, the blank task no regions
    street = tasks[0]["data"]["image"].rsplit("/", 1)[1]
    assert [i["file_name"] for i in coco["images"]] == [street, street, "web.jpg"]
    assert {i["width"] for i in coco["images"]} == {W}
    per_image = [sum(a["image_id"] == i["id"] for a in coco["annotations"]) for i in coco["images"]]
    assert per_image == [2, 5, 1]  # newest annotation first: two parts; 3 masks, a polygon, a box; a mask


def test_brush_to_coco_colors_are_stable_a_fix_of_the_converter(client, tmp_path):
    """The converter gives each category a random color, so two exports of the same project differ; ours
    derive the color from the label name."""
    pid, _ = build(client)
    tasks = export(client, pid, "JSON").json()
    first, second = (json.loads(unpack(export(client, pid, "BRUSH_TO_COCO"))["result_coco.json"])["categories"]
                     for _ in range(2))
    assert first == second
    assert len({c["color"] for c in first}) == len(first)
    runs = [json.loads(run_oracle(tmp_path, BRUSH, tasks, "BRUSH_TO_COCO")["result_coco.json"])["categories"]
            for _ in range(3)]
    assert len({tuple(c["color"] for c in run) for run in runs}) > 1  # 1 in 2**72 that three runs agree


def test_a_mask_that_cannot_be_decoded_is_left_out_a_fix_of_the_converter(client, tmp_path):
    """A brush region without its image size (or with an RLE that does not fit the size) stops the
    converter's whole NumPy/PNG export; we leave that one region out and export the others."""
    pid = new_project(client, BRUSH)
    [task] = import_tasks(client, pid, [{"image": "a.png"}])
    good, sizeless, truncated = stroke(square(1, 1, 5, 5)), stroke(square(1, 1, 5, 5)), stroke(disc(5, 5, 3))
    del sizeless["original_width"]
    truncated["value"]["rle"] = truncated["value"]["rle"][:10]
    annotate(client, task, [sizeless, good, truncated])
    tasks = export(client, pid, "JSON").json()
    with pytest.raises(KeyError):
        run_oracle(tmp_path, BRUSH, tasks, "BRUSH_TO_NUMPY")
    ours = unpack(export(client, pid, "BRUSH_TO_NUMPY"))  # one mask: sent as the .npy itself, as LS sends it
    assert list(ours) == ["<file>npy"]
    assert np.array_equal(np.load(io.BytesIO(ours["<file>npy"])), square(1, 1, 5, 5))
    coco = json.loads(unpack(export(client, pid, "BRUSH_TO_COCO"))["result_coco.json"])
    assert [a["bbox"] for a in coco["annotations"]] == [[1, 1, 4, 4]]
