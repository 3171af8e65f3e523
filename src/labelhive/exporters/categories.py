"""Class lists of the detection formats: ids from the label config, as Label Studio's converter numbers them."""
import itertools


class Categories:
    """Label name -> id. Labels with a `category="N"` attribute keep N; the others, sorted by name, take
    the smallest unused ids. A label met in a result but missing from the config is appended with
    id = the number of categories so far (the converter's rule, even if that id is taken)."""

    def __init__(self, schema: dict):
        self.items: list[dict] = []
        self.ids: dict[str, int] = {}
        labels: set[str] = set()
        for info in schema.values():
            labels |= set(info["labels"])
            for label, attrs in info["labels_attrs"].items():
                try:
                    category = int(attrs["category"])
                except (KeyError, TypeError, ValueError):
                    continue
                self.items.append({"id": category, "name": label})
                self.ids[label] = category
        used = set(self.ids.values())
        free = (i for i in itertools.count() if i not in used)
        for label, i in zip(sorted(labels - set(self.ids)), free):
            self.items.append({"id": i, "name": label})
            self.ids[label] = i

    def id_of(self, name: str) -> int:
        if name not in self.ids:
            self.ids[name] = len(self.items)
            self.items.append({"id": self.ids[name], "name": name})
        return self.ids[name]


def keypoint_labels(schema: dict) -> list[str]:
    return list(dict.fromkeys(label for info in schema.values() if info["type"] == "KeyPointLabels"
                              for label in info["labels"]))


def keypoint_order(schema: dict) -> list[str]:
    """Keypoint names ordered by their `model_index` attribute; those without one are not exported."""
    attrs: dict[str, dict] = {}
    for info in schema.values():
        if info["type"] == "KeyPointLabels":
            attrs.update(info["labels_attrs"])
    pairs, used = [], set()
    for name, a in attrs.items():
        try:
            index = int(a.get("model_index"))
        except (TypeError, ValueError):
            continue
        if index not in used:
            used.add(index)
            pairs.append((index, name))
    return [name for _, name in sorted(pairs, key=lambda p: p[0])]


def with_keypoints(categories: Categories, schema: dict) -> Categories:
    """COCO: all keypoint labels share one "default" category that lists them."""
    points = keypoint_labels(schema)
    if not points:
        return categories
    kept = [c for c in categories.items if c["name"] not in points]
    numeric = [c["id"] for c in kept if isinstance(c["id"], int)]
    merged = (max(numeric) + 1) if numeric else 0
    categories.items = kept + [{"id": merged, "name": "default", "supercategory": "default",
                                "keypoints": points, "skeleton": []}]
    categories.ids = {c["name"]: c["id"] for c in kept} | {p: merged for p in points}
    return categories
