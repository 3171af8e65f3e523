"""The one way the server reaches a URL a user gave: imports from a URL, thumbnails of remote images,
ML backends, webhooks, and the endpoints of cloud storages. policy.py says which addresses may be used;
client.py makes the request with that check at connect time and at every redirect."""
from .client import MAX_REDIRECTS, Response, fetch
from .policy import (ALLOW_VAR, BROKEN, DNS, INVALID, KINDS, LEGACY_ML_VAR, NO_ANSWER, PRIVATE_VAR, REFUSED, SLOW,
                     STATUS, TLS, TOO_LARGE, UNREACHABLE, check, check_url)

__all__ = ["ALLOW_VAR", "BROKEN", "DNS", "INVALID", "KINDS", "LEGACY_ML_VAR", "MAX_REDIRECTS", "NO_ANSWER",
           "PRIVATE_VAR", "REFUSED", "Response", "SLOW", "STATUS", "TLS", "TOO_LARGE", "UNREACHABLE", "check",
           "check_url", "fetch"]
