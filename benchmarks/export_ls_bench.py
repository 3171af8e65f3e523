#!/usr/bin/env python3
"""Region-format exports through the API: LabelHive and Label Studio 1.23.2 as servers, same tasks, same run.

    .venv/bin/python benchmarks/export_ls_bench.py [--images 10000] [--boxes 10] [--formats COCO,YOLO,VOC]
                                                   [--label-studio /tmp/ls-venv/bin/label-studio]

Each server starts in its own temp data dir (LabelHive on SQLite, Label Studio with its defaults) and gets
a detection project with N images of B boxes each (benchmarks/export_bench.py's generator), imported with
their annotations. Then GET /api/projects/{id}/export?exportType=F is timed to the last byte, per format:
what a user waits for from pressing Export. Label Studio answers it by serialising every task and running
label_studio_sdk.converter in the request; export_bench.py times that converter step alone.
"""
import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_bench as servers  # noqa: E402  (the server start/stop helpers)
from export_bench import CONFIG, TOKEN, call, tasks  # noqa: E402


def measure(server, data: list[dict], formats: list[str], work: Path) -> dict:
    pid = call(server.base, "POST", "/api/projects", {"title": "export bench", "label_config": CONFIG})["id"]
    for start in range(0, len(data), 2000):
        call(server.base, "POST", f"/api/projects/{pid}/import", data[start:start + 2000])
    out = {}
    for fmt in formats:
        t0 = time.perf_counter()
        size = servers._download_to_file(server.base, f"Token {TOKEN}",
                                         f"/api/projects/{pid}/export?exportType={fmt}", work / f"{fmt}.out")
        out[fmt] = {"s": round(time.perf_counter() - t0, 2), "mb": round(size / 1e6, 1)}
        servers.log(f"{server.name} {fmt}: {out[fmt]}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=10000)
    ap.add_argument("--boxes", type=int, default=10)
    ap.add_argument("--formats", default="COCO,YOLO,VOC")
    ap.add_argument("--label-studio", default="/tmp/ls-venv/bin/label-studio")
    args = ap.parse_args()
    formats = args.formats.split(",")
    data = tasks(args.images, args.boxes)
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            lh = servers.labelhive_server(work / "lh", TOKEN, work / "lh.log").start(60)
            results["LabelHive"] = measure(lh, data, formats, work)
            lh.stop()
            if Path(args.label_studio).exists():
                ls = servers.label_studio_server(args.label_studio, work / "ls", TOKEN, work / "ls.log").start(300)
                results["Label Studio"] = measure(ls, data, formats, work)
                ls.stop()
            else:
                servers.log(f"no Label Studio at {args.label_studio}: LabelHive figures only")
    finally:
        servers.stop_all()
    print(f"\nExport through the API, {args.images} images x {args.boxes} boxes")
    print(f"{'format':<8} {'LabelHive':>12} {'Label Studio':>14} {'':>10}")
    for fmt in formats:
        ours = results["LabelHive"][fmt]["s"]
        theirs = results.get("Label Studio", {}).get(fmt, {}).get("s")
        ratio = f"{theirs / ours:.0f}x faster" if theirs else ""
        print(f"{fmt:<8} {ours:>10.2f} s {(f'{theirs:.2f} s' if theirs else '-'):>14} {ratio:>12}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
