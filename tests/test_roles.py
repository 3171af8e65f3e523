"""Issue 18, roles: the organization's roles (Owner, Administrator, Manager, Reviewer, Annotator) are enforced by
the API. Each forbidden request is a 403 that says which role it needs; Annotators and Reviewers work in the
projects they were added to, and Annotators read only their own work."""
import pytest
from fastapi.testclient import TestClient

from conftest import FLOWERS

pytestmark = pytest.mark.usefixtures("client")


def choice(label):
    return [{"id": "r1", "from_name": "class", "to_name": "image", "type": "choices",
             "value": {"choices": [label]}}]


def member(app, owner, role: str, email: str) -> TestClient:
    """A member with `role`, as a client holding their own API token."""
    from labelhive import auth
    from labelhive.models import User

    made = owner.post("/api/users", json={"email": email, "password": "member-password", "role": role})
    assert made.status_code == 201 and made.json()["role"] == role
    with app.state.sessions() as session:
        key = auth.user_token(session, session.get(User, made.json()["id"])).key
        session.commit()
    c = TestClient(app, headers={"Authorization": f"Token {key}"})
    c.user_id = made.json()["id"]
    return c


@pytest.fixture
def team(app, client):
    """The owner (client), one member of each role, and a project of 4 tasks with two annotators per task, to which
    the Annotators and the Reviewer are added."""
    people = {role: member(app, client, role, f"{role.lower()}@example.com") for role in ("AD", "MA", "RE", "AN")}
    people["AN2"] = member(app, client, "AN", "an2@example.com")
    pid = client.post("/api/projects", json={"title": "Team", "label_config": FLOWERS,
                                             "maximum_annotations": 2}).json()["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": f"/img/{i}.jpg"} for i in range(4)])
    added = client.post(f"/api/projects/{pid}/members/bulk",
                        json={"users": [people[r].user_id for r in ("RE", "AN", "AN2")]})
    assert added.json() == {"assignments": 3, "skipped_user_ids": []}
    return people, pid


def refused(response, needs: str):
    assert response.status_code == 403, (response.request.url, response.text)
    assert needs in response.json()["detail"], response.request.url


def test_each_role_is_refused_what_it_may_not_do(team, client):
    people, pid = team
    an, re_, ma, ad = people["AN"], people["RE"], people["MA"], people["AD"]
    # Annotators label: no configuring, importing, exporting, data manager, storage, models or webhooks.
    for method, path, body in [
            ("POST", "/api/projects", {"title": "Mine"}), ("PATCH", f"/api/projects/{pid}", {"title": "x"}),
            ("DELETE", f"/api/projects/{pid}", None), ("POST", f"/api/projects/{pid}/import", [{"image_path": "/a"}]),
            ("GET", f"/api/projects/{pid}/export", None), ("POST", f"/api/projects/{pid}/exports", {}),
            ("POST", "/api/dm/actions", {"project": pid}), ("POST", "/api/ml", {"project": pid, "url": "http://x"}),
            ("POST", f"/api/projects/{pid}/members", {"user": an.user_id}), ("POST", "/api/predictions", {})]:
        refused(an.request(method, path, json=body), "Managers and above")
    refused(an.get("/api/tasks", params={"project": pid}), "Reviewers and above")
    refused(an.get("/api/dm/views", params={"project": pid}), "Reviewers and above")
    refused(an.post("/api/storages/localfiles", json={"project": pid, "path": "/tmp"}), "Administrators and above")
    refused(an.post("/api/webhooks", json={"url": "http://x"}), "Administrators and above")
    assert an.get("/api/invite").status_code == 403
    # Reviewers also read the data manager, but change nothing there.
    assert re_.get("/api/tasks", params={"project": pid}).json()["total"] == 4
    refused(re_.post("/api/dm/actions", params={"project": pid, "id": "delete_tasks"},
                     json={"selectedItems": {"all": True, "excluded": []}}), "Managers and above")
    refused(re_.post(f"/api/projects/{pid}/import", json=[{"image_path": "/a"}]), "Managers and above")
    # Managers run projects, but storage, webhooks and members are the administrators'.
    assert ma.post(f"/api/projects/{pid}/import", json=[{"image_path": "/b"}]).status_code == 201
    assert ma.get(f"/api/projects/{pid}/export").status_code == 200
    refused(ma.post("/api/storages/localfiles", json={"project": pid, "path": "/tmp"}), "Administrators and above")
    refused(ma.post("/api/webhooks", json={"project": pid, "url": "http://127.0.0.1:9/"}), "Administrators and above")
    assert ma.get("/api/invite").status_code == 403
    assert ad.post("/api/webhooks", json={"project": pid, "url": "http://127.0.0.1:9/"}).status_code == 201
    assert ad.get("/api/invite").status_code == 200
    # Nothing was changed by the refusals.
    assert client.get(f"/api/projects/{pid}").json()["title"] == "Team"
    assert client.get(f"/api/projects/{pid}").json()["task_number"] == 5


def test_whoami_lists_what_the_role_allows(team):
    people, _ = team
    listed = {role: set(people[role].get("/api/current-user/whoami").json()["permissions"])
              for role in ("AN", "RE", "MA", "AD")}
    assert "annotations.create" in listed["AN"] and "projects.create" not in listed["AN"]
    assert "views.view" in listed["RE"] - listed["AN"]
    assert {"projects.create", "tasks.delete", "actions.perform"} <= listed["MA"] - listed["RE"]
    assert {"webhooks.change", "storages.change", "organizations.invite"} <= listed["AD"] - listed["MA"]


