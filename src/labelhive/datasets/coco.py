"""COCO JSON (object detection and polygon segmentation) -> images with percent regions.

Errors name the file and the JSON path (`instances.json: annotations[4].image_id`), since a COCO file is
usually one long line. An RLE mask (a crowd region) is imported as its bbox: the editor has no mask
region that a COCO round trip could give back. Keypoints are not imported.
"""
from pathlib import Path

import orjson

from ..errors import ValidationFailed
from .common import Dataset, ImageIndex, ParsedImage, Region, box, image_size, number, polygon


def load(path: Path, name: str) -> dict:
    try:
        doc = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed(f"{name}: not valid JSON ({exc}).") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("images"), list):
        raise ValidationFailed(f'{name}: not a COCO file: it needs an object with an "images" list '
                               '(and "annotations" and "categories").')
    return doc


def is_coco(path: Path) -> bool:
    """Cheap sniff, so a folder may also hold other JSON files (Label Studio's notes.json, say)."""
    try:
        doc = orjson.loads(path.read_bytes())
    except (orjson.JSONDecodeError, OSError):
        return False
    return isinstance(doc, dict) and isinstance(doc.get("images"), list)


def _list(doc: dict, key: str, name: str) -> list:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise ValidationFailed(f'{name}: "{key}" must be a list.')
    return value


def _categories(doc: dict, name: str) -> dict:
    out = {}
    for i, cat in enumerate(_list(doc, "categories", name)):
        if not isinstance(cat, dict) or "id" not in cat or not isinstance(cat.get("name"), str):
            raise ValidationFailed(f'{name}: categories[{i}] needs an "id" and a "name".')
        out[cat["id"]] = cat["name"]
    return out


def _images(doc: dict, name: str, index: ImageIndex) -> dict:
    out = {}
    for i, img in enumerate(doc["images"]):
        where = f"{name}: images[{i}]"
        if not isinstance(img, dict) or "id" not in img or not isinstance(img.get("file_name"), str):
            raise ValidationFailed(f'{where} needs an "id" and a "file_name".')
        if img["id"] in out:
            raise ValidationFailed(f'{where}.id {img["id"]} is used by another image too.')
        path = index.find(img["file_name"])
        width, height = img.get("width"), img.get("height")
        if not (isinstance(width, (int, float)) and isinstance(height, (int, float)) and width > 0 and height > 0):
            if path is None:
                raise ValidationFailed(f'{where} ({img["file_name"]}) has no width and height, and the image '
                                       "is not in the dataset to read them from.")
            width, height = image_size(path, where)
        out[img["id"]] = ParsedImage(img["file_name"], path, width, height, where=where)
    return out


def _regions(ann: dict, label: str, image: ParsedImage, where: str) -> list[Region]:
    w, h = image.width, image.height
    score = number(ann["score"], where, "score") if "score" in ann else None
    seg = ann.get("segmentation")
    if isinstance(seg, list) and seg and all(isinstance(part, list) for part in seg):
        regions = []
        for k, part in enumerate(seg):
            coords = [number(c, f"{where}.segmentation[{k}]", "a coordinate") for c in part]
            if len(coords) < 6 or len(coords) % 2:
                raise ValidationFailed(f"{where}.segmentation[{k}]: a polygon needs x,y pairs for at least "
                                       f"3 points, got {len(coords)} numbers.")
            regions.append(polygon(label, list(zip(coords[::2], coords[1::2])), w, h, where, score))
        return regions
    bbox = ann.get("bbox")
    if not isinstance(bbox, list) or len(bbox) != 4:
        raise ValidationFailed(f"{where}: needs a bbox [x, y, width, height] or polygon segmentation.")
    x, y, bw, bh = (number(v, f"{where}.bbox", "a bbox value") for v in bbox)
    if bw < 0 or bh < 0:
        raise ValidationFailed(f"{where}.bbox: width and height must not be negative, got {bbox}.")
    return [box(label, x, y, bw, bh, w, h, where, score)]


def parse_file(path: Path, name: str, index: ImageIndex) -> tuple[list[str], list[ParsedImage]]:
    doc = load(path, name)
    categories = _categories(doc, name)
    images = _images(doc, name, index)
    for i, ann in enumerate(_list(doc, "annotations", name)):
        where = f"{name}: annotations[{i}]"
        if not isinstance(ann, dict):
            raise ValidationFailed(f"{where} must be an object.")
        image = images.get(ann.get("image_id"))
        if image is None:
            raise ValidationFailed(f'{where}.image_id {ann.get("image_id")!r} matches no image in "images".')
        label = categories.get(ann.get("category_id"))
        if label is None:
            raise ValidationFailed(f'{where}.category_id {ann.get("category_id")!r} matches no entry '
                                   'in "categories".')
        image.regions += _regions(ann, label, image, where)
    return list(categories.values()), list(images.values())


def parse(files: list[tuple[Path, str]], index: ImageIndex) -> Dataset:
    """Each (path, name to show in errors) is one COCO file; train/val splits come as several."""
    classes: dict[str, None] = {}
    images: list[ParsedImage] = []
    for path, name in files:
        names, parsed = parse_file(path, name, index)
        classes.update(dict.fromkeys(names))
        images += parsed
    return Dataset(list(classes), images)
