"""Webhooks: CRUD, and events delivered after commit on worker threads, retried with backoff."""
import logging
import time
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..errors import FetchFailed, NotFound, ValidationFailed, get_or_404
from ..models import Project, User, Webhook
from ..responses import dumps
from . import outbound

log = logging.getLogger("labelhive.webhooks")
# Each event: (its name in the UI, the payload key holding the object, whether only organization-wide webhooks
# hear it: a project's webhook cannot hear of projects being made or deleted), as Label Studio lists them.
EVENTS = {
    "PROJECT_CREATED": ("Project created", "project", True),
    "PROJECT_UPDATED": ("Project updated", "project", False),
    "PROJECT_DELETED": ("Project deleted", "project", True),
    "TASKS_CREATED": ("Task created", "tasks", False),
    "TASKS_DELETED": ("Task deleted", "tasks", False),
    "ANNOTATION_CREATED": ("Annotation created", "annotation", False),
    "ANNOTATIONS_CREATED": ("Annotations created", "annotation", False),
    "ANNOTATION_UPDATED": ("Annotation updated", "annotation", False),
    "ANNOTATIONS_DELETED": ("Annotation deleted", "annotations", False),
    "START_TRAINING": ("Start training", "project", False),
}
ACTIONS = tuple(EVENTS)
RETRY_DELAYS_S = (1, 4, 15)
# Model servers train inside their /webhook handler, so give them time before counting a failure.
TIMEOUT_S = 60
# Only the status of the answer matters; a receiver sending more than this is counted as failing.
MAX_ANSWER_BYTES = 1024 * 1024
FIELDS = ("url", "send_payload", "send_for_all_actions", "actions", "headers", "is_active")


def events_json() -> dict:
    return {action: {"name": name, "description": "", "key": key, "organization-only": org_only}
            for action, (name, key, org_only) in EVENTS.items()}


def webhook_json(w: Webhook) -> dict:
    return {"id": w.id, "organization": w.organization_id, "project": w.project_id, "url": w.url,
            "send_payload": w.send_payload, "send_for_all_actions": w.send_for_all_actions,
            "headers": w.headers or {}, "is_active": w.is_active, "actions": w.actions or [],
            "created_at": w.created_at, "updated_at": w.updated_at}


def _apply(w: Webhook, body: dict) -> None:
    for name in FIELDS:
        if name in body:
            setattr(w, name, body[name])
    w.url = outbound.check_url(w.url, "webhook")
    unknown = [a for a in (w.actions or []) if a not in ACTIONS]
    if unknown:
        raise ValidationFailed("Validation error", {"actions": [f"Unknown actions {unknown}; use {', '.join(ACTIONS)}."]})
    if not isinstance(w.headers or {}, dict):
        raise ValidationFailed("Validation error", {"headers": ["Must be an object of header names to values."]})


def create(session: Session, user: User, project: Project | None, body: dict, ml_backend_id: int | None = None) -> Webhook:
    w = Webhook(organization_id=user.organization_id, project_id=project.id if project else None,
                ml_backend_id=ml_backend_id, url=body.get("url", ""))
    _apply(w, body)
    session.add(w)
    session.commit()
    return w


def update(session: Session, w: Webhook, body: dict) -> Webhook:
    _apply(w, body)
    session.commit()
    return w


def get(session: Session, user: User, webhook_id) -> Webhook:
    w = get_or_404(session, Webhook, webhook_id, "Webhook")
    if w.organization_id != user.organization_id:
        raise NotFound(f"Webhook {webhook_id} not found")
    return w


def listing(session: Session, user: User, project_id: int | None) -> list[Webhook]:
    query = select(Webhook).where(Webhook.organization_id == user.organization_id).order_by(Webhook.id)
    if project_id is not None:
        query = query.where(Webhook.project_id == project_id)
    return list(session.scalars(query))


def emit(session: Session, submit: Callable, project: Project, action: str, payload: Callable[[], dict]) -> int:
    """Queue `action` for every matching webhook, each delivery a job row (`submit(kind, **args)`); the payload is
    built once, only if someone wants it. Called after the write committed, so a slow or failing receiver never
    touches the save."""
    hooks = list(session.scalars(select(Webhook).where(
        Webhook.organization_id == project.organization_id, Webhook.is_active.is_(True),
        or_(Webhook.project_id == project.id, Webhook.project_id.is_(None)))))
    hooks = [w for w in hooks if w.send_for_all_actions or action in (w.actions or [])]
    if not hooks:
        return 0
    body = None
    for w in hooks:
        if w.send_payload and body is None:
            body = dumps({"action": action, **payload()}).decode()
        data = body if w.send_payload else dumps({"action": action}).decode()
        submit("webhook", url=w.url, headers=dict(w.headers or {}), data=data)
    return len(hooks)


def deliver(url: str, headers: dict, data: bytes, delays=RETRY_DELAYS_S) -> dict:
    """POST with retries and growing delays; runs on the webhooks queue. The address is checked again at each
    attempt; redirects are not followed. Raises, with the last reason, when the receiver never took it."""
    headers = {"Content-Type": "application/json", "User-Agent": "LabelHive", **headers}
    reason = ""
    for attempt in range(len(delays) + 1):
        try:
            response = outbound.fetch(url, method="POST", headers=headers, body=data, timeout=TIMEOUT_S,
                                      max_bytes=MAX_ANSWER_BYTES, follow_redirects=False, what="webhook")
            if response.status < 400:
                return {"status_code": response.status}
            reason = f"the receiver answered HTTP {response.status}"
            if response.status < 500:
                break  # it refused the event; sending it again will not change that
        except FetchFailed as exc:
            reason = exc.reason
            log.warning("webhook %s failed (attempt %d): %s", url, attempt + 1, exc.reason)
            if exc.kind in (outbound.REFUSED, outbound.INVALID):
                break  # the policy or the URL will not change between retries
        if attempt < len(delays):
            time.sleep(delays[attempt])
    raise ValidationFailed(f"Webhook to {url} not delivered after {attempt + 1} attempt(s): {reason}.")
