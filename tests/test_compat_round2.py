"""Label Studio compatibility, round two (issue 17): requests real clients send, answered as Label Studio 1.23.2
answers them (each answer below was checked against a running Label Studio)."""
import json

from conftest import FLOWERS


def tasks_of(client, pid):
    return client.get(f"/api/projects/{pid}/tasks", params={"page_size": 100}).json()


# 1. Form and multipart bodies, as curl -d and requests.post(data=...) send them.

def test_a_project_created_from_a_form_body_has_typed_fields(client):
    r = client.post("/api/projects", data={"title": "Form", "label_config": FLOWERS, "maximum_annotations": "2",
                                           "show_skip_button": "false", "control_weights": '{"class": {"overall": 0.5}}'})
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["title"], body["maximum_annotations"], body["show_skip_button"]) == ("Form", 2, False)
    # The weight given, over Label Studio's defaults for the config (1.0 for the control and each label).
    assert body["control_weights"]["class"] == {"overall": 0.5, "type": "Choices", "labels": dict.fromkeys(
        ["daisy", "dandelion", "rose", "sunflower", "tulip"], 1.0)}
    r = client.patch(f"/api/projects/{body['id']}", data={"description": "from a form", "is_published": "true"})
    assert r.status_code == 200, r.text
    assert (r.json()["description"], r.json()["is_published"]) == ("from a form", True)


def test_a_multipart_body_creates_a_project_too(client):
    r = client.post("/api/projects", data={"title": "Multipart", "maximum_annotations": "3"},
                    files={"unused": ("note.txt", b"ignored", "text/plain")})
    assert r.status_code == 201, r.text
    assert r.json()["maximum_annotations"] == 3


def test_form_fields_of_the_wrong_type_are_named(client):
    r = client.post("/api/projects", data={"title": "Bad", "maximum_annotations": "abc",
                                           "show_skip_button": "maybe"})
    assert r.status_code == 400
    assert r.json()["validation_errors"] == {"maximum_annotations": ["A valid integer is required."],
                                             "show_skip_button": ["Must be a valid boolean."]}
    assert client.get("/api/projects", params={"title": "Bad"}).json()["count"] == 0


# 2. Tasks through /api/projects/{id}/tasks and /tasks/bulk.

def test_one_task_posted_to_the_project_comes_back_in_the_plain_shape(client, project):
    pid = project["id"]
    r = client.post(f"/api/projects/{pid}/tasks", json={"data": {"image_path": "http://img/1.jpg"}})
    assert r.status_code == 201, r.text
    task = r.json()
    assert task["project"] == pid and task["data"] == {"image_path": "http://img/1.jpg"}
    assert {"id", "inner_id", "overlap", "updated_by", "file_upload", "comment_authors"} <= set(task)
    assert "annotations_results" not in task and "annotations" not in task
    r = client.post(f"/api/projects/{pid}/tasks", json={"data": "not an object"})
    assert r.status_code == 400
    assert len(tasks_of(client, pid)) == 1


def test_tasks_bulk_imports_like_import(client, project):
    pid = project["id"]
    r = client.post(f"/api/projects/{pid}/tasks/bulk", json=[{"image_path": f"http://img/{i}.jpg"} for i in range(3)])
    assert r.status_code == 201, r.text
    assert r.json()["task_count"] == 3
    assert len(tasks_of(client, pid)) == 3


def test_the_project_task_list_is_label_studios_plain_shape(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"data": {"image_path": "http://img/1.jpg"},
                                                      "predictions": [{"result": [], "model_version": "m1"}]}])
    [task] = tasks_of(client, pid)
    assert task["updated_by"] is None or isinstance(task["updated_by"], int)
    assert task["file_upload"] is None
    assert [p["model_version"] for p in task["predictions"]] == ["m1"] and task["annotations"] == []
    assert "annotations_results" not in task and "drafts" not in task


# 7. maximum_annotations changes each task's overlap.

