"""JSON_MIN, CSV and TSV exports against Label Studio's own converter as the oracle."""
import csv
import io
import json
import os
import random

import pytest

from labelhive.exporters.minimal import min_records, parse_controls, write_json_min
from labelhive.exporters.tabular import json_cell, write_csv

converter = pytest.importorskip("label_studio_sdk.converter")

CONFIG = """<View>
  <Image name="image" value="$image"/>
  <Choices name="class" toName="image"><Choice value="a"/><Choice value="b, &quot;c&quot;"/></Choices>
  <Choices name="multi" toName="image" choice="multiple"><Choice value="x"/><Choice value="y"/></Choices>
  <TextArea name="note" toName="image"/>
  <RectangleLabels name="box" toName="image"><Label value="car"/></RectangleLabels>
  <Rating name="text" toName="image"/>
  <Filter name="filter" toName="class"/>
</View>"""

FLOWERS = """<View>
  <Image name="image" value="$image_path"/>
  <Choices name="class" toName="image">
    <Choice value="daisy"/><Choice value="dandelion"/><Choice value="rose"/>
    <Choice value="sunflower"/><Choice value="tulip"/>
  </Choices>
</View>"""


def region(from_name, kind, value, **extra):
    return {"id": f"r{random.random():.6f}", "from_name": from_name, "to_name": "image", "type": kind,
            "value": value, **extra}


def box(x, label="car", **extra):
    value = {"x": x, "y": 2.5, "width": 1e-5, "height": 40, "rotation": 0, "rectanglelabels": [label], **extra}
    return region("box", "rectanglelabels", value, original_width=640, original_height=480, image_rotation=0)


def annotation(aid, result, completed_by=1, created="2026-11-27T17:20:45.123456Z", **extra):
    return {"id": aid, "result": result, "completed_by": completed_by, "was_cancelled": False,
            "ground_truth": False, "created_at": created, "updated_at": created.replace("17:", "18:"),
            "lead_time": 12.5, "prediction": {}, "result_count": len(result), "task": 1, "project": 1, **extra}


def varied_tasks():
    choice = lambda v: region("class", "choices", {"choices": [v]})  # noqa: E731
    return [
        {  # several annotations, newest first in the export; completed_by as int, dict, dict without email
            "id": 1, "created_at": "2026-11-27T17:00:00Z", "predictions": [3],
            "data": {"image": "http://example.com/a b/é.png", "text": "collides with the Rating control",
                     "meta": {"k": [1, 2.5e-7, None, True], "url": "s3://x/y"}, "n": 3, "f": 1.5e-7,
                     "big": 1e20, "b": False, "nul": None, "quote": 'say "hi", then\nleave'},
            "annotations": [
                annotation(10, [choice("a"), region("multi", "choices", {"choices": ["x", "y"]}),
                                region("note", "textarea", {"text": ["line1\nline2"]}),
                                box(1.5), box(10, type="stray"), region("text", "rating", {"rating": 4}),
                                region("unknown", "choices", {"choices": ["dropped"]})], completed_by=5),
                annotation(11, [choice('b, "c"')], completed_by={"id": 6, "email": "u@x.io", "first_name": ""},
                           created="2026-11-28T17:20:45.123456Z"),
                annotation(12, [choice("a")], completed_by={"id": 7}, created="2026-11-26T17:20:45Z"),
                annotation(13, [choice("b")], was_cancelled=True, created="2026-11-29T00:00:00Z"),
            ],
        },
        {"id": 2, "data": {"image": "b.png", "n": 1.0}, "annotations": [], "predictions": []},
        {"id": 3, "data": {"image": "c.png"}, "annotations": [annotation(14, [choice("a")], was_cancelled=True)]},
        {"id": 4, "data": {"image": "d.png"}},  # no annotations key at all
        {"id": 5, "data": {"image": "e.png", "annotator": "data wins?", "id": "data id"},
         "annotations": [
             annotation(15, [region("note", "textarea", {"text": ["a", "b"]})], completed_by=None),
             annotation(16, [region("note", "textarea", {"text": ["a"]}),
                             region("note", "textarea", {"text": ["c"]})], completed_by=3),
             annotation(17, [], completed_by=4),
             annotation(18, [choice("a")], skipped=True),
         ]},
        {"id": 6, "data": {"image": "f.png", "list": [{"a": 1}, [], "", 0.1]},
         "annotations": [annotation(19, [region("multi", "choices", {"choices": []}), box(0.0001)])]},
    ]


