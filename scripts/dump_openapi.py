"""Write the server's OpenAPI schema to a file; the web app's typed API client is generated from it."""
import json
import sys
import tempfile
from pathlib import Path

from labelhive.app import create_app
from labelhive.config import Settings


def main(out: str) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir}/schema.sqlite3"))
        Path(out).write_text(json.dumps(app.openapi(), indent=1))
        app.state.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "frontend/openapi.json")
