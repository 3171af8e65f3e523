"""Issue 18, agreement and ground truth: scores computed when annotations land, checked against values worked out
by hand here (IoU of known boxes and spans, exact choices, edit distance, rating distance), the data manager's
agreement column, the Enterprise stats routes, and each annotator's accuracy against ground truth."""
import json

import pytest

from labelhive.services import agreement_metrics as metrics
from test_roles import member

CONFIG = """<View>
  <Image name="image" value="$image"/>
  <Choices name="kind" toName="image"><Choice value="rose"/><Choice value="tulip"/></Choices>
  <RectangleLabels name="box" toName="image"><Label value="flower"/><Label value="leaf"/></RectangleLabels>
  <Text name="text" value="$caption"/>
  <Labels name="span" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
</View>"""


def choice(v):
    return {"from_name": "kind", "to_name": "image", "type": "choices", "value": {"choices": [v]}}


def box(x, y, w, h, label="flower"):
    return {"from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 100,
            "original_height": 100, "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0,
                                              "rectanglelabels": [label]}}


def span(start, end, label="PER"):
    return {"from_name": "span", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": "x" * (end - start), "labels": [label]}}


@pytest.fixture
def pair(app, client):
    """Two annotators in a project with choices, boxes and text spans."""
    ann = member(app, client, "AN", "ann@example.com")
    bob = member(app, client, "AN", "bob@example.com")
    pid = client.post("/api/projects", json={"title": "Agree", "label_config": CONFIG,
                                             "maximum_annotations": 2}).json()["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=1", json=[
        {"image": f"/img/{i}.jpg", "caption": "Ada Lovelace met Babbage in London"} for i in range(3)]).json()[
        "task_ids"]
    client.post(f"/api/projects/{pid}/members/bulk", json={"users": [ann.user_id, bob.user_id]})
    return ann, bob, pid, ids


def test_task_agreement_equals_hand_computed_values(pair, client):
    ann, bob, pid, ids = pair
    # Task 1: same choice (1); boxes (10,10,20,20) and (15,10,20,20): overlap 15x20=300 of union 500, IoU 0.6;
    # spans [0,10) and [5,10): IoU 5/10 = 0.5. Mean of the three controls: (1 + 0.6 + 0.5) / 3 = 0.7.
    ann.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("rose"), box(10, 10, 20, 20), span(0, 10)]})
    bob.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("rose"), box(15, 10, 20, 20), span(5, 10)]})
    # Task 2: different choice (0), and two boxes each, one pair matching exactly and one far apart:
    # (1 + 0) / 2 = 0.5 for boxes; spans absent from both. Mean: (0 + 0.5) / 2 = 0.25.
    ann.post(f"/api/tasks/{ids[1]}/annotations", json={"result": [choice("rose"), box(0, 0, 10, 10),
                                                                     box(50, 50, 10, 10)]})
    bob.post(f"/api/tasks/{ids[1]}/annotations", json={"result": [choice("tulip"), box(0, 0, 10, 10),
                                                                     box(80, 80, 10, 10)]})
    # Task 3: one annotator only: no agreement yet.
    ann.post(f"/api/tasks/{ids[2]}/annotations", json={"result": [choice("rose")]})
    tasks = {t["id"]: t for t in client.get("/api/tasks", params={"project": pid}).json()["tasks"]}
    assert tasks[ids[0]]["agreement"] == pytest.approx(0.7)
    assert tasks[ids[1]]["agreement"] == pytest.approx(0.25)
    assert tasks[ids[2]]["agreement"] is None
    # Low-agreement tasks can be filtered and sorted in the data manager, to send them to review.
    query = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:agreement", "operator": "less", "type": "Number", "value": 0.5}]},
        "ordering": ["tasks:agreement"]}
    low = client.get("/api/tasks", params={"project": pid, "query": json.dumps(query)}).json()["tasks"]
    assert [t["id"] for t in low] == [ids[1]]
    # The pair's mean over their two shared tasks, in the Enterprise stats shape.
    iaa = client.get(f"/api/projects/{pid}/stats/IAA").json()
    assert [u["id"] for u in iaa["users"]] == [ann.user_id, bob.user_id]
    assert iaa["IAA"][0][1] == pytest.approx((0.7 + 0.25) / 2) and iaa["common_tasks"][0][1] == 2
    per_annotator = client.get(f"/api/projects/{pid}/stats/agreement_annotators").json()["agreement"]
    assert per_annotator == {str(ann.user_id): pytest.approx(0.475), str(bob.user_id): pytest.approx(0.475)}
    assert client.get(f"/api/projects/{pid}/stats/total_agreement").json()["total_agreement"] == pytest.approx(0.475)
    # Per label: "rose" agreed once of twice; "flower" boxes: 0.6 on task 1, 0.5 on task 2; "PER" 0.5.
    labels = client.get(f"/api/projects/{pid}/stats/IAA", params={"per_label": "true"}).json()["IAA"]
    assert labels["rose"][0][1] == pytest.approx(0.5) and labels["tulip"][0][1] == 0.0
    assert labels["flower"][0][1] == pytest.approx(0.55) and labels["PER"][0][1] == pytest.approx(0.5)
    # A changed annotation is scored again at once.
    mine = bob.get(f"/api/tasks/{ids[1]}/annotations").json()
    bob.patch(f"/api/annotations/{mine[0]['id']}", json={"result": [choice("rose"), box(0, 0, 10, 10),
                                                                     box(50, 50, 10, 10)]})
    assert client.get(f"/api/tasks/{ids[1]}").json()["agreement"] == pytest.approx(1.0)
    # Annotators do not read the team's agreement.
    assert ann.get(f"/api/projects/{pid}/stats/IAA").status_code == 403


