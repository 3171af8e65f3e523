"""End-to-end exports through the API, checked against Label Studio's own converter as the oracle.

Each project is built over the API (imports with annotations and predictions, extra annotations
posted one by one, a second annotator). For every option set, OUR JSON export is fed to
label_studio_sdk.converter.Converter and its JSON_MIN/CSV/TSV output must equal what the server sent.
"""
import csv
import io
import json
import re
import uuid

import pytest

from conftest import FLOWERS

converter = pytest.importorskip("label_studio_sdk.converter")
Format = converter.converter.Format

DETECTION = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img">
    <Label value="car"/>
    <Label value="person"/>
  </RectangleLabels>
  <TextArea name="caption" toName="img" rows="2"/>
</View>"""

# Label Studio's ExportDataSerializer task keys (LS-COMPAT §4), plus the three related lists.
TASK_KEYS = {"id", "data", "meta", "created_at", "updated_at", "inner_id", "total_annotations",
             "cancelled_annotations", "total_predictions", "comment_count", "unresolved_comment_count",
             "last_comment_updated_at", "project", "updated_by", "comment_authors", "file_upload",
             "annotations", "predictions", "drafts"}
# LS 1.23.2's Task model also has allow_skip, which the export would carry; tolerated, not required.
OPTIONAL_TASK_KEYS = {"allow_skip"}
ANNOTATION_KEYS = {"id", "result", "completed_by", "was_cancelled", "ground_truth", "created_at", "updated_at",
                   "draft_created_at", "lead_time", "prediction", "result_count", "unique_id", "import_id",
                   "last_action", "task", "project", "updated_by", "parent_prediction", "parent_annotation",
                   "last_created_by", "bulk_created"}
FILENAME = re.compile(r'attachment; filename="project-(\d+)-at-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f]{8}(\.\w+)"')
# What Label Studio names each download: the converter writes result.json or result.csv (TSV too).
LS_EXTENSION = {"JSON": ".json", "JSON_MIN": ".json", "CSV": ".csv", "TSV": ".csv"}
SEPARATOR = {"CSV": ",", "TSV": "\t"}



def choice(value, from_name="class", to_name="image"):
    return {"id": uuid.uuid4().hex[:10], "from_name": from_name, "to_name": to_name, "type": "choices",
            "value": {"choices": [value]}}


def rect(x, label="car", rotation=0):
    return {"id": uuid.uuid4().hex[:10], "from_name": "box", "to_name": "img", "type": "rectanglelabels",
            "original_width": 640, "original_height": 480, "image_rotation": 0,
            "value": {"x": x, "y": 12.5, "width": 20.25, "height": 33.0, "rotation": rotation,
                      "rectanglelabels": [label]}}


def caption(*lines):
    return {"id": uuid.uuid4().hex[:10], "from_name": "caption", "to_name": "img", "type": "textarea",
            "value": {"text": list(lines)}}


# ---------------------------------------------------------------- building projects over the API


def _second_user(client) -> int:
    r = client.post("/api/users", json={"email": f"ann-{uuid.uuid4().hex[:6]}@example.com",
                                        "password": "another-password", "first_name": "Ann", "last_name": "Otator"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _import(client, pid, tasks) -> list[int]:
    r = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=tasks)
    assert r.status_code == 201, r.text
    return r.json()["task_ids"]


def _annotate(client, task_id, body, **params):
    r = client.post(f"/api/tasks/{task_id}/annotations", json=body, params=params)
    assert r.status_code == 201, r.text
    return r.json()


def build_flowers(client) -> dict:
    me = client.get("/api/current-user/whoami").json()["id"]
    other = _second_user(client)
    r = client.post("/api/projects", json={"title": "Flowers export", "label_config": FLOWERS})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    tasks = [
        {"data": {"image_path": "https://example.com/flowers/a%20b.jpg?size=large&x=1", "n": 3, "f": 0.25,
                  "big": 10 ** 12, "neg": -1.5, "flag": True, "nothing": None, "uni": "ромашка 🌼",
                  "nested": {"a": {"b": [1, 2.5, {"c": "d"}]}, "url": "s3://bucket/key.png"},
                  "quote": 'he said "hi", then\nleft'},
         "annotations": [
             {"result": [choice("daisy")], "lead_time": 12.5, "completed_by": me},
             {"result": [choice("rose")], "ground_truth": True, "completed_by": other, "lead_time": 3},
             {"result": [choice("tulip")], "was_cancelled": True, "completed_by": other},
         ],
         "predictions": [{"result": [choice("daisy")], "score": 0.9, "model_version": "v1"},
                         {"result": [choice("rose")], "score": 0.1, "model_version": "v2"}],
         "meta": {"source": "camera-1"}},
        {"data": {"image_path": "/data/upload/1/b.jpg", "n": 4}, "predictions": [{"result": "rose", "score": 0.5}]},
        {"data": {"image_path": "c.jpg", "list": [1, "two", None]},
         "annotations": [{"result": [choice("sunflower")], "was_cancelled": True}]},
        {"image_path": "d.jpg", "n": 5},
        {"data": {"image_path": "e.jpg", "class": "a data field named like the control"},
         "annotations": [{"result": [], "completed_by": {"id": other}},
                         {"result": [choice("dandelion"), choice("rose")], "lead_time": 0.001}]},
        {"data": {"image_path": "f.jpg", "annotator": "data annotator", "lead_time": "data lead time"}},
        {"image_path": "g.jpg"},
    ]
    ids = _import(client, pid, tasks)
    # More annotations through /api/tasks/{id}/annotations, from both users, one cancelled.
    _annotate(client, ids[5], {"result": [choice("tulip")], "lead_time": 7.25})
    _annotate(client, ids[5], {"result": [], "was_cancelled": True})
    _annotate(client, ids[3], {"result": [choice("daisy")], "completed_by": other, "ground_truth": True})
    _annotate(client, ids[0], {"result": [choice("rose")]}, was_cancelled="true")
    return {"id": pid, "config": FLOWERS, "tasks": ids, "users": (me, other),
            "annotated": {ids[0], ids[2], ids[3], ids[4], ids[5]}, "subset": [ids[0], ids[1], ids[2], ids[6]]}


def build_detection(client) -> dict:
    me = client.get("/api/current-user/whoami").json()["id"]
    other = _second_user(client)
    r = client.post("/api/projects", json={"title": "Detection export", "label_config": DETECTION})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    tasks = [
        {"data": {"image": "https://example.com/street.jpg", "meta": {"w": 640, "h": 480, "tags": ["day"]}},
         "annotations": [
             {"result": [rect(1.5), rect(50, "person"), caption("a red car")], "lead_time": 20, "completed_by": me},
             {"result": [rect(10, rotation=30), caption("line one", "line two")], "completed_by": other},
         ],
         "predictions": [{"result": [rect(2.0)], "score": 0.75, "model_version": "yolo"}]},
        {"data": {"image": "b.png", "caption": "a data field named like the TextArea"},
         "annotations": [{"result": [caption("just words")], "completed_by": other, "ground_truth": True}]},
        {"data": {"image": "c.png", "score": 0.5}, "predictions": [{"result": [rect(3)], "score": 0.2}]},
        {"data": {"image": "d.png"}, "annotations": [{"result": []}]},
        {"data": {"image": "e.png"}, "annotations": [{"result": [rect(4)], "was_cancelled": True}]},
        {"image": "f.png", "n": 1.5e-7},
    ]
    ids = _import(client, pid, tasks)
    _annotate(client, ids[5], {"result": [rect(80, "person"), rect(5), caption("posted")], "lead_time": 1.5,
                               "completed_by": other})
    _annotate(client, ids[0], {"result": [caption("third")]})
    return {"id": pid, "config": DETECTION, "tasks": ids, "users": (me, other),
            "annotated": {ids[0], ids[1], ids[3], ids[4], ids[5]}, "subset": [ids[1], ids[2], ids[4]]}


BUILDERS = {"flowers": build_flowers, "detection": build_detection}


# ---------------------------------------------------------------- the oracle


def run_oracle(tmp_path, config: str, tasks: list, fmt: str):
    """The converter's output for `fmt`, run on our JSON export, parsed."""
    work = tmp_path / f"oracle-{uuid.uuid4().hex[:8]}"
    work.mkdir()
    source = work / "export.json"
    source.write_text(json.dumps(tasks), encoding="utf-8")
    out = work / "out"
    conv = converter.Converter(config=config, project_dir=None, download_resources=False)
    if fmt == "JSON_MIN":
        conv.convert_to_json_min(str(source), str(out), is_dir=False)
        return json.loads((out / "result.json").read_text(encoding="utf-8"))
    conv.convert_to_csv(str(source), str(out), is_dir=False, sep=SEPARATOR[fmt])
    return parse_table((out / "result.csv").read_bytes(), SEPARATOR[fmt])


