"""/data/upload/{project}/{file}: uploaded media, for logged-in users only."""
from fastapi import APIRouter
from fastapi.responses import FileResponse

from ..deps import CurrentUser, SessionDep, SettingsDep
from ..errors import NotFound
from ..services import projects as project_svc

router = APIRouter(tags=["data"])


@router.get("/data/upload/{project_id}/{filename}", operation_id="get_upload")
def get_upload(project_id: int, filename: str, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    project_svc.get_project(session, user, project_id)
    base = (settings.media_dir / "upload" / str(project_id)).resolve()
    path = (base / filename).resolve()
    # The name comes from the URL: never let it climb out of the project's upload folder.
    if path.parent != base or not path.is_file():
        raise NotFound(f"File {filename} not found in project {project_id}'s uploads")
    return FileResponse(path)