def test_changing_maximum_annotations_changes_each_tasks_overlap(client, project):
    pid = project["id"]
    client.patch(f"/api/projects/{pid}", json={"maximum_annotations": 3})
    client.post(f"/api/projects/{pid}/import", json=[
        {"data": {"image_path": f"http://img/{i}.jpg"},
         "annotations": [{"result": []}] * (i % 3)} for i in range(4)])
    assert sorted(t["overlap"] for t in tasks_of(client, pid)) == [3, 3, 3, 3]
    assert not any(t["is_labeled"] for t in tasks_of(client, pid))
    r = client.patch(f"/api/projects/{pid}", json={"maximum_annotations": 1})
    assert r.status_code == 200, r.text
    tasks = {t["total_annotations"]: t for t in tasks_of(client, pid)}
    assert {t["overlap"] for t in tasks.values()} == {1}
    # A task with an annotation now has all it needs.
    assert {n: t["is_labeled"] for n, t in tasks.items()} == {0: False, 1: True, 2: True}
    assert client.get(f"/api/projects/{pid}").json()["finished_task_number"] == 2


def test_overlap_covers_the_cohort_percentage_of_tasks(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": f"http://img/{i}.jpg"} for i in range(10)])
    r = client.patch(f"/api/projects/{pid}", json={"maximum_annotations": 2, "overlap_cohort_percentage": 30})
    assert r.status_code == 200, r.text
    assert sorted(t["overlap"] for t in tasks_of(client, pid)) == [1] * 7 + [2] * 3


# 8. model_version: validated, never a 500; set by imports and ML backends; /next shows only its predictions.

def test_an_unknown_model_version_is_refused_and_a_known_one_pinned(client, project):
    pid = project["id"]
    for value in ("nope", None):
        r = client.patch(f"/api/projects/{pid}", json={"model_version": value})
        assert r.status_code == 400
        assert r.json()["validation_errors"] == {"model_version": [
            "Model version doesn't exist either as live model or as static predictions."]}
    client.post(f"/api/projects/{pid}/import", json=[
        {"data": {"image_path": "http://img/1.jpg"}, "predictions": [{"result": [], "model_version": "v7"}]},
        {"data": {"image_path": "http://img/2.jpg"}, "predictions": [{"result": [], "model_version": "v8"}]}])
    # The first imported version is pinned, as Label Studio does; a later import keeps it.
    assert client.get(f"/api/projects/{pid}").json()["model_version"] == "v7"
    r = client.patch(f"/api/projects/{pid}", json={"model_version": "v8"})
    assert r.status_code == 200 and r.json()["model_version"] == "v8"
    r = client.patch(f"/api/projects/{pid}", json={"model_version": ""})
    assert r.status_code == 200 and r.json()["model_version"] == ""


def test_pinned_at_and_a_null_model_version_on_create(client):
    r = client.post("/api/projects", json={"title": "Pinned", "pinned_at": "2026-01-01T00:00:00Z",
                                           "model_version": None, "description": None})
    assert r.status_code == 201, r.text
    assert r.json()["pinned_at"].startswith("2026-01-01T00:00:00")
    assert (r.json()["model_version"], r.json()["description"]) == ("", "")
    r = client.post("/api/projects", json={"title": "Bad pin", "pinned_at": "garbage"})
    assert r.status_code == 400
    assert list(r.json()["validation_errors"]) == ["pinned_at"]


def test_next_pre_fills_with_the_projects_model_version_only(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"data": {"image_path": "http://img/1.jpg"}, "predictions": [
        {"result": [], "model_version": "old"}, {"result": [], "model_version": "new"}]}])
    served = client.get(f"/api/projects/{pid}/next").json()
    assert [p["model_version"] for p in served["predictions"]] == ["old"]
    client.patch(f"/api/projects/{pid}", json={"model_version": "new"})
    served = client.get(f"/api/projects/{pid}/next").json()
    assert [p["model_version"] for p in served["predictions"]] == ["new"]
    # The task itself still has both.
    assert len(client.get(f"/api/tasks/{served['id']}").json()["predictions"]) == 2


# 9. The project list filters by ids and returns only the fields asked for.

