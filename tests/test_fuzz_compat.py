"""Schemathesis over the routes issue 17 added for Label Studio's clients: whatever the input, never a 500."""
import pytest
from hypothesis import HealthCheck, given, settings

from conftest import TOKEN

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402

ROUTES = (r"^/api/(labels|dm/project|projects/\{project_id\}/(reimport|tasks|tasks/bulk|label-stream-history|"
          r"validate)|tasks/\{task_id\}/annotations/\{annotation_id\}/drafts)")


def test_compat_routes_never_answer_500(app, project):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=ROUTES)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:
        if operation.method.upper() == "DELETE":
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            if "project_id" in (case.path_parameters or {}):
                case.path_parameters["project_id"] = project["id"]  # reach the code past the 404
            response = case.call(headers={"Authorization": f"Token {TOKEN}"})
            case.validate_response(response, checks=[not_a_server_error])

        run()
