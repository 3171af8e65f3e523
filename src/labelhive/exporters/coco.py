"""COCO and COCO_WITH_IMAGES: result.json (+ images/), equal to Label Studio's converter on the same tasks,
plus annotations/instances_default.json, the same dataset laid out as the COCO dataset itself is.

Label Studio's result.json is kept as the converter writes it, but readers that follow COCO's own layout
cannot use it: Datumaro (the format library behind CVAT) finds a COCO dataset only as
annotations/instances_<subset>.json, takes file_name relative to images/ (Label Studio writes "images/x.png"
or, without images, the media URL), and keeps category id 0 for "no class", so the boxes of Label Studio's
first category (numbered from 0) come back unlabelled. So we also write annotations/instances_default.json
(a fix, tests/test_export_readers.py shows Datumaro import it unchanged): the same images, annotations and
categories, with file_name the image's name inside images/ (where COCO_WITH_IMAGES puts it) and, when
Label Studio's numbering uses id 0, every category id one higher. Ids that start at 1 already (set with
category="N" on the labels) are kept.

Streams: images and annotations go to spool files as they are met and are joined into the JSON files at
the end, so memory holds only the category list however large the project is.
"""
import math
import shutil
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import orjson

from .categories import Categories, keypoint_order, with_keypoints
from .images import IMAGES, ImageRef, image_ref, image_size
from .items import ExportContext, iter_items

STANDARD = "annotations/instances_default.json"


def rotated_box(v: dict) -> tuple[float, float, float, float] | None:
    """The axis-aligned box (percent) around a rectangle rotated about its top-left corner."""
    if not ("x" in v and "y" in v and "width" in v and "height" in v):
        return None
    x, y, w, h, r = v["x"], v["y"], v["width"], v["height"], v.get("rotation", 0.0)
    if not abs(r) > 0:
        return x, y, w, h
    # Same arithmetic as the converter (percent units, rotation towards the vertical axis), so the
    # floats come out bit-identical.
    alpha = math.atan(h / w)
    beta = math.pi * (r / 180)
    radius = math.sqrt((w / 2) ** 2 + (h / 2) ** 2)
    x0 = x - radius * (math.cos(math.pi - alpha - beta) - math.cos(math.pi - alpha)) + w / 2
    y0 = y + radius * (math.sin(math.pi - alpha - beta) - math.sin(math.pi - alpha)) + h / 2
    angles = (alpha + beta, math.pi - alpha + beta, math.pi + alpha + beta, 2 * math.pi - alpha + beta)
    xs = [x0 + radius * math.cos(t) for t in angles]
    ys = [y0 + radius * math.sin(t) for t in angles]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def polygon_area(xs, ys) -> float:
    import numpy as np  # the shoelace sum through numpy's dot, as the converter does, for identical floats

    return float(0.5 * np.abs(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1))))


def _keypoints(points: list[dict], order: list[str]) -> dict:
    """A keypoint annotation's fields after id, image_id and category_id."""
    flat = [0] * (len(order) * 3)
    for kp in points:
        w, h = kp["original_width"], kp["original_height"]
        x, y = kp["x"] / 100 * w, kp["y"] / 100 * h
        labels = kp.get("keypointlabels", [])
        for label in labels:
            if label in order:
                i = order.index(label)
                flat[3 * i:3 * i + 3] = [int(round(x)), int(round(y)), 2]
    visible = [i for i in range(len(order)) if flat[3 * i + 2] > 0]
    xs, ys = [flat[3 * i] for i in visible], [flat[3 * i + 1] for i in visible]
    bbox = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)] if xs else [0, 0, 0, 0]
    return {"keypoints": flat, "num_keypoints": len(visible), "bbox": bbox, "iscrowd": 0}


