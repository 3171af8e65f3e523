"""Time from `labelhive start` to a ready /health on an empty data dir (goal: under 2 s).

Usage: .venv/bin/python benchmarks/startup_bench.py [--runs 5]
"""
import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_start() -> float:
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", "from labelhive.cli import main; main()", "start",
                                 "--port", str(port), "--data-dir", data_dir],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://localhost:{port}/health", timeout=1) as r:
                        if r.status == 200:
                            return time.perf_counter() - started
                except OSError:
                    if proc.poll() is not None:
                        raise SystemExit("labelhive start exited early")
                    time.sleep(0.01)
        finally:
            proc.terminate()
            proc.wait(10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    runs = [one_start() for _ in range(ap.parse_args().runs)]
    print(json.dumps({"startup_to_health_s_median": round(statistics.median(runs), 3),
                      "startup_to_health_s_max": round(max(runs), 3), "runs": len(runs)}))


if __name__ == "__main__":
    main()
