"""Issue 18, review: Reviewers accept, reject with a comment (the task goes back to its author first in their
stream) or fix and accept annotations; the state shows in the data manager and in JSON exports."""
import json

import pytest

from conftest import FLOWERS, TOKEN
from test_roles import choice, member, refused


@pytest.fixture
def studio(app, client):
    """Two annotators who each labeled the first two tasks of four, and a reviewer."""
    people = {name: member(app, client, role, f"{name}@example.com")
              for name, role in (("ann", "AN"), ("bob", "AN"), ("rev", "RE"))}
    pid = client.post("/api/projects", json={"title": "Review", "label_config": FLOWERS,
                                             "maximum_annotations": 2}).json()["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=1",
                      json=[{"image_path": f"/img/{i}.jpg"} for i in range(4)]).json()["task_ids"]
    client.post(f"/api/projects/{pid}/members/bulk", json={"users": [p.user_id for p in people.values()]})
    made = {}
    for name, label in (("ann", "rose"), ("bob", "tulip")):
        for task in ids[:2]:
            r = people[name].post(f"/api/tasks/{task}/annotations", json={"result": choice(label)})
            made[(name, task)] = r.json()["id"]
    return people, pid, ids, made


def review(c, annotation, **body):
    return c.post("/api/annotation-reviews", json={"annotation": annotation, **body})


def test_a_rejection_goes_back_to_its_author_who_fixes_it(studio, client):
    people, pid, ids, made = studio
    ann, rev = people["ann"], people["rev"]
    # The review stream serves annotations waiting for a review, in task order.
    first = rev.get(f"/api/projects/{pid}/review/next").json()
    assert first["id"] == ids[0] and first["review"] == {"annotation": made[("ann", ids[0])], "waiting": 4}
    assert {a["id"] for a in first["annotations"]} == {made[("ann", ids[0])], made[("bob", ids[0])]}
    r = review(rev, made[("ann", ids[0])], accepted=False, comment="The flower is a tulip.")
    assert r.status_code == 201 and r.json()["accepted"] is False and r.json()["reject_action"] == "requeue"
    assert rev.get(f"/api/projects/{pid}/review/next").json()["review"]["annotation"] == made[("bob", ids[0])]
    # The author is served that task first, told why, though tasks 3 and 4 are new.
    back = ann.get(f"/api/projects/{pid}/next").json()
    assert back["id"] == ids[0] and back["queue"] == "Fix queue"
    assert back["fix"] == {"annotation": made[("ann", ids[0])], "comments": ["The flower is a tulip."]}
    assert [a["review_state"] for a in back["annotations"]] == ["rejected"]
    comments = ann.get("/api/comments", params={"annotation": made[("ann", ids[0])]}).json()
    assert [(c["text"], c["created_by"]) for c in comments] == [("The flower is a tulip.", rev.user_id)]
    # Fixed, it leaves the author's stream and waits for a review again.
    ann.patch(f"/api/annotations/{made[('ann', ids[0])]}", json={"result": choice("tulip")})
    assert ann.get(f"/api/projects/{pid}/next").json()["id"] == ids[2]
    waiting = []
    while (nxt := rev.get(f"/api/projects/{pid}/review/next")).status_code == 200:
        waiting.append(nxt.json()["review"]["annotation"])
        review(rev, waiting[-1], accepted=True)
    assert waiting == [made[("ann", ids[0])], made[("bob", ids[0])], made[("ann", ids[1])], made[("bob", ids[1])]]
    assert nxt.status_code == 404
    history = rev.get("/api/annotation-reviews", params={"annotation": made[("ann", ids[0])]}).json()
    assert [h["accepted"] for h in history] == [False, True]


