"""YOLO, YOLO_OBB and their *_WITH_IMAGES variants: labels/<image>.txt, classes.txt, notes.json, images/,
as Label Studio's converter writes them, plus the class list files YOLO's trainers and readers look for.

Each line is `class xc yc w h` (0-1) for a box, `class x1 y1 x2 y2 ...` for a polygon, and for OBB the four
corners of the rotated box, normalised by original_width/original_height. With KeyPointLabels in the config
a line is a box followed by its keypoints (`x y 2`, or `0.0 0.0 0` for a missing one), in model_index order.

Added to Label Studio's files (a fix: with classes.txt alone no reader finds the dataset):
- data.yaml, Ultralytics' dataset file (train and val: images; names by class id; kpt_shape with
  keypoints), so `yolo train data=<folder>/data.yaml` takes the export as it is: with no `path` key the
  folder of data.yaml is the dataset root, and Ultralytics finds each image's labels by replacing images/
  with labels/ in its path, which is Label Studio's layout. (Ultralytics reads a whole label file as
  polygons once one line is a polygon, so a box beside a polygon in one image comes out wrong there.)
- obj.names (not with OBB or keypoint lines, which darknet lacks), the class list by which Datumaro (behind
  CVAT) recognises a YOLO folder: it then reads labels/*.txt with the images beside them (it needs the images
  for their sizes, so YOLO_WITH_IMAGES). Its reader takes `class xc yc w h` lines only; a polygon line stops
  it (a file that starts with one is skipped). No obj.data: with one Datumaro takes the folder for darknet's
  strict layout, which keeps each label file next to its image, and fails on the first image.
Both list the classes by id (classes.txt lists them in Label Studio's order); an id no label has (ids set
with category="N" can leave gaps) gets the name class_<id>.
"""
import math
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import orjson

from .coco import rotated_box
from .categories import Categories, keypoint_labels, keypoint_order
from .images import IMAGES, _CLOUD, image_ref
from .items import ExportContext, iter_items

_CLASS_KEYS = ("rectanglelabels", "polygonlabels", "labels")


def box_line(v: dict) -> list[float] | None:
    if not ("x" in v and "y" in v and "width" in v and "height" in v):
        return None
    x, y, w, h = v["x"], v["y"], v["width"], v["height"]
    if x is None or y is None or w is None or h is None:
        return None
    if v.get("rotation"):
        # The converter ignores the rotation here (a wrong box); we take the box around the rotated one,
        # as the converter's COCO does.
        x, y, w, h = rotated_box(v)
    try:
        return [(x + w / 2) / 100, (y + h / 2) / 100, w / 100, h / 100]
    except TypeError:
        return None


def obb_line(v: dict) -> list[float] | None:
    """The four corners (top-left, top-right, bottom-right, bottom-left) of a box rotated about its top-left."""
    if not all(k in v for k in ("original_width", "original_height", "x", "y", "width", "height", "rotation")):
        return None
    ow, oh = v["original_width"], v["original_height"]
    x, y = v["x"] / 100 * ow, v["y"] / 100 * oh
    w, h = v["width"] / 100 * ow, v["height"] / 100 * oh
    r = math.radians(v.get("rotation", 0))
    cos, sin = math.cos(r), math.sin(r)
    corners = [(x, y), (x + w * cos, y + w * sin), (x + w * cos - h * sin, y + w * sin + h * cos),
               (x - h * sin, y + h * cos)]
    return [c for cx, cy in corners for c in (cx / ow, cy / oh)]


def _line(numbers: list) -> str:
    """The numbers as the converter writes them: str() of each, joined by spaces. orjson prints a number the
    same shortest way as str() between 1e-4 and 1e16, several times faster over 100k boxes; outside that
    (str() switches to exponents at 1e-5 and orjson writes 0.00001 or 1e-7) and for NaN (null) str() does it."""
    out = orjson.dumps(numbers)
    if b"e" in out or b"n" in out or b"0.0000" in out:
        return " ".join(map(str, numbers))
    return out[1:-1].replace(b",", b" ").decode()


def _region_lines(regions: list[dict], categories: Categories, obb: bool) -> list[str]:
    lines = []
    for v in regions:
        names = [n for k in _CLASS_KEYS if v.get(k) for n in v[k]]
        for name in names:
            category = categories.id_of(name)
            if "rectanglelabels" in v or "rectangle" in v or "labels" in v:
                values = obb_line(v) if obb else box_line(v)
                if values is None:
                    continue
            elif "polygonlabels" in v or "polygon" in v:
                if "points" not in v:
                    continue
                values = [c for px, py in v["points"] for c in (px / 100, py / 100)]
            else:
                continue
            lines.append(_line([category, *values]) + "\n")
    return lines


