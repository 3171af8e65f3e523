"""Deep pages of an unfiltered list start from a kept mark (services/page_marks.py) and must show exactly what
plain OFFSET shows, also after tasks are added or deleted (which moves every later task's position)."""
from labelhive.services import page_marks


def ids_on(client, pid, page, size=100):
    r = client.get("/api/tasks", params={"project": pid, "page": page, "page_size": size, "fields": "all"})
    assert r.status_code == 200, r.text
    return [t["id"] for t in r.json()["tasks"]]


def test_deep_pages_match_the_id_order_through_imports_and_deletions(client, project, monkeypatch):
    monkeypatch.setattr(page_marks, "MARK_EVERY", 250)  # marks at a size a test can afford
    pid = project["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true",
                      json=[{"image_path": f"http://img/{i}.jpg"} for i in range(1000)]).json()["task_ids"]
    for page in (3, 4, 7, 10):
        assert ids_on(client, pid, page) == ids[(page - 1) * 100:page * 100]

    gone = ids[100:150] + [ids[600]]  # before the marks at 250, 500 and 750, and between them
    r = client.post(f"/api/dm/actions?id=delete_tasks&project={pid}",
                    json={"selectedItems": {"all": False, "included": gone}})
    assert r.status_code == 200, r.text
    left = [i for i in ids if i not in gone]
    more = client.post(f"/api/projects/{pid}/import?return_task_ids=true",
                       json=[{"image_path": f"http://img/x{i}.jpg"} for i in range(120)]).json()["task_ids"]
    everything = left + more
    for page in (3, 5, 8, 10, 11):
        assert ids_on(client, pid, page) == everything[(page - 1) * 100:page * 100]
    assert ids_on(client, pid, 7, size=73) == everything[6 * 73:7 * 73]
