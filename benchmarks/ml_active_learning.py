"""Accuracy of the example image model against the number of annotations, random order vs uncertainty order.

Digits from scikit-learn (1797 8x8 images, 10 classes) are drawn as 32x32 PNG files and featurised by the
example model's own code. A pool of 1200 images is "labeled" 10 at a time, starting from the same 20 random
ones: in random order, or lowest prediction score first (what the labeling stream's uncertainty order asks
for); after each batch the model is retrained as fit() does, and scored on 597 held-out images.

    .venv/bin/python benchmarks/ml_active_learning.py [--seeds 3]
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits

EXAMPLE = Path(__file__).resolve().parent.parent / "src" / "labelhive" / "ml" / "examples" / "image_classifier"
sys.path.insert(0, str(EXAMPLE))
from model import image_features, new_pipeline

from labelhive.ml import classify

POOL, START, BATCH, UP_TO, TARGET = 1200, 20, 10, 200, 0.85


def featurise(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    digits = load_digits()
    X = []
    for i, pixels in enumerate(digits.images):
        path = folder / f"{i}.png"
        Image.fromarray((pixels / 16 * 255).astype(np.uint8), "L").resize((32, 32), Image.BILINEAR).save(path)
        X.append(image_features(str(path)))
    return np.stack(X), digits.target.astype(str)


def run(X, y, pool, test, strategy: str, rng) -> list[tuple[int, float, float]]:
    labeled = list(rng.choice(pool, START, replace=False))
    curve = []
    while True:
        model = classify.train(new_pipeline(), X[labeled], y[labeled])
        proba = model.predict_proba(X[test])
        accuracy = float((model.classes_[proba.argmax(1)] == y[test]).mean())
        confidence = float(proba.max(1).mean())
        curve.append((len(labeled), accuracy, confidence))
        if len(labeled) >= UP_TO:
            return curve
        rest = np.setdiff1d(pool, labeled)
        if strategy == "random":
            labeled += list(rng.choice(rest, BATCH, replace=False))
        else:
            scores = model.predict_proba(X[rest]).max(1)
            labeled += list(rest[np.argsort(scores)[:BATCH]])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        X, y = featurise(Path(tmp))
    curves = {"random": [], "uncertainty": []}
    for seed in range(args.seeds):
        order = np.random.default_rng(seed).permutation(len(y))
        pool, test = order[:POOL], order[POOL:]
        for strategy, runs in curves.items():
            runs.append(run(X, y, pool, test, strategy, np.random.default_rng(seed)))
    print(f"held-out accuracy (mean of {args.seeds} seeds; {len(y) - POOL} test images) / mean top score")
    print(f"{'annotations':>11} | {'random':>15} | {'uncertainty':>15}")
    for row in range(len(curves["random"][0])):
        n = curves["random"][0][row][0]
        cells = []
        for runs in curves.values():
            acc = np.mean([c[row][1] for c in runs])
            conf = np.mean([c[row][2] for c in runs])
            cells.append(f"{acc:6.3f} / {conf:5.3f}")
        print(f"{n:>11} | {cells[0]:>15} | {cells[1]:>15}")
    for strategy, runs in curves.items():
        reached = [next((n for n, acc, _ in c if acc >= TARGET), None) for c in runs]
        mean = np.mean([r if r is not None else np.nan for r in reached])
        print(f"{strategy}: annotations to reach {TARGET:.0%} held-out accuracy, per seed: {reached} (mean {mean:.0f})")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
