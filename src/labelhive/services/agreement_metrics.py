"""How much two annotations of one task agree, control by control: a score in [0, 1] for the control, and one
for each label in it. The method per tag (the README's "Agreement" section gives the formulas):

- Choices, Taxonomy: exact match of the chosen set.
- Rating: 1 - |a - b| / (maxRating - 1); Number: 1 - |a - b| / (max - min) when the tag sets both, else exact.
- TextArea: 1 - Levenshtein(a, b) / max(len a, len b) over the texts joined by newlines.
- Regions (RectangleLabels, PolygonLabels, EllipseLabels, KeyPointLabels, BrushLabels, Labels on text, audio or
  video, VideoRectangle): the regions of the two annotations are paired one to one to maximise their total
  similarity (the Hungarian method); a pair counts when its labels match and its similarity reaches
  THRESHOLD (any similarity for key points); the score is the sum of the counted similarities over the larger
  region count. Similarity is IoU for boxes (exact, or rasterised when rotated), polygons and ellipses
  (rasterised), brush masks (pixels), text spans (characters) and audio or video segments (time); for key points
  it is 1 - distance / KEYPOINT_RANGE.
"""
import math
from collections import defaultdict

import numpy as np

THRESHOLD = 0.5
KEYPOINT_RANGE = 5.0  # percent of the image: points this far apart or more do not match
RASTER = 256  # the grid (per side) polygons, ellipses and rotated boxes are drawn on, in percent coordinates

CHOICE_TYPES = ("choices", "taxonomy")
REGION_TYPES = ("rectanglelabels", "rectangle", "polygonlabels", "polygon", "ellipselabels", "ellipse",
                "keypointlabels", "keypoint", "brushlabels", "brush", "labels", "hypertextlabels",
                "paragraphlabels", "timeserieslabels", "videorectangle")
LABEL_KEYS = ("rectanglelabels", "polygonlabels", "ellipselabels", "keypointlabels", "brushlabels", "labels",
              "hypertextlabels", "paragraphlabels", "timeserieslabels", "choices", "taxonomy")


def by_control(result: list) -> dict[str, list[dict]]:
    """An annotation's result items, grouped by the control (from_name) that made them."""
    out: dict[str, list[dict]] = defaultdict(list)
    for item in result or []:
        if isinstance(item, dict) and isinstance(item.get("value"), dict) and item.get("from_name"):
            out[item["from_name"]].append(item)
    return out


def _labels(item: dict) -> tuple:
    value = item["value"]
    for key in LABEL_KEYS:
        if isinstance(value.get(key), list):
            return tuple(sorted(str(x) for x in value[key]))
    return ()


def compare(a: list[dict], b: list[dict], tag_attrs: dict | None = None) -> tuple[float, dict[str, float]]:
    """Two annotations' items of one control -> (score, {label: score})."""
    sample = (a or b)[0]
    kind = sample.get("type", "").lower()
    attrs = tag_attrs or {}
    if kind in CHOICE_TYPES:
        return _choices(a, b)
    if kind == "rating":
        top = float(attrs.get("maxrating") or 5)
        return _number(a, b, "rating", 1.0, top), {}
    if kind == "number":
        low, high = attrs.get("min"), attrs.get("max")
        return _number(a, b, "number", _float(low), _float(high)), {}
    if kind == "textarea":
        return _text(a, b), {}
    return _regions(a, b, kind)


def _float(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _choices(a, b):
    sa = {x for item in a for x in _flat(item)}
    sb = {x for item in b for x in _flat(item)}
    score = 1.0 if sa == sb else 0.0
    return score, {label: 1.0 if (label in sa and label in sb) else 0.0 for label in sa | sb}


def _flat(item):
    """Chosen values; a Taxonomy path ["Animal", "Cat"] counts as "Animal / Cat"."""
    value = item["value"]
    found = value.get("choices", value.get("taxonomy", []))
    return [" / ".join(map(str, x)) if isinstance(x, list) else str(x) for x in found or []]


def _number(a, b, key, low, high):
    va, vb = (_float(items[0]["value"].get(key)) if items else None for items in (a, b))
    if va is None or vb is None:
        return 1.0 if va == vb else 0.0
    if low is None or high is None or high <= low:
        return 1.0 if va == vb else 0.0
    return max(0.0, 1.0 - abs(va - vb) / (high - low))


def levenshtein(s: str, t: str) -> int:
    if len(s) < len(t):
        s, t = t, s
    previous = list(range(len(t) + 1))
    for i, cs in enumerate(s, 1):
        current = [i]
        for j, ct in enumerate(t, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (cs != ct)))
        previous = current
    return previous[-1]


def _text(a, b):
    ta, tb = ("\n".join(str(x) for item in items for x in item["value"].get("text", []) or []) for items in (a, b))
    longest = max(len(ta), len(tb))
    return 1.0 if longest == 0 else 1.0 - levenshtein(ta, tb) / longest


# Regions ---------------------------------------------------------------------------------------------------