def parse_table(raw: bytes, sep: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""), delimiter=sep)
    rows = list(reader)
    return reader.fieldnames, rows


def export(client, pid, fmt, **params):
    r = client.get(f"/api/projects/{pid}/export", params={"exportType": fmt, **params})
    assert r.status_code == 200, r.text
    return r


def check_download(r, pid, fmt):
    disposition = r.headers["content-disposition"]
    match = FILENAME.fullmatch(disposition)
    assert match, disposition
    assert int(match.group(1)) == pid
    assert match.group(2) in (LS_EXTENSION[fmt], ".tsv")  # see test_tsv_download_is_named_like_label_studio


def check_csv_bytes(raw: bytes, sep: str, n_records: int):
    assert b"\r\n\r\n" not in raw and b"\n\n" not in raw and b"\r\r" not in raw, raw[:500]
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), delimiter=sep))
    assert all(rows), "blank row in the CSV"
    assert len(rows) == 1 + n_records
    assert rows[0] == sorted(rows[0])
    assert not raw.startswith(b"\xef\xbb\xbf")


OPTION_SETS = [
    ("all", lambda p: {"download_all_tasks": "true"}),
    ("finished", lambda p: {"download_all_tasks": "false"}),
    ("default", lambda p: {}),
    ("legacy-bool", lambda p: {"download_all_tasks": "True"}),
    ("subset-all", lambda p: {"download_all_tasks": "true", "ids[]": p["subset"]}),
    ("subset-finished", lambda p: {"download_all_tasks": "false", "ids[]": p["subset"]}),
]


