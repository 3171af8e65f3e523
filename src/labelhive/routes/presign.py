"""/tasks/{id}/presign and /tasks/{id}/resolve: cloud media (s3://, gs://, azure-blob://) for the editor and
ML backends, redirected to a presigned URL or streamed through LabelHive (LS-COMPAT §3)."""
from datetime import timezone
from email.utils import format_datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, StreamingResponse

from ..deps import CurrentUser, SessionDep, SettingsDep
from ..responses import ok
from ..services import media_urls
from ..services import tasks as task_svc

# Not in the OpenAPI schema (nor is it in Label Studio's): browsers and ML backends follow these links from
# task data; the web app's typed client never calls them.
router = APIRouter(tags=["media"], include_in_schema=False)
PROXY_CACHE_S = 3600


def _presign(task_id: int, request: Request, user, session, settings):
    task, project = task_svc.get_task(session, user, task_id)
    uri = media_urls.decode_fileuri(request.query_params.get("fileuri"))
    storage, store, key = media_urls.store_for(session, project, task, uri, settings.local_files_root)
    if request.query_params.get("check"):
        # A broken presigned link only shows the provider's own error page (often hidden by CORS); the
        # editor asks here instead, and hears why in LabelHive's words ("moved or deleted", "unreachable").
        blob = media_urls.open_object(store, storage, key, "bytes=0-0")
        close = getattr(blob.chunks, "close", None)  # a generator: closing it releases the connection
        if close is not None:
            close()
        return ok({"detail": f"{uri} is available."})
    if media_urls.presigns(storage):
        # 303 like Label Studio; the presigned URL expires, so nobody may cache the redirect.
        return RedirectResponse(media_urls.presigned_url(store, storage, key), status_code=303,
                                headers={"Cache-Control": "no-store"})
    blob = media_urls.open_object(store, storage, key, request.headers.get("range"))
    headers = {"Accept-Ranges": "bytes", "Cache-Control": f"private, max-age={PROXY_CACHE_S}"}
    if blob.length is not None:
        headers["Content-Length"] = str(blob.length)
    if blob.content_range:
        headers["Content-Range"] = blob.content_range
    if blob.etag:
        headers["ETag"] = blob.etag if blob.etag.startswith(('"', "W/")) else f'"{blob.etag}"'
    if blob.last_modified:
        headers["Last-Modified"] = format_datetime(blob.last_modified.astimezone(timezone.utc), usegmt=True)
    return StreamingResponse(blob.chunks, status_code=206 if blob.content_range else 200,
                             media_type=blob.content_type, headers=headers)


@router.get("/tasks/{task_id}/presign", operation_id="presign_task_file")
def presign_task_file(task_id: int, request: Request, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    return _presign(task_id, request, user, session, settings)


@router.get("/tasks/{task_id}/resolve", operation_id="resolve_task_file")
def resolve_task_file(task_id: int, request: Request, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    return _presign(task_id, request, user, session, settings)
