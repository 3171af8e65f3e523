"""Pascal VOC: Annotations/<image>.xml per annotated image, plus images/ with the images this server holds.

Byte-for-byte the XML Label Studio's converter writes (minidom, no indentation), with one fix: a rotated
rectangle is written as the box around it (as COCO does) instead of as if it were not rotated.
"""
import os
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from .coco import rotated_box
from .images import IMAGES, image_ref, image_size
from .items import ExportContext, annotator, iter_items


_QUOTE = {'"': "&quot;"}  # minidom escapes double quotes in text too


def _node(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text, _QUOTE)}</{tag}>\n"


def voc_box(v: dict, width, height) -> tuple[int, int, int, int]:
    """Pixel corners, truncated like the converter's; a rotated box first becomes the box around it
    (rounded to 6 places, so that the trigonometry's 9.999999 stays 10)."""
    if v.get("rotation"):
        x, y, w, h = (round(c, 6) for c in rotated_box(v))
    else:
        x, y, w, h = v["x"], v["y"], v["width"], v["height"]
    x, y = int(x / 100 * width), int(y / 100 * height)
    return x, y, x + int(w / 100 * width), y + int(h / 100 * height)


def write_voc(tasks: Iterable[dict], ctx: ExportContext, out_dir: Path, with_images: bool = True) -> None:
    (out_dir / IMAGES).mkdir(parents=True, exist_ok=True)
    annotations_dir = out_dir / "Annotations"
    key = ctx.data_key
    for item in iter_items(tasks, ctx.controls):
        annotations_dir.mkdir(exist_ok=True)
        ref = image_ref(item.data.get(key), ctx, out_dir, with_images)
        size = image_size(ref.copied)
        channels = size[2] if size else 3
        boxes = item.all_regions()
        if not boxes or "original_width" not in boxes[0] or "original_height" not in boxes[0]:
            continue
        width, height = boxes[0]["original_width"], boxes[0]["original_height"]
        image_name = os.path.basename(ref.file_name)
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n<annotation>\n', _node("folder", IMAGES),
                 _node("filename", image_name), "<source>\n", _node("database", "MyDatabase"),
                 _node("annotation", "COCO2017"), _node("image", "flickr"), _node("flickrid", "NULL"),
                 _node("annotator", str(annotator(item.completed_by, ""))), "</source>\n<owner>\n",
                 _node("flickrid", "NULL"), _node("name", "Label Studio"), "</owner>\n<size>\n",
                 _node("width", str(width)), _node("height", str(height)), _node("depth", str(channels)),
                 "</size>\n", _node("segmented", "0")]
        for v in boxes:
            labels = v.get("rectanglelabels") if "rectanglelabels" in v else v.get("labels")
            if not labels:
                continue
            xmin, ymin, xmax, ymax = voc_box(v, width, height)
            parts += ["<object>\n", _node("name", labels[0]), _node("pose", "Unspecified"),
                      _node("truncated", "0"), _node("difficult", "0"), "<bndbox>\n", _node("xmin", str(xmin)),
                      _node("ymin", str(ymin)), _node("xmax", str(xmax)), _node("ymax", str(ymax)),
                      "</bndbox>\n</object>\n"]
        parts.append("</annotation>\n")
        xml_name = os.path.splitext(image_name)[0] + ".xml"
        (annotations_dir / xml_name).write_text("".join(parts), encoding="utf-8")