def test_projects_list_by_ids_with_only_the_included_fields(client):
    ids = [client.post("/api/projects", json={"title": f"P{i}"}).json()["id"] for i in range(4)]
    r = client.get("/api/projects", params={"ids": f"{ids[0]},{ids[2]}", "include": "id,title,task_number"})
    assert r.status_code == 200, r.text
    assert r.json()["count"] == 2
    assert r.json()["results"] == [{"id": ids[2], "title": "P2", "task_number": 0},
                                   {"id": ids[0], "title": "P0", "task_number": 0}]
    assert client.get("/api/projects", params={"ids": "1,x"}).status_code == 400


def test_pinned_projects_come_first(client):
    ids = [client.post("/api/projects", json={"title": f"P{i}"}).json()["id"] for i in range(3)]
    client.patch(f"/api/projects/{ids[0]}", json={"pinned_at": "2026-06-01T00:00:00Z"})
    listed = [p["id"] for p in client.get("/api/projects").json()["results"]]
    assert listed == [ids[0], ids[2], ids[1]]


# 3. Upload first, import later: commit_to_project=false, then /reimport.

CSV = b"image_path,x\nhttp://img/1.jpg,1\nhttp://img/2.jpg,2\n"


def test_upload_without_committing_then_reimport(client, project):
    pid = project["id"]
    r = client.post(f"/api/projects/{pid}/import", params={"commit_to_project": "false"},
                    files={"file": ("a.csv", CSV, "text/csv")})
    assert r.status_code == 201, r.text
    uploaded = r.json()
    assert (uploaded["task_count"], uploaded["annotation_count"], uploaded["could_be_tasks_list"]) == (2, None, True)
    assert uploaded["found_formats"] == {".csv": 1} and len(uploaded["file_upload_ids"]) == 1
    assert tasks_of(client, pid) == []
    r = client.post(f"/api/projects/{pid}/reimport", json={"file_upload_ids": uploaded["file_upload_ids"],
                                                         "files_as_tasks_list": True})
    assert r.status_code == 201, r.text
    assert r.json()["task_count"] == 2 and "could_be_tasks_list" not in r.json()
    tasks = tasks_of(client, pid)
    assert sorted(t["data"]["x"] for t in tasks) == [1, 2]
    assert {t["file_upload"] for t in tasks} == set(uploaded["file_upload_ids"])
    # Again: the tasks of that upload are replaced, not duplicated.
    r = client.post(f"/api/projects/{pid}/reimport", json={"file_upload_ids": uploaded["file_upload_ids"]})
    assert r.status_code == 201
    assert len(tasks_of(client, pid)) == 2


def test_reimport_a_table_as_one_task_and_an_empty_reimport(client):
    pid = client.post("/api/projects", json={"title": "Series", "label_config": (
        '<View><TimeSeries name="ts" value="$csv" valueType="url"><Channel column="x"/></TimeSeries></View>')}
    ).json()["id"]
    ids = client.post(f"/api/projects/{pid}/import", params={"commit_to_project": "false"},
                      files={"file": ("a.csv", CSV, "text/csv")}).json()["file_upload_ids"]
    r = client.post(f"/api/projects/{pid}/reimport", json={"file_upload_ids": ids, "files_as_tasks_list": False})
    assert r.status_code == 201, r.text
    [task] = tasks_of(client, pid)
    assert task["data"]["csv"].startswith("/data/upload/") and task["data"]["csv"].endswith("a.csv")
    r = client.post(f"/api/projects/{pid}/reimport", json={})
    assert r.status_code == 200 and r.json()["task_count"] == 0


def test_reimport_keeps_annotated_tasks(client, project):
    pid = project["id"]
    ids = client.post(f"/api/projects/{pid}/import", files={"file": ("a.csv", CSV, "text/csv")}).json()[
        "file_upload_ids"]
    task = tasks_of(client, pid)[0]
    client.post(f"/api/tasks/{task['id']}/annotations", json={"result": []})
    r = client.post(f"/api/projects/{pid}/reimport", json={"file_upload_ids": ids})
    assert r.status_code == 400 and "have annotations" in r.json()["detail"]
    assert len(tasks_of(client, pid)) == 2