def test_fix_and_accept_keeps_the_original_and_exports_the_reviews(studio, client):
    people, pid, ids, made = studio
    rev = people["rev"]
    target = made[("bob", ids[1])]
    r = review(rev, target, accepted=True, result=choice("daisy"))
    assert r.json()["previous_result"] == choice("tulip") and r.json()["result"] == choice("daisy")
    assert client.get(f"/api/annotations/{target}").json()["result"] == choice("daisy")
    review(rev, made[("ann", ids[1])], accepted=False, comment="Look again.")
    exported = {t["id"]: t for t in client.get(f"/api/projects/{pid}/export", params={"exportType": "JSON"}).json()}
    by_id = {a["id"]: a for a in exported[ids[1]]["annotations"]}
    assert [(x["accepted"], x["created_by"], x["previous_result"]) for x in by_id[target]["reviews"]] == [
        (True, rev.user_id, choice("tulip"))]
    assert [x["accepted"] for x in by_id[made[("ann", ids[1])]]["reviews"]] == [False]
    assert "reviews" not in exported[ids[0]]["annotations"][0]  # never reviewed
    # The data manager counts and filters review outcomes.
    tasks = {t["id"]: t for t in client.get("/api/tasks", params={"project": pid}).json()["tasks"]}
    assert (tasks[ids[1]]["reviews_accepted"], tasks[ids[1]]["reviews_rejected"]) == (1, 1)
    assert (tasks[ids[0]]["reviews_accepted"], tasks[ids[0]]["reviews_rejected"]) == (0, 0)
    query = {"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:reviews_rejected",
                                                          "operator": "greater", "type": "Number", "value": 0}]}}
    found = client.get("/api/tasks", params={"project": pid, "query": json.dumps(query)}).json()["tasks"]
    assert [t["id"] for t in found] == [ids[1]]


def test_who_may_review_and_read_comments(studio, client):
    people, pid, ids, made = studio
    ann, bob, rev = people["ann"], people["bob"], people["rev"]
    refused(review(ann, made[("bob", ids[0])], accepted=True), "Reviewers and above")
    r = review(rev, made[("ann", ids[0])], accepted=False)
    assert r.status_code == 400 and "comment" in r.json()["validation_errors"]
    assert review(rev, made[("ann", ids[0])], accepted="maybe").status_code == 400
    assert review(rev, made[("ann", ids[0])], accepted=False, result=choice("rose")).status_code == 400
    # A reviewer who also labeled does not review their own work.
    own = rev.post(f"/api/tasks/{ids[2]}/annotations", json={"result": choice("rose")}).json()["id"]
    refused(review(rev, own, accepted=True), "your own annotation")
    review(rev, made[("ann", ids[0])], accepted=False, comment="Again, please.")
    # The comment is for the author (and reviewers), not for other annotators.
    refused(bob.get("/api/comments", params={"annotation": made[("ann", ids[0])]}), "Reviewers and above")
    reply = ann.post("/api/comments", json={"annotation": made[("ann", ids[0])], "text": "Fixed it."})
    assert reply.status_code == 201
    resolved = rev.patch(f"/api/comments/{reply.json()['id']}", json={"is_resolved": True}).json()
    assert resolved["is_resolved"] is True and resolved["resolved_at"]
    refused(rev.patch(f"/api/comments/{reply.json()['id']}", json={"text": "changed"}), "author")
    assert client.get("/api/comments", params={"projects": str(pid)}).json()[-1]["text"] == "Fixed it."


def test_the_sdk_reviews_and_comments(studio, client):
    pytest.importorskip("label_studio_sdk")
    from label_studio_sdk.client import LabelStudio

    people, pid, ids, made = studio
    sdk = LabelStudio(base_url="http://testserver", api_key=TOKEN, httpx_client=client)
    done = sdk.annotation_reviews.create(annotation=made[("ann", ids[0])], accepted=False, comment="Wrong flower")
    assert (done.annotation, done.accepted) == (made[("ann", ids[0])], False)
    assert [r.id for r in sdk.annotation_reviews.list(annotation_task_project=pid)] == [done.id]
    assert sdk.annotation_reviews.get(done.id).created_by == client.get("/api/current-user/whoami").json()["id"]
    assert [c.text for c in sdk.comments.list(annotation=made[("ann", ids[0])])] == ["Wrong flower"]
    sdk.annotation_reviews.delete(done.id)
    assert client.get(f"/api/annotations/{made[('ann', ids[0])]}").json()["review_state"] is None
