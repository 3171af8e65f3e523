"""Capture Label Studio's answers into tests/fixtures/ls-1.23.2/, for tests that compare LabelHive with it
without a Label Studio at hand. Run against a Label Studio 1.23.2 started as the README's benchmark section says:

    python scripts/capture_ls_fixtures.py http://127.0.0.1:8099 <token> <its LOCAL_FILES_DOCUMENT_ROOT>

Label Studio must serve local files (LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true and the document root) and
reach loopback (USE_DEFAULT_BANNED_SUBNETS=false SSRF_PROTECTION_ENABLED=false): the scenario starts an S3 server
and an ML backend there.
"""
import json
import sys
from pathlib import Path

import httpx

TESTS = Path(__file__).resolve().parent.parent / "tests"
FIXTURES = TESTS / "fixtures" / "ls-1.23.2"
sys.path.insert(0, str(TESTS))
import compat_scenario  # noqa: E402  (lives with the tests that replay it)


def main(url: str, token: str, files_root: str) -> None:
    source = json.loads((FIXTURES / "roundtrip-input.json").read_text())
    with httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=120) as ls:
        pid = ls.post("/api/projects", json={"title": "Round trip", "label_config": source["label_config"]}).json()["id"]
        ls.post(f"/api/projects/{pid}/import", json=source["tasks"]).raise_for_status()
        snap = ls.post(f"/api/projects/{pid}/exports", json={
            "serialization_options": {"predictions": {"only_id": False}}}).json()
        exported = ls.get(f"/api/projects/{pid}/exports/{snap['id']}/download", params={"exportType": "JSON"})
        exported.raise_for_status()
        (FIXTURES / "roundtrip-export.json").write_text(json.dumps(exported.json(), indent=1) + "\n")
        ls.delete(f"/api/projects/{pid}")
        with compat_scenario.environment(Path(files_root)) as env:
            shapes = compat_scenario.run(ls, env)
    (FIXTURES / "api-shapes.json").write_text(json.dumps(shapes, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
