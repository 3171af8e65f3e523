"""/api/projects/{id}/export, /export/formats and /exports[/{eid}[/download]]: sync exports and snapshots."""
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy import select
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from ..db import release
from ..deps import CurrentUser, ManagerUser, SessionDep, SettingsDep
from ..models import ExportSnapshot, User
from ..responses import no_content, ok
from ..services import background, conversions, snapshots
from ..services import exports as svc
from ..services import projects as project_svc
from .params import JsonObject, int_list

router = APIRouter(prefix="/api/projects", tags=["export"])


def _flag(value: str | None, default: bool) -> bool:
    return default if value in (None, "") else value.lower() in ("1", "true", "yes")


def _download(path, filename: str, temporary: bool) -> FileResponse:
    cleanup = BackgroundTask(path.unlink, missing_ok=True) if temporary else None
    media_type = svc.MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return FileResponse(path, filename=filename, background=cleanup, media_type=media_type)


@router.get("/{project_id}/export/formats", operation_id="list_export_formats")
def list_formats(project_id: int, user: CurrentUser, session: SessionDep):
    return ok(svc.export_formats(project_svc.get_project(session, user, project_id)))


@router.get("/{project_id}/export", operation_id="export_tasks")
async def export(project_id: int, request: Request, user: ManagerUser, session: SessionDep, settings: SettingsDep):
    params = request.query_params
    project = project_svc.get_project(session, user, project_id)
    fmt = params.get("exportType") or params.get("export_type") or "JSON"
    raw_ids = params.getlist("ids[]") or params.getlist("ids")
    ids = [i for raw in raw_ids for i in int_list(raw, "ids")]
    where = svc.task_filter(project, _flag(params.get("download_all_tasks"), False), ids)
    if svc.check_format(project, fmt) == "JSON":
        # Sent as it is read: the first byte at once, even for a million tasks, and nothing kept on disk.
        return StreamingResponse(svc.stream_json(request.app.state.readonly_sessions, project.id, where),
                                 media_type="application/json",
                                 headers={"Content-Disposition": f'attachment; filename="{svc.stream_name(project)}"'})
    path, name = await run_in_threadpool(
        svc.export_to_file, settings.export_dir, project, fmt,
        lambda lean: svc.iter_export_tasks(session, project, where, lean=lean),
        svc.media_reader(session, project, settings))
    return _download(path, name, temporary=True)


@router.get("/{project_id}/exports", operation_id="list_exports")
def list_exports(project_id: int, user: ManagerUser, session: SessionDep):
    project = project_svc.get_project(session, user, project_id)
    snaps = snapshots.list_snapshots(session, project)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_({s.created_by_id for s in snaps})))}
    return ok([snapshots.snapshot_json(s, users.get(s.created_by_id)) for s in snaps])


@router.post("/{project_id}/exports", operation_id="create_export")
def create_export(project_id: int, request: Request, user: ManagerUser, session: SessionDep,
                  settings: SettingsDep, body: JsonObject):
    """A project of up to LABELHIVE_SYNC_EXPORT_TASKS tasks gets its finished snapshot back, as from Label
    Studio; a bigger one answers at once with status "in_progress", and a worker writes and completes it."""
    project = project_svc.get_project(session, user, project_id)
    snap = snapshots.create_snapshot(session, project, user, body, settings.queued_lease_s)
    if snapshots.run_now(session, project, settings.sync_export_tasks):
        release(session)
        state = request.app.state
        snapshots.run_snapshot(state.sessions, state.readonly_sessions, settings.export_dir, snap.id, snap.attempts)
        session.refresh(snap)
    else:
        request.app.state.queue.enqueue("export", snapshot_id=snap.id, attempt=snap.attempts,
                                        lease=(ExportSnapshot.__tablename__, snap.id))
    return ok(snapshots.snapshot_json(snap, user), 201)


@router.get("/{project_id}/exports/{export_id}", operation_id="get_export")
def get_export(project_id: int, export_id: int, user: ManagerUser, session: SessionDep):
    project = project_svc.get_project(session, user, project_id)
    snap = snapshots.get_snapshot(session, project, export_id)
    return ok(snapshots.snapshot_json(snap, session.get(User, snap.created_by_id) if snap.created_by_id else None))


@router.delete("/{project_id}/exports/{export_id}", operation_id="delete_export")
def delete_export(project_id: int, export_id: int, user: ManagerUser, session: SessionDep, settings: SettingsDep):
    project = project_svc.get_project(session, user, project_id)
    snapshots.delete_snapshot(session, settings.export_dir, snapshots.get_snapshot(session, project, export_id))
    return no_content()


@router.post("/{project_id}/exports/{export_id}/convert", operation_id="convert_export")
def convert_export(project_id: int, export_id: int, request: Request, user: ManagerUser, session: SessionDep,
                   body: JsonObject):
    """Convert a finished snapshot to another format on the worker; its converted_formats show progress."""
    project = project_svc.get_project(session, user, project_id)
    snap = snapshots.get_snapshot(session, project, export_id)
    entry = conversions.request(session, project, snap, body)
    background.submit(session, request.app.state.queue.enqueue, project.id, "convert",
                      request.app.state.settings.queued_lease_s, snapshot_id=snap.id, export_type=entry["export_type"])
    return ok({"converted_format": entry["id"], "export_type": entry["export_type"]})


@router.get("/{project_id}/exports/{export_id}/download", operation_id="download_export")
async def download_export(project_id: int, export_id: int, request: Request, user: ManagerUser,
                          session: SessionDep, settings: SettingsDep):
    project = project_svc.get_project(session, user, project_id)
    snap = snapshots.get_snapshot(session, project, export_id)
    fmt = request.query_params.get("exportType") or request.query_params.get("export_type") or "JSON"
    path, name, temporary = await run_in_threadpool(snapshots.snapshot_download, settings.export_dir, project, snap,
                                                    fmt, svc.media_reader(session, project, settings))
    return _download(path, name, temporary)
