"""/api/current-user/..., /api/users/..., /api/organizations/..."""
import secrets

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select

from .. import auth
from ..deps import CurrentUser, SessionDep
from ..errors import NotFound, PermissionDenied, get_or_404
from ..models import Organization, User
from ..responses import no_content, ok
from ..schemas import organization_json, user_json

router = APIRouter(prefix="/api", tags=["users"])


class UserCreate(BaseModel):
    email: str
    password: str | None = None
    username: str | None = None
    first_name: str = ""
    last_name: str = ""


class UserUpdate(BaseModel):
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    password: str | None = None


@router.get("/current-user/whoami", operation_id="whoami")
def whoami(user: CurrentUser):
    return ok(user_json(user))


@router.get("/current-user/token", operation_id="get_token")
def get_token(user: CurrentUser, session: SessionDep):
    token = auth.user_token(session, user)
    session.commit()
    return ok({"token": token.key, "detail": "Your API token"})


@router.post("/current-user/reset-token", operation_id="reset_token")
def reset_token(request: Request, user: CurrentUser, session: SessionDep):
    token = auth.reset_token(session, user)
    session.commit()
    request.app.state.auth_cache.forget(user_id=user.id)
    return ok({"token": token.key})


@router.get("/users", operation_id="list_users")
def list_users(user: CurrentUser, session: SessionDep):
    users = session.scalars(select(User).where(User.organization_id == user.organization_id).order_by(User.id))
    return ok([user_json(u) for u in users])


@router.post("/users", operation_id="create_user")
def create_user(body: UserCreate, user: CurrentUser, session: SessionDep):
    created = auth.create_user(session, body.email, body.password or secrets.token_urlsafe(16),
                               username=body.username, first_name=body.first_name, last_name=body.last_name)
    session.commit()
    return ok(user_json(created), 201)


@router.get("/users/{user_id}", operation_id="get_user")
def get_user(user_id: int, user: CurrentUser, session: SessionDep):
    other = get_or_404(session, User, user_id, "User")
    if other.organization_id != user.organization_id:
        raise NotFound(f"User {user_id} not found")
    return ok(user_json(other))


@router.patch("/users/{user_id}", operation_id="update_user")
def update_user(user_id: int, body: UserUpdate, request: Request, user: CurrentUser, session: SessionDep):
    if user_id != user.id:
        raise PermissionDenied("You can only change your own account.")
    user = session.get(User, user.id)
    for field in ("first_name", "last_name", "username"):
        if getattr(body, field) is not None:
            setattr(user, field, getattr(body, field))
    if body.password is not None:
        auth.set_password(user, body.password)
    session.commit()
    request.app.state.auth_cache.forget(user_id=user.id)
    return ok(user_json(user))


@router.delete("/users/{user_id}", operation_id="delete_user")
def delete_user(user_id: int, request: Request, user: CurrentUser, session: SessionDep):
    if user_id != user.id:
        raise PermissionDenied("You can only delete your own account.")
    user = session.get(User, user.id)
    user.is_active = False
    session.commit()
    request.app.state.auth_cache.forget(user_id=user.id)
    return no_content()


@router.get("/organizations", operation_id="list_organizations")
def list_organizations(user: CurrentUser, session: SessionDep):
    return ok([organization_json(get_or_404(session, Organization, user.organization_id))])


@router.get("/organizations/{org_id}", operation_id="get_organization")
def get_organization(org_id: int, user: CurrentUser, session: SessionDep):
    if org_id != user.organization_id:
        raise NotFound(f"Organization {org_id} not found")
    return ok(organization_json(get_or_404(session, Organization, org_id)))
