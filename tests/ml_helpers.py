"""For the ML kit tests: labeled data made on the spot (scikit-learn's bundled digits as PNG files, sentences
from word lists), a model server run as `labelhive ml start` in a subprocess, and LabelHive API calls."""
import os
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

from server import free_port

DIGITS_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <Choices name="digit" toName="image">
    """ + "\n    ".join(f'<Choice value="{d}"/>' for d in range(10)) + """
  </Choices>
</View>"""

TOPICS = {
    "sports": "match goal team coach season player league score striker referee stadium win tournament",
    "cooking": "recipe oven flour garlic simmer dough sauce bake onion pepper butter chef kitchen",
    "finance": "market stock bond interest bank investor shares inflation budget loan profit fund",
    "weather": "rain storm forecast wind cloud sunny temperature snow humidity thunder breeze frost",
}
TEXT_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text">
    """ + "\n    ".join(f'<Choice value="{t}"/>' for t in TOPICS) + """
  </Choices>
</View>"""
FILLER = ["the", "a", "of", "and", "to", "in", "it", "was", "is", "that", "for", "on", "with", "as", "at", "by", "this", "from", "today", "yesterday", "really", "very"]


def write_digits(folder: Path, count: int) -> list[tuple[Path, str]]:
    """The first `count` of scikit-learn's 8x8 digits, drawn as 32x32 grey PNGs named d<index>-<label>.png."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        pixels = (digits.images[i] / 16.0 * 255).astype(np.uint8)
        path = folder / f"d{i:04d}-{digits.target[i]}.png"
        Image.fromarray(pixels, "L").resize((32, 32), Image.BILINEAR).save(path)
        out.append((path, str(digits.target[i])))
    return out


def label_of_upload(url: str) -> str:
    """The digit in an uploaded file's name: /data/upload/1/ab12cd34-d0042-7.png -> "7"."""
    return url.rsplit("-", 1)[1].split(".")[0]


def sentences(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """Sentences of 8-14 words: 3-5 from the topic's list, the rest filler or words of other topics."""
    rng = random.Random(seed)
    topics = list(TOPICS)
    out = []
    for i in range(count):
        topic = topics[i % len(topics)]
        words = rng.sample(TOPICS[topic].split(), rng.randint(3, 5))
        noise = TOPICS[rng.choice([t for t in topics if t != topic])].split()
        words += [rng.choice(noise)] + rng.choices(FILLER, k=rng.randint(4, 8))
        rng.shuffle(words)
        out.append((" ".join(words).capitalize() + ".", topic))
    return out


@dataclass
class Api:
    """LabelHive's REST API, as a model server's user drives it."""

    url: str
    token: str

    def __post_init__(self):
        self.http = httpx.Client(base_url=self.url, headers={"Authorization": f"Token {self.token}"}, timeout=60)

    def call(self, method: str, path: str, expect: int | tuple = (200, 201), **kwargs):
        r = self.http.request(method, path, **kwargs)
        expected = (expect,) if isinstance(expect, int) else expect
        assert r.status_code in expected, f"{method} {path}: {r.status_code} {r.text[:500]}"
        return r.json() if r.content else None

    def project(self, title: str, config: str) -> dict:
        return self.call("POST", "/api/projects", json={"title": title, "label_config": config})

    def tasks(self, project_id: int) -> list[dict]:
        return self.call("GET", "/api/tasks", params={"project": project_id, "page_size": 10000,
                                                      "fields": "all"})["tasks"]

    def annotate(self, task_id: int, from_name: str, to_name: str, choice: str) -> dict:
        return self.call("POST", f"/api/tasks/{task_id}/annotations", json={"result": [
            {"id": f"r{task_id}", "from_name": from_name, "to_name": to_name, "type": "choices",
             "value": {"choices": [choice]}}]})


@contextmanager
def ml_backend(directory: Path, model_dir: Path, env: dict | None = None):
    """`labelhive ml start DIRECTORY` on a free port; yields its URL."""
    log = model_dir / "backend.log"
    model_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [sys.executable, "-c", "from labelhive.ml.cli import ml; ml()", "start", str(directory),
               "--port", str(port), "--model-dir", str(model_dir), "--log-level", "WARNING"]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "BASIC_AUTH_"))}
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, env={**clean, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"ml start exited:\n{log.read_text()}"
            try:
                if httpx.get(url + "/health", timeout=1).status_code in (200, 401):
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"ml start did not answer /health:\n{log.read_text()}"
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