def expected_ids(p: dict, params: dict) -> list[int]:
    ids = list(p["tasks"])
    if "ids[]" in params:
        ids = [i for i in ids if i in set(params["ids[]"])]
    if params.get("download_all_tasks", "false").lower() != "true":
        ids = [i for i in ids if i in p["annotated"]]
    return sorted(ids)


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("kind", ["flowers", "detection"])
def test_every_format_matches_the_converter(client, tmp_path, kind):
    p = BUILDERS[kind](client)
    pid = p["id"]
    for label, make in OPTION_SETS:
        params = make(p)
        r = export(client, pid, "JSON", **params)
        check_download(r, pid, "JSON")
        tasks = r.json()
        assert [t["id"] for t in tasks] == expected_ids(p, params), label
        for fmt in ("JSON_MIN", "CSV", "TSV"):
            r = export(client, pid, fmt, **params)
            check_download(r, pid, fmt)
            expected = run_oracle(tmp_path, p["config"], tasks, fmt)
            if fmt == "JSON_MIN":
                assert r.headers["content-type"].startswith("application/json")
                assert r.json() == expected, (label, fmt)
            else:
                header, rows = parse_table(r.content, SEPARATOR[fmt])
                assert (header, rows) == expected, (label, fmt)
                check_csv_bytes(r.content, SEPARATOR[fmt], len(rows))


def test_json_export_has_label_studios_task_shape(client):
    p = build_flowers(client)
    pid, (me, other) = p["id"], p["users"]
    tasks = export(client, pid, "JSON", download_all_tasks="true").json()
    assert len(tasks) == len(p["tasks"])
    for task in tasks:
        assert TASK_KEYS <= set(task) <= TASK_KEYS | OPTIONAL_TASK_KEYS, set(task) ^ TASK_KEYS
        assert task["project"] == pid
        assert isinstance(task["drafts"], list)
        # predictions are ids in the sync export, the same ids the predictions API knows
        listed = client.get("/api/predictions", params={"task": task["id"]}).json()
        assert task["predictions"] == [x["id"] for x in listed]
        assert task["total_predictions"] == len(listed)
        # annotations are full objects, cancelled ones included, completed_by a bare user id
        api_task = client.get(f"/api/tasks/{task['id']}").json()
        assert [a["id"] for a in task["annotations"]] == sorted(a["id"] for a in api_task["annotations"])
        for a in task["annotations"]:
            assert set(a) == ANNOTATION_KEYS, set(a) ^ ANNOTATION_KEYS
            assert isinstance(a["completed_by"], int) and a["completed_by"] in (me, other)
            assert a["task"] == task["id"] and a["project"] == pid
            assert a["result_count"] == len(a["result"])
        assert task["total_annotations"] == sum(not a["was_cancelled"] for a in task["annotations"])
        assert task["cancelled_annotations"] == sum(a["was_cancelled"] for a in task["annotations"])
        assert task["data"] == api_task["data"]
    first = tasks[0]
    assert first["data"]["nested"] == {"a": {"b": [1, 2.5, {"c": "d"}]}, "url": "s3://bucket/key.png"}
    assert first["data"]["big"] == 10 ** 12 and first["data"]["nothing"] is None
    assert first["meta"] == {"source": "camera-1"}
    by_choice = {}
    for a in first["annotations"]:
        by_choice.setdefault((a["result"][0]["value"]["choices"][0], a["was_cancelled"]), a)
    assert by_choice[("daisy", False)]["lead_time"] == 12.5 and by_choice[("daisy", False)]["completed_by"] == me
    assert by_choice[("rose", False)]["ground_truth"] is True and by_choice[("rose", False)]["completed_by"] == other
    assert by_choice[("tulip", True)]["completed_by"] == other
    assert ("rose", True) in by_choice  # posted with ?was_cancelled=true
    assert len(first["predictions"]) == 2
    # Bare-data import, no annotations at all
    assert tasks[3]["data"] == {"image_path": "d.jpg", "n": 5}