def run_converter(tmp_path, tasks, config, fmt, **kwargs):
    source = tmp_path / "tasks.json"
    source.write_text(json.dumps(tasks))
    out_dir = tmp_path / f"out-{fmt}"
    conv = converter.Converter(config=config, project_dir=None, download_resources=False)
    if fmt == "JSON_MIN":
        conv.convert_to_json_min(str(source), str(out_dir), is_dir=False)
        return json.loads((out_dir / "result.json").read_text(encoding="utf8"))
    conv.convert_to_csv(str(source), str(out_dir), is_dir=False, **kwargs)
    return (out_dir / "result.csv").read_bytes()


def our_csv(tasks, config, sep=","):
    buf = io.BytesIO()
    write_csv(lambda: iter(tasks), config, buf, sep=sep)
    return buf.getvalue()


def parse(raw: bytes, sep=","):
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), delimiter=sep))


def test_json_min_records_match_converter(tmp_path):
    tasks = varied_tasks()
    controls = parse_controls(CONFIG)
    ours = [record for task in tasks for record in min_records(task, controls)]
    assert ours == run_converter(tmp_path, tasks, CONFIG, "JSON_MIN")
    # The cases the records were built to pin down.
    by_annotation = {r["annotation_id"]: r for r in ours}
    assert [r["annotation_id"] for r in ours if r["id"] == 1] == [11, 10, 12]
    assert by_annotation[10]["annotator"] == 5 and by_annotation[11]["annotator"] == "u@x.io"
    assert by_annotation[12]["annotator"] is None and by_annotation[15]["annotator"] == "None"
    assert by_annotation[10]["multi"] == {"choices": ["x", "y"]}
    assert by_annotation[10]["text"] == [{"rating": 4}]  # the control replaces the data field
    assert by_annotation[16]["note"] == ["a", "c"]
    assert [r for r in ours if r["id"] == 2] == [{"image": "b.png", "n": 1.0, "id": 2, "annotator": None,
                                                  "annotation_id": None, "created_at": None,
                                                  "updated_at": None, "lead_time": None}]
    assert not [r for r in ours if r["id"] in (3, 4)]


def test_json_min_file_matches_converter(tmp_path):
    tasks = varied_tasks()
    buf = io.BytesIO()
    write_json_min(iter(tasks), CONFIG, buf)
    assert json.loads(buf.getvalue()) == run_converter(tmp_path, tasks, CONFIG, "JSON_MIN")
    buf = io.BytesIO()
    write_json_min([], CONFIG, buf)
    assert json.loads(buf.getvalue()) == []


@pytest.mark.parametrize("sep", [",", "\t"])
def test_csv_matches_converter(tmp_path, sep):
    tasks = varied_tasks()
    ours = our_csv(tasks, CONFIG, sep)
    theirs = run_converter(tmp_path, tasks, CONFIG, "CSV", sep=sep)
    assert parse(ours, sep) == parse(theirs, sep)
    # Same quoting and number formatting too; LS opens its file in text mode, so only on
    # "\n" platforms do its bytes equal ours.
    if os.linesep == "\n":
        assert ours == theirs
    header = parse(ours, sep)[0]
    assert header == sorted(header)
    assert "_data_text" in header and "text" in header
    assert ours.splitlines()[0].count(sep.encode()) == len(header) - 1


def test_csv_rows_are_not_separated_by_blank_lines():
    raw = our_csv(varied_tasks(), CONFIG)
    assert b"\r\n\r\n" not in raw and b"\n\n" not in raw and b"\r\r" not in raw
    rows = parse(raw)
    assert all(rows) and len(rows) == 1 + 8
    assert raw.endswith(b"\r\n")


def test_tsv_uses_tabs():
    raw = our_csv(varied_tasks(), CONFIG, sep="\t")
    header = raw.split(b"\r\n")[0]
    assert header.startswith(b'"_data_text"\t"annotation_id"\t"annotator"\t')
    assert b"," not in header


def test_flowers_header_is_what_label_studio_gave(tmp_path):
    tasks = [
        {"id": i, "data": {"image_path": f"/data/upload/1/{i}.jpg"},
         "annotations": [annotation(100 + i, [region("class", "choices", {"choices": [flower]})])]}
        for i, flower in enumerate(["daisy", "dandelion", "rose", "sunflower", "tulip"], start=1)
    ] + [{"id": 9, "data": {"image_path": "/data/upload/1/9.jpg"}, "annotations": []}]
    ours = our_csv(tasks, FLOWERS)
    rows = parse(ours)
    assert rows[0] == ["annotation_id", "annotator", "class", "created_at", "id", "image_path",
                       "lead_time", "updated_at"]
    assert rows[1][:3] == ["101", "1", "daisy"]
    assert ours.split(b"\r\n")[1].startswith(b'101,"1","daisy",')
    assert rows[-1] == ["", "", "", "", "9", "/data/upload/1/9.jpg", "", ""]
    assert parse(ours) == parse(run_converter(tmp_path, tasks, FLOWERS, "CSV", sep=","))


