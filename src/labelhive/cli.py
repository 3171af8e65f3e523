"""labelhive start | user create|list|reset-password | db upgrade."""
import ctypes
import os
import signal
import subprocess
import sys

import click
from sqlalchemy import select

from . import auth, db
from .config import Settings
from .errors import LabelHiveError
from .ml import cli as ml_cli
from .models import User


def _count(n: int, word: str) -> str:
    """ "1 task", "2 tasks": what the CLI prints agrees with the count."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _settings(data_dir, **overrides) -> Settings:
    from .services import shared_files

    settings = Settings.from_env(data_dir=data_dir, **overrides)
    settings.ensure_dirs()
    shared_files.configure(settings)  # files the command writes go to LABELHIVE_MEDIA_URL too
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
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Web processes serving the port (env LABELHIVE_WEB_WORKERS).", envvar="LABELHIVE_WEB_WORKERS")
def start(host, port, data_dir, username, password, user_token, workers):
    """Run migrations and serve the web app and API."""
    import uvicorn

    from .app import create_app

    settings = _settings(data_dir, host=host, port=port, username=username, password=password,
                         user_token=user_token)
    try:
        app = create_app(settings)  # here too with --workers: migrations and the first user, once
    except LabelHiveError as exc:
        raise click.ClickException(f"{exc.detail} {exc.validation_errors or ''}") from exc
    click.echo(f"LabelHive on http://{settings.host}:{settings.port} (data in {settings.data_dir}"
               f"{f', {workers} web processes' if workers > 1 else ''})")
    if workers == 1:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
        return
    # Each web process builds its own app from the environment: carry this command's choices there.
    os.environ.update(LABELHIVE_DATA_DIR=str(settings.data_dir), LABELHIVE_DATABASE_URL=settings.database_url)
    uvicorn.run("labelhive.app:create_app", factory=True, workers=workers, host=settings.host, port=settings.port,
                log_level="warning")


@main.command()
@data_dir_option
@click.option("--queues", "names", default=None,
              help="Comma-separated queues to serve, in order of priority: default (exports, conversions, syncs, "
                   "predictions), webhooks. Without it, one process for each.")
def worker(data_dir, names):
    """Run background jobs from the Redis queues (LABELHIVE_REDIS_URL), on any machine that sees the database,
    the media and Redis."""
    from . import queues

    settings = _settings(data_dir)
    if not settings.redis_url:
        raise click.ClickException("Set LABELHIVE_REDIS_URL (e.g. redis://localhost:6379/0): without it, "
                                   "`labelhive start` runs background jobs itself and needs no worker.")
    chosen = [n.strip() for n in names.split(",") if n.strip()] if names else list(queues.QUEUES)
    unknown = sorted(set(chosen) - set(queues.QUEUES))
    if unknown:
        raise click.ClickException(f"Unknown queue(s) {', '.join(unknown)}: choose from {', '.join(queues.QUEUES)}.")
    if names:
        click.echo(f"LabelHive worker on {', '.join(chosen)} (Redis {settings.redis_url})")
        queues.work(settings, chosen)
        return
    # One process per queue, so a webhook receiver that never answers cannot hold up an export.
    children = [subprocess.Popen([sys.executable, "-c", "from labelhive.cli import main; main()", "worker",
                                  "--data-dir", str(settings.data_dir), "--queues", name],
                                 preexec_fn=_die_with_parent) for name in chosen]
    try:
        for child in children:
            child.wait()
    finally:
        for child in children:
            child.terminate()


def _die_with_parent() -> None:
    """In a child: get SIGTERM when the parent dies, even by kill -9 (Linux's PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)
    except OSError:
        pass  # not Linux: children outlive a killed parent


@main.group()
def user():
    """Manage user accounts."""


@user.command("create")
@data_dir_option
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--token", default=None, help="Fixed API token (default: a random one).")
@click.option("--role", type=click.Choice(["AD", "MA", "RE", "AN"]), default="AD", show_default=True,
              help="Role in the organization (the first user is its owner whatever this says).")
def user_create(data_dir, email, password, token, role):
    settings = _settings(data_dir)
    with _session(settings) as session:
        try:
            created = auth.create_user(session, email, password, token=token, role=role)
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
            click.echo(f"{u.id}\t{u.email}\t{auth.ROLES.get(u.role, u.role)}\t{'active' if u.is_active else 'inactive'}")


@user.command("reset-password")
@data_dir_option
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def user_reset_password(data_dir, email, password):
    settings = _settings(data_dir)
    with _session(settings) as session:
        found = auth.user_by_email(session, email)
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


def _project_and_user(session, project_ref: str, email: str | None):
    from .models import Project

    project = session.get(Project, int(project_ref)) if project_ref.isdigit() else session.scalar(
        select(Project).where(Project.title == project_ref).order_by(Project.id))
    if project is None:
        raise click.ClickException(f"No project {project_ref!r}: give its id or exact title.")
    user = auth.user_by_email(session, email) if email else session.scalars(
        select(User).order_by(User.id).limit(1)).first()
    if user is None:
        raise click.ClickException("No such user: create one with `labelhive user create`." if email else
                                   "No users yet: create one with `labelhive user create`.")
    return project, user


user_option = click.option("--user", "email", default=None, help="Act as this user (default: the first user).")


@main.command("import-dir")
@click.argument("project")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--pattern", default=None, help="Only files whose name matches this glob, e.g. '*.jpg'.")
@click.option("--tasks-from-json", is_flag=True, help="The directory holds task JSON/JSONL files, not media.")
@data_dir_option
@user_option
def import_dir(project, directory, pattern, tasks_from_json, data_dir, email):
    """Attach DIRECTORY to PROJECT as a local storage and sync it: one task per file (again: only new files)."""
    import fnmatch
    from pathlib import Path

    from .services import storages

    settings = _settings(data_dir)
    with _session(settings) as session:
        proj, acting = _project_and_user(session, project, email)
        path = str(Path(directory).resolve())
        existing = [s for s in storages.list_for(session, proj, "import", "localfiles") if s.settings.get("path") == path]
        regex = fnmatch.translate(pattern) if pattern else None
        body = {"path": path, "use_blob_urls": not tasks_from_json, "regex_filter": regex,
                "title": Path(path).name}
        try:
            store = existing[0] if existing else storages.create(session, proj, "import", "localfiles", body,
                                                                 settings.local_files_root)
            store = storages.sync_import(session, store, proj, acting, settings.local_files_root)
        except LabelHiveError as exc:
            raise click.ClickException(_message(exc)) from exc
        click.echo(f"Created {_count(store.last_sync_count, 'task')} in project {proj.id} ({proj.title}) from {path}")


@main.command("import")
@click.argument("project")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@data_dir_option
@user_option
def import_file(project, file, data_dir, email):
    """Import tasks from a JSON, CSV, TSV or TXT file (or one media file) into PROJECT."""
    from pathlib import Path

    from .services import projects as project_svc
    from .services import shared_files
    from .services.import_files import check_file, file_to_items
    from .services.imports import import_tasks

    settings = _settings(data_dir)
    path = Path(file)
    written = []
    with _session(settings) as session:
        proj, acting = _project_and_user(session, project, email)
        try:
            ext = check_file(path.name, path.stat().st_size, settings.max_upload_bytes)
            with open(path, "rb") as source:
                items = file_to_items(session, proj, acting, project_svc.config_of(proj), settings.media_dir,
                                      path.name, ext, source, written)
            result = import_tasks(session, proj, acting, items)
        except LabelHiveError as exc:
            session.rollback()
            for w in written:
                shared_files.remove(w)
            raise click.ClickException(_message(exc)) from exc
        click.echo(f"Created {_count(result['task_count'], 'task')}, {_count(result['annotation_count'], 'annotation')}"
                   f" and {_count(result['prediction_count'], 'prediction')} in project {proj.id} ({proj.title})")


@main.command("import-dataset")
@click.argument("project")
@click.argument("path", type=click.Path(exists=True))
@click.option("--format", "fmt", required=True, type=click.Choice(["coco", "yolo", "voc"], case_sensitive=False),
              help="COCO: a .json file or a folder holding one; YOLO and VOC: the dataset's folder.")
@click.option("--as", "as_", type=click.Choice(["annotations", "predictions"]), default="annotations",
              show_default=True, help="Import the dataset's regions as annotations or as predictions.")
@click.option("--model-version", default=None, help="model_version of the predictions (default: 'COCO import'...).")
@click.option("--images", default=None, help="Where the images are when not in the dataset: a folder or a URL prefix.")
@click.option("--copy-images", is_flag=True,
              help="Copy the images into the data dir instead of serving them in place (then PATH may be "
                   "outside LABELHIVE_LOCAL_FILES_ROOT).")
@data_dir_option
@user_option
def import_dataset_cmd(project, path, fmt, as_, model_version, images, copy_images, data_dir, email):
    """Import a COCO, YOLO or Pascal VOC dataset into PROJECT; a project without a label config gets one."""
    from . import datasets
    from .services import dataset_sources
    from .services.dataset_import import import_dataset

    settings = _settings(data_dir)
    root_dir = settings.local_files_root
    try:
        folder, main_file = (dataset_sources.dataset_path(path) if copy_images
                             else dataset_sources.server_path(root_dir, path))
        source = dataset_sources.image_source(root_dir, images, folder, copy=copy_images)
        dataset = datasets.read(fmt, folder, source.directory, main_file)
        with _session(settings) as session:
            proj, acting = _project_and_user(session, project, email)
            result = import_dataset(session, proj, acting, dataset, fmt.upper(), source, root_dir, settings.media_dir,
                                    as_, model_version)
    except LabelHiveError as exc:
        raise click.ClickException(_message(exc)) from exc
    made = _count(result[as_[:-1] + "_count"], as_[:-1])
    click.echo(f"Created {_count(result['task_count'], 'task')} with {made} in project "
               f"{proj.id} ({proj.title}){'; generated its label config' if result['label_config_generated'] else ''}")


@main.command("export")
@click.argument("project")
@click.option("--format", "fmt", default="JSON", show_default=True,
              help="Any Label Studio export format the project's config fits: JSON, JSON_MIN, CSV, TSV, COCO, "
                   "YOLO, VOC, CONLL2003, BRUSH_TO_NUMPY, ASR_MANIFEST... (several files come as a .zip).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: Label Studio's file name in the current directory).")
@click.option("--all-tasks/--annotated-only", default=True, show_default=True,
              help="Include tasks without annotations.")
@data_dir_option
def export_cmd(project, fmt, output, all_tasks, data_dir):
    """Export PROJECT's tasks and annotations to a file."""
    import shutil

    from .services import exports

    settings = _settings(data_dir)
    with _session(settings) as session:
        proj, _ = _project_and_user(session, project, None)
        where = exports.task_filter(proj, all_tasks, None)
        try:
            path, name = exports.export_to_file(settings.export_dir, proj, fmt,
                                                lambda lean: exports.iter_export_tasks(session, proj, where, lean=lean),
                                                exports.media_reader(session, proj, settings))
        except LabelHiveError as exc:
            raise click.ClickException(_message(exc)) from exc
        target = output or name
        shutil.move(path, target)
        click.echo(f"Wrote {target}")


main.add_command(ml_cli.ml)


def _message(exc: LabelHiveError) -> str:
    if exc.validation_errors:
        return " ".join(m for msgs in exc.validation_errors.values() for m in msgs)
    return exc.detail
