"""labelhive ml init | start: scaffold and serve a model server (ML backend)."""
import logging
import os
from pathlib import Path

import click


@click.group()
def ml():
    """Model servers that pre-label tasks and learn from annotations (Label Studio's ML backend protocol)."""


@ml.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--script", default=None, help="Start from this model file (path[:ClassName]); copied as model.py.")
@click.option("--example", default=None, help="Start from a bundled example: image_classifier, text_classifier, interactive_segmenter.")
@click.option("--force", is_flag=True, help="Replace DIRECTORY if it exists.")
def init_cmd(directory, script, example, force):
    """Create a backend in DIRECTORY: model.py (a NewModel skeleton), README.md, requirements.txt."""
    from .loader import LoadError
    from .scaffold import init_backend

    try:
        target = init_backend(directory, script=script, example=example, force=force)
    except (FileExistsError, FileNotFoundError, ValueError, LoadError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created a model server in {target}. Serve it with:\n  labelhive ml start {target}")


@ml.command("start")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--port", "-p", type=int, default=9090, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 when the labeling server runs on another machine or in Docker).")
@click.option("--script", default=None, help="Model file in DIRECTORY, optionally with the class: model.py:MyModel.")
@click.option("--model-dir", default=None, help="Where models and the per-project store live (env MODEL_DIR; "
                                                "default DIRECTORY).")
@click.option("--basic-auth-user", envvar="BASIC_AUTH_USER", default=None, help="Require basic auth (env BASIC_AUTH_USER).")
@click.option("--basic-auth-pass", envvar="BASIC_AUTH_PASS", default=None, help="(env BASIC_AUTH_PASS)")
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
def start_cmd(directory, port, host, script, model_dir, basic_auth_user, basic_auth_pass, log_level):
    """Serve the model in DIRECTORY over Label Studio's ML backend protocol."""
    import uvicorn

    from .api import create_app
    from .loader import LoadError, load_model_class

    os.environ["MODEL_DIR"] = str(Path(model_dir or os.environ.get("MODEL_DIR") or directory).resolve())
    logging.basicConfig(level=log_level.upper(), format="[%(asctime)s] [%(levelname)s] [%(name)s] %(message)s")
    try:
        model_class = load_model_class(directory, script)
    except LoadError as exc:
        raise click.ClickException(str(exc)) from exc
    auth = (basic_auth_user, basic_auth_pass) if basic_auth_user and basic_auth_pass else None
    click.echo(f"{model_class.__name__} on http://{host}:{port} (models in {os.environ['MODEL_DIR']})")
    uvicorn.run(create_app(model_class, basic_auth=auth), host=host, port=port, log_level=log_level.lower())
