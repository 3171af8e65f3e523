"""Schemathesis over /openapi.json for the account, member and invite routes: whatever the input, a 4xx, never
a 500. Run on SQLite and PostgreSQL (an id past 64 bits is a 500 there if nothing stops it)."""
import pytest
from hypothesis import HealthCheck, given, settings

from conftest import TOKEN

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402

ROUTES = r"^/api/(organizations|invite|users|current-user)"
# Re-keying or deleting the one account would end the run's own credentials: those get ids only.
CREDENTIAL_ENDING = ("/api/current-user/reset-token", "/api/invite/reset-token")


def test_account_routes_never_answer_500(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=ROUTES)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        if operation.method.upper() == "DELETE" or operation.path in CREDENTIAL_ENDING:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            response = case.call(headers={"Authorization": f"Token {TOKEN}"})
            case.validate_response(response, checks=[not_a_server_error])

        run()
