"""The first user and fixed API token, from `labelhive start --username/--password/--user-token`."""
from sqlalchemy.orm import Session

from .. import auth
from ..config import Settings
from ..models import Token


def ensure_first_user(session: Session, settings: Settings) -> None:
    if not (settings.username and settings.password):
        return
    user = auth.user_by_email(session, settings.username)
    if user is None:
        user = auth.create_user(session, settings.username, settings.password, token=settings.user_token)
    elif settings.user_token:
        token = auth.user_token(session, user)
        if token.key != settings.user_token:
            session.delete(token)
            session.flush()
            session.add(Token(key=settings.user_token, user_id=user.id))
    session.commit()