class _Spool:
    """A JSON array written element by element to a temp file, a few thousand elements a write."""

    BATCH = 4096

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.count = 0
        self._batch: list[bytes] = []

    def add(self, obj: dict) -> None:
        self.add_json(orjson.dumps(obj))

    def add_json(self, element: bytes) -> None:
        self._batch.append(element)
        self.count += 1
        if len(self._batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            lead = b"\n    " if self.count == len(self._batch) else b",\n    "
            self.file.write(lead + b",\n    ".join(self._batch))
            self._batch = []

    def copy_to(self, out: BinaryIO) -> None:
        self._flush()
        self.file.seek(0)
        shutil.copyfileobj(self.file, out)
        out.write(b"\n  ]" if self.count else b"]")
        self.file.close()


class _CocoFile:
    """One COCO JSON file, its images and annotations spooled until it is written."""

    def __init__(self):
        self.images, self.annotations = _Spool(), _Spool()

    def write(self, path: Path, categories: list[dict], info: dict) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            out.write(b'{\n  "images": [')
            self.images.copy_to(out)
            out.write(b',\n  "categories": ' + orjson.dumps(categories) + b',\n  "annotations": [')
            self.annotations.copy_to(out)
            out.write(b',\n  "info": ' + orjson.dumps(info) + b"\n}")


class _Both:
    """Label Studio's result.json and the standard annotations/instances_default.json, written side by side."""

    def __init__(self, categories: Categories):
        self.ls, self.standard = _CocoFile(), _CocoFile()
        # Datumaro and CVAT read category 0 as "no class"; COCO itself numbers from 1.
        self.shift = 1 if not categories.items or any(c["id"] == 0 for c in categories.items) else 0

    def add_image(self, width, height, ref: ImageRef) -> None:
        entry = {"width": width, "height": height, "id": self.ls.images.count, "file_name": ref.file_name}
        self.ls.images.add(entry)
        self.standard.images.add({**entry, "file_name": ref.name})

    def add_annotation(self, image_id: int, category: int, fields: dict) -> None:
        """An annotation numbered next: id, image_id and category_id first, then `fields` (never empty).
        Its fields are serialised once for both files, which differ only in the category id."""
        rest = orjson.dumps(fields)[1:]
        head = b'{"id":%d,"image_id":%d,"category_id":%d,'
        n = self.ls.annotations.count
        self.ls.annotations.add_json(head % (n, image_id, category) + rest)
        self.standard.annotations.add_json(head % (n, image_id, category + self.shift) + rest)

    def write(self, out_dir: Path, categories: list[dict], info: dict) -> None:
        self.ls.write(out_dir / "result.json", categories, info)
        shifted = [{**c, "id": c["id"] + self.shift} for c in categories]
        self.standard.write(out_dir / STANDARD, shifted, info)


def write_coco(tasks: Iterable[dict], ctx: ExportContext, out_dir: Path, with_images: bool = False) -> None:
    (out_dir / IMAGES).mkdir(parents=True, exist_ok=True)
    categories = with_keypoints(Categories(ctx.schema), ctx.schema)
    order = keypoint_order(ctx.schema)
    key = ctx.data_key
    files = _Both(categories)
    images = files.ls.images  # counted for the ids
    for item in iter_items(tasks, ctx.controls):
        image_id = images.count
        ref = image_ref(item.data.get(key), ctx, out_dir, with_images)
        width = height = None
        size = image_size(ref.copied) if ref.copied else None
        if size:
            width, height = size[:2]
            files.add_image(width, height, ref)
        if not item.regions:
            if not width:
                files.add_image(None, None, ref)
            continue
        points = []
        for region in item.all_regions():
            labels = (region.get("rectanglelabels") or region.get("polygonlabels") or region.get("keypointlabels")
                      or region.get("labels"))  # the first of these that has a label names the category
            if not labels:
                continue
            if not height or not width:
                if "original_width" not in region or "original_height" not in region:
                    continue
                width, height = region["original_width"], region["original_height"]
                files.add_image(width, height, ref)
            category = categories.id_of(labels[0])
            if "rectanglelabels" in region or "labels" in region:
                box = rotated_box(region)
                if box is None or "original_width" not in region or "original_height" not in region:
                    continue
                ow, oh = region["original_width"], region["original_height"]
                x, y, w, h = box[0] * ow / 100, box[1] * oh / 100, box[2] * ow / 100, box[3] * oh / 100
                files.add_annotation(image_id, category, {"segmentation": [], "bbox": [x, y, w, h], "ignore": 0,
                                                          "iscrowd": 0, "area": w * h})
            elif "polygonlabels" in region:
                pts = [(px / 100 * width, py / 100 * height) for px, py in region["points"]]
                xs, ys = zip(*pts)
                files.add_annotation(image_id, category, {
                    "segmentation": [[c for p in pts for c in p]],
                    "bbox": [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)], "ignore": 0, "iscrowd": 0,
                    "area": polygon_area(xs, ys)})
            elif "keypointlabels" in region:
                points.append(region)
        if points:
            if order:
                files.add_annotation(image_id, categories.ids.get(order[0], 0), _keypoints(points, order))
            else:
                # The converter stops the whole export here; we leave the keypoints out and say why.
                ctx.note("Keypoints need a model_index attribute on each KeyPointLabels label to be exported "
                         "to COCO; they were left out.")
    now = datetime.now()
    info = {"year": now.year, "version": "1.0", "description": "", "contributor": "Label Studio", "url": "",
            "date_created": str(now)}
    files.write(out_dir, categories.items, info)
