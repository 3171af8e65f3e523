"""Issue 18, task distribution: tasks assigned to members from a data-manager selection (Label Studio Enterprise's
/api/projects/{id}/tasks/assignees), the labeling stream serving them, and assignee columns and filters."""
import json

import pytest

from conftest import FLOWERS, TOKEN
from test_roles import choice, member, refused


@pytest.fixture
def crew(app, client):
    """Two annotators and a reviewer (none added to the project: assigning adds them), and 6 tasks."""
    people = {name: member(app, client, role, f"{name}@example.com")
              for name, role in (("ann", "AN"), ("bob", "AN"), ("rev", "RE"))}
    pid = client.post("/api/projects", json={"title": "Crew", "label_config": FLOWERS}).json()["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=1",
                      json=[{"image_path": f"/img/{i}.jpg", "batch": i % 2} for i in range(6)]).json()["task_ids"]
    return people, pid, ids


def assign(client, pid, selected: dict, kind: str, users: list[int], filters=None):
    return client.post(f"/api/projects/{pid}/tasks/assignees",
                       json={"selectedItems": selected, "filters": filters, "type": kind, "users": users})


def test_assigning_a_selection_and_a_filtered_view(crew, client):
    people, pid, ids = crew
    ann, bob, rev = people["ann"], people["bob"], people["rev"]
    r = assign(client, pid, {"all": False, "included": ids[:2]}, "AN", [ann.user_id])
    assert r.status_code == 200 and r.json() == {"assignments": 2, "task_ids": ids[:2]}
    # Every task of a filtered view (batch 1) to two people at once; assigning again adds nothing.
    batch = {"conjunction": "and", "items": [{"filter": "filter:tasks:data.batch", "operator": "equal",
                                               "type": "Number", "value": 1}]}
    r = assign(client, pid, {"all": True, "excluded": []}, "AN", [bob.user_id, ann.user_id], batch)
    assert r.json()["task_ids"] == ids[1::2] and r.json()["assignments"] == 5  # ann already had ids[1]
    assert assign(client, pid, {"all": False, "included": ids[:2]}, "AN", [ann.user_id]).json()["assignments"] == 0
    assign(client, pid, {"all": False, "included": [ids[0]]}, "RE", [rev.user_id])
    # Assigning made them members of the project.
    assert [p["id"] for p in ann.get("/api/projects").json()["results"]] == [pid]
    # The data manager shows and filters assignees.
    page = client.get("/api/tasks", params={"project": pid}).json()["tasks"]
    by_id = {t["id"]: t for t in page}
    assert by_id[ids[0]]["assignees"] == [ann.user_id] and by_id[ids[0]]["review_assignees"] == [rev.user_id]
    assert by_id[ids[3]]["assignees"] == [bob.user_id, ann.user_id] and by_id[ids[2]]["assignees"] == []
    query = {"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:assignees", "operator": "equal",
                                                          "type": "List", "value": bob.user_id}]}}
    found = client.get("/api/tasks", params={"project": pid, "query": json.dumps(query)}).json()["tasks"]
    assert [t["id"] for t in found] == ids[1::2]
    query["filters"]["items"][0].update(operator="empty", value=True)
    found = client.get("/api/tasks", params={"project": pid, "query": json.dumps(query)}).json()["tasks"]
    assert [t["id"] for t in found] == [ids[2], ids[4]]
    # Per task: listed, replaced, taken back.
    listed = client.get(f"/api/projects/{pid}/tasks/{ids[3]}/assignees").json()
    assert [(a["assignee"], a["type"], a["task"]) for a in listed] == [(bob.user_id, "AN", ids[3]),
                                                                        (ann.user_id, "AN", ids[3])]
    client.patch(f"/api/projects/{pid}/tasks/{ids[3]}/assignees", json={"type": "AN", "users": [ann.user_id]})
    assert [a["assignee"] for a in client.get(f"/api/projects/{pid}/tasks/{ids[3]}/assignees").json()] == [
        ann.user_id]
    r = client.delete(f"/api/projects/{pid}/tasks/{ids[3]}/assignees", params={"type": "AN"})
    assert r.status_code == 204 and client.get(f"/api/projects/{pid}/tasks/{ids[3]}/assignees").json() == []


