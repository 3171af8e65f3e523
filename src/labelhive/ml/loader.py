"""Find the model class of a backend directory: the LabelStudioMLBase subclass defined in its model.py."""
import importlib.util
import inspect
import sys
from pathlib import Path

from .model import LabelStudioMLBase


class LoadError(Exception):
    pass


def split_script(script: str) -> tuple[str, str | None]:
    """"model.py:MyModel" -> ("model.py", "MyModel"); a Windows drive letter is not a class separator."""
    head, sep, tail = script.rpartition(":")
    if sep and tail and not (len(head) == 1 and tail.startswith(("\\", "/"))):
        return head, tail
    return script, None


def load_model_class(directory: str | Path, script: str | None = None) -> type[LabelStudioMLBase]:
    directory = Path(directory).resolve()
    path_part, class_name = split_script(script or "model.py")
    path = (directory / path_part).resolve()
    if not path.is_file():
        raise LoadError(f"No {path_part} in {directory}: create one with `labelhive ml init {directory}`, "
                        "or name the file with --script.")
    # Its sibling modules must be importable, as when the file is run from its own directory.
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    module_name = path.stem
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    found = [cls for _, cls in inspect.getmembers(module, inspect.isclass)
             if issubclass(cls, LabelStudioMLBase) and cls is not LabelStudioMLBase and cls.__module__ == module_name]
    if class_name:
        match = [cls for cls in found if cls.__name__ == class_name]
        if not match:
            raise LoadError(f"{path.name} defines no LabelStudioMLBase subclass named {class_name}")
        return match[0]
    if not found:
        raise LoadError(f"{path.name} defines no subclass of LabelStudioMLBase "
                        "(from labelhive.ml import LabelStudioMLBase)")
    if len(found) > 1:
        names = ", ".join(cls.__name__ for cls in found)
        raise LoadError(f"{path.name} defines several models ({names}): pick one with --script "
                        f"{path.name}:{found[0].__name__}")
    return found[0]
