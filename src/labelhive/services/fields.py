"""Typed request fields, read as Label Studio's serializers read them: a JSON body gives typed values, a form
body (curl -d, requests.post(data=...)) gives strings, and both must give the same project. A value of the
wrong type is a 400 naming the field, never a database error."""
from datetime import datetime

from ..errors import ValidationFailed

TRUE = {True, 1, "true", "True", "TRUE", "1", "yes", "on", "t", "y"}
FALSE = {False, 0, "false", "False", "FALSE", "0", "no", "off", "f", "n"}


def boolean(value, nullable: bool = False):
    if value is None and nullable:
        return None
    if isinstance(value, (bool, int, str)) and value in TRUE:
        return True
    if isinstance(value, (bool, int, str)) and value in FALSE:
        return False
    raise ValueError("Must be a valid boolean.")


def integer(value, nullable: bool = False):
    if value is None and nullable:
        return None
    if isinstance(value, bool):
        raise ValueError("A valid integer is required.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ValueError("A valid integer is required.")


def string(value, nullable: bool = False):
    if value is None:
        if nullable:
            return None
        raise ValueError("This field may not be null.")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("Not a valid string.")
    return str(value)


def json_object(value, nullable: bool = False):
    if value is None and nullable:
        return None
    if isinstance(value, dict):
        return value
    raise ValueError("Expected a JSON object.")


def date_time(value, nullable: bool = True):
    if value is None or value == "":
        if nullable:
            return None
        raise ValueError("This field may not be null.")
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    raise ValueError("Datetime has wrong format. Use one of these formats instead: "
                     "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].")


def coerce(fields: dict, types: dict) -> dict:
    """`fields` with each value known to `types` (name -> reader) read as its type; every bad one is named in
    one 400, as Label Studio lists a serializer's errors."""
    out, errors = dict(fields), {}
    for name, read in types.items():
        if name in out:
            try:
                out[name] = read(out[name])
            except ValueError as exc:
                errors[name] = [str(exc)]
    if errors:
        raise ValidationFailed("Validation error", errors)
    return out
