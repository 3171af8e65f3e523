"""labelhive start | user create|list|reset-password | db upgrade."""
import click
from sqlalchemy import select

from . import auth, db
from .config import Settings
from .errors import LabelHiveError
from .models import User


def _settings(data_dir, **overrides) -> Settings:
    settings = Settings.from_env(data_dir=data_dir, **overrides)
    settings.ensure_dirs()
    return settings


def _session(settings: Settings):
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    return db.make_sessionmaker(engine)()


data_dir_option = click.option("--data-dir", type=click.Path(file_okay=False), default=None,
                               help="Where the database, uploads and exports live (env LABELHIVE_DATA_DIR).")


@click.group()
def main():
    """LabelHive: self-hosted data labeling that speaks Label Studio's API."""


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default localhost; 0.0.0.0 for all).")
@click.option("--port", type=int, default=None, help="Port (default 8080).")
@data_dir_option
@click.option("--username", default=None, help="Email of a first user to create (env LABEL_STUDIO_USERNAME).")
@click.option("--password", default=None, help="Password of that user (env LABEL_STUDIO_PASSWORD).")
@click.option("--user-token", default=None, help="Fixed API token for that user (env LABEL_STUDIO_USER_TOKEN).")
def start(host, port, data_dir, username, password, user_token):
    """Run migrations and serve the web app and API."""
    import uvicorn

    from .app import create_app

    settings = _settings(data_dir, host=host, port=port, username=username, password=password,
                         user_token=user_token)
    try:
        app = create_app(settings)
    except LabelHiveError as exc:
        raise click.ClickException(f"{exc.detail} {exc.validation_errors or ''}") from exc
    click.echo(f"LabelHive on http://{settings.host}:{settings.port} (data in {settings.data_dir})")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


@main.group()
def user():
    """Manage user accounts."""


@user.command("create")
@data_dir_option
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--token", default=None, help="Fixed API token (default: a random one).")
def user_create(data_dir, email, password, token):
    settings = _settings(data_dir)
    with _session(settings) as session:
        try:
            created = auth.create_user(session, email, password, token=token)
        except LabelHiveError as exc:
            raise click.ClickException(_message(exc)) from exc
        session.commit()
        click.echo(f"Created user {created.email} (id {created.id}); API token {auth.user_token(session, created).key}")


@user.command("list")
@data_dir_option
def user_list(data_dir):
    settings = _settings(data_dir)
    with _session(settings) as session:
        for u in session.scalars(select(User).order_by(User.id)):
            click.echo(f"{u.id}\t{u.email}\t{'active' if u.is_active else 'inactive'}")


@user.command("reset-password")
@data_dir_option
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def user_reset_password(data_dir, email, password):
    settings = _settings(data_dir)
    with _session(settings) as session:
        found = session.scalar(select(User).where(User.email == email))
        if found is None:
            raise click.ClickException(f"No user with email {email}; see `labelhive user list`.")
        try:
            auth.set_password(found, password)
        except LabelHiveError as exc:
            raise click.ClickException(_message(exc)) from exc
        session.commit()
        click.echo(f"Password changed for {email}")


@main.group("db")
def db_group():
    """Database maintenance."""


@db_group.command("upgrade")
@data_dir_option
def db_upgrade(data_dir):
    """Apply migrations (also done by `labelhive start`)."""
    settings = _settings(data_dir)
    db.upgrade(db.make_engine(settings.database_url))
    click.echo(f"Database at {settings.database_url} is up to date")


def _message(exc: LabelHiveError) -> str:
    if exc.validation_errors:
        return " ".join(m for msgs in exc.validation_errors.values() for m in msgs)
    return exc.detail
