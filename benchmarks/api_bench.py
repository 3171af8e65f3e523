#!/usr/bin/env python3
"""LabelHive vs Label Studio: the shared API benchmark against both, plus LabelHive's export memory.

    .venv/bin/python benchmarks/api_bench.py [--tasks 10000] [--annotate 200] [--rounds 3]
                                             [--label-studio /tmp/ls-venv/bin/label-studio]

1. Starts `labelhive start` on SQLite in a fresh temp data dir and runs the shared
   ../shared/bench/apibench.py against it (import, list pages, annotate, JSON/CSV export).
2. With --label-studio PATH (or env LABEL_STUDIO_BIN) starts Label Studio in its own temp data dir
   too, and the benchmark runs against the two in turn, --rounds times (interleaved: a busy spell on
   the machine falls on both); the figures are each server's medians, with the load at each run.
3. Export memory (first, before the API servers start): imports a project of N tasks and one of 5N tasks (one annotation and one
   prediction each), then exports each as JSON from a fresh server process and records the
   server's peak RSS during the export (VmHWM after resetting it via clear_refs, and VmRSS
   sampled every 2 ms), so the two peaks are comparable.

Prints a table (LabelHive, Label Studio, "x faster") and a final JSON line. Every server it
starts is stopped at the end, on error too. Stdlib only (runs under any Python >= 3.11).
"""
import argparse
import atexit
import importlib.util
import json
import os
import platform
import random
import secrets
import shutil
import signal
import statistics
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_APIBENCH = REPO.parent / "shared" / "bench" / "apibench.py"
USERNAME, PASSWORD = "bench@example.com", "bench-pass-123"

# (apibench key, label, unit, "time" = lower is better / "rate" = higher is better)
FIGURES = [
    ("import_s", "import", "s", "time"),
    ("import_tasks_per_s", "import rate", "tasks/s", "rate"),
    ("list_page_ms_median", "100-task page, median", "ms", "time"),
    ("list_page_ms_max", "100-task page, max", "ms", "time"),
    ("list_last_page_ms", "last page", "ms", "time"),
    ("annotate_ms_median", "post annotation, median", "ms", "time"),
    ("export_json_s", "JSON export", "s", "time"),
    ("export_csv_s", "CSV export", "s", "time"),
    ("create_project_s", "create project", "s", "time"),
]
# key -> (kind, threshold): "ratio" = at least that many times faster than LS, "max" = absolute ceiling.
GOALS = {
    "import_s": ("ratio", 30.0),
    "list_page_ms_median": ("max", 15.0),
    "annotate_ms_median": ("max", 10.0),
    "export_json_s": ("ratio", 30.0),
}


def log(msg: str) -> None:
    print(f"[api_bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_apibench(path: Path):
    spec = importlib.util.spec_from_file_location("apibench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- servers

_RUNNING: list["Server"] = []


class Server:
    """A server process in its own session, so stop() ends it and anything it spawned."""

    def __init__(self, name: str, cmd: list[str], env: dict, port: int, log_path: Path):
        self.name, self.cmd, self.env, self.port, self.log_path = name, cmd, env, port, log_path
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float) -> "Server":
        log(f"starting {self.name} on port {self.port}")
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        _RUNNING.append(self)
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before answering /health; "
                                   f"log tail:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=5) as r:
                    if r.status == 200:
                        log(f"{self.name} up after {time.monotonic() - t0:.1f}s")
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /health within {timeout:.0f}s; log tail:\n{self.log_tail()}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)  # our own child's session, nothing else
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.proc = None
        self._log.close()
        if self in _RUNNING:
            _RUNNING.remove(self)
        log(f"stopped {self.name}")

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_bytes()[-n:].decode(errors="replace")
        except OSError:
            return ""


def stop_all() -> None:
    for server in list(_RUNNING):
        try:
            server.stop()
        except Exception as exc:  # keep stopping the rest
            log(f"could not stop {server.name}: {exc}")


def _on_signal(signum, _frame):
    stop_all()
    sys.exit(128 + signum)


def labelhive_cmd() -> list[str]:
    script = Path(sys.executable).parent / "labelhive"
    if script.exists():
        return [str(script)]
    found = shutil.which("labelhive")
    if found:
        return [found]
    return [sys.executable, "-c", "from labelhive.cli import main; main()"]


