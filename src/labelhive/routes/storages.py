"""/api/storages/...: import storages (/api/storages/{type}) and export storages (/api/storages/export/{type})."""
from fastapi import APIRouter, Request
from sqlalchemy import select

from ..deps import AdminUser, ManagerUser, SessionDep, SettingsDep
from ..errors import ValidationFailed
from ..models import Project, Storage
from ..responses import no_content, ok
from ..services import projects as project_svc
from ..services import snapshots
from ..services import storages as svc
from .params import JsonObject

router = APIRouter(prefix="/api/storages", tags=["storages"])
TYPES = [{"name": "localfiles", "title": "Local files"}, {"name": "s3", "title": "AWS S3"},
         {"name": "azure", "title": "Microsoft Azure"}, {"name": "gcs", "title": "Google Cloud Storage"}]


def _project(request: Request, session, user, body: dict | None = None) -> Project:
    pid = request.query_params.get("project") or (body or {}).get("project")
    if not pid:
        raise ValidationFailed("Pass the project id (?project=<id> or \"project\" in the body).")
    return project_svc.get_project(session, user, pid)


def _org_projects(session, user) -> set[int]:
    return set(session.scalars(select(Project.id).where(Project.organization_id == user.organization_id)))


def _routes(kind: str, prefix: str) -> None:
    """The same eight routes for import and export storages; `kind` says which table rows they touch."""
    op = f"{kind}_storage"

    @router.get(f"{prefix}", operation_id=f"list_{op}s")
    def list_all(request: Request, user: ManagerUser, session: SessionDep):
        if not request.query_params.get("project"):
            return ok([])  # as Label Studio answers: storages are listed per project
        project = _project(request, session, user)
        return ok([svc.storage_json(s, request.app.state.sync_progress.get(s.id))
                   for s in svc.list_for(session, project, kind, None)])

    @router.get(f"{prefix}/types", operation_id=f"list_{op}_types")
    def types(user: ManagerUser, settings: SettingsDep):
        # The local files root goes with its type, so a form can say which folders may be attached.
        return ok([{**t, "root": str(settings.local_files_root)} if t["name"] == "localfiles" else t for t in TYPES])

    @router.get(f"{prefix}/{{storage_type}}", operation_id=f"list_{op}s_of_type")
    def list_of_type(storage_type: str, request: Request, user: ManagerUser, session: SessionDep):
        project = _project(request, session, user)
        return ok([svc.storage_json(s, request.app.state.sync_progress.get(s.id))
                   for s in svc.list_for(session, project, kind, storage_type)])

    @router.post(f"{prefix}/{{storage_type}}", operation_id=f"create_{op}")
    def create(storage_type: str, request: Request, user: AdminUser, session: SessionDep,
               settings: SettingsDep, body: JsonObject):
        project = _project(request, session, user, body)
        s = svc.create(session, project, kind, storage_type, body, settings.local_files_root)
        if kind == "export":  # as Label Studio: the work done so far goes out at once
            if not snapshots.run_now(session, project, settings.sync_export_tasks):
                return ok(svc.storage_json(s, _queue_sync(request, session, s, kind, user, settings)), 201)
            try:
                s = svc.sync_export(session, s, project, settings.local_files_root)
            except ValidationFailed:
                pass  # the storage is made; its status and traceback say why the first sync failed
        return ok(svc.storage_json(s), 201)

    @router.post(f"{prefix}/{{storage_type}}/validate", operation_id=f"validate_new_{op}")
    def validate_new(storage_type: str, request: Request, user: AdminUser, session: SessionDep,
                     settings: SettingsDep, body: JsonObject):
        project = _project(request, session, user, body)
        svc.validate_new(session, project, kind, storage_type, body, settings.local_files_root)
        return ok({"detail": "The storage is reachable."})

    @router.get(f"{prefix}/{{storage_type}}/{{storage_id}}", operation_id=f"get_{op}")
    def get(storage_type: str, storage_id: int, request: Request, user: ManagerUser, session: SessionDep):
        s = svc.get(session, _org_projects(session, user), storage_id, kind, storage_type)
        return ok(svc.storage_json(s, request.app.state.sync_progress.get(s.id)))

    @router.patch(f"{prefix}/{{storage_type}}/{{storage_id}}", operation_id=f"update_{op}")
    def update(storage_type: str, storage_id: int, user: AdminUser, session: SessionDep,
               settings: SettingsDep, body: JsonObject):
        s = svc.get(session, _org_projects(session, user), storage_id, kind, storage_type)
        s = svc.update(session, s, body, settings.local_files_root)
        return ok(svc.storage_json(s))

    @router.delete(f"{prefix}/{{storage_type}}/{{storage_id}}", operation_id=f"delete_{op}")
    def delete(storage_type: str, storage_id: int, user: AdminUser, session: SessionDep):
        s = svc.get(session, _org_projects(session, user), storage_id, kind, storage_type)
        session.delete(s)
        session.commit()
        return no_content()

    @router.post(f"{prefix}/{{storage_type}}/{{storage_id}}/sync", operation_id=f"sync_{op}")
    def sync(storage_type: str, storage_id: int, request: Request, user: ManagerUser, session: SessionDep,
             settings: SettingsDep):
        s = svc.get(session, _org_projects(session, user), storage_id, kind, storage_type)
        if request.query_params.get("background", "").lower() in ("1", "true", "yes"):
            # The UI's way: answer at once and poll the storage, whose meta.progress says how far it got.
            return ok(svc.storage_json(s, _queue_sync(request, session, s, kind, user, settings)))
        project = session.get(Project, s.project_id)
        if kind == "import":
            s = svc.sync_import(session, s, project, user, settings.local_files_root)
        else:
            s = svc.sync_export(session, s, project, settings.local_files_root)
        return ok(svc.storage_json(s))


def _queue_sync(request: Request, session, s: Storage, kind: str, user, settings) -> dict:
    """Claimed in the database, so a second click on another web process is refused too. Returns the progress
    to answer with: what was queued, not a read back, as the sync may have moved on already."""
    if not svc.claim_sync(session, s, settings.queued_lease_s):
        raise ValidationFailed("This storage is already syncing; wait for it to finish.")
    session.refresh(s)  # the claim's stamps
    queued = {"phase": "queued", "done": 0, "total": None}
    request.app.state.sync_progress.update(s.id, **queued)
    request.app.state.queue.enqueue("storage_sync", storage_id=s.id, direction=kind, user_id=user.id,
                                    lease=(Storage.__tablename__, s.id))
    return queued


# Export first: otherwise "/api/storages/export" would be read as an import storage of type "export".
_routes("export", "/export")
_routes("import", "")