def test_a_csv_import_could_be_a_tasks_list(client, project):
    r = client.post(f"/api/projects/{project['id']}/import", files={"file": ("a.csv", CSV, "text/csv")})
    assert r.status_code == 201 and r.json()["could_be_tasks_list"] is True


# 4. A file type that can't be imported: Label Studio's non_field_errors as well as our detail.

def test_a_bad_extension_names_itself_in_non_field_errors(client, project):
    r = client.post(f"/api/projects/{project['id']}/import", files={"file": ("x.exe", b"MZ", "application/x-msdos")})
    assert r.status_code == 400
    assert r.json()["validation_errors"] == {"non_field_errors": [".exe extension is not supported"]}
    assert "can't be imported" in r.json()["detail"]
    assert tasks_of(client, project["id"]) == []


# 12-14. Export snapshots: finished in the answer for a project of ordinary size, predictions whole on request,
# a missing view exports everything.

def test_a_small_snapshot_is_finished_in_the_answer_and_downloads_at_once(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": f"http://img/{i}.jpg"} for i in range(3)])
    r = client.post(f"/api/projects/{pid}/exports", json={"title": "now"})
    assert r.status_code == 201, r.text
    snap = r.json()
    assert snap["status"] == "completed" and snap["finished_at"] and snap["md5"]
    assert snap["counters"]["task_number"] == 3
    download = client.get(f"/api/projects/{pid}/exports/{snap['id']}/download", params={"exportType": "JSON"})
    assert download.status_code == 200 and len(download.json()) == 3
    r = client.post(f"/api/projects/{pid}/exports/{snap['id']}/convert", json={"export_type": "CSV"})
    assert r.status_code == 200, r.text


def test_predictions_exported_whole_when_only_id_is_false(client, project):
    pid = project["id"]
    pred = {"result": [{"from_name": "class", "to_name": "image", "type": "choices",
                        "value": {"choices": ["rose"]}}], "score": 0.5, "model_version": "m1"}
    client.post(f"/api/projects/{pid}/import", json=[{"data": {"image_path": "http://img/1.jpg"},
                                                      "predictions": [pred]}])
    whole = client.post(f"/api/projects/{pid}/exports", json={
        "serialization_options": {"predictions": {"only_id": False}}}).json()
    ids = client.post(f"/api/projects/{pid}/exports", json={}).json()
    [task] = client.get(f"/api/projects/{pid}/exports/{whole['id']}/download").json()
    [p] = task["predictions"]
    assert (p["result"], p["score"], p["model_version"], p["task"]) == (pred["result"], 0.5, "m1", task["id"])
    assert p["created_ago"].endswith("minutes") and "\xa0" in p["created_ago"]
    [task] = client.get(f"/api/projects/{pid}/exports/{ids['id']}/download").json()
    assert task["predictions"] == [p["id"]]


def test_a_snapshot_of_a_missing_view_exports_every_task(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": f"http://img/{i}.jpg"} for i in range(2)])
    r = client.post(f"/api/projects/{pid}/exports", json={"task_filter_options": {"view": 424242}})
    assert r.status_code == 201 and r.json()["counters"]["task_number"] == 2


# 6. Drafts of an annotation, and Label Studio's draft shape.

def test_a_draft_of_an_annotation_in_label_studios_shape(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": "http://img/1.jpg"}])
    [task] = tasks_of(client, pid)
    ann = client.post(f"/api/tasks/{task['id']}/annotations", json={"result": []}).json()
    r = client.post(f"/api/tasks/{task['id']}/annotations/{ann['id']}/drafts", json={"result": [], "lead_time": 1.5})
    assert r.status_code == 201, r.text
    draft = r.json()
    me = client.get("/api/current-user/whoami").json()
    assert (draft["task"], draft["annotation"], draft["lead_time"]) == (task["id"], ann["id"], 1.5)
    assert draft["user"] == me["email"] and draft["created_username"] == f"{me['email']}, {me['id']}"
    assert draft["created_ago"] == "0\xa0minutes" and draft["was_postponed"] is False
    fetched = client.get(f"/api/drafts/{draft['id']}").json()
    assert fetched["annotation"] == ann["id"] and fetched["created_ago"] == "0\xa0minutes"
    assert client.post(f"/api/tasks/{task['id']}/annotations/999999/drafts", json={"result": []}).status_code == 404


def test_label_stream_history_lists_the_users_last_tasks(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": f"http://img/{i}.jpg"} for i in range(3)])
    first = client.get(f"/api/projects/{pid}/next").json()
    ann = client.post(f"/api/tasks/{first['id']}/annotations", json={"result": []}).json()
    second = client.get(f"/api/projects/{pid}/next").json()
    client.post(f"/api/tasks/{second['id']}/drafts", json={"result": []})
    for path in (f"/api/projects/{pid}/label-stream-history", f"/api/projects/{pid}/label-stream-history/"):
        r = client.get(path)
        assert r.status_code == 200, r.text
        assert r.json() == [{"taskId": first["id"], "annotationId": ann["id"]},
                            {"taskId": second["id"], "annotationId": None}]


# 17. Smaller differences.

REGIONS = ('<View><Image name="i" value="$i"/><RectangleLabels name="r" toName="i"><Label value="a"/>'
           '</RectangleLabels></View>')
PER_REGION = REGIONS.replace("</View>", '<Choices name="c" toName="i" perRegion="true"><Choice value="x"/>'
                                       '</Choices></View>')
WHOLE_TASK = ('<View><Text name="t" value="$t"/><Choices name="c" toName="t"><Choice value="a"/></Choices>'
              '<TextArea name="x" toName="t"/><Rating name="s" toName="t"/></View>')


def test_bulk_annotation_suits_only_configs_without_regions(client):
    def suitable(config):
        return client.post("/api/projects", json={"title": "Bulk", "label_config": config}).json()[
            "config_suitable_for_bulk_annotation"]
    assert suitable(WHOLE_TASK) is True and suitable(FLOWERS) is True
    assert suitable(REGIONS) is False and suitable(PER_REGION) is False


def test_a_webhook_url_keeps_its_trailing_slash(client, project):
    r = client.post("/api/webhooks", json={"project": project["id"], "url": "http://127.0.0.1:9/in/"})
    assert r.status_code == 201, r.text
    assert r.json()["url"] == "http://127.0.0.1:9/in/"


def test_storages_without_a_project_are_an_empty_list(client, project):
    r = client.get("/api/storages")
    assert r.status_code == 200 and r.json() == []
    assert client.get("/api/storages/s3").status_code == 400  # a type's list still needs the project


def test_another_members_profile_is_not_theirs_to_patch(client):
    other = client.post("/api/users", json={"email": "bee@example.com", "password": "another-password"})
    assert other.status_code == 201, other.text
    r = client.patch(f"/api/users/{other.json()['id']}", json={"first_name": "Mallory"})
    assert r.status_code == 405
    assert client.get(f"/api/users/{other.json()['id']}").json()["first_name"] != "Mallory"
    assert client.patch("/api/users/424242", json={"first_name": "x"}).status_code == 404


# 15. Data manager: storage_filename, "__" refused, /api/dm/project, next_task and remove_duplicates actions.

def dm_tasks(client, pid, items):
    q = {"filters": {"conjunction": "and", "items": items}}
    return client.get("/api/tasks", params={"project": pid, "query": json.dumps(q), "page_size": 100})


def test_filter_by_storage_filename_and_refuse_lookups(client, project, tmp_path, settings):
    pid = project["id"]
    folder = settings.local_files_root / "compat-storage"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("cat.jpg", "dog.jpg"):
        (folder / name).write_bytes(b"\xff\xd8\xff")
    s = client.post("/api/storages/localfiles", json={"project": pid, "path": str(folder), "use_blob_urls": True,
                                                      "title": "Photos"})
    assert s.status_code == 201, s.text
    assert client.post(f"/api/storages/localfiles/{s.json()['id']}/sync").status_code == 200
    item = {"filter": "filter:tasks:storage_filename", "operator": "contains", "type": "String", "value": "cat"}
    r = dm_tasks(client, pid, [item])
    assert r.status_code == 200, r.text
    [task] = r.json()["tasks"]
    assert task["storage_filename"].endswith("cat.jpg")
    r = dm_tasks(client, pid, [{"filter": "filter:tasks:data__image", "operator": "contains", "type": "String",
                                "value": "a"}])
    assert r.status_code == 400 and "__" in r.json()["validation_errors"]["non_field_errors"][0]


def test_dm_project_is_the_project(client, project):
    r = client.get("/api/dm/project", params={"project": project["id"]})
    assert r.status_code == 200
    body, plain = r.json(), client.get(f"/api/projects/{project['id']}").json()
    assert {k: body[k] for k in plain} == plain
    assert (body["task_count"], body["annotation_count"], body["can_manage_tasks"]) == (0, 0, True)


def test_next_task_action_gives_the_next_selected_task(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": f"http://img/{i}.jpg"} for i in range(3)])
    ids = sorted(t["id"] for t in tasks_of(client, pid))
    r = client.post("/api/dm/actions", params={"project": pid, "id": "next_task"},
                    json={"selectedItems": {"all": False, "included": ids[1:]}})
    assert r.status_code == 200, r.text
    assert r.json()["id"] == ids[1] and "annotations" in r.json() and "drafts" in r.json()


def test_remove_duplicates_merges_copies_into_the_oldest(client, project):
    pid = project["id"]
    same = {"image_path": "http://img/same.jpg"}
    client.post(f"/api/projects/{pid}/import", json=[
        {"data": same, "annotations": [{"result": []}]}, {"data": {"image_path": "http://img/other.jpg"}},
        {"data": same, "predictions": [{"result": [], "model_version": "m"}]}, {"data": same}])
    assert "remove_duplicates" in [a["id"] for a in client.get("/api/dm/actions", params={"project": pid}).json()]
    r = client.post("/api/dm/actions", params={"project": pid, "id": "remove_duplicates"},
                    json={"selectedItems": {"all": True, "excluded": []}})
    assert r.status_code == 200, r.text
    assert r.json()["processed_items"] == 2
    tasks = {t["data"]["image_path"]: t for t in tasks_of(client, pid)}
    assert len(tasks) == 2 and len(tasks_of(client, pid)) == 2
    kept = tasks["http://img/same.jpg"]
    assert (len(kept["annotations"]), len(kept["predictions"]), kept["total_annotations"]) == (1, 1, 1)


# 16. Task shapes: an opened task names its annotations' authors; the data manager's list carries drafts.

def test_an_opened_task_expands_its_annotations_authors(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": "http://img/1.jpg"}])
    [task] = tasks_of(client, pid)
    client.post(f"/api/tasks/{task['id']}/annotations", json={"result": []})
    me = client.get("/api/current-user/whoami").json()
    opened = client.get(f"/api/tasks/{task['id']}", params={"project": pid}).json()
    [ann] = opened["annotations"]
    assert ann["completed_by"] == {"id": me["id"], "first_name": me["first_name"], "last_name": me["last_name"],
                                   "avatar": None, "email": me["email"], "initials": ann["completed_by"]["initials"]}
    assert ann["created_username"].endswith(f"{me['email']}, {me['id']}")
    assert ann["created_ago"] == "0\xa0minutes"
    # Lists keep ids, as Label Studio's do.
    assert client.get(f"/api/tasks/{task['id']}/annotations").json()[0]["completed_by"] == me["id"]


def test_the_data_manager_list_carries_the_users_drafts(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": f"http://img/{i}.jpg"} for i in range(2)])
    first, second = sorted(t["id"] for t in tasks_of(client, pid))
    draft = client.post(f"/api/tasks/{first}/drafts", json={"result": []}).json()
    listed = {t["id"]: t for t in dm_tasks(client, pid, []).json()["tasks"]}
    assert [d["id"] for d in listed[first]["drafts"]] == [draft["id"]] and listed[first]["draft_exists"] is True
    assert listed[second]["drafts"] == [] and listed[second]["draft_exists"] is False


# 5. Validating a config that drops what annotations or drafts use.

def rose(from_name="class"):
    return [{"from_name": from_name, "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]


def test_validate_refuses_dropping_labels_in_use(client, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"data": {"image_path": f"http://img/{i}.jpg"},
                                                      "annotations": [{"result": rose()}]} for i in range(2)])
    def refusal(config):
        r = client.post(f"/api/projects/{pid}/validate", json={"label_config": config})
        assert r.status_code == 400
        return r.json()["validation_errors"]["non_field_errors"]
    assert refusal(FLOWERS.replace('<Choice value="rose"/>', "")) == [
        'These labels still exist in annotations or drafts:\nrose (2 annotations)\nPlease add labels to tag with '
        'name="class".']
    assert refusal(FLOWERS.replace('name="class"', 'name="kind"')) == [
        "Created annotations are incompatible with provided labeling schema, we found:\n"
        "2 with from_name=class, to_name=image, type=choices"]
    more = FLOWERS.replace('<Choice value="rose"/>', '<Choice value="rose"/><Choice value="lily"/>')
    assert client.post(f"/api/projects/{pid}/validate", json={"label_config": more}).status_code == 200


def test_validate_counts_drafts_and_taxonomy_paths(client):
    taxonomy = ('<View><Text name="text" value="$text"/><Taxonomy name="tax" toName="text">'
                '<Choice value="Animal"><Choice value="Cat"/><Choice value="Dog"/></Choice></Taxonomy></View>')
    pid = client.post("/api/projects", json={"title": "Tax", "label_config": taxonomy}).json()["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"text": "meow"}])
    [task] = tasks_of(client, pid)
    path = [{"from_name": "tax", "to_name": "text", "type": "taxonomy", "value": {"taxonomy": [["Animal", "Cat"]]}}]
    client.post(f"/api/tasks/{task['id']}/drafts", json={"result": path})
    r = client.post(f"/api/projects/{pid}/validate",
                    json={"label_config": taxonomy.replace('<Choice value="Cat"/>', "")})
    assert r.status_code == 400
    assert "Cat (1 annotation)" in r.json()["validation_errors"]["non_field_errors"][0]


# 10. The skip queue.

def skip_project(client, mode):
    pid = client.post("/api/projects", json={"title": f"Skip {mode}", "label_config": FLOWERS,
                                             "skip_queue": mode}).json()["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": "http://img/1.jpg"},
                                                     {"image_path": "http://img/2.jpg"}])
    return pid


def skip(client, task_id):
    r = client.post(f"/api/tasks/{task_id}/annotations", params={"was_cancelled": "true"},
                    json={"result": [], "was_cancelled": True})
    assert r.status_code == 201, r.text


def test_requeue_for_me_serves_a_skipped_task_again_last(client):
    pid = skip_project(client, "REQUEUE_FOR_ME")
    first = client.get(f"/api/projects/{pid}/next").json()["id"]
    skip(client, first)
    second = client.get(f"/api/projects/{pid}/next").json()["id"]
    assert second != first
    client.post(f"/api/tasks/{second}/annotations", json={"result": []})
    again = client.get(f"/api/projects/{pid}/next")
    assert again.status_code == 200 and again.json()["id"] == first


def test_ignore_skipped_settles_the_task(client):
    pid = skip_project(client, "IGNORE_SKIPPED")
    first = client.get(f"/api/projects/{pid}/next").json()["id"]
    skip(client, first)
    assert client.get(f"/api/tasks/{first}").json()["is_labeled"] is True
    second = client.get(f"/api/projects/{pid}/next").json()["id"]
    client.post(f"/api/tasks/{second}/annotations", json={"result": []})
    assert client.get(f"/api/projects/{pid}/next").status_code == 404
    project = client.get(f"/api/projects/{pid}").json()
    assert (project["finished_task_number"], project["skipped_annotations_number"]) == (2, 1)
    # Switching the setting back reopens the skipped task.
    client.patch(f"/api/projects/{pid}", json={"skip_queue": "REQUEUE_FOR_OTHERS"})
    assert client.get(f"/api/tasks/{first}").json()["is_labeled"] is False


def test_requeue_for_others_never_serves_it_back(client):
    pid = skip_project(client, "REQUEUE_FOR_OTHERS")
    first = client.get(f"/api/projects/{pid}/next").json()["id"]
    skip(client, first)
    second = client.get(f"/api/projects/{pid}/next").json()["id"]
    client.post(f"/api/tasks/{second}/annotations", json={"result": []})
    assert client.get(f"/api/projects/{pid}/next").status_code == 404
    assert client.patch(f"/api/projects/{pid}", json={"skip_queue": "SOMETIMES"}).status_code == 400


# 11. The live model: an opened task asks it for a prediction; training and versions of a plain backend.

def test_an_opened_task_gets_the_live_models_prediction(client, project):
    from protocol_backend import ProtocolBackend

    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": f"http://img/{i}.jpg"} for i in range(2)])
    first, second = sorted(t["id"] for t in tasks_of(client, pid))
    backend = ProtocolBackend(model_version="v7")
    try:
        r = client.post("/api/ml", json={"project": pid, "url": backend.url, "title": "live"})
        assert r.status_code == 201, r.text
        assert client.get(f"/api/projects/{pid}").json()["model_version"] == "live"
        opened = client.get(f"/api/tasks/{first}").json()
        assert [p["model_version"] for p in opened["predictions"]] == ["v7"]
        # Opened again: it has the model's current version already, so the backend is not asked twice.
        asked = sum(path == "/predict" for path, _ in backend.calls)
        assert len(client.get(f"/api/tasks/{first}").json()["predictions"]) == 1
        assert sum(path == "/predict" for path, _ in backend.calls) == asked
        served = client.get(f"/api/projects/{pid}/next").json()
        assert [p["model_version"] for p in served["predictions"]] == ["v7"]
    finally:
        backend.close()


def test_a_predict_only_backend_trains_nothing_and_lists_its_setup_version(client, project):
    from protocol_backend import ProtocolBackend

    backend = ProtocolBackend(model_version="v3", predict_only=True)
    try:
        mid = client.post("/api/ml", json={"project": project["id"], "url": backend.url}).json()["id"]
        r = client.post(f"/api/ml/{mid}/train", json={})
        assert r.status_code == 200, r.text
        assert "no training" in r.json()["detail"]
        r = client.get(f"/api/ml/{mid}/versions")
        assert r.status_code == 200, r.text
        assert r.json() == {"versions": ["v3"], "message": "Upgrade your ML backend version to latest."}
    finally:
        backend.close()


def test_labels_library_is_empty_and_bulk_renames_a_label_in_annotations(client):
    config = ('<View><Text name="text" value="$text"/><Labels name="lab" toName="text"><Label value="PER"/>'
              '<Label value="ORG"/></Labels></View>')
    span = {"id": "r1", "from_name": "lab", "to_name": "text", "type": "labels",
            "value": {"start": 0, "end": 3, "text": "Bob", "labels": ["PER"]}}
    other = {**span, "id": "r2", "value": {**span["value"], "labels": ["ORG"]}}
    pids = []
    for title in ("One", "Two"):
        pid = client.post("/api/projects", json={"title": title, "label_config": config}).json()["id"]
        client.post(f"/api/projects/{pid}/import", json=[{"data": {"text": "Bob"},
                                                          "annotations": [{"result": [span, other]}]}])
        pids.append(pid)
    assert client.get("/api/labels").json() == {"count": 0, "next": None, "previous": None, "results": []}
    r = client.post("/api/labels/bulk", json={"project": pids[0], "old_label": ["PER"], "new_label": ["PERSON"]})
    assert r.status_code == 200 and r.json() == {"annotations_updated": 1}
    [task] = tasks_of(client, pids[0])
    assert [x["value"]["labels"] for x in task["annotations"][0]["result"]] == [["PERSON"], ["ORG"]]
    [task] = tasks_of(client, pids[1])
    assert task["annotations"][0]["result"][0]["value"]["labels"] == ["PER"]  # another project: untouched
    assert client.post("/api/labels/bulk", json={"old_label": ["PER"], "new_label": ["P"]}).json() == {
        "annotations_updated": 1}
    r = client.post("/api/labels/bulk", json={"project": pids[0]})
    assert r.status_code == 400 and set(r.json()["validation_errors"]) == {"old_label", "new_label"}