def clean_env() -> dict:
    # Nothing from the caller's environment may point the servers at another database or data dir.
    return {k: v for k, v in os.environ.items() if not k.startswith(("LABELHIVE_", "LABEL_STUDIO_"))}


def labelhive_server(data_dir: Path, token: str, log_path: Path) -> Server:
    port = free_port()
    cmd = labelhive_cmd() + ["start", "--port", str(port), "--data-dir", str(data_dir),
                             "--username", USERNAME, "--password", PASSWORD, "--user-token", token]
    return Server("LabelHive", cmd, clean_env(), port, log_path)


def label_studio_server(binary: str, data_dir: Path, token: str, log_path: Path) -> Server:
    port = free_port()
    env = clean_env()
    env.update(LABEL_STUDIO_USERNAME=USERNAME, LABEL_STUDIO_PASSWORD=PASSWORD, LABEL_STUDIO_USER_TOKEN=token,
               LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true", LABEL_STUDIO_BASE_DATA_DIR=str(data_dir))
    cmd = [binary, "start", "--no-browser", "--port", str(port)]
    return Server("Label Studio", cmd, env, port, log_path)


# --------------------------------------------------------------------------- the shared benchmark

def run_apibench(apibench: Path, server: Server, token: str, tasks: int, annotate: int) -> dict:
    log(f"apibench against {server.name}: {tasks} tasks, {annotate} annotations")
    out = subprocess.run([sys.executable, str(apibench), server.base, token, "--tasks", str(tasks),
                          "--annotate", str(annotate)], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"apibench against {server.name} failed ({out.returncode}):\n{out.stderr[-3000:]}\n"
                           f"server log tail:\n{server.log_tail()}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    log(f"{server.name}: {json.dumps(result)}")
    return result


# --------------------------------------------------------------------------- export memory

def _status_kb(pid: int) -> dict[str, int]:
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                values[key] = int(value.split()[0])
    return values


class RssSampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.002):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb, self._halt = pid, interval, 0, threading.Event()

    def run(self):
        while not self._halt.is_set():
            try:
                self.peak_kb = max(self.peak_kb, _status_kb(self.pid)["VmRSS"])
            except (OSError, KeyError):
                return
            time.sleep(self.interval)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak_kb


def _reset_hwm(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS
        return True
    except OSError:
        return False


def _memory_tasks(n: int, rnd: random.Random, classes: list[str]) -> list[dict]:
    def result():
        return [{"from_name": "class", "to_name": "image", "type": "choices",
                 "value": {"choices": [rnd.choice(classes)]}}]
    return [{"data": {"image_path": f"http://localhost:8000/flowers/img_{i}.jpg", "cluster": i % 7},
             "annotations": [{"result": result(), "lead_time": 1.0}],
             "predictions": [{"model_version": "v1", "score": rnd.random(), "result": result()}]}
            for i in range(n)]


def _download_to_file(base: str, auth: str, path: str, dest: Path) -> int:
    req = urllib.request.Request(base + path, headers={"Authorization": auth})
    size = 0
    with urllib.request.urlopen(req, timeout=3600) as r, open(dest, "wb") as out:
        while block := r.read(1 << 20):
            out.write(block)
            size += len(block)
    return size


def measure_export_memory(ab, work: Path, n: int, factor: int) -> dict:
    data_dir, token = work / "labelhive-memory", secrets.token_hex(20)
    auth = f"Token {token}"
    rnd = random.Random(11)
    sizes = {"N": n, f"{factor}N": n * factor}

    server = labelhive_server(data_dir, token, work / "labelhive-memory.log").start(60)
    projects = {}
    try:
        for label, count in [("warmup", 10)] + list(sizes.items()):
            pid = ab.call(server.base, auth, "POST", "/api/projects",
                          {"title": f"memory {label}", "label_config": ab.CONFIG})["id"]
            body = json.dumps(_memory_tasks(count, rnd, ab.CLASSES)).encode()
            t0 = time.perf_counter()
            reply = ab.call(server.base, auth, "POST", f"/api/projects/{pid}/import", body)
            log(f"memory: imported {count} tasks into project {pid} in {time.perf_counter() - t0:.1f}s ({reply})")
            projects[label] = pid
    finally:
        server.stop()

    out = {"method": None}
    for label, count in sizes.items():
        # A fresh process per export, warmed by a tiny export so lazy imports don't count.
        server = labelhive_server(data_dir, token, work / "labelhive-memory.log").start(60)
        try:
            export = "/api/projects/{}/export?exportType=JSON&download_all_tasks=true"
            _download_to_file(server.base, auth, export.format(projects["warmup"]), work / "warmup.json")
            before_kb = _status_kb(server.pid)["VmRSS"]
            hwm_reset = _reset_hwm(server.pid)
            sampler = RssSampler(server.pid)
            sampler.start()
            t0 = time.perf_counter()
            size = _download_to_file(server.base, auth, export.format(projects[label]), work / "export.json")
            seconds = time.perf_counter() - t0
            sampled_kb = sampler.stop()
            hwm_kb = _status_kb(server.pid)["VmHWM"] if hwm_reset else 0
        finally:
            server.stop()
        with open(work / "export.json", "rb") as f:
            exported = len(json.load(f))
        if exported != count:
            raise RuntimeError(f"memory: export of {label} has {exported} tasks, expected {count}")
        peak_kb = max(sampled_kb, hwm_kb)
        out["method"] = "VmHWM (reset via clear_refs) + VmRSS sampled every 2 ms" if hwm_reset \
            else "VmRSS sampled every 2 ms (clear_refs not writable)"
        out[label] = {"tasks": count, "export_mb": round(size / 1e6, 1), "export_s": round(seconds, 2),
                      "rss_before_mb": round(before_kb / 1024, 1), "peak_rss_mb": round(peak_kb / 1024, 1),
                      "growth_mb": round((peak_kb - before_kb) / 1024, 1)}
        log(f"memory: {label}: {out[label]}")
    big, small = out[f"{factor}N"], out["N"]
    out["peak_ratio"] = round(big["peak_rss_mb"] / small["peak_rss_mb"], 2)
    return out


# --------------------------------------------------------------------------- report

def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    return f"{value:,}"


def median_of(results: list[dict]) -> dict:
    """Per figure, the median over the rounds (other values from the first round)."""
    out = dict(results[0])
    for key, value in results[0].items():
        values = [r.get(key) for r in results]
        if isinstance(value, (int, float)) and all(isinstance(v, (int, float)) for v in values):
            out[key] = statistics.median(values)
    return out


def ratios(lh: dict, ls: dict | None) -> dict:
    if not ls:
        return {}
    out = {}
    for key, _, _, kind in FIGURES:
        a, b = lh.get(key), ls.get(key)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a > 0 and b > 0:
            out[key] = round(b / a if kind == "time" else a / b, 1)
    return out


def goals(lh: dict, ratio: dict) -> dict:
    out = {}
    for key, (kind, threshold) in GOALS.items():
        if kind == "max":
            value = lh.get(key)
            out[key] = {"goal": f"<= {threshold:g}", "value": value,
                        "met": value is not None and value <= threshold}
        else:
            value = ratio.get(key)
            out[key] = {"goal": f">= {threshold:g}x LS", "value": value,
                        "met": None if value is None else value >= threshold}
    return out


def print_table(lh: dict, ls: dict | None, ratio: dict, goal: dict, memory: dict | None, tasks: int) -> None:
    rows = [("figure", "LabelHive", "Label Studio", "x faster", "goal")]
    for key, label, unit, _ in FIGURES:
        g = goal.get(key)
        mark = "" if g is None else f"{g['goal']}: " + {True: "ok", False: "MISSED", None: "n/a"}[g["met"]]
        rows.append((f"{label} ({unit})", _fmt(lh.get(key)), _fmt(ls.get(key)) if ls else "-",
                     f"{ratio[key]}x" if key in ratio else "-", mark))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print(f"\nAPI benchmark, {tasks} tasks with one prediction each (SQLite):")
    for i, row in enumerate(rows):
        print("  " + "  ".join(c.ljust(w) if j == 0 or j == 4 else c.rjust(w) for j, (c, w) in
                               enumerate(zip(row, widths))))
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))
    if memory:
        print(f"\nLabelHive JSON export memory (fresh server each, {memory['method']}):")
        for label, m in memory.items():
            if isinstance(m, dict):
                print(f"  {label:>3} = {m['tasks']:>7,} tasks: peak RSS {m['peak_rss_mb']:7.1f} MB "
                      f"(before {m['rss_before_mb']:.1f} MB, +{m['growth_mb']:.1f} MB), "
                      f"{m['export_mb']} MB in {m['export_s']} s")
        big = next(k for k in memory if k.endswith("N") and k != "N")
        print(f"  peak RSS {big} / N: {memory['peak_ratio']}x")
    print()


