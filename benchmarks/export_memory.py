#!/usr/bin/env python3
"""Peak memory of COCO and YOLO exports at N and 5N tasks: does it grow with the project?

    .venv/bin/python benchmarks/export_memory.py [--tasks 2000] [--factor 5] [--boxes 10] [--no-converter]

Imports a project of N and one of 5N tasks (one annotation of B boxes each) into a fresh SQLite data dir
through `labelhive start`. Then, for each format and project, a fresh server process is warmed by the same
export of a 10-task project (so lazy imports such as numpy don't count), its peak-RSS counter is reset
(/proc/PID/clear_refs = 5), the export is downloaded to a file, and the peak is read (VmHWM, cross-checked
with VmRSS sampled every 2 ms): the method of api_bench.py's JSON export memory. Each download is checked
(COCO: N x B boxes in result.json; YOLO: one label file per task).

For contrast, label_studio_sdk.converter (what Label Studio runs) converts LabelHive's JSON export of the same
projects in a child process whose peak RSS comes from wait4(); skip it with --no-converter.
"""
import argparse
import atexit
import io
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_bench import (RssSampler, _download_to_file, _reset_hwm, _status_kb, labelhive_server, log,  # noqa: E402
                       stop_all)

CONFIG = """<View><Image name="img" value="$image"/>
<RectangleLabels name="box" toName="img"><Label value="car"/><Label value="person"/><Label value="bike"/>
</RectangleLabels></View>"""
FORMATS = ("COCO", "YOLO")
CONVERT = r'''
import json, logging, os, resource, sys
logging.disable(logging.WARNING)
from label_studio_sdk.converter import Converter
def rss_kb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
config, source, out, fmt = sys.argv[1:]
before = rss_kb()
Converter(config=config, project_dir=None, download_resources=False).convert(source, out, fmt, is_dir=False)
print(json.dumps({"rss_before_kb": before, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
'''


def tasks(first: int, n: int, boxes: int, rnd: random.Random) -> list[dict]:
    def box(i: int, j: int) -> dict:
        return {"id": f"r{i}-{j}", "from_name": "box", "to_name": "img", "type": "rectanglelabels",
                "original_width": 1280, "original_height": 720, "image_rotation": 0,
                "value": {"x": rnd.uniform(0, 80), "y": rnd.uniform(0, 80), "width": rnd.uniform(1, 20),
                          "height": rnd.uniform(1, 20), "rotation": 0,
                          "rectanglelabels": [rnd.choice(["car", "person", "bike"])]}}
    return [{"data": {"image": f"/data/upload/1/{i:07d}.jpg"}, "annotations": [{"result": [box(i, j) for j in
                                                                                            range(boxes)]}]}
            for i in range(first, first + n)]


