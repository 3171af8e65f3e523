"""Local-folder figures: sync a directory of N small files into a project (goal: 100k in under 10 s),
and serve one file (median of repeated GETs; goal: a cached thumbnail under 2 ms).

Usage: .venv/bin/python benchmarks/storage_bench.py [--files 100000] [--requests 300]
"""
import argparse
import http.client
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

TOKEN = "b" * 40
CONFIG = '<View><Image name="image" value="$image"/><Choices name="c" toName="image"><Choice value="a"/></Choices></View>'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def call(self, method: str, path: str, body=None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"}
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read()


def make_files(folder: Path, n: int) -> None:
    png = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(png, "JPEG")
    payload = png.getvalue()
    for i in range(n):
        sub = folder / f"{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"img_{i:06d}.jpg").write_bytes(payload)


def median_ms(api: Api, path: str, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        status, _ = api.call("GET", path)
        times.append(time.perf_counter() - start)
        assert status == 200, (status, path)
    return round(statistics.median(times) * 1000, 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "photos"
        started = time.perf_counter()
        make_files(folder, args.files)
        made_s = time.perf_counter() - started
        port = free_port()
        env = {**os.environ, "LABELHIVE_LOCAL_FILES_ROOT": str(root), "LABELHIVE_DATABASE_URL": ""}
        server = subprocess.Popen([sys.executable, "-c", "from labelhive.cli import main; main()", "start",
                                   "--port", str(port), "--data-dir", str(root / "data"), "--username",
                                   "bench@example.com", "--password", "bench-password", "--user-token", TOKEN],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    if Api(port).call("GET", "/health")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.05)
            api = Api(port)
            pid = json.loads(api.call("POST", "/api/projects", {"title": "sync", "label_config": CONFIG})[1])["id"]
            storage = json.loads(api.call("POST", "/api/storages/localfiles", {
                "project": pid, "path": str(folder), "regex_filter": r"\.jpg$", "use_blob_urls": True})[1])
            start = time.perf_counter()
            status, body = api.call("POST", f"/api/storages/localfiles/{storage['id']}/sync")
            sync_s = time.perf_counter() - start
            assert status == 200, body[:300]
            count = json.loads(body)["last_sync_count"]
            start = time.perf_counter()
            api.call("POST", f"/api/storages/localfiles/{storage['id']}/sync")
            resync_s = time.perf_counter() - start
            tasks = json.loads(api.call("GET", f"/api/tasks?project={pid}&page=1&page_size=1")[1])["tasks"]
            task = tasks[0]
            file_url = task["data"]["image"]
            thumb = f"/api/tasks/{task['id']}/thumbnail?field=image&size=128"
            api.call("GET", thumb)  # build the cache entry once
            result = {"files": args.files, "tasks_created": count, "make_files_s": round(made_s, 1),
                      "sync_s": round(sync_s, 2), "files_per_s": round(count / sync_s),
                      "resync_nothing_new_s": round(resync_s, 2),
                      "health_ms_median": median_ms(api, "/health", args.requests),
                      "whoami_ms_median": median_ms(api, "/api/current-user/whoami", args.requests),
                      "serve_file_ms_median": median_ms(api, file_url, args.requests),
                      "serve_cached_thumbnail_ms_median": median_ms(api, thumb, args.requests)}
        finally:
            server.terminate()
            server.wait(10)
    print(f"sync {result['tasks_created']} files: {result['sync_s']} s (goal < 10 s for 100k); "
          f"re-sync with nothing new: {result['resync_nothing_new_s']} s")
    print(f"serve one file: {result['serve_file_ms_median']} ms median; cached thumbnail: "
          f"{result['serve_cached_thumbnail_ms_median']} ms median (goal < 2 ms)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
