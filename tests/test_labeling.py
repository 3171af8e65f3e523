"""The labeling stream (/api/projects/{id}/next) and drafts (/api/tasks/{id}/drafts, /api/drafts/{id})."""
import json

from conftest import TOKEN


def choice(label):
    return [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": [label]}}]


def import_flowers(client, project, n=5):
    items = [{"data": {"image_path": f"/img/{i}.jpg", "cluster": i % 2},
              "predictions": [{"result": choice("rose"), "score": (i * 7 % 5) / 10}]} for i in range(n)]
    return client.post(f"/api/projects/{project['id']}/import?return_task_ids=1", json=items).json()["task_ids"]


def test_next_follows_the_order_and_skips_what_is_done(client, project):
    ids = import_flowers(client, project)
    pid = project["id"]
    first = client.get(f"/api/projects/{pid}/next").json()
    assert first["id"] == ids[0] and first["predictions"][0]["result"] == choice("rose")
    assert client.get(f"/api/projects/{pid}/next?exclude={ids[0]}").json()["id"] == ids[1]
    client.post(f"/api/tasks/{ids[0]}/annotations", json={"result": choice("daisy")})
    client.post(f"/api/tasks/{ids[1]}/annotations?was_cancelled=1", json={"result": []})
    assert client.get(f"/api/projects/{pid}/next").json()["id"] == ids[2]
    query = json.dumps({"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:data.cluster", "operator": "equal", "type": "Number", "value": 1}]},
        "ordering": ["-tasks:id"]})
    assert client.get(f"/api/projects/{pid}/next", params={"query": query}).json()["id"] == ids[3]
    view = client.post("/api/dm/views", json={"project": pid, "data": {"ordering": ["-tasks:id"]}}).json()
    assert client.get(f"/api/projects/{pid}/next?view={view['id']}").json()["id"] == ids[4]
    lowest = client.get(f"/api/projects/{pid}/next?active_learning=1").json()
    assert lowest["predictions"][0]["score"] == min(
        p["score"] for t in ids[2:] for p in client.get(f"/api/tasks/{t}").json()["predictions"])
    for t in ids[2:]:
        client.post(f"/api/tasks/{t}/annotations", json={"result": choice("tulip")})
    done = client.get(f"/api/projects/{pid}/next")
    assert done.status_code == 404 and done.json()["detail"] == "No more tasks to label"


def test_drafts_are_private_and_removed_on_submit(client, anon, project):
    (tid,) = import_flowers(client, project, 1)
    draft = client.post(f"/api/tasks/{tid}/drafts", json={"result": choice("rose"), "lead_time": 2.5})
    assert draft.status_code == 201
    did = draft.json()["id"]
    assert client.patch(f"/api/drafts/{did}", json={"result": choice("tulip")}).json()["result"] == choice("tulip")
    assert [d["id"] for d in client.get(f"/api/tasks/{tid}").json()["drafts"]] == [did]
    other = client.post("/api/users", json={"email": "b@example.com", "password": "bbbbbbbb"}).json()
    assert client.post(f"/api/projects/{project['id']}/members", json={"user": other["id"]}).status_code == 201
    from labelhive import auth
    from labelhive.models import User

    with anon.app.state.sessions() as session:
        key = auth.user_token(session, session.get(User, other["id"])).key
        session.commit()
    as_b = {"Authorization": f"Token {key}"}
    assert anon.get(f"/api/tasks/{tid}", headers=as_b).json()["drafts"] == []
    assert anon.get(f"/api/drafts/{did}", headers=as_b).status_code == 403
    assert client.post(f"/api/tasks/{tid}/drafts", json={"result": "nope"}).status_code == 400
    client.post(f"/api/tasks/{tid}/annotations", json={"result": choice("tulip"), "draft_id": did})
    assert client.get(f"/api/tasks/{tid}").json()["drafts"] == []
    assert client.get(f"/api/drafts/{did}", headers={"Authorization": f"Token {TOKEN}"}).status_code == 404


def test_updating_an_annotation_removes_the_draft_it_came_from(client, project):
    (tid,) = import_flowers(client, project, 1)
    ann = client.post(f"/api/tasks/{tid}/annotations", json={"result": choice("rose")}).json()
    did = client.post(f"/api/tasks/{tid}/drafts", json={"result": choice("tulip")}).json()["id"]
    updated = client.patch(f"/api/annotations/{ann['id']}", json={"result": choice("tulip"), "draft_id": did})
    assert updated.json()["result"] == choice("tulip")
    assert client.get(f"/api/tasks/{tid}").json()["drafts"] == []


def test_remaining_counts_what_the_stream_has_left(client, project, monkeypatch):
    ids = import_flowers(client, project, n=6)
    pid = project["id"]

    def left(**params):
        r = client.get(f"/api/projects/{pid}/next/remaining", params=params)
        assert r.status_code == 200, r.text
        return r.json()

    assert left() == {"remaining": 6, "more": False}
    client.post(f"/api/tasks/{ids[0]}/annotations", json={"result": choice("daisy")})
    client.post(f"/api/tasks/{ids[1]}/annotations?was_cancelled=1", json={"result": []})
    assert left() == {"remaining": 4, "more": False}
    # The same filter as the stream's: cluster 1 is ids 1, 3, 5, of which 1 is skipped.
    query = json.dumps({"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:data.cluster", "operator": "equal", "type": "Number", "value": 1}]}})
    assert left(query=query)["remaining"] == 2
    view = client.post("/api/dm/views", json={"project": pid, "data": {"filters": json.loads(query)["filters"]}})
    assert left(view=view.json()["id"])["remaining"] == 2
    import labelhive.services.labeling as labeling

    monkeypatch.setattr(labeling, "REMAINING_CAP", 3)
    assert left() == {"remaining": 3, "more": True}
    monkeypatch.undo()
    for t in ids[2:]:
        client.post(f"/api/tasks/{t}/annotations", json={"result": choice("tulip")})
    assert left() == {"remaining": 0, "more": False}
    assert client.get(f"/api/projects/{pid}/next").status_code == 404


def test_uniform_sampling_hands_out_tasks_left_in_random_order(client, project):
    ids = import_flowers(client, project, n=30)
    pid = project["id"]
    assert client.patch(f"/api/projects/{pid}", json={"sampling": "Uniform sampling"}).json()["sampling"] == \
        "Uniform sampling"
    client.post(f"/api/tasks/{ids[0]}/annotations", json={"result": choice("daisy")})
    seen = [client.get(f"/api/projects/{pid}/next").json()["id"] for _ in range(12)]
    assert set(seen) <= set(ids[1:])
    # Sequential would give ids[1] twelve times; twelve equal random picks out of 29 is (1/29)**11.
    assert len(set(seen)) > 1
    bad = client.patch(f"/api/projects/{pid}", json={"sampling": "Random"})
    assert bad.status_code == 400 and "Uniform sampling" in bad.text and "'Random'" in bad.text
    client.patch(f"/api/projects/{pid}", json={"sampling": "Sequential sampling"})
    assert {client.get(f"/api/projects/{pid}/next").json()["id"] for _ in range(3)} == {ids[1]}
