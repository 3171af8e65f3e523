"""Users, passwords, API tokens and browser sessions; the CurrentUser dependency lives in deps.py."""
import secrets
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import Conflict, ValidationFailed
from .models import LoginSession, Organization, Token, User

_hasher = PasswordHasher()
SESSION_DAYS = 14


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token_key() -> str:
    # Opaque 40-hex keys: the SDK tries to decode keys as JWTs, so never hand out one that decodes.
    return secrets.token_hex(20)


def default_organization(session: Session) -> Organization:
    org = session.scalars(select(Organization).order_by(Organization.id).limit(1)).first()
    if org is None:
        org = Organization(title="LabelHive")
        session.add(org)
        session.flush()
    return org


def create_user(session: Session, email: str, password: str, token: str | None = None,
                username: str | None = None, first_name: str = "", last_name: str = "") -> User:
    email = (email or "").strip()
    if "@" not in email:
        raise ValidationFailed("Validation error", {"email": ["Enter a valid email address, like name@example.com."]})
    if not password or len(password) < 8:
        raise ValidationFailed("Validation error", {"password": ["Use a password of at least 8 characters."]})
    if token is not None and (len(token) < 8 or not token.isascii()):
        raise ValidationFailed("Validation error", {"token": ["Use an ASCII token of at least 8 characters."]})
    if session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(f"A user with email {email} already exists.")
    user = User(email=email, username=username or email, first_name=first_name, last_name=last_name,
                password_hash=hash_password(password), organization_id=default_organization(session).id)
    session.add(user)
    session.flush()
    session.add(Token(key=token or new_token_key(), user_id=user.id))
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if not password or len(password) < 8:
        raise ValidationFailed("Validation error", {"password": ["Use a password of at least 8 characters."]})
    user.password_hash = hash_password(password)


def user_token(session: Session, user: User) -> Token:
    token = session.scalar(select(Token).where(Token.user_id == user.id))
    if token is None:
        token = Token(key=new_token_key(), user_id=user.id)
        session.add(token)
        session.flush()
    return token


def reset_token(session: Session, user: User) -> Token:
    token = user_token(session, user)
    session.delete(token)
    session.flush()
    fresh = Token(key=new_token_key(), user_id=user.id)
    session.add(fresh)
    session.flush()
    return fresh


def user_by_token(session: Session, key: str) -> User | None:
    return session.scalar(select(User).join(Token, Token.user_id == User.id)
                          .where(Token.key == key, User.is_active.is_(True)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.email == (email or "").strip()))
    if user is None or not user.is_active or not verify_password(user, password):
        return None
    return user


def start_session(session: Session, user: User) -> LoginSession:
    login = LoginSession(key=secrets.token_urlsafe(32), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                         expires_at=datetime.now(timezone.utc) + timedelta(days=SESSION_DAYS))
    session.add(login)
    session.flush()
    return login


def session_user(session: Session, key: str) -> tuple[User, LoginSession] | None:
    login = session.get(LoginSession, key)
    if login is None:
        return None
    expires = login.expires_at if login.expires_at.tzinfo else login.expires_at.replace(tzinfo=timezone.utc)
    if expires < datetime.now(timezone.utc):
        return None
    user = session.get(User, login.user_id)
    return (user, login) if user is not None and user.is_active else None


def end_session(session: Session, key: str) -> None:
    login = session.get(LoginSession, key)
    if login is not None:
        session.delete(login)