def test_only_finished_keeps_tasks_with_any_annotation_even_cancelled(client):
    p = build_flowers(client)
    pid, ids = p["id"], p["tasks"]
    finished = [t["id"] for t in export(client, pid, "JSON").json()]
    assert finished == sorted(p["annotated"])
    assert ids[2] in finished  # only a cancelled annotation
    assert ids[1] not in finished  # a prediction but no annotation
    everything = [t["id"] for t in export(client, pid, "JSON", download_all_tasks="1").json()]
    assert everything == ids
    # ids given twice as LS's legacy client does, as repeated ids[] parameters
    r = client.get(f"/api/projects/{pid}/export?exportType=JSON&download_all_tasks=true"
                   f"&ids[]={ids[1]}&ids[]={ids[4]}")
    assert [t["id"] for t in r.json()] == [ids[1], ids[4]]
    # an empty selection is an empty export, still a valid file
    r = client.get(f"/api/projects/{pid}/export?exportType=CSV&ids[]={ids[1]}")
    assert r.status_code == 200
    header, rows = parse_table(r.content, ",")
    assert rows == [] and header


def test_tsv_download_is_named_tsv(client, project):
    """A deliberate difference: Label Studio names its TSV download .csv (the converter's result.csv)."""
    client.post(f"/api/projects/{project['id']}/import", json=[{"image_path": "a.jpg"}])
    r = export(client, project["id"], "TSV", download_all_tasks="true")
    assert FILENAME.fullmatch(r.headers["content-disposition"]).group(2) == ".tsv"


def _snapshot(client, pid, body) -> dict:
    r = client.post(f"/api/projects/{pid}/exports", json=body)
    assert r.status_code == 201, r.text
    # A project this small is written before the answer, as Label Studio's: downloadable at once.
    snap = r.json()
    assert snap["status"] == "completed", snap
    return snap


def _download(client, pid, eid, fmt):
    r = client.get(f"/api/projects/{pid}/exports/{eid}/download", params={"exportType": fmt})
    assert r.status_code == 200, r.text
    check_download(r, pid, fmt)
    return r


def _emails(client) -> dict[int, str]:
    return {u["id"]: u["email"] for u in client.get("/api/users").json()}


def test_snapshot_with_label_studios_default_options_equals_the_sync_export(client):
    """LS: serialization_options absent -> no expand -> completed_by stays an int, as in the sync export."""
    p = build_flowers(client)
    pid = p["id"]
    sync_json = export(client, pid, "JSON", download_all_tasks="true").json()
    sync_csv = parse_table(export(client, pid, "CSV", download_all_tasks="true").content, ",")
    snap = _snapshot(client, pid, {"title": "defaults"})
    assert _download(client, pid, snap["id"], "JSON").json() == sync_json
    assert parse_table(_download(client, pid, snap["id"], "CSV").content, ",") == sync_csv


