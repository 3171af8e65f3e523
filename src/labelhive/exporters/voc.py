"""Pascal VOC: Annotations/<image>.xml per annotated image, plus images/ with the images this server holds.

Byte-for-byte the XML Label Studio's converter writes (minidom, no indentation), with one fix: a rotated
rectangle is written as the box around it (as COCO does) instead of as if it were not rotated.

Added to Label Studio's files (a fix: without them Datumaro, the format library behind CVAT, finds no
dataset, and would know only VOC's own twenty classes):
- ImageSets/Main/default.txt, VOC's list of the images of a subset (one name per XML file, no extension);
- labelmap.txt, the class list in the `name:color:parts:actions` form Datumaro and CVAT read and write,
  the project's classes in the order of COCO's and YOLO's lists (a name with a ":" or a newline, or one
  that starts with "#", cannot be written there and is left out).
Datumaro looks for the pixels in JPEGImages/; Label Studio's layout keeps them in images/, which we keep.
"""
import os
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from .categories import Categories
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
    categories = Categories(ctx.schema)
    listed: dict[str, None] = {}
    for item in iter_items(tasks, ctx.controls):
        if not listed:
            annotations_dir.mkdir(exist_ok=True)  # like Label Studio: the folder exists once there is an item
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
            categories.id_of(labels[0])
            xmin, ymin, xmax, ymax = voc_box(v, width, height)
            parts += ["<object>\n", _node("name", labels[0]), _node("pose", "Unspecified"),
                      _node("truncated", "0"), _node("difficult", "0"), "<bndbox>\n", _node("xmin", str(xmin)),
                      _node("ymin", str(ymin)), _node("xmax", str(xmax)), _node("ymax", str(ymax)),
                      "</bndbox>\n</object>\n"]
        parts.append("</annotation>\n")
        xml_name = os.path.splitext(image_name)[0] + ".xml"
        ctx.put(out_dir, f"Annotations/{xml_name}", "".join(parts).encode("utf-8"), item.task_id)
        listed[os.path.splitext(xml_name)[0]] = None
    _write_lists(out_dir, listed, categories)


def _write_lists(out_dir: Path, names: Iterable[str], categories: Categories) -> None:
    main = out_dir / "ImageSets" / "Main"
    main.mkdir(parents=True)
    (main / "default.txt").write_text("".join(n + "\n" for n in names), encoding="utf-8")
    # one `name:color:parts:actions` line each; a name that would break that line is left out
    labels = [c["name"] for c in sorted(categories.items, key=lambda c: c["id"])
              if not (":" in c["name"] or "\n" in c["name"] or c["name"].startswith("#"))]
    (out_dir / "labelmap.txt").write_text("# label:color_rgb:parts:actions\n" + "".join(f"{n}:::\n" for n in labels),
                                          encoding="utf-8")
