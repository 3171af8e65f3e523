"""frontend/openapi.json is the schema the web app's typed client is generated from: it must match the server.

Regenerate it with `.venv/bin/python scripts/dump_openapi.py frontend/openapi.json`.
"""
import json
from pathlib import Path

SNAPSHOT = Path(__file__).parent.parent / "frontend" / "openapi.json"


def test_committed_schema_matches_the_server(app):
    assert json.loads(SNAPSHOT.read_text()) == json.loads(json.dumps(app.openapi())), (
        "frontend/openapi.json is stale: run .venv/bin/python scripts/dump_openapi.py frontend/openapi.json")
