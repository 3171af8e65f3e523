"""The web app: built assets under /assets, and index.html for every client-side route."""
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from ..errors import NotFound
from ..security_headers import PAGE_HEADERS

STATIC = Path(__file__).parent.parent / "static"
router = APIRouter(tags=["web app"], include_in_schema=False)


def built() -> bool:
    return (STATIC / "index.html").is_file()


def index() -> FileResponse:
    if not built():
        raise NotFound("The web app is not built: run `make run` (or `npm ci && npm run build` in frontend/).")
    # index.html names the hashed asset files of the current build, so it must never be cached.
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache", **PAGE_HEADERS})


@router.get("/assets/{name:path}")
def asset(name: str):
    base = (STATIC / "assets").resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        raise NotFound(f"No asset {name}")
    # Asset names carry a content hash, so browsers may keep them forever.
    return FileResponse(path, headers={"Cache-Control": "public, max-age=31536000, immutable"})


@router.get("/projects")
def projects_page():
    return index()


@router.get("/projects/{rest:path}")
def project_pages(rest: str):
    return index()


@router.get("/account")
def account_page():
    return index()


@router.get("/organization")
def organization_page():
    return index()
