"""/api/import/file-upload/{id}: one uploaded file (Label Studio's files client)."""
from fastapi import APIRouter

from ..deps import ManagerUser, SessionDep, SettingsDep
from ..responses import no_content, ok
from ..services import file_uploads as svc

router = APIRouter(prefix="/api/import/file-upload", tags=["import"])


@router.get("/{upload_id}", operation_id="get_file_upload")
def get_file_upload(upload_id: int, user: ManagerUser, session: SessionDep, settings: SettingsDep):
    return ok(svc.upload_json(svc.get(session, user, upload_id), settings.media_dir))


@router.delete("/{upload_id}", operation_id="delete_file_upload")
def delete_file_upload(upload_id: int, user: ManagerUser, session: SessionDep, settings: SettingsDep):
    svc.delete(session, svc.get(session, user, upload_id), settings.media_dir)
    return no_content()