def _keypoint_lines(regions: list[dict], class_ids: dict[str, int], order: list[str]) -> list[str]:
    boxes: dict = {}
    for v in regions:
        if v["type"].lower() == "rectanglelabels" and v.get("rectanglelabels"):
            cls = class_ids.get(v["rectanglelabels"][0])
            if cls is None:
                continue
            x, y, w, h = v["x"] / 100.0, v["y"] / 100.0, v["width"] / 100.0, v["height"] / 100.0
            boxes[v["id"]] = ([cls, x + w / 2.0, y + h / 2.0, w, h], {})
    for v in regions:
        if v["type"].lower() == "keypointlabels" and v.get("parentID") in boxes and v.get("keypointlabels"):
            boxes[v["parentID"]][1][v["keypointlabels"][0]] = (v["x"] / 100.0, v["y"] / 100.0, 2)
    lines = []
    for base, points in boxes.values():
        values = base + [c for name in order for c in points.get(name, (0.0, 0.0, 0))]
        lines.append(" ".join(map(str, values)))
    return ["\n".join(lines)]


def _keypoint_categories(schema: dict) -> Categories:
    """With keypoints, the classes are the RectangleLabels labels, each listing every keypoint name."""
    points = keypoint_labels(schema)
    boxes = list(dict.fromkeys(label for info in schema.values() if info["type"] == "RectangleLabels"
                               for label in info["labels"]))
    categories = Categories({})
    categories.items = [{"id": i, "name": n, "keypoints": points} for i, n in enumerate(boxes)]
    categories.ids = {n: i for i, n in enumerate(boxes)}
    return categories


def _names_by_id(categories: Categories) -> list[str]:
    ids = {}
    for c in categories.items:
        if isinstance(c["id"], int) and c["id"] >= 0:
            ids.setdefault(c["id"], c["name"])
    return [ids.get(i, f"class_{i}") for i in range(max(ids, default=-1) + 1)]


def _write_class_lists(out_dir: Path, categories: Categories, obb: bool, keypoints: int | None) -> None:
    names = _names_by_id(categories)
    lines = ["# Ultralytics YOLO dataset: labels/<name>.txt for each images/<name>\n", "train: images\n",
             "val: images\n", f"nc: {len(names)}\n", "names:\n"]
    # a JSON string is a YAML double-quoted scalar: any label name stays a string
    lines += [f"  {i}: {orjson.dumps(name).decode()}\n" for i, name in enumerate(names)]
    if keypoints is not None:
        lines.append(f"kpt_shape: [{keypoints}, 3]\n")
    (out_dir / "data.yaml").write_text("".join(lines), encoding="utf-8")
    if not obb and keypoints is None:
        (out_dir / "obj.names").write_text("".join(n + "\n" for n in names), encoding="utf-8")


def write_yolo(tasks: Iterable[dict], ctx: ExportContext, out_dir: Path, with_images: bool = False,
               obb: bool = False) -> None:
    labels_dir = out_dir / "labels"
    labels_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / IMAGES).mkdir(exist_ok=True)
    keypoints = bool(keypoint_labels(ctx.schema))
    categories = _keypoint_categories(ctx.schema) if keypoints else Categories(ctx.schema)
    order = keypoint_order(ctx.schema)
    key = ctx.data_key
    for item in iter_items(tasks, ctx.controls, with_ids=keypoints):
        urls = item.data.get(key)
        urls = [urls] if isinstance(urls, str) else list(urls or [])
        name = None
        for url in reversed(urls):
            ref = image_ref(url, ctx, out_dir, with_images)
            # A bucket image that could not be copied would leave a label file without its image.
            if with_images and ref.copied is None and isinstance(url, str) and url.startswith(_CLOUD):
                continue
            name = ref.file_name
            break
        if not name:
            ctx.note(f"Task {item.task_id} has no image; left out of the export.")
            continue
        label_name = f"labels/{os.path.splitext(os.path.basename(name))[0][:251]}.txt"
        regions = item.all_regions()
        if not regions:
            ctx.put(out_dir, label_name, b"", item.task_id)
            continue
        lines = (_keypoint_lines(regions, categories.ids, order) if keypoints
                 else _region_lines(regions, categories, obb))
        # Several annotations of one task write the same file; the last written wins, as in Label Studio.
        ctx.put(out_dir, label_name, "".join(lines).encode("utf-8"), item.task_id)
    with open(out_dir / "classes.txt", "w", encoding="utf-8") as f:
        f.writelines(c["name"] + "\n" for c in categories.items)
    info = {"year": datetime.now().year, "version": "1.0", "contributor": "Label Studio"}
    (out_dir / "notes.json").write_bytes(orjson.dumps({"categories": categories.items, "info": info},
                                                      option=orjson.OPT_INDENT_2))
    _write_class_lists(out_dir, categories, obb, len(order) if keypoints else None)