def test_accuracy_against_ground_truth(pair, client):
    ann, bob, pid, ids = pair
    ann.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("rose"), box(10, 10, 20, 20)]})
    # Bob: right choice (1), his box (10,10,20,10) covers half of the truth's: IoU 200/400 = 0.5 -> 0.75.
    bob.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("rose"), box(10, 10, 20, 10)]})
    # A manager's answer, marked as ground truth.
    truth = client.post(f"/api/tasks/{ids[0]}/annotations", json={
        "result": [choice("rose"), box(10, 10, 20, 20)], "ground_truth": True}).json()
    assert truth["ground_truth"] is True
    # A task without ground truth does not count.
    ann.post(f"/api/tasks/{ids[1]}/annotations", json={"result": [choice("tulip")]})
    found = client.get(f"/api/projects/{pid}/stats/agreement-groundtruth").json()["agreement"]
    assert found == {str(ann.user_id): pytest.approx(1.0), str(bob.user_id): pytest.approx(0.75)}
    one = client.get(f"/api/projects/{pid}/users/{bob.user_id}/stats/agreement-groundtruth").json()
    assert one["agreement"] == pytest.approx(0.75)


@pytest.mark.parametrize(("a", "b", "expected"), [
    # TextArea: edit distance 1 over 3 characters.
    ([{"from_name": "t", "type": "textarea", "value": {"text": ["cat"]}}],
     [{"from_name": "t", "type": "textarea", "value": {"text": ["cut"]}}], 1 - 1 / 3),
    # Rating 4 against 2 on a 5-star scale: 1 - 2/4.
    ([{"from_name": "r", "type": "rating", "value": {"rating": 4}}],
     [{"from_name": "r", "type": "rating", "value": {"rating": 2}}], 0.5),
    # Key points 3 apart (a 3-4-5 triangle is 5; here 3): 1 - 3/5.
    ([{"from_name": "k", "type": "keypointlabels", "value": {"x": 10, "y": 10, "keypointlabels": ["eye"]}}],
     [{"from_name": "k", "type": "keypointlabels", "value": {"x": 13, "y": 10, "keypointlabels": ["eye"]}}], 0.4),
    # Audio segments [0, 4) and [2, 6) seconds: IoU 2/6, under the 0.5 threshold, so no match; [1, 4): 3/4.
    ([{"from_name": "a", "type": "labels", "value": {"start": 0, "end": 4, "labels": ["speech"]}}],
     [{"from_name": "a", "type": "labels", "value": {"start": 2, "end": 6, "labels": ["speech"]}}], 0.0),
    ([{"from_name": "a", "type": "labels", "value": {"start": 0, "end": 4, "labels": ["speech"]}}],
     [{"from_name": "a", "type": "labels", "value": {"start": 1, "end": 4, "labels": ["speech"]}}], 0.75),
    # Boxes that overlap fully but carry different labels do not match.
    ([box(0, 0, 10, 10, "leaf")], [box(0, 0, 10, 10, "flower")], 0.0),
    # Taxonomy paths compared whole.
    ([{"from_name": "x", "type": "taxonomy", "value": {"taxonomy": [["Plant", "Rose"]]}}],
     [{"from_name": "x", "type": "taxonomy", "value": {"taxonomy": [["Plant", "Rose"]]}}], 1.0),
])
def test_each_method_per_tag(a, b, expected):
    score, _ = metrics.compare(a, b, {"maxrating": "5"})
    assert score == pytest.approx(expected, abs=1e-6)


