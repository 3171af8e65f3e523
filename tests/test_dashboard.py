"""Issue 18, the dashboard's numbers (GET /api/projects/{id}/dashboard and its CSV tables), checked against values
worked out here: per-annotator throughput and median lead time, label counts, review outcomes, progress."""
import csv
import io

import pytest

from test_agreement import CONFIG, box, choice, pair  # noqa: F401  (the fixture)


def test_dashboard_numbers(pair, client):
    ann, bob, pid, ids = pair
    # Ann: three tasks, 10 s, 20 s and 60 s: median 20 s, 3 tasks in 90 s = 120 tasks per hour.
    for task, seconds in zip(ids, (10, 20, 60)):
        ann.post(f"/api/tasks/{task}/annotations", json={"result": [choice("rose")], "lead_time": seconds})
    # Bob: one task in 30 s (120 per hour), a skip, and two boxes labeled flower and leaf.
    made = bob.post(f"/api/tasks/{ids[0]}/annotations", json={
        "result": [choice("tulip"), box(0, 0, 5, 5), box(50, 50, 5, 5, "leaf")], "lead_time": 30}).json()["id"]
    bob.post(f"/api/tasks/{ids[1]}/annotations?was_cancelled=1", json={"result": [], "lead_time": 2})
    client.post("/api/annotation-reviews", json={"annotation": made, "accepted": False, "comment": "No"})
    dash = client.get(f"/api/projects/{pid}/dashboard").json()
    rows = {r["email"]: r for r in dash["annotators"]}
    assert (rows["ann@example.com"]["annotations"], rows["ann@example.com"]["median_lead_time"],
            rows["ann@example.com"]["tasks_per_hour"]) == (3, 20, 120)
    assert (rows["bob@example.com"]["annotations"], rows["bob@example.com"]["skipped"],
            rows["bob@example.com"]["tasks_per_hour"], rows["bob@example.com"]["reviews_rejected"]) == (1, 1, 120, 1)
    # On the one task both labeled they differ on the choice (0) and Bob drew boxes Ann did not (0): 0.
    assert rows["ann@example.com"]["agreement"] == pytest.approx(0.0)
    assert {r["label"]: r["count"] for r in dash["labels"]} == {"rose": 3, "tulip": 1, "flower": 1, "leaf": 1}
    assert dash["reviews"] == {"accepted": 0, "rejected": 1, "waiting": 3}
    assert [(p["annotations"], p["finished_total"]) for p in dash["progress"]] == [(4, 1)]
    table = client.get(f"/api/projects/{pid}/dashboard/annotators.csv")
    assert table.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(table.text)))
    assert [(r["email"], r["annotations"]) for r in parsed] == [("ann@example.com", "3"), ("bob@example.com", "1")]
    assert client.get(f"/api/projects/{pid}/dashboard/nope.csv").status_code == 404
    assert ann.get(f"/api/projects/{pid}/dashboard").status_code == 403


def test_the_dashboard_answers_from_its_snapshot_and_refreshes_it(pair, client):
    """Computed on the first visit; after new work the old figures come back at once, marked stale, while a job
    computes the new ones, which the next visit gets."""
    import time

    ann, bob, pid, ids = pair
    ann.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("rose")], "lead_time": 5})
    first = client.get(f"/api/projects/{pid}/dashboard").json()
    assert first["stale"] is False and [r["annotations"] for r in first["annotators"]] == [1]
    bob.post(f"/api/tasks/{ids[0]}/annotations", json={"result": [choice("rose")], "lead_time": 5})
    second = client.get(f"/api/projects/{pid}/dashboard").json()
    assert second["stale"] is True and second["computed_at"] == first["computed_at"]
    assert [r["annotations"] for r in second["annotators"]] == [1]
    deadline = time.monotonic() + 20
    while (now := client.get(f"/api/projects/{pid}/dashboard").json())["stale"]:
        assert time.monotonic() < deadline, "the dashboard was never refreshed"
        time.sleep(0.1)
    assert sorted(r["annotations"] for r in now["annotators"]) == [1, 1] and now["agreement"] == 1.0
    jobs = client.get(f"/api/projects/{pid}/jobs").json()
    assert [j["status"] for j in jobs if j["kind"] == "dashboard"] == ["completed"]


def test_an_import_with_annotations_computes_the_figures_in_the_background(pair, client):
    import time

    ann, bob, pid, ids = pair
    client.post(f"/api/projects/{pid}/import", json=[{"data": {"image": "/i/x.jpg", "caption": "x"}, "annotations": [
        {"result": [choice("rose")], "completed_by": ann.user_id},
        {"result": [choice("rose")], "completed_by": bob.user_id}]}])
    assert [j["kind"] for j in client.get(f"/api/projects/{pid}/jobs").json()] == ["dashboard"]
    deadline = time.monotonic() + 20
    while (found := client.get(f"/api/projects/{pid}/dashboard").json())["stale"]:
        # While the first figures are computed the page says so (no figures, no time) rather than waiting.
        assert found["computed_at"] is None and found["annotators"] == []
        assert time.monotonic() < deadline, "the figures were never computed"
        time.sleep(0.1)
    assert found["agreement"] == 1.0 and sorted(r["annotations"] for r in found["annotators"]) == [1, 1]
