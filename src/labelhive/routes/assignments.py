"""/api/projects/{id}/tasks/assignees (many tasks at once, from a data-manager selection) and
/api/projects/{id}/tasks/{task}/assignees: tasks given to members to annotate or review (Label Studio Enterprise's
shapes, as label-studio-sdk 2.x's client.projects.assignments models them)."""
from fastapi import APIRouter, Request

from ..deps import ManagerUser, ReviewerUser, SessionDep
from ..errors import NotFound, ValidationFailed
from ..models import Task
from ..responses import no_content, ok
from ..services import assignments as svc
from ..services import projects as project_svc
from ..services.actions import selected_ids
from ..services.tasks import get_task
from .params import JsonObject, int_list

router = APIRouter(prefix="/api/projects", tags=["assignments"])


def _task(session, user, project_id: int, task_id: int) -> tuple[Task, object]:
    project = project_svc.get_project(session, user, project_id)
    task, _ = get_task(session, user, task_id)
    if task.project_id != project.id:
        raise NotFound(f"Task {task_id} is not in project {project_id}.")
    return task, project


@router.post("/{project_id}/tasks/assignees", operation_id="assign_tasks")
def assign_tasks(project_id: int, user: ManagerUser, session: SessionDep, body: JsonObject):
    """{"selectedItems": {"all", "included"|"excluded"}, "filters"?, "type": "AN"|"RE", "users": [ids]}: the
    selected tasks go to each user; {"assignments": made, "task_ids": [...]}."""
    project = project_svc.get_project(session, user, project_id)
    if not isinstance(body.get("selectedItems"), dict):
        raise ValidationFailed("Validation error", {"selectedItems": [
            'Select the tasks: {"all": false, "included": [ids]} or {"all": true, "excluded": [ids]}.']})
    ids = selected_ids(session, project, body, None)
    made = svc.assign(session, project, ids, body.get("type"), body.get("users"))
    return ok({"assignments": made, "task_ids": ids})


@router.get("/{project_id}/tasks/{task_id}/assignees", operation_id="list_task_assignees")
def list_task_assignees(project_id: int, task_id: int, user: ReviewerUser, session: SessionDep):
    task, _ = _task(session, user, project_id, task_id)
    return ok([svc.assignment_json(a) for a in svc.of_task(session, task)])


@router.post("/{project_id}/tasks/{task_id}/assignees", operation_id="assign_task")
def assign_task(project_id: int, task_id: int, user: ManagerUser, session: SessionDep, body: JsonObject):
    """Adds the users to the task's assignees of that type; answers the first of the task's assignments."""
    task, project = _task(session, user, project_id, task_id)
    svc.assign(session, project, [task.id], body.get("type"), body.get("users"))
    given = [a for a in svc.of_task(session, task) if a.type == body["type"] and a.user_id in body["users"]]
    return ok(svc.assignment_json(given[0]), 201)


@router.patch("/{project_id}/tasks/{task_id}/assignees", operation_id="replace_task_assignees")
def replace_task_assignees(project_id: int, task_id: int, user: ManagerUser, session: SessionDep,
                           body: JsonObject):
    """The task's assignees of that type become exactly `users`."""
    task, project = _task(session, user, project_id, task_id)
    svc.unassign(session, project, [task.id], body.get("type"))
    svc.assign(session, project, [task.id], body.get("type"), body.get("users"))
    given = [a for a in svc.of_task(session, task) if a.type == body["type"]]
    return ok(svc.assignment_json(given[0]) if given else None)


@router.delete("/{project_id}/tasks/{task_id}/assignees", operation_id="unassign_task")
def unassign_task(project_id: int, task_id: int, request: Request, user: ManagerUser, session: SessionDep):
    """?type=AN|RE[&users=1,2]: those users (or everyone of that type) are taken off the task."""
    task, project = _task(session, user, project_id, task_id)
    given = request.query_params.getlist("users")
    users = int_list(",".join(given), "users") if given else None
    svc.unassign(session, project, [task.id], request.query_params.get("type", "AN"), users)
    return no_content()
