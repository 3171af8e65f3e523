"""/health, /api/version and /docs: the routes that need no auth."""
import base64
import hashlib
import re

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html

from .. import __version__
from ..responses import ok

router = APIRouter(tags=["meta"])
# Label Studio's SDKs read these keys; 'edition' must not say Enterprise (SDK 2 picks its export path by it).
LS_RELEASE = "1.23.2"


@router.get("/health", operation_id="health")
def health():
    return ok({"status": "UP"})


@router.get("/api/version", operation_id="version")
def version():
    package = {"version": __version__, "short_version": __version__, "latest_version_from_pypi": None,
               "latest_version_upload_time": None, "current_version_is_outdated": False}
    build = {"message": f"LabelHive {__version__}", "commit": "", "date": "", "branch": ""}
    return ok({"release": LS_RELEASE, "edition": "Community", "labelhive": package,
               "label-studio-os-package": package, "label-studio-os-backend": {**build, "version": __version__},
               # The web app is LabelHive's own; these name it where Label Studio names its frontends.
               "label-studio-frontend": build, "dm2": build, "lsf": build, "backend": {"commit": ""},
               "label-studio-converter": {"version": __version__}})


def _docs_page():
    page = get_swagger_ui_html(openapi_url="/openapi.json", title="LabelHive API")
    # Swagger UI starts itself with one inline script: allowed by its hash, so no other inline script can run.
    inline = re.search(rb"<script>(.*?)</script>", page.body, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(inline).digest()).decode()
    page.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' https://cdn.jsdelivr.net 'sha256-{digest}'; "
        "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https:; frame-ancestors 'self'")
    return page


@router.get("/docs", include_in_schema=False)
def docs():
    return _docs_page()