def test_bad_assignments_are_refused_and_only_managers_assign(crew, client, app):
    people, pid, ids = crew
    ann = people["ann"]
    everything = {"all": True, "excluded": []}
    r = assign(client, pid, everything, "XX", [ann.user_id])
    assert r.status_code == 400 and "type" in r.json()["validation_errors"]
    r = assign(client, pid, everything, "AN", [999999])
    assert r.status_code == 400 and "999999" in r.json()["validation_errors"]["users"][0]
    assert client.post(f"/api/projects/{pid}/tasks/assignees", json={"type": "AN", "users": []}).status_code == 400
    refused(assign(ann, pid, everything, "AN", [ann.user_id]), "Managers and above")
    refused(people["rev"].post(f"/api/projects/{pid}/tasks/{ids[0]}/assignees",
                               json={"type": "AN", "users": [ann.user_id]}), "Managers and above")
    assert client.get(f"/api/tasks/{ids[0]}").json()["assignees"] == []  # nothing was half-made


def test_assigned_only_serves_each_annotator_their_tasks(crew, client):
    people, pid, ids = crew
    ann, bob = people["ann"], people["bob"]
    assign(client, pid, {"all": False, "included": [ids[4], ids[1]]}, "AN", [ann.user_id])
    assign(client, pid, {"all": False, "included": [ids[2]]}, "AN", [bob.user_id])
    r = client.patch(f"/api/projects/{pid}", json={"assignment_settings": {
        "label_stream_task_distribution": "assigned_only"}})
    assert r.json()["assignment_settings"]["label_stream_task_distribution"] == "assigned_only"
    served = []
    while (nxt := ann.get(f"/api/projects/{pid}/next")).status_code == 200:
        served.append(nxt.json()["id"])
        ann.post(f"/api/tasks/{served[-1]}/annotations", json={"result": choice("rose")})
    assert served == [ids[1], ids[4]] and nxt.status_code == 404
    # A task not given to the annotator is not theirs to open, even while nobody has labeled it.
    refused(ann.get(f"/api/tasks/{ids[2]}"), "not assigned to you")
    assert bob.get(f"/api/tasks/{ids[2]}").status_code == 200
    assert bob.get(f"/api/projects/{pid}/next").json()["id"] == ids[2]
    # Managers label anything still.
    assert client.get(f"/api/projects/{pid}/next").json()["id"] == ids[0]
    bad = client.patch(f"/api/projects/{pid}", json={"assignment_settings": {"label_stream_task_distribution": "x"}})
    assert bad.status_code == 400 and "assigned_only" in bad.json()["validation_errors"]["assignment_settings"][0]


def test_auto_distribution_serves_own_assignments_first_and_skips_others(crew, client):
    people, pid, ids = crew
    ann, bob = people["ann"], people["bob"]
    assign(client, pid, {"all": False, "included": [ids[3]]}, "AN", [ann.user_id])
    assign(client, pid, {"all": False, "included": [ids[0], ids[1]]}, "AN", [bob.user_id])
    client.post(f"/api/projects/{pid}/members", json={"user": ann.user_id})
    served = []
    while (nxt := ann.get(f"/api/projects/{pid}/next")).status_code == 200:
        served.append(nxt.json()["id"])
        ann.post(f"/api/tasks/{served[-1]}/annotations", json={"result": choice("rose")})
    # Her own first, then every task not given to somebody else, in order.
    assert served == [ids[3], ids[2], ids[4], ids[5]]
    assert bob.get(f"/api/projects/{pid}/next").json()["id"] == ids[0]


def test_the_sdk_assigns_tasks(crew, client):
    pytest.importorskip("label_studio_sdk")
    from label_studio_sdk.client import LabelStudio

    people, pid, ids = crew
    sdk = LabelStudio(base_url="http://testserver", api_key=TOKEN, httpx_client=client)
    made = sdk.projects.assignments.bulk_assign(pid, selected_items={"all": False, "included": ids[:3]}, type="AN",
                                                users=[people["ann"].user_id])
    assert made.assignments == 3
    one = sdk.projects.assignments.assign(pid, ids[5], type="RE", users=[people["rev"].user_id])
    assert (one.assignee, one.task, one.type) == (people["rev"].user_id, ids[5], "RE")
    listed = sdk.projects.assignments.list(pid, ids[0])
    assert [(a.assignee, a.type) for a in listed] == [(people["ann"].user_id, "AN")]
    sdk.projects.assignments.delete(pid, ids[0], type="AN")
    assert sdk.projects.assignments.list(pid, ids[0]) == []
