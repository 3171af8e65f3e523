"""COCO export of N images with B boxes each: LabelHive's API against label_studio_sdk.converter, same data.

    .venv/bin/python benchmarks/export_bench.py [--images 10000] [--boxes 10] [--repeat 3]

LabelHive's figure is the whole GET /api/projects/{id}/export?exportType=COCO (reading SQLite, writing the
zip) in-process; the converter's is Converter.convert(...) on LabelHive's own JSON export of the same
tasks (what Label Studio runs after it has serialised them), so it flatters Label Studio if anything.
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

from fastapi.testclient import TestClient

from labelhive.app import create_app
from labelhive.config import Settings

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
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        settings = Settings(data_dir=tmp / "data", username="bench@example.com", password="bench-password",
                            user_token=TOKEN)
        app = create_app(settings)
        with TestClient(app, headers={"Authorization": f"Token {TOKEN}"}) as client:
            pid = client.post("/api/projects", json={"title": "bench", "label_config": CONFIG}).json()["id"]
            data = tasks(args.images, args.boxes)
            for start in range(0, len(data), 5000):
                r = client.post(f"/api/projects/{pid}/import", json=data[start:start + 5000])
                assert r.status_code == 201, r.text
            del data  # a server does not hold the imported JSON; 1M live objects would slow its collector
            ours = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                r = client.get(f"/api/projects/{pid}/export", params={"exportType": "COCO"})
                ours.append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text
            source = tmp / "export.json"
            source.write_bytes(client.get(f"/api/projects/{pid}/export", params={"exportType": "JSON"}).content)
        app.state.engine.dispose()
        try:
            from label_studio_sdk.converter import Converter
        except ImportError:
            sys.exit("label-studio-sdk is needed for the comparison: pip install -e '.[test]'")
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
    print(f"  {theirs_s / ours_s:.0f}x faster")


if __name__ == "__main__":
    main()