# --------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=10000, help="tasks to import (default 10000)")
    ap.add_argument("--annotate", type=int, default=200, help="annotations to post (default 200)")
    ap.add_argument("--label-studio", default=os.environ.get("LABEL_STUDIO_BIN"), metavar="PATH",
                    help="label-studio executable to compare against (env LABEL_STUDIO_BIN)")
    ap.add_argument("--apibench", type=Path, default=DEFAULT_APIBENCH,
                    help=f"the shared benchmark script (default {DEFAULT_APIBENCH})")
    ap.add_argument("--memory-tasks", type=int, default=None, help="N for the export-memory test (default --tasks)")
    ap.add_argument("--memory-factor", type=int, default=5, help="the large project has N x this tasks (default 5)")
    ap.add_argument("--no-memory", action="store_true", help="skip the export-memory test")
    ap.add_argument("--ls-start-timeout", type=float, default=600, help="seconds to wait for Label Studio (first "
                    "start runs its migrations)")
    ap.add_argument("--rounds", type=int, default=3, help="with --label-studio: both servers run at once and "
                    "the benchmark goes to each in turn this many times (LabelHive, Label Studio, LabelHive...); "
                    "figures are the medians of the rounds (default 3)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (data and server logs)")
    a = ap.parse_args()
    if not a.apibench.is_file():
        ap.error(f"apibench not found at {a.apibench}; pass --apibench")
    if a.label_studio and not (shutil.which(a.label_studio) or Path(a.label_studio).is_file()):
        ap.error(f"label-studio executable not found: {a.label_studio}")
    if a.label_studio and a.tasks < 2000:
        log("warning: apibench lists pages 1-20 of 100; Label Studio answers 404 past the last page, "
            "so use --tasks >= 2000 with --label-studio")

    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="labelhive-bench-"))
    ab = load_apibench(a.apibench)
    lh = ls = memory = None
    loads = []
    try:
        if not a.no_memory:
            memory = measure_export_memory(ab, work, a.memory_tasks or a.tasks, a.memory_factor)
        lh_token, ls_token = secrets.token_hex(20), secrets.token_hex(20)
        servers = [(labelhive_server(work / "labelhive", lh_token, work / "labelhive.log").start(60), lh_token)]
        if a.label_studio:
            servers.append((label_studio_server(a.label_studio, work / "label-studio", ls_token,
                                                work / "label-studio.log").start(a.ls_start_timeout), ls_token))
        # Interleaved: both servers are up for the whole run and take turns, so a busy spell on the machine
        # falls on both rather than on whichever ran then.
        runs: list[list[dict]] = [[] for _ in servers]
        for round_no in range(a.rounds if a.label_studio else 1):
            for (server, token), done in zip(servers, runs):
                loads.append(round(os.getloadavg()[0], 2))
                done.append(run_apibench(a.apibench, server, token, a.tasks, a.annotate))
            log(f"round {round_no + 1} done")
        lh = median_of(runs[0])
        ls = median_of(runs[1]) if a.label_studio else None
    finally:
        stop_all()
        if a.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    ratio = ratios(lh, ls)
    goal = goals(lh, ratio)
    print_table(lh, ls, ratio, goal, memory, a.tasks)
    print(json.dumps({
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "loadavg_1m_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
                    "loadavg_1m_at_each_run": loads},
        "rounds": a.rounds if a.label_studio else 1, "tasks": a.tasks, "annotate": a.annotate, "labelhive": lh, "label_studio": ls,
        "x_faster": ratio, "goals": goal, "export_memory": memory,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