def test_polygons_and_ellipses_are_rasterised():
    square = [[10, 10], [30, 10], [30, 30], [10, 30]]
    half = [[10, 10], [20, 10], [20, 30], [10, 30]]
    a = [{"from_name": "p", "type": "polygonlabels", "value": {"points": square, "polygonlabels": ["x"]}}]
    b = [{"from_name": "p", "type": "polygonlabels", "value": {"points": half, "polygonlabels": ["x"]}}]
    assert metrics.compare(a, b)[0] == pytest.approx(0.5, abs=0.03)
    e = [{"from_name": "e", "type": "ellipselabels", "value": {"x": 50, "y": 50, "radiusX": 10, "radiusY": 10,
                                                                "ellipselabels": ["x"]}}]
    assert metrics.compare(e, e)[0] == pytest.approx(1.0)


def test_the_sdk_reads_agreement(pair, client):
    pytest.importorskip("label_studio_sdk")
    from label_studio_sdk.client import LabelStudio

    from conftest import TOKEN

    ann, bob, pid, ids = pair
    ann.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("rose")]})
    bob.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("rose")]})
    sdk = LabelStudio(base_url="http://testserver", api_key=TOKEN, httpx_client=client)
    iaa = sdk.projects.stats.iaa(pid)
    assert iaa.iaa == [[1.0, 1.0], [1.0, 1.0]] and [u["id"] for u in iaa.users] == [ann.user_id, bob.user_id]
    assert sdk.projects.stats.agreement_annotators(pid, ids=f"{ann.user_id},{bob.user_id}").agreement == {
        str(ann.user_id): 1.0, str(bob.user_id): 1.0}
    assert sdk.projects.stats.agreement_annotators(pid, ids=str(bob.user_id)).agreement == {str(bob.user_id): 1.0}
    assert sdk.projects.stats.agreement_annotator(pid, bob.user_id).agreement_per_annotator == 1.0


def test_honeypots_are_mixed_in_unmarked_and_measure_accuracy(pair, client):
    ann, bob, pid, ids = pair
    extra = client.post(f"/api/projects/{pid}/import?return_task_ids=1", json=[
        {"image": f"/img/x{i}.jpg", "caption": "x"} for i in range(3)]).json()["task_ids"]
    for t in ids[:2]:  # two ground-truth tasks, answered by a manager
        client.post(f"/api/tasks/{t}/annotations", json={"result": [choice("rose")], "ground_truth": True})
    assert client.patch(f"/api/projects/{pid}", json={"honeypot_percentage": 100}).json()[
        "annotator_evaluation_enabled"] is True
    served = []
    for _ in range(2):
        task = ann.get(f"/api/projects/{pid}/next").json()
        # Not marked: the annotator sees no annotation of the task, ground truth included.
        assert task["annotations"] == [] and task["id"] in ids[:2]
        served.append(task["id"])
        ann.post(f"/api/tasks/{task['id']}/annotations", json={"result": [choice("rose" if not served[1:] else
                                                                                   "tulip")]})
    assert sorted(served) == sorted(ids[:2])
    # Honeypots used up: the stream goes on with the tasks left to label.
    assert ann.get(f"/api/projects/{pid}/next").json()["id"] in (ids[2], *extra)
    found = client.get(f"/api/projects/{pid}/stats/agreement-groundtruth").json()["agreement"]
    assert found == {str(ann.user_id): pytest.approx(0.5)}  # one right, one wrong
    assert client.patch(f"/api/projects/{pid}", json={"honeypot_percentage": 101}).status_code == 400


def test_a_project_may_let_annotators_see_each_others_work(pair, client):
    ann, bob, pid, ids = pair
    ann.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("rose")]})
    theirs = bob.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("tulip")]}).json()["id"]
    assert ann.get(f"/api/annotations/{theirs}").status_code == 403
    client.patch(f"/api/projects/{pid}", json={"annotators_see_others": True})
    assert len(ann.get(f"/api/tasks/{ids[0]}").json()["annotations"]) == 2
    assert ann.get(f"/api/annotations/{theirs}").json()["result"] == [choice("tulip")]
    assert ann.patch(f"/api/annotations/{theirs}", json={"result": [choice("rose")]}).status_code == 403
