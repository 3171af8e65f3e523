"""Brush masks: Label Studio's RLE decoded to H x W alpha masks, saved as .npy (BRUSH_TO_NUMPY) or .png.

The RLE is a port of thi-ng's rle-pack over the flattened RGBA image: a 32-bit value count, a 5-bit word
size - 1, four 4-bit run-length sizes - 1, then runs: 1 bit (repeat or literal), 2 bits choosing the
run-length size, the run length - 1, then one word (repeat) or one word per value (literal).
"""
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from .items import ExportContext, iter_items


def decode_rle(rle) -> "np.ndarray":
    """The flat uint8 array an RLE list (or bytes) encodes."""
    import numpy as np

    bits = "".join(f"{b:08b}" for b in bytes(rle))
    pos = 0

    def read(n: int) -> int:
        nonlocal pos
        pos += n
        return int(bits[pos - n:pos], 2)

    num, word = read(32), read(5) + 1
    sizes = [read(4) + 1 for _ in range(4)]
    out = np.zeros(num, dtype=np.uint8)
    i = 0
    while i < num:
        repeat = read(1)
        j = i + 1 + read(sizes[read(2)])
        if repeat:
            out[i:j] = read(word)
            i = j
        else:
            while i < j:
                out[i] = read(word)
                i += 1
    return out


def masks(from_name: str, regions: list[dict]) -> Iterable[tuple[str, "np.ndarray"]]:
    """(layer name, H x W mask) per brush region: `<from_name>-<labels>-<n>`, n counting equal names."""
    import numpy as np

    counters: dict[str, int] = defaultdict(int)
    for v in regions:
        kind = v["type"].lower()
        key = "brushlabels" if kind == "brushlabels" else ("labels" if kind == "labels" else None)
        if key is None or "rle" not in v:
            continue
        name = from_name + "-" + "-".join(v.get(key, ["no_label"]))
        index = counters[name]
        counters[name] += 1
        flat = decode_rle(v["rle"])
        yield f"{name}-{index}", np.reshape(flat, [v["original_height"], v["original_width"], 4])[:, :, 3]


def _email(completed_by) -> str:
    email = completed_by.get("email", "") if isinstance(completed_by, dict) else str(completed_by)
    return "".join(c for c in email if c.isalnum() or c in "@.")  # safe in a file name


def write_brush(tasks: Iterable[dict], ctx: ExportContext, out_dir: Path, png: bool = False) -> None:
    import numpy as np
    from PIL import Image

    for item in iter_items(tasks, ctx.controls):
        for from_name, regions in item.regions.items():
            for name, mask in masks(from_name, regions):
                safe = name.replace("/", "-").replace("\\", "-")
                stem = (f"task-{item.task_id}-annotation-{item.annotation.get('id')}-by-"
                        f"{_email(item.completed_by)}-{safe}")
                if png:
                    Image.fromarray(mask).save(out_dir / f"{stem}.png")
                else:
                    np.save(out_dir / f"{stem}.npy", mask)
