"""/data/upload/{project}/{file} and /data/local-files/?d=...: task media, for logged-in users only."""
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from ..deps import CurrentUser, SessionDep, SettingsDep
from ..errors import NotFound
from ..services import projects as project_svc
from ..services import shared_files, storages
from ..storage.local import resolve_request

router = APIRouter(tags=["data"])


@router.get("/data/upload/{project_id}/{filename}", operation_id="get_upload")
def get_upload(project_id: int, filename: str, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    project_svc.get_project(session, user, project_id)
    base = (settings.media_dir / "upload" / str(project_id)).resolve()
    path = (base / filename).resolve()
    # The name comes from the URL: never let it climb out of the project's upload folder.
    if path.parent != base or not shared_files.pull(path).is_file():
        raise NotFound(f"File {filename} not found in project {project_id}'s uploads")
    return FileResponse(path)


@router.get("/data/local-files", operation_id="get_local_file")
def get_local_file(request: Request, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    if not settings.local_files_serving:
        raise NotFound("Serving local files is turned off (LABELHIVE_LOCAL_FILES_SERVING_ENABLED=false).")
    allowed = storages.allowed_local_dirs(session, user.organization_id, settings.local_files_root)
    path = resolve_request(settings.local_files_root, allowed, request.query_params.get("d"))
    # FileResponse answers Range requests and sends ETag and Last-Modified.
    return FileResponse(path)
