"""Issue 18's team scenario, end to end over the API: the owner invites two annotators and a reviewer through
role links; 20 tasks, two annotators on half of them; both label through /next; the reviewer rejects one
annotation, which comes back to its author first; agreement and accuracy equal the values worked out here by hand
for known boxes, choices and spans."""
import pytest
from fastapi.testclient import TestClient

from test_agreement import CONFIG, box, choice, span
from test_security_accounts import login, sign_up

# Bob's answer on odd tasks differs from Ann's: other choice (0), box (15,10,20,20) against (10,10,20,20) (IoU
# 300/500 = 0.6), span [5,10) against [0,10) (IoU 0.5): (0 + 0.6 + 0.5) / 3. On even tasks they agree (1).
ANN = [choice("rose"), box(10, 10, 20, 20), span(0, 10)]
BOB_ODD = [choice("tulip"), box(15, 10, 20, 20), span(5, 10)]
DIFFERS = (0 + 0.6 + 0.5) / 3


def joined(app, client, role: str, email: str) -> TestClient:
    """A member who signed up through the owner's invite link for `role`, with their own session."""
    link = client.get("/api/invite", params={"role": role}).json()
    assert link["role"] == role
    browser = TestClient(app)
    assert sign_up(browser, link["invite_url"], email).status_code == 302
    browser.headers["X-CSRFToken"] = browser.cookies["csrftoken"]
    me = browser.get("/api/current-user/whoami").json()
    assert (me["email"], me["role"]) == (email, role)
    browser.user_id = me["id"]
    return browser


def test_a_team_labels_reviews_and_is_measured(app, client):
    ann = joined(app, client, "AN", "ann@example.com")
    bob = joined(app, client, "AN", "bob@example.com")
    rev = joined(app, client, "RE", "rev@example.com")
    pid = client.post("/api/projects", json={"title": "Team", "label_config": CONFIG, "maximum_annotations": 2,
                                             "overlap_cohort_percentage": 50}).json()["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=1", json=[
        {"image": f"/img/{i}.jpg", "caption": "Ada Lovelace met Babbage in London"} for i in range(20)]).json()[
        "task_ids"]
    client.post(f"/api/projects/{pid}/members/bulk", json={"users": [ann.user_id, bob.user_id, rev.user_id]})
    overlap = {t["id"]: t["overlap"] for t in client.get("/api/tasks", params={"project": pid, "page_size": 50})
               .json()["tasks"]}
    assert sorted(overlap.values()) == [1] * 10 + [2] * 10

    # Both label through the stream, taking turns, until it has nothing left for either.
    done = {ann.user_id: [], bob.user_id: []}
    active = [ann, bob]
    while active:
        for person in list(active):
            nxt = person.get(f"/api/projects/{pid}/next")
            if nxt.status_code == 404:
                active.remove(person)
                continue
            task = nxt.json()["id"]
            assert task not in done[person.user_id], "a task was served twice to one annotator"
            odd = ids.index(task) % 2 == 1
            result = BOB_ODD if person is bob and odd else ANN
            assert person.post(f"/api/tasks/{task}/annotations", json={"result": result}).status_code == 201
            done[person.user_id].append(task)
    # Every task got its number of annotators, no more.
    tasks = {t["id"]: t for t in client.get("/api/tasks", params={"project": pid, "page_size": 50})
             .json()["tasks"]}
    assert all(t["total_annotations"] == overlap[t["id"]] and t["is_labeled"] for t in tasks.values())
    shared = [t for t in ids if overlap[t] == 2]
    assert sorted(set(done[ann.user_id]) & set(done[bob.user_id])) == sorted(shared)

    # Agreement, by hand: 1 where they agree (even tasks), DIFFERS where Bob differs (odd ones).
    expected = {t: (DIFFERS if ids.index(t) % 2 else 1.0) for t in shared}
    for t in ids:
        assert tasks[t]["agreement"] == (pytest.approx(expected[t]) if t in expected else None)
    mean = sum(expected.values()) / len(expected)
    iaa = client.get(f"/api/projects/{pid}/stats/IAA").json()
    assert [u["id"] for u in iaa["users"]] == [ann.user_id, bob.user_id]
    assert iaa["IAA"][0][1] == pytest.approx(mean) and iaa["common_tasks"][0][1] == len(shared)
    assert client.get(f"/api/projects/{pid}/stats/total_agreement").json()["total_agreement"] == pytest.approx(mean)

    # The reviewer rejects Bob's answer on the first task where he differs; it comes back to him first.
    target = next(t for t in shared if ids.index(t) % 2)
    bobs = next(a for a in bob.get(f"/api/tasks/{target}/annotations").json())
    seen = []
    while (item := rev.get(f"/api/projects/{pid}/review/next", params={"exclude": ",".join(map(str, seen))})
           ).status_code == 200 and item.json()["review"]["annotation"] != bobs["id"]:
        seen.append(item.json()["review"]["annotation"])
    assert item.status_code == 200
    rejected = rev.post("/api/annotation-reviews", json={"annotation": bobs["id"], "accepted": False,
                                                         "comment": "It is a rose; fit the box to it."})
    assert rejected.status_code == 201
    fix = bob.get(f"/api/projects/{pid}/next").json()
    assert fix["id"] == target and fix["fix"]["comments"] == ["It is a rose; fit the box to it."]
    bob.patch(f"/api/annotations/{bobs['id']}", json={"result": ANN})
    assert bob.get(f"/api/projects/{pid}/next").status_code == 404
    assert client.get(f"/api/tasks/{target}").json()["agreement"] == pytest.approx(1.0)
    expected[target] = 1.0

    # Ground truth on the first two shared tasks (one where Bob still differs, one where they agree): Ann's
    # answer. Ann's accuracy is 1; Bob's the mean of his agreement with it there.
    truth_tasks = [next(t for t in shared if ids.index(t) % 2 and t != target), shared[0]]
    for t in truth_tasks:
        assert client.post(f"/api/tasks/{t}/annotations", json={"result": ANN, "ground_truth": True}).status_code \
            == 201
    accuracy = client.get(f"/api/projects/{pid}/stats/agreement-groundtruth").json()["agreement"]
    assert accuracy[str(ann.user_id)] == pytest.approx(1.0)
    assert accuracy[str(bob.user_id)] == pytest.approx(sum(expected[t] for t in truth_tasks) / 2)
    # The annotators see none of this; the owner's login still works alongside.
    assert ann.get(f"/api/projects/{pid}/stats/agreement-groundtruth").status_code == 403
    assert login(TestClient(app)).status_code == 302
