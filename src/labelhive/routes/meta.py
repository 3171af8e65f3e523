"""/health and /api/version: the only routes that need no auth."""
from fastapi import APIRouter

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
    return ok({"release": LS_RELEASE, "edition": "Community", "labelhive": package,
               "label-studio-os-package": package, "label-studio-os-backend": {"message": "", "commit": ""}})