def test_annotators_and_reviewers_see_only_the_projects_they_were_added_to(team, client, app):
    people, pid = team
    outsider = member(app, client, "AN", "outsider@example.com")
    other = client.post("/api/projects", json={"title": "Other", "label_config": FLOWERS}).json()["id"]
    assert [p["id"] for p in people["AN"].get("/api/projects").json()["results"]] == [pid]
    assert outsider.get("/api/projects").json()["results"] == []
    refused(outsider.get(f"/api/projects/{pid}"), "not a member of project")
    refused(outsider.get(f"/api/projects/{pid}/next"), "not a member of project")
    refused(people["RE"].get("/api/tasks", params={"project": other}), "not a member of project")
    # Managers and up see every project.
    assert {p["id"] for p in people["MA"].get("/api/projects").json()["results"]} == {pid, other}
    # Added, the outsider works there; removed, no longer.
    client.post(f"/api/projects/{pid}/members", json={"user": outsider.user_id})
    assert outsider.get(f"/api/projects/{pid}/next").status_code == 200
    assert client.delete(f"/api/projects/{pid}/members", params={"user": outsider.user_id}).status_code == 204
    refused(outsider.get(f"/api/projects/{pid}/next"), "not a member of project")
    listed = client.get(f"/api/projects/{pid}/members/paginated").json()
    assert {u["email"] for u in listed["results"] if not u["implicit_member"]} == {
        "re@example.com", "an@example.com", "an2@example.com"}
    assert {u["email"] for u in listed["results"] if u["implicit_member"]} == {
        "admin@example.com", "ad@example.com", "ma@example.com"}


def test_an_annotator_reads_only_their_own_annotations(team, client):
    people, pid = team
    an, an2, re_, ma = people["AN"], people["AN2"], people["RE"], people["MA"]
    task = an.get(f"/api/projects/{pid}/next").json()["id"]
    mine = an.post(f"/api/tasks/{task}/annotations", json={"result": choice("rose")}).json()["id"]
    assert an2.get(f"/api/projects/{pid}/next").json()["id"] == task  # two annotators per task
    theirs = an2.post(f"/api/tasks/{task}/annotations", json={"result": choice("tulip")}).json()["id"]
    # Each sees the task with their own annotation only, by every route.
    assert [a["id"] for a in an.get(f"/api/tasks/{task}").json()["annotations"]] == [mine]
    assert [a["id"] for a in an.get(f"/api/tasks/{task}/annotations").json()] == [mine]
    refused(an.get(f"/api/annotations/{theirs}"), "Reviewers and above")
    refused(an.patch(f"/api/annotations/{theirs}", json={"result": choice("daisy")}), "Managers and above")
    refused(an.delete(f"/api/annotations/{theirs}"), "Managers and above")
    assert an.patch(f"/api/annotations/{mine}", json={"result": choice("daisy")}).status_code == 200
    # A task finished by others is not the annotator's to open.
    other_task = ma.get(f"/api/projects/{pid}/next").json()["id"]
    for c in (ma, people["AD"]):
        c.post(f"/api/tasks/{other_task}/annotations", json={"result": choice("rose")})
    refused(an.get(f"/api/tasks/{other_task}"), "holds none of your work")
    refused(an.post(f"/api/tasks/{other_task}/annotations", json={"result": choice("rose")}), "holds none")
    # Reviewers read everyone's work but change only their own; Managers change any.
    assert {a["id"] for a in re_.get(f"/api/tasks/{task}").json()["annotations"]} == {mine, theirs}
    assert re_.get(f"/api/annotations/{theirs}").json()["result"] == choice("tulip")
    refused(re_.patch(f"/api/annotations/{theirs}", json={"result": choice("daisy")}), "Managers and above")
    assert ma.patch(f"/api/annotations/{theirs}", json={"result": choice("daisy")}).status_code == 200
    assert client.get(f"/api/annotations/{theirs}").json()["result"] == choice("daisy")


def test_the_sdk_manages_project_members_and_roles(team, client):
    pytest.importorskip("label_studio_sdk")
    from label_studio_sdk.client import LabelStudio

    from conftest import TOKEN

    people, pid = team
    sdk = LabelStudio(base_url="http://testserver", api_key=TOKEN, httpx_client=client)
    org = client.get("/api/current-user/whoami").json()["active_organization"]
    newcomer = sdk.users.create(email="new@example.com", username="new")
    assert sdk.projects.members.add(pid, user=newcomer.id).user == newcomer.id
    listed = [u.email for u in sdk.projects.members.paginated.list(pid) if not u.implicit_member]
    assert "new@example.com" in listed
    sdk.projects.members.remove(pid, user=newcomer.id)
    assert "new@example.com" not in [u.email for u in sdk.projects.members.paginated.list(pid)]
    changed = sdk.organizations.members.update(org, user_id=newcomer.id, role="RE")
    assert changed.role == "RE"
    assert {m.user.email: m.role for m in sdk.organizations.members.list(org)}["new@example.com"] == "RE"