def test_snapshot_with_expanded_completed_by_differs_only_in_annotator(client, tmp_path):
    """The legacy SDK's export_snapshot_create(..., serialization_options_annotations__completed_by=False)."""
    p = build_detection(client)
    pid = p["id"]
    emails = _emails(client)
    sync_csv = parse_table(export(client, pid, "CSV", download_all_tasks="true").content, ",")
    snap = _snapshot(client, pid, {"title": "expanded", "serialization_options": {
        "drafts": {"only_id": True}, "predictions": {"only_id": True},
        "annotations__completed_by": {"only_id": False}},
        "annotation_filter_options": {"usual": True, "ground_truth": True, "skipped": True}})
    snap_json = _download(client, pid, snap["id"], "JSON").json()
    for task in snap_json:
        for a in task["annotations"]:
            user = a["completed_by"]
            assert isinstance(user, dict) and {"id", "email", "first_name", "last_name"} <= set(user)
            assert user["email"] == emails[user["id"]]
    header, rows = parse_table(_download(client, pid, snap["id"], "CSV").content, ",")
    # The converter writes the email for an expanded user, the id for a bare one.
    expected_rows = [dict(row, annotator=emails[int(row["annotator"])] if row["annotator"] else "")
                     for row in sync_csv[1]]
    assert (header, rows) == (sync_csv[0], expected_rows)
    # and that CSV is itself what the converter makes of the snapshot's JSON
    assert (header, rows) == run_oracle(tmp_path, DETECTION, snap_json, "CSV")
    tsv = _download(client, pid, snap["id"], "TSV").content
    assert parse_table(tsv, "\t") == run_oracle(tmp_path, DETECTION, snap_json, "TSV")
    check_csv_bytes(tsv, "\t", len(rows))
    assert _download(client, pid, snap["id"], "JSON_MIN").json() == run_oracle(tmp_path, DETECTION, snap_json,
                                                                                "JSON_MIN")


def test_snapshot_annotation_filter_drops_cancelled(client):
    p = build_flowers(client)
    pid = p["id"]
    snap = _snapshot(client, pid, {"annotation_filter_options": {"usual": True, "ground_truth": True,
                                                                 "skipped": False},
                                   "serialization_options": {"annotations__completed_by": {"only_id": True}}})
    tasks = _download(client, pid, snap["id"], "JSON").json()
    assert [t["id"] for t in tasks] == p["tasks"]
    assert all(not a["was_cancelled"] for t in tasks for a in t["annotations"])
    assert any(t["annotations"] for t in tasks)
    assert all(isinstance(a["completed_by"], int) for t in tasks for a in t["annotations"])


# Configs whose offered formats differ in the converter.
FORMAT_CONFIGS = {
    "flowers": FLOWERS,
    "detection": DETECTION,
    "ner": '<View><Text name="text" value="$text"/><Labels name="label" toName="text">'
           '<Label value="PER"/></Labels></View>',
    "two-keys": '<View><Image name="a" value="$a"/><Text name="t" value="$t"/>'
                '<Choices name="c" toName="a"><Choice value="x"/></Choices></View>',
    "asr": '<View><Audio name="audio" value="$audio"/><TextArea name="transcription" toName="audio"/></View>',
    "brush": '<View><Image name="image" value="$image"/><BrushLabels name="tag" toName="image">'
             '<Label value="Cat"/></BrushLabels></View>',
}


def test_export_formats_enable_what_the_converter_supports(client):
    every = {f.name for f in Format}
    for name, config in FORMAT_CONFIGS.items():
        r = client.post("/api/projects", json={"title": name, "label_config": config})
        assert r.status_code == 201, r.text
        pid = r.json()["id"]
        r = client.get(f"/api/projects/{pid}/export/formats")
        assert r.status_code == 200, r.text
        formats = r.json()
        supported = set(converter.Converter(config=config, project_dir=None).supported_formats)
        names = [f["name"] for f in formats]
        assert len(names) == len(set(names)) and set(names) <= every, name
        enabled = {f["name"] for f in formats if not f.get("disabled")}
        assert enabled == supported & set(names), name
        assert {"JSON", "JSON_MIN", "CSV", "TSV"} <= enabled, name
        for f in formats:
            assert f["title"] and f["description"]
            if f["name"] in enabled:  # each enabled format actually exports
                r = client.get(f"/api/projects/{pid}/export", params={"exportType": f["name"]})
                assert r.status_code == 200, (name, f["name"], r.text)
        # Formats the converter refuses for this config are refused here too, naming the ones to use.
        for refused in sorted(every - supported)[:2]:
            r = client.get(f"/api/projects/{pid}/export", params={"exportType": refused})
            assert r.status_code == 400, (name, refused, r.text)
            assert "JSON" in r.json()["detail"]


def test_export_formats_list_every_format_label_studio_offers(client):
    r = client.post("/api/projects", json={"title": "det", "label_config": DETECTION})
    formats = client.get(f"/api/projects/{r.json()['id']}/export/formats").json()
    supported = set(converter.Converter(config=DETECTION, project_dir=None).supported_formats)
    assert {f["name"] for f in formats} == {f.name for f in Format}
    assert {f["name"] for f in formats if not f.get("disabled")} == supported
