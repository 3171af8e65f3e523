"""An interactive segmenter: draw a box (or click a point) on an image while labeling, get a brush mask back.

No weights: a box runs OpenCV's GrabCut (colour models of the inside and the outside, refined by graph cuts);
a point fills the connected region of similar colour around it. Use a config with BrushLabels plus a
RectangleLabels and/or KeyPointLabels marked smart="true", and connect the backend as interactive.
"""
import logging

import cv2
import numpy as np

from labelhive.ml import LabelStudioMLBase, ModelResponse, PredictionValue
from labelhive.ml.brush import mask_to_rle

logger = logging.getLogger(__name__)

GRABCUT_ITERATIONS = 5
FLOOD_TOLERANCE = 20  # per channel, 0-255


def segment_box(image: np.ndarray, x: int, y: int, w: int, h: int) -> np.ndarray:
    mask = np.zeros(image.shape[:2], np.uint8)
    background, foreground = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(image, mask, (x, y, max(w, 1), max(h, 1)), background, foreground, GRABCUT_ITERATIONS,
                cv2.GC_INIT_WITH_RECT)
    return np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD))


def segment_point(image: np.ndarray, x: int, y: int) -> np.ndarray:
    height, width = image.shape[:2]
    mask = np.zeros((height + 2, width + 2), np.uint8)
    tolerance = (FLOOD_TOLERANCE,) * 3
    cv2.floodFill(image.copy(), mask, (min(x, width - 1), min(y, height - 1)), (0, 0, 0), tolerance, tolerance,
                  cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (255 << 8) | 4)
    return mask[1:-1, 1:-1] > 0


class InteractiveSegmenter(LabelStudioMLBase):
    def predict(self, tasks, context=None, **kwargs):
        prompts = [r for r in (context or {}).get("result", []) if r.get("type") in ("rectanglelabels", "keypointlabels")]
        if not prompts:  # only answers while someone is labeling: no prompt, no prediction
            return ModelResponse(predictions=[[] for _ in tasks])
        brush, to_name, value = self.get_first_tag_occurence("BrushLabels", "Image")
        task = tasks[0]
        image = cv2.imread(self.get_local_path(task["data"][value], task_id=task.get("id")), cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError(f"Task {task.get('id')}: not an image OpenCV can read")
        height, width = image.shape[:2]
        results = []
        for prompt in prompts:
            v = prompt["value"]
            px, py = v["x"] * width / 100, v["y"] * height / 100
            if prompt["type"] == "rectanglelabels":
                mask = segment_box(image, int(px), int(py), int(v["width"] * width / 100),
                                   int(v["height"] * height / 100))
            else:
                mask = segment_point(image, int(px), int(py))
            labels = v.get(prompt["type"]) or []
            results.append({"from_name": brush, "to_name": to_name, "type": "brushlabels",
                            "original_width": width, "original_height": height, "image_rotation": 0,
                            "value": {"format": "rle", "rle": mask_to_rle(mask), "brushlabels": labels}})
        predictions = [PredictionValue(result=results, score=None, model_version=self.model_version)]
        return ModelResponse(predictions=predictions + [[] for _ in tasks[1:]])
