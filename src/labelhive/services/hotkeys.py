"""A user's own editor shortcuts, in Label Studio's shape: {"section:action": {"key": "ctrl+s", "active": true}}."""
import re

from ..errors import ValidationFailed

ACTION = re.compile(r"^[a-z0-9_-]+:[a-z0-9_-]+$", re.I)
MAX_ENTRIES = 500


def check(given) -> dict:
    """The hotkeys as stored, or a 400 naming the first entry to fix."""
    if not isinstance(given, dict) or len(given) > MAX_ENTRIES:
        raise ValidationFailed("Validation error", {"custom_hotkeys": [
            f"An object of at most {MAX_ENTRIES} entries, \"section:action\": {{\"key\": ..., \"active\": ...}}."]})
    for action, binding in given.items():
        if not ACTION.match(action):
            raise ValidationFailed("Validation error", {"custom_hotkeys": [
                f"Action key '{action[:100]}' must be in 'section:action' format."]})
        if not isinstance(binding, dict) or not isinstance(binding.get("key", ""), str) \
                or not isinstance(binding.get("active", True), bool) or set(binding) - {"key", "active", "description"}:
            raise ValidationFailed("Validation error", {"custom_hotkeys": [
                f"'{action}' needs {{\"key\": <a key like \"ctrl+s\">, \"active\": true or false}}."]})
    return given
