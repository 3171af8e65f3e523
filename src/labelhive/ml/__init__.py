"""The model-server kit: write a LabelStudioMLBase subclass, serve it with `labelhive ml start DIR`.

Code written for label-studio-ml-backend ports by changing `label_studio_ml` to `labelhive.ml` in its imports.
"""
from .api import create_app, init_app
from .media import MediaError, get_local_path
from .model import LabelStudioMLBase
from .response import ModelResponse, PredictionValue

__all__ = ["LabelStudioMLBase", "MediaError", "ModelResponse", "PredictionValue", "create_app", "get_local_path",
           "init_app"]