def test_custom_interface_without_controls_keeps_every_region(tmp_path):
    tasks = [{"id": 1, "data": {"image": "a.png"},
              "annotations": [annotation(1, [region("anything", "choices", {"choices": ["q"]}),
                                             box(3)])]}]
    controls = parse_controls("<View></View>")
    expected = run_converter(tmp_path, tasks, "<View></View>", "JSON_MIN")
    assert [r for t in tasks for r in min_records(t, controls)] == expected
    assert expected[0]["anything"] == [{"choices": ["q"]}]
    assert parse(our_csv(tasks, "<View></View>")) == parse(run_converter(tmp_path, tasks, "<View></View>", "CSV", sep=","))


def test_chat_messages_get_a_transcript_column(tmp_path):
    config = '<View><Chat name="chat" value="$messages"/><Choices name="ok" toName="chat"><Choice value="y"/></Choices></View>'
    message = lambda role, content: {"from_name": "chat", "to_name": "chat", "type": "chatmessage",  # noqa: E731
                                     "value": {"chatmessage": {"role": role, "content": content}}}
    tasks = [{"id": 1, "data": {"messages": [{"role": "user", "content": "hi"}]},
              "annotations": [annotation(1, [message("user", "hi"), message("assistant", ""),
                                             message("", "bare")])]}]
    controls = parse_controls(config)
    assert [r for t in tasks for r in min_records(t, controls)] == run_converter(tmp_path, tasks, config, "JSON_MIN")
    ours = parse(our_csv(tasks, config))
    assert ours == parse(run_converter(tmp_path, tasks, config, "CSV", sep=","))
    row = dict(zip(ours[0], ours[1]))
    assert row["chat_transcript"] == "user: hi\nassistant:\nbare"


def test_repeater_controls_match_numbered_from_names(tmp_path):
    # LS hands the converter its parsed config, in which Repeater controls carry a regex.
    from label_studio_sdk._extensions.label_studio_tools.core.label_config import parse_config

    config = """<View><Repeater on="$pages" indexFlag="{{idx}}">
      <Image name="page_{{idx}}" value="$pages[{{idx}}].url"/>
      <Choices name="lbl_{{idx}}" toName="page_{{idx}}"><Choice value="ok"/></Choices>
    </Repeater></View>"""
    tasks = [{"id": 1, "data": {"pages": [{"url": "a.png"}, {"url": "b.png"}]},
              "annotations": [annotation(1, [region("lbl_0", "choices", {"choices": ["ok"]}),
                                             region("lbl_1", "choices", {"choices": ["ok"]}),
                                             region("other", "choices", {"choices": ["ok"]})])]}]
    parsed = parse_config(config)
    controls = parse_controls(config)
    ours = [r for t in tasks for r in min_records(t, controls)]
    assert ours == run_converter(tmp_path, tasks, parsed, "JSON_MIN")
    assert ours[0]["lbl_0"] == "ok" and "other" not in ours[0]
    assert parse(our_csv(tasks, config)) == parse(run_converter(tmp_path, tasks, parsed, "CSV", sep=","))


def test_json_cell_encodes_like_ujson():
    ujson = pytest.importorskip("ujson")
    rng = random.Random(7)
    values = [
        [1e-7, -2.5e-5, 1.5e-10, 1e-100, 0.0001, 1e16, 1e20, 1e15, 0.1, -0.0, 2**63, 5e-324],
        {"url": "http://x/y", "s": "e-07 stays e-07 in a string", "k": ["a/b", 'q"/"'], "n": None, "t": True},
        ["\b\f\n\r\t\x7f\x1b", "😀", "é", "\\/"],
    ]
    values += [[rng.uniform(-1, 1) * 10 ** rng.randint(-12, 25) for _ in range(50)] for _ in range(20)]
    for value in values:
        assert json_cell(value) == ujson.dumps(value, ensure_ascii=False)


def test_csv_streams_in_two_passes_and_is_fast():
    calls = []

    def tasks():
        calls.append(1)
        for i in range(10_000):
            yield {"id": i, "data": {"image": f"http://x/{i}.png", "meta": {"i": i}},
                   "annotations": [annotation(i, [region("class", "choices", {"choices": ["a"]}), box(i / 7)],
                                              completed_by={"id": 1, "email": "a@b.c"})]}

    buf = io.BytesIO()
    write_csv(tasks, CONFIG, buf)
    assert len(calls) == 2
    assert buf.getvalue().count(b"\r\n") == 10_001
