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


def alpha(v: dict) -> "np.ndarray | None":
    """The H x W alpha mask of a brush value, or None without a size or with an RLE that does not fit it."""
    import numpy as np

    try:
        height, width = int(v["original_height"]), int(v["original_width"])
        flat = decode_rle(v["rle"].encode() if isinstance(v["rle"], str) else v["rle"])
        return np.ascontiguousarray(np.reshape(flat, [height, width, 4])[:, :, 3])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def masks(from_name: str, regions: list[dict], note=lambda text: None) -> Iterable[tuple[str, "np.ndarray"]]:
    """(layer name, H x W mask) per brush region: `<from_name>-<labels>-<n>`, n counting equal names.
    A region that cannot be decoded is left out with a note (the converter stops the whole export there)."""
    counters: dict[str, int] = defaultdict(int)
    for v in regions:
        kind = v["type"].lower()
        key = "brushlabels" if kind == "brushlabels" else ("labels" if kind == "labels" else None)
        if key is None or "rle" not in v:
            continue
        name = from_name + "-" + "-".join(v.get(key, ["no_label"]))
        index = counters[name]
        counters[name] += 1
        mask = alpha(v)
        if mask is None:
            note(f"A {from_name} brush region without a size matching its RLE was left out.")
            continue
        yield f"{name}-{index}", mask


def _email(completed_by) -> str:
    email = completed_by.get("email", "") if isinstance(completed_by, dict) else str(completed_by)
    return "".join(c for c in email if c.isalnum() or c in "@.")  # safe in a file name


def write_brush(tasks: Iterable[dict], ctx: ExportContext, out_dir: Path, png: bool = False) -> None:
    import numpy as np
    from PIL import Image

    for item in iter_items(tasks, ctx.controls):
        for from_name, regions in item.regions.items():
            for name, mask in masks(from_name, regions, ctx.note):
                safe = name.replace("/", "-").replace("\\", "-")
                stem = (f"task-{item.task_id}-annotation-{item.annotation.get('id')}-by-"
                        f"{_email(item.completed_by)}-{safe}")
                if png:
                    Image.fromarray(mask).save(out_dir / f"{stem}.png")
                else:
                    np.save(out_dir / f"{stem}.npy", mask)