def _regions(a, b, kind):
    if not a or not b:  # one annotator marked nothing here: no agreement on any of the other's labels
        return 0.0, {label: 0.0 for item in a or b for label in _labels(item)}
    sim = np.zeros((len(a), len(b)))
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if _labels(x) == _labels(y):
                sim[i, j] = similarity(x, y, kind)
    from scipy.optimize import linear_sum_assignment  # imported here: only region controls need it

    rows, cols = linear_sum_assignment(-sim)
    # Key points match anywhere within KEYPOINT_RANGE (their similarity already falls to 0 there).
    least = 1e-9 if kind in ("keypointlabels", "keypoint") else THRESHOLD
    matched = [(i, j, float(sim[i, j])) for i, j in zip(rows, cols) if sim[i, j] >= least]
    score = sum(s for _, _, s in matched) / max(len(a), len(b))
    per_label: dict[str, float] = {}
    for label in {lab for item in a + b for lab in _labels(item)}:
        na = sum(label in _labels(x) for x in a)
        nb = sum(label in _labels(y) for y in b)
        got = sum(s for i, _, s in matched if label in _labels(a[i]))
        per_label[label] = got / max(na, nb)
    return score, per_label


def similarity(x: dict, y: dict, kind: str) -> float:
    vx, vy = x["value"], y["value"]
    if kind in ("labels", "hypertextlabels", "paragraphlabels", "timeserieslabels") or "start" in vx:
        return _interval_iou(_interval(vx), _interval(vy))
    if kind == "videorectangle":
        return _video_iou(vx, vy)
    if kind in ("keypointlabels", "keypoint"):
        d = math.hypot(vx["x"] - vy["x"], vx["y"] - vy["y"])
        return max(0.0, 1.0 - d / KEYPOINT_RANGE)
    if kind in ("brushlabels", "brush"):
        return _mask_iou(vx, vy)
    if kind in ("rectanglelabels", "rectangle") and not vx.get("rotation") and not vy.get("rotation"):
        return _box_iou(vx, vy)
    return _raster_iou(_outline(vx, kind), _outline(vy, kind))


def _interval(v: dict) -> tuple[float, float]:
    """A text span (offsets; global ones when the span crosses elements) or an audio segment (seconds)."""
    start, end = v.get("globalOffsets", {}).get("start", v.get("start")), \
        v.get("globalOffsets", {}).get("end", v.get("end"))
    try:
        return float(start), float(end)
    except (TypeError, ValueError):  # HyperText spans without global offsets: compare their xpaths as text
        return 0.0, 0.0


def _interval_iou(p, q) -> float:
    inter = max(0.0, min(p[1], q[1]) - max(p[0], q[0]))
    union = max(p[1], q[1]) - min(p[0], q[0])
    return inter / union if union > 0 else (1.0 if p == q else 0.0)


def _box_iou(p: dict, q: dict) -> float:
    ax2, ay2, bx2, by2 = p["x"] + p["width"], p["y"] + p["height"], q["x"] + q["width"], q["y"] + q["height"]
    iw, ih = max(0.0, min(ax2, bx2) - max(p["x"], q["x"])), max(0.0, min(ay2, by2) - max(p["y"], q["y"]))
    inter = iw * ih
    union = p["width"] * p["height"] + q["width"] * q["height"] - inter
    return inter / union if union > 0 else 0.0


def _outline(v: dict, kind: str) -> list[tuple[float, float]]:
    """The region as a polygon in percent coordinates."""
    if "points" in v:
        return [(float(px), float(py)) for px, py in v["points"]]
    angle = math.radians(float(v.get("rotation") or 0))
    if "radiusX" in v:  # an ellipse: centre (x, y), radii, rotated about the centre
        rx, ry = float(v["radiusX"]), float(v["radiusY"])
        pts = [(rx * math.cos(t), ry * math.sin(t)) for t in (2 * math.pi * k / 64 for k in range(64))]
        return [(v["x"] + px * math.cos(angle) - py * math.sin(angle),
                 v["y"] + px * math.sin(angle) + py * math.cos(angle)) for px, py in pts]
    w, h = float(v["width"]), float(v["height"])  # a box rotated about its top-left corner, as Label Studio draws
    return [(v["x"] + px * math.cos(angle) - py * math.sin(angle), v["y"] + px * math.sin(angle) + py * math.cos(angle))
            for px, py in ((0, 0), (w, 0), (w, h), (0, h))]


def _raster(points) -> np.ndarray:
    from PIL import Image, ImageDraw

    img = Image.new("1", (RASTER, RASTER), 0)
    ImageDraw.Draw(img).polygon([(px * RASTER / 100, py * RASTER / 100) for px, py in points], fill=1)
    return np.asarray(img, dtype=bool)


def _raster_iou(p, q) -> float:
    if len(p) < 3 or len(q) < 3:
        return 0.0
    mp, mq = _raster(p), _raster(q)
    union = np.logical_or(mp, mq).sum()
    return float(np.logical_and(mp, mq).sum() / union) if union else 0.0


def _mask_iou(vx: dict, vy: dict) -> float:
    from ..exporters.brush import decode_rle

    try:
        mx, my = decode_rle(vx["rle"]), decode_rle(vy["rle"])
    except (KeyError, ValueError, TypeError):
        return 0.0
    if mx.shape != my.shape:
        return 0.0
    if mx.size % 4 == 0:  # RGBA pixels: a pixel is painted when its alpha is
        mx, my = mx.reshape(-1, 4)[:, 3], my.reshape(-1, 4)[:, 3]
    mx, my = mx > 0, my > 0
    union = np.logical_or(mx, my).sum()
    return float(np.logical_and(mx, my).sum() / union) if union else 0.0


def _video_iou(vx: dict, vy: dict) -> float:
    """Temporal IoU of the frames each box track covers (the tracks' first to last keyframe)."""
    fx = [s.get("frame", 0) for s in vx.get("sequence") or []]
    fy = [s.get("frame", 0) for s in vy.get("sequence") or []]
    if not fx or not fy:
        return 0.0
    return _interval_iou((min(fx), max(fx) + 1), (min(fy), max(fy) + 1))
