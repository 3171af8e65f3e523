"""COCO export of N images with B boxes each: LabelHive's API against label_studio_sdk.converter, same data.

    .venv/bin/python benchmarks/export_bench.py [--images 10000] [--boxes 10] [--repeat 3]

LabelHive's figure is GET /api/projects/{id}/export?exportType=COCO from a running `labelhive start` (SQLite),
timed to the last byte of the zip: what a user waits for. The converter's is Converter.convert(...) on
LabelHive's own JSON export of the same tasks (what Label Studio runs after it has serialised them, with no
server, no zip and no download), so it flatters Label Studio if anything; export_ls_bench.py times Label
Studio's own export endpoint.
"""
import argparse
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_bench as servers  # noqa: E402  (the server start/stop helpers)

TOKEN = "b" * 40
CONFIG = """<View><Image name="img" value="$image"/>
<RectangleLabels name="box" toName="img"><Label value="car"/><Label value="person"/><Label value="bike"/>
</RectangleLabels></View>"""


def tasks(n: int, boxes: int) -> list[dict]:
    rnd = random.Random(7)
    out = []
    for i in range(n):
        result = [{"id": f"r{i}-{j}", "from_name": "box", "to_name": "img", "type": "rectanglelabels",
                   "original_width": 1280, "original_height": 720, "image_rotation": 0,
                   "value": {"x": rnd.uniform(0, 80), "y": rnd.uniform(0, 80), "width": rnd.uniform(1, 20),
                             "height": rnd.uniform(1, 20), "rotation": rnd.choice([0, 0, 0, 15]),
                             "rectanglelabels": [rnd.choice(["car", "person", "bike"])]}}
                  for j in range(boxes)]
        out.append({"data": {"image": f"/data/upload/1/{i:06d}.jpg"}, "annotations": [{"result": result}]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=10000)
    parser.add_argument("--boxes", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the converter logs one warning per unreadable image
    try:
        from label_studio_sdk.converter import Converter
    except ImportError:
        sys.exit("label-studio-sdk is needed for the comparison: pip install -e '.[test]'")
    auth = f"Token {TOKEN}"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        server = servers.labelhive_server(tmp / "lh", TOKEN, tmp / "lh.log").start(60)
        try:
            pid = call(server.base, "POST", "/api/projects", {"title": "bench", "label_config": CONFIG})["id"]
            data = tasks(args.images, args.boxes)
            for start in range(0, len(data), 5000):
                call(server.base, "POST", f"/api/projects/{pid}/import", data[start:start + 5000])
            del data
            ours = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                servers._download_to_file(server.base, auth, f"/api/projects/{pid}/export?exportType=COCO",
                                          tmp / "coco.zip")
                ours.append(time.perf_counter() - t0)
            source = tmp / "export.json"
            servers._download_to_file(server.base, auth, f"/api/projects/{pid}/export?exportType=JSON", source)
        finally:
            servers.stop_all()
        theirs = []
        for i in range(max(1, args.repeat - 1)):
            out = tmp / f"ls-{i}"
            t0 = time.perf_counter()
            Converter(config=CONFIG, project_dir=None, download_resources=False).convert(
                str(source), str(out), "COCO", is_dir=False)
            theirs.append(time.perf_counter() - t0)
        boxes = len(json.loads((out / "result.json").read_text())["annotations"])
    ours_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    print(f"COCO export, {args.images} images x {args.boxes} boxes ({boxes} boxes):")
    print(f"  LabelHive GET /export?exportType=COCO   {ours_s:7.2f} s  (median of {len(ours)})")
    print(f"  label_studio_sdk.converter (COCO)       {theirs_s:7.2f} s  (median of {len(theirs)})")
    print(f"  {theirs_s / ours_s:.1f}x faster")


def call(base: str, method: str, path: str, body=None):
    """One JSON API call with the bench token; the answer decoded."""
    import urllib.request

    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                 method=method, headers={"Authorization": f"Token {TOKEN}",
                                                         "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=3600) as r:
        return json.loads(r.read() or b"null")


if __name__ == "__main__":
    main()