def call(base: str, auth: str, method: str, path: str, body: bytes | None = None) -> dict:
    req = urllib.request.Request(base + path, data=body, method=method,
                                 headers={"Authorization": auth, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read())


def check(fmt: str, path: Path, count: int, boxes: int) -> None:
    with zipfile.ZipFile(path) as zf:
        if fmt == "COCO":
            found = len(json.loads(zf.read("result.json"))["annotations"])
            expected = count * boxes
        else:
            found = sum(n.startswith("labels/") and n.endswith(".txt") for n in zf.namelist())
            expected = count
    if found != expected:
        raise RuntimeError(f"{fmt} export has {found} {'boxes' if fmt == 'COCO' else 'label files'}, "
                           f"expected {expected}")


def measure(data_dir: Path, token: str, work: Path, fmt: str, project: int, warmup: int) -> dict:
    auth = f"Token {token}"
    export = "/api/projects/{}/export?exportType=" + fmt + "&download_all_tasks=true"
    server = labelhive_server(data_dir, token, work / "server.log").start(60)
    try:
        _download_to_file(server.base, auth, export.format(warmup), work / "warmup.zip")
        before_kb = _status_kb(server.pid)["VmRSS"]
        hwm_reset = _reset_hwm(server.pid)
        sampler = RssSampler(server.pid)
        sampler.start()
        t0 = time.perf_counter()
        size = _download_to_file(server.base, auth, export.format(project), work / "export.zip")
        seconds = time.perf_counter() - t0
        peak_kb = max(sampler.stop(), _status_kb(server.pid)["VmHWM"] if hwm_reset else 0)
    finally:
        server.stop()
    return {"export_mb": size / 1e6, "seconds": seconds, "before_mb": before_kb / 1024, "peak_mb": peak_kb / 1024}


def measure_converter(source: Path, work: Path, fmt: str) -> dict:
    out = work / f"converter-{fmt}"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CONVERT, CONFIG, str(source), str(out), fmt],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"the converter failed on {fmt}:\n{stderr[-2000:]}")
    figures = json.loads(stdout.splitlines()[-1])
    return {"seconds": time.perf_counter() - t0, "before_mb": figures["rss_before_kb"] / 1024,
            "peak_mb": figures["peak_kb"] / 1024}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--factor", type=int, default=5)
    parser.add_argument("--boxes", type=int, default=10)
    parser.add_argument("--no-converter", action="store_true")
    args = parser.parse_args()
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, lambda s, f: (stop_all(), sys.exit(128 + s)))
    sizes = {"N": args.tasks, f"{args.factor}N": args.tasks * args.factor}
    rnd = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data_dir, token = work / "data", secrets.token_hex(20)
        auth = f"Token {token}"
        projects: dict[str, int] = {}
        server = labelhive_server(data_dir, token, work / "server.log").start(60)
        try:
            for label, count in [("warmup", 10)] + list(sizes.items()):
                pid = call(server.base, auth, "POST", "/api/projects",
                           json.dumps({"title": label, "label_config": CONFIG}).encode())["id"]
                for start in range(0, count, 5000):
                    body = json.dumps(tasks(start, min(5000, count - start), args.boxes, rnd)).encode()
                    call(server.base, auth, "POST", f"/api/projects/{pid}/import", body)
                projects[label] = pid
                if label != "warmup" and not args.no_converter:
                    _download_to_file(server.base, auth, f"/api/projects/{pid}/export?exportType=JSON",
                                      work / f"{label}.json")
            log(f"imported {', '.join(f'{c} tasks' for c in sizes.values())} with {args.boxes} boxes each")
        finally:
            server.stop()

        rows = []
        for fmt in FORMATS:
            for label, count in sizes.items():
                ours = measure(data_dir, token, work, fmt, projects[label], projects["warmup"])
                check(fmt, work / "export.zip", count, args.boxes)
                theirs = None if args.no_converter else measure_converter(work / f"{label}.json", work, fmt)
                rows.append((fmt, label, count, ours, theirs))
                log(f"{fmt} {label}: LabelHive {ours}, converter {theirs}")

    print(f"\nPeak RSS of an export ({args.boxes} boxes per task; LabelHive: the server process, warmed, peak "
          f"reset before the download; converter: a child process converting LabelHive's JSON export)")
    print(f"{'format':6} {'tasks':>7} | {'zip MB':>6} {'s':>5} {'RSS before':>10} {'peak':>7} {'growth':>7} | "
          f"{'converter peak':>14} {'growth':>7}")
    for fmt, label, count, ours, theirs in rows:
        conv = (f"{theirs['peak_mb']:11.0f} MB {theirs['peak_mb'] - theirs['before_mb']:4.0f} MB" if theirs
                else f"{'-':>14} {'-':>7}")
        print(f"{fmt:6} {count:7d} | {ours['export_mb']:6.1f} {ours['seconds']:5.1f} {ours['before_mb']:7.0f} MB "
              f"{ours['peak_mb']:4.0f} MB {ours['peak_mb'] - ours['before_mb']:4.0f} MB | {conv}")
    for fmt in FORMATS:
        small, big = [r for r in rows if r[0] == fmt]
        line = f"{fmt}: {args.factor}x the tasks, LabelHive peak x{big[3]['peak_mb'] / small[3]['peak_mb']:.2f}"
        if big[4]:
            line += f", converter peak x{big[4]['peak_mb'] / small[4]['peak_mb']:.2f}"
        print(line)
    print(json.dumps({"tasks": sizes, "boxes": args.boxes, "rows": [
        {"format": f, "size": s, "tasks": c, "labelhive": o, "converter": t} for f, s, c, o, t in rows]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
