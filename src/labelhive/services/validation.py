"""Checks on incoming task data, annotations and predictions against the project's label config."""
from .. import labelconfig
from ..errors import ValidationFailed


def validate_data(config: labelconfig.LabelConfig, data, where: str = "Task") -> dict:
    """Raise naming the task (`where`, e.g. "Task #2" or "a.csv line 4") when data lacks a config variable."""
    if not isinstance(data, dict):
        raise ValidationFailed(f"{where}: 'data' must be a JSON object, got {type(data).__name__}.")
    if "$undefined$" in data and config.data_keys:
        data = {**data, config.data_keys[0]: data["$undefined$"]}
    problem = labelconfig.missing_task_data(config, data)
    if problem:
        raise ValidationFailed(f"{where}: {problem}. Add it to the task's data or change the label config.")
    return data


def validate_result(result, where: str) -> list:
    if not isinstance(result, list):
        raise ValidationFailed("Validation error",
                               {"result": [f"{where}: 'result' must be a list of regions, got {type(result).__name__}."]})
    for i, region in enumerate(result):
        if not isinstance(region, dict):
            raise ValidationFailed("Validation error", {"result": [f"{where}: result[{i}] must be a JSON object."]})
    return result


def normalize_prediction_result(config: labelconfig.LabelConfig, result) -> list:
    """Label Studio accepts a region list, a bare value dict, or a bare label; store the region list."""
    if isinstance(result, list):
        return validate_result(result, "prediction")
    if isinstance(result, dict):
        control = labelconfig.control_for_value(config, result)
        if control is not None:
            return [_region(control, result)]
        raise ValidationFailed("Validation error", {"result": [
            f"No control in the label config takes a value with keys {sorted(result)}."]})
    if isinstance(result, (str, int)) and not isinstance(result, bool):
        control = labelconfig.first_single_value_control(config, result)
        if control is None:
            raise ValidationFailed("Validation error", {"result": [
                "A bare label needs a Choices, Rating, Number or similar control in the label config."]})
        key = "text" if control.type == "textarea" else control.type
        value = [result] if control.type in ("choices", "textarea", "labels", "taxonomy") else result
        return [_region(control, {key: value})]
    raise ValidationFailed("Validation error", {"result": ["'result' must be a list, a value object or a label."]})


def _region(control, value: dict) -> dict:
    return {"from_name": control.name, "to_name": ",".join(control.to_name), "type": control.type, "value": value}
