"""BRUSH_TO_COCO: result_coco.json with brush masks traced into polygons, plus polygons and boxes.

Mask outlines are OpenCV's outer contours (findContours, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE), the same
call Label Studio's converter makes, so OpenCV (opencv-python-headless) is needed for this one format and
is imported only when it is used. Categories are numbered from 1 in the order labels are met.
"""
import hashlib
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import orjson

from ..errors import ValidationFailed
from .brush import alpha
from .coco import _Spool
from .images import IMAGES
from .items import ExportContext, annotator, iter_items

_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp")
_TYPE_KEYS = ("brushlabels", "polygonlabels", "rectanglelabels", "labels")


def _cv2():
    try:
        import cv2
    except ImportError:
        raise ValidationFailed("The BRUSH_TO_COCO export needs OpenCV: pip install opencv-python-headless") from None
    return cv2


def _color(name: str) -> str:
    # Label Studio picks a random color per category; a color derived from the name keeps exports reproducible.
    return "#" + hashlib.md5(name.encode()).hexdigest()[:6]


def mask_polygons(cv2, v: dict) -> list[tuple[list[int], list[int], int]]:
    """(flat polygon, [x, y, w, h], area) per outer contour of at least 3 points of a brush mask."""
    mask = alpha(v)
    if mask is None:
        return []
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [(contour.reshape(-1).tolist(), list(cv2.boundingRect(contour)), int(cv2.contourArea(contour)))
            for contour in contours if len(contour) >= 3]


def write_brush_coco(tasks: Iterable[dict], ctx: ExportContext, out_dir: Path) -> None:
    import numpy as np

    cv2 = _cv2()
    (out_dir / IMAGES).mkdir(parents=True, exist_ok=True)
    images, annotations = _Spool(), _Spool()
    categories: dict[str, dict] = {}
    for image_id, item in enumerate(iter_items(tasks, ctx.controls)):
        path = next((v for v in item.data.values() if isinstance(v, str) and v.lower().endswith(_IMAGE_EXTENSIONS)),
                    None)
        if not path or not item.regions:
            continue
        image = {"id": image_id, "file_name": os.path.basename(path), "path": path, "width": None, "height": None}
        by = annotator(item.completed_by, "unknown")
        found = False
        for v in item.all_regions():
            if image["width"] is None and "original_width" in v:
                image["width"], image["height"] = v["original_width"], v["original_height"]
            type_key = next((k for k in _TYPE_KEYS if k in v), None)
            if type_key is None:
                continue
            for label in v[type_key]:
                if label not in categories:
                    categories[label] = {"id": len(categories) + 1, "name": label, "supercategory": "",
                                         "color": _color(label), "metadata": {}}
                base = {"image_id": image_id, "category_id": categories[label]["id"]}
                sized = "original_width" in v and "original_height" in v
                if "rle" in v and type_key == "brushlabels":
                    if not sized:
                        continue
                    for polygon, bbox, area in mask_polygons(cv2, v):
                        annotations.add({"id": annotations.count, **base, "segmentation": [polygon], "area": area,
                                         "bbox": bbox, "iscrowd": 0, "annotator": by})
                        found = True
                elif "points" in v and type_key == "polygonlabels":
                    if not sized:
                        continue
                    w, h = v["original_width"], v["original_height"]
                    points = [[round(x * w / 100), round(y * h / 100)] for x, y in v["points"]]
                    contour = np.array(points, dtype=np.float32).reshape((-1, 1, 2))
                    annotations.add({"id": annotations.count, **base, "segmentation": [[c for p in points for c in p]],
                                     "area": int(cv2.contourArea(contour)),
                                     "bbox": [int(c) for c in cv2.boundingRect(contour)], "iscrowd": 0,
                                     "annotator": by})
                    found = True
                elif v["type"].lower() == "rectanglelabels" or type_key == "labels":
                    if not sized or not all(k in v for k in ("x", "y", "width", "height")):
                        continue
                    w, h = v["original_width"], v["original_height"]
                    x, y, bw, bh = v["x"] * w / 100, v["y"] * h / 100, v["width"] * w / 100, v["height"] * h / 100
                    annotations.add({"id": annotations.count, **base, "segmentation": [], "area": bw * bh,
                                     "bbox": [x, y, bw, bh], "iscrowd": 0, "annotator": by})
                    found = True
        if image["width"] is not None and image["height"] is not None and found:
            images.add(image)
    now = datetime.now()
    info = {"year": now.year, "version": "1.0", "description": "Converted from Label Studio",
            "contributor": "Label Studio Converter", "date_created": str(now)}
    with open(out_dir / "result_coco.json", "wb") as out:
        out.write(b'{\n  "images": [')
        images.copy_to(out)
        out.write(b',\n  "annotations": [')
        annotations.copy_to(out)
        out.write(b',\n  "categories": ' + orjson.dumps(list(categories.values())))
        out.write(b',\n  "info": ' + orjson.dumps(info) + b"\n}")
