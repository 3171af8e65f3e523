"""CoNLL, ASR manifest and legacy CSV exports through the API, each checked against label_studio_sdk.converter
on our own JSON export (brush formats: tests/test_export_brush.py).

Where LabelHive deliberately differs (a fix of a converter bug), the test shows the converter's output too.
"""
import csv
import io
import json
import random
import uuid
import wave

import pytest
from export_helpers import annotate, export, import_tasks, new_project, run_oracle, unpack, upload

pytest.importorskip("label_studio_sdk.converter")

NER = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/>
    <Label value="ORG"/>
    <Label value="LOC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""

ASR = """<View>
  <Audio name="audio" value="$audio"/>
  <TextArea name="transcription" toName="audio" rows="2"/>
</View>"""


@pytest.fixture(autouse=True)
def no_label_studio_host(monkeypatch):
    for name in ("LABEL_STUDIO_URL", "LABEL_STUDIO_HOST", "LABEL_STUDIO_API_KEY", "LABEL_STUDIO_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def span(text: str, phrase: str, label: str, nth: int = 0, length: int | None = None) -> dict:
    """A Labels region over the nth occurrence of `phrase` (code-point offsets, end exclusive)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    end = start + (len(phrase) if length is None else length)
    return {"id": uuid.uuid4().hex[:10], "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


# ---------------------------------------------------------------- CONLL2003

PLAIN = "John Smith works at Acme Corp. in New York."
PUNCT = 'He said "don\'t pay $3.88 (or 4,50 euros) for A/B tests" -- Mary-Ann\'s advice... OK?'
OVERLAP = "Barack Obama visited the Eiffel Tower in Paris"
ADJACENT = "AcmeCorp hired NewYorkers"
EMOJI = "😀🎉 Hi Anna, meet Bob from Zürich!"


def test_conll_matches_the_converter(client, tmp_path):
    pid = new_project(client, NER)
    plain, punct, overlap, adjacent, emoji, blank, cancelled, labelless = import_tasks(client, pid, [
        {"text": t} for t in (PLAIN, PUNCT, OVERLAP, ADJACENT, EMOJI, "Nobody labelled this.", "Skipped it.",
                              "A text with no spans.")])
    annotate(client, plain, [span(PLAIN, "John Smith", "PER"), span(PLAIN, "Acme Corp", "ORG"),
                             span(PLAIN, "New York", "LOC")])
    annotate(client, plain, [span(PLAIN, "John", "PER"), span(PLAIN, "York.", "LOC")])  # a second annotation
    annotate(client, punct, [span(PUNCT, "don't", "ORG"), span(PUNCT, "$3.88", "LOC"), span(PUNCT, "A/B", "ORG"),
                             span(PUNCT, "Mary-Ann", "PER"), span(PUNCT, "4,50 euros", "LOC")])
    # overlapping spans, a span with the space after it, spans listed out of order
    annotate(client, overlap, [span(OVERLAP, "Paris", "LOC"), span(OVERLAP, "Barack Obama ", "PER"),
                               span(OVERLAP, "Obama visited", "ORG"), span(OVERLAP, "Eiffel", "LOC", length=12)])
    # adjacent spans inside one token, and a span that starts in the middle of a word
    annotate(client, adjacent, [span(ADJACENT, "Acme", "ORG"), span(ADJACENT, "Corp", "PER"),
                                span(ADJACENT, "York", "LOC")])
    annotate(client, emoji, [span(EMOJI, "Anna", "PER"), span(EMOJI, "Bob", "PER"), span(EMOJI, "Zürich", "LOC")])
    annotate(client, cancelled, [span("Skipped it.", "Skipped", "PER")], was_cancelled=True)
    annotate(client, labelless, [])
    tasks = export(client, pid, "JSON").json()

    ours = unpack(export(client, pid, "CONLL2003"))
    expected = run_oracle(tmp_path, NER, tasks, "CONLL2003")
    assert list(ours) == ["<file>conll"] and list(expected) == ["result.conll"]
    assert ours["<file>conll"].decode() == expected["result.conll"].decode()

    blocks = ours["<file>conll"].decode().split("\n\n")
    assert blocks[0].startswith("-DOCSTART- -X- O\n")
    # 7 tasks give blocks (the cancelled one none), the two annotations of the first task two of them
    assert len([b for b in blocks if b.strip()]) == 8
    lines = set(ours["<file>conll"].decode().splitlines())
    assert {"John -X- _ B-PER", "Smith -X- _ I-PER", "Acme -X- _ B-ORG", "Corp. -X- _ I-ORG",
            "Anna -X- _ B-PER", ", -X- _ O", "Bob -X- _ B-PER", "Zürich -X- _ B-LOC", "😀🎉 -X- _ O",
            "A -X- _ B-ORG", "/ -X- _ I-ORG", "B -X- _ I-ORG", '" -X- _ O', "do -X- _ B-ORG", "n't -X- _ I-ORG",
            "$ -X- _ B-LOC", "3.88 -X- _ I-LOC"} <= lines


# ---------------------------------------------------------------- ASR_MANIFEST


def wav(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(b"\x00\x00" * int(seconds * rate))
    return out.getvalue()


def transcript(*lines: str) -> dict:
    return {"id": uuid.uuid4().hex[:10], "from_name": "transcription", "to_name": "audio", "type": "textarea",
            "value": {"text": list(lines)}}


def build_asr(client) -> tuple[int, list[int]]:
    pid = new_project(client, ASR)
    ids = upload(client, pid, {"hello.wav": wav(1.5), "two words.wav": wav(0.25, 16000), "silence.wav": wav(2)})
    web = import_tasks(client, pid, [{"audio": "http://127.0.0.1:9/remote.wav"}])  # nothing listens on port 9
    annotate(client, ids[0], [transcript("hello world", "second line")])
    annotate(client, ids[1], [transcript("two words")], completed_by=None)
    annotate(client, ids[1], [transcript("too words")], was_cancelled=True)
    annotate(client, web[0], [transcript("not here")])
    return pid, ids + web


def test_asr_manifest_matches_the_converter(client, tmp_path):
    pid, (hello, two, silence, _) = build_asr(client)
    tasks = export(client, pid, "JSON").json()
    media = str(client.app.state.settings.media_dir / "upload")
    ours = unpack(export(client, pid, "ASR_MANIFEST"))
    # the untranscribed audio is left out of both: the converter stops at it, see the next test
    transcribed = [t for t in tasks if t["id"] != silence]
    expected = run_oracle(tmp_path, ASR, transcribed, "ASR_MANIFEST", upload_dir=media)
    assert ours.pop("manifest.json") == expected.pop("manifest.json")
    # the converter copies every audio file it reads, transcribed or not
    assert set(ours) - set(expected) == {next(k for k in ours if k.endswith("silence.wav"))}
    assert all(ours[k] == v for k, v in expected.items())

    records = [json.loads(line) for line in unpack(export(client, pid, "ASR_MANIFEST"))["manifest.json"].splitlines()]
    assert [(r["text"], r["duration"]) for r in records] == [("hello world", 1.5), ("two words", 0.25)]
    assert all(r["audio_filepath"].startswith("audio/") and r["audio_filepath"] in ours for r in records)
    assert records[1]["audio_filepath"].endswith("-two_words.wav")  # the upload's name


def test_audio_without_a_transcript_is_skipped_a_fix_of_the_converter(client, tmp_path):
    """The converter reads the transcript from a loop variable left over from the previous task: the first
    untranscribed task stops the export (UnboundLocalError), a later one gets the previous task's text."""
    pid, (hello, two, silence, _) = build_asr(client)
    tasks = export(client, pid, "JSON").json()
    media = str(client.app.state.settings.media_dir / "upload")
    by_id = {t["id"]: t for t in tasks}
    with pytest.raises(NameError):
        run_oracle(tmp_path, ASR, [by_id[silence]], "ASR_MANIFEST", upload_dir=media)
    label_studio = run_oracle(tmp_path, ASR, [by_id[two], by_id[silence]], "ASR_MANIFEST", upload_dir=media)
    ls_records = [json.loads(line) for line in label_studio["manifest.json"].splitlines()]
    assert [(r["audio_filepath"].rsplit("-", 1)[-1], r["text"]) for r in ls_records] == [
        ("two_words.wav", "two words"), ("silence.wav", "two words")]  # wrong: nobody said that
    ours = [json.loads(line) for line in unpack(export(client, pid, "ASR_MANIFEST"))["manifest.json"].splitlines()]
    assert not any(r["audio_filepath"].endswith("silence.wav") for r in ours)


def test_attached_folder_audio_is_listed_inside_the_export_a_fix_of_the_converter(tmp_path, database_url):
    """For a file of an attached folder the converter copies it to audio/ but lists its path on the server."""
    from fastapi.testclient import TestClient

    from conftest import TOKEN
    from labelhive.app import create_app
    from labelhive.config import Settings

    root = tmp_path / "home"
    (root / "calls").mkdir(parents=True)
    (root / "calls" / "one.wav").write_bytes(wav(0.5))
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, username="admin@example.com",
                        password="secret-password", user_token=TOKEN, local_files_root=root)
    app = create_app(settings)
    with TestClient(app, headers={"Authorization": f"Token {TOKEN}"}) as client:
        pid = new_project(client, ASR)
        r = client.post("/api/storages/localfiles", json={"project": pid, "path": str(root / "calls"),
                                                          "use_blob_urls": True})
        assert r.status_code == 201, r.text
        assert client.post(f"/api/storages/localfiles/{r.json()['id']}/sync").status_code == 200
        [task] = client.get("/api/tasks", params={"project": pid}).json()["tasks"]
        annotate(client, task["id"], [transcript("one")])
        tasks = export(client, pid, "JSON").json()
        ours = unpack(export(client, pid, "ASR_MANIFEST"))
    app.state.engine.dispose()
    resolver = lambda d: str(root / d)  # noqa: E731  Label Studio's server installs one like it
    label_studio = run_oracle(tmp_path, ASR, tasks, "ASR_MANIFEST", local_files_resolver=resolver)
    assert json.loads(label_studio["manifest.json"])["audio_filepath"] == str(root / "calls" / "one.wav")
    assert json.loads(ours["manifest.json"]) == {**json.loads(label_studio["manifest.json"]),
                                                 "audio_filepath": "audio/one.wav"}
    assert ours["audio/one.wav"] == label_studio["audio/one.wav"] == (root / "calls" / "one.wav").read_bytes()


# ---------------------------------------------------------------- CSV_OLD

MIXED = """<View>
  <Image name="image" value="$image"/>
  <Choices name="class" toName="image"><Choice value="cat"/><Choice value="dog"/></Choices>
  <Choices name="tags" toName="image" choice="multiple"><Choice value="indoor"/><Choice value="blurry"/></Choices>
  <TextArea name="caption" toName="image"/>
  <RectangleLabels name="box" toName="image"><Label value="cat"/></RectangleLabels>
  <Rating name="stars" toName="image"/>
</View>"""


def choices(name: str, *values: str) -> dict:
    return {"id": uuid.uuid4().hex[:10], "from_name": name, "to_name": "image", "type": "choices",
            "value": {"choices": list(values)}}


def build_mixed(client) -> int:
    pid = new_project(client, MIXED)
    ids = import_tasks(client, pid, [
        {"image": "http://127.0.0.1:9/a.jpg", "score": 0.5, "count": 3, "meta": {"k": [1, "x"]}},
        {"image": "http://127.0.0.1:9/b, \"quoted\".jpg", "score": 2, "note": "naïve, \"quoted\"\nline"},
        {"image": "http://127.0.0.1:9/c.jpg", "count": 7},  # never annotated
    ])
    box = {"id": "b1", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 640,
           "original_height": 480, "value": {"x": 10.5, "y": 20, "width": 30, "height": 40, "rotation": 0,
                                             "rectanglelabels": ["cat"]}}
    caption = {"id": "c1", "from_name": "caption", "to_name": "image", "type": "textarea",
               "value": {"text": ["one line", "two, lines"]}}
    annotate(client, ids[0], [choices("class", "cat"), choices("tags", "indoor", "blurry"), caption, box])
    annotate(client, ids[0], [choices("class", "dog")], was_cancelled=True)
    annotate(client, ids[1], [choices("tags"), box], completed_by=None)
    annotate(client, ids[1], [])
    return pid


def ls_csv_old(tasks: list, path) -> bytes:
    """What CSV_OLD meant in Label Studio's converter: its command line runs exactly this."""
    from label_studio_sdk.converter.exports.csv import ExportToCSV

    ExportToCSV(tasks).to_file(str(path), sep=",", header=True, index=False)
    return path.read_bytes()


def test_csv_old_matches_the_legacy_converter(client, tmp_path):
    pid = build_mixed(client)
    tasks = export(client, pid, "JSON").json()
    ours = unpack(export(client, pid, "CSV_OLD"))["<file>csv"]
    assert ours == ls_csv_old(tasks, tmp_path / "ls.csv")
    rows = list(csv.DictReader(io.StringIO(ours.decode())))
    # one row per region, cancelled annotations included; a multi-key value spreads into columns
    assert len(rows) == 7
    first = rows[0]
    assert first["class"] == "cat" and first["score"] == "0.5" and first["meta"] == "{'k': [1, 'x']}"
    assert rows[1]["tags"] == "['indoor', 'blurry']" and rows[2]["caption"] == "['one line', 'two, lines']"
    assert rows[3]["x"] == "10.5" and rows[3]["rectanglelabels"] == "['cat']"
    assert rows[-2]["note"] == 'naïve, "quoted"\nline'
    assert rows[0]["count"] == "3.0"  # pandas makes an integer column with gaps float, so does ours


def test_csv_old_is_written_where_the_converter_writes_nothing(client, tmp_path):
    """Label Studio's converter accepts CSV_OLD and writes no file; a rating (a value that is not a list)
    stops even its legacy CSV writer, which we write as the number."""
    from label_studio_sdk.converter import Converter

    pid = build_mixed(client)
    [task] = import_tasks(client, pid, [{"image": "http://127.0.0.1:9/d.jpg"}])
    annotate(client, task, [{"id": "s1", "from_name": "stars", "to_name": "image", "type": "rating",
                             "value": {"rating": 4}}])
    tasks = export(client, pid, "JSON").json()
    source, out = tmp_path / "export.json", tmp_path / "out"
    source.write_text(json.dumps(tasks))
    out.mkdir()
    Converter(config=MIXED, project_dir=None).convert(str(source), str(out), "CSV_OLD", is_dir=False)
    assert list(out.iterdir()) == []
    with pytest.raises(TypeError):
        ls_csv_old(tasks, tmp_path / "ls.csv")
    rows = list(csv.DictReader(io.StringIO(unpack(export(client, pid, "CSV_OLD"))["<file>csv"].decode())))
    assert rows[-1]["stars"] == "4.0" and rows[-1]["id"] == str(task)  # a column with gaps: pandas' float


def test_csv_old_of_a_project_without_annotations(client, tmp_path):
    pid = new_project(client, MIXED)
    import_tasks(client, pid, [{"image": "http://127.0.0.1:9/a.jpg"}])
    tasks = export(client, pid, "JSON").json()
    assert unpack(export(client, pid, "CSV_OLD"))["<file>csv"] == ls_csv_old(tasks, tmp_path / "ls.csv") == b"\n"


# ---------------------------------------------------------------- the writers on many generated inputs

PIECES = ["Hello", "world", "don't", "cannot", "gonna", "'tis", '"', "''", "``", "'", "(", ")", "[", "{", "<", "--",
          "...", ".", ",", ":", ";", "@", "#", "$", "%", "&", "/", "?", "!", "3,50", "4.5", "😀", "Zürich", "I'm",
          "Mary-Ann's", "won't", "wanna", "U.S.", "\t", "\n", "  ", " ", " ", "\u00a0"]


def test_conll_tokens_and_tags_match_the_converter_on_generated_texts():
    from label_studio_sdk.converter.utils import create_tokens_and_tags

    from labelhive.exporters.conll import bio_tags

    rnd = random.Random(1)
    for _ in range(3000):
        text = "".join(rnd.choice(PIECES) + rnd.choice(["", " "]) for _ in range(rnd.randint(1, 12)))
        spans = []
        for _ in range(rnd.randint(0, 3)):
            start = rnd.randint(0, len(text))
            spans.append({"start": start, "end": rnd.randint(start, len(text)),
                          "labels": [rnd.choice(["PER", "LOC"])] if rnd.random() > 0.1 else []})
        tokens, tags = create_tokens_and_tags(text, [dict(s) for s in spans] or None)
        assert bio_tags(text, [dict(s) for s in spans] or None) == (list(tokens), list(tags)), (text, spans)


VALUES = [0, 1, -3, 2 ** 40, 2 ** 53 + 1, 2 ** 63, 2 ** 64, -2 ** 63 - 1, 1.5, 0.1 + 0.2, 1e20, 1e-7, -0.0, 3.0,
          True, False, None, "", "a,b", 'q"uote', "line\nbreak", "naïve", [1, 2], ["x"], [], {"k": [1, {"b": None}]}]


def test_csv_old_matches_the_legacy_writer_on_generated_projects(tmp_path):
    """Column types as pandas infers them: ints with gaps become floats, ints beyond int64 stay exact, a
    column of ints above int64 and negative ones is of objects, bools and lists are printed by str()."""
    from labelhive.exporters.csv_old import write_csv_old

    rnd = random.Random(3)
    for n in range(300):
        tasks = []
        for t in range(rnd.randint(0, 4)):
            data = {k: rnd.choice(VALUES) for k in rnd.sample(["d1", "d2", "d3", "image"], rnd.randint(1, 4))}
            annotations = []
            for _ in range(rnd.randint(0, 2)):
                result = [{"from_name": rnd.choice(["f1", "f2", "d1"]), "value": rnd.choice([
                    {"choices": rnd.choice([["a"], ["a", "b"], []])}, {"text": ["x", "y,z"]},
                    {"x": rnd.choice(VALUES[:14]), "y": 2, "rectanglelabels": ["c"]},
                    {"choices": [rnd.choice(VALUES[:17])]}])} for _ in range(rnd.randint(0, 3))]
                annotations.append({"id": rnd.randint(1, 99), "result": result,
                                    "completed_by": rnd.choice([1, {"email": "a@b"}, {"id": 5}])})
            tasks.append({"id": t + 1, "data": data, "annotations": annotations})
        out = tmp_path / str(n)
        out.mkdir()
        write_csv_old(lambda: iter(tasks), None, out)
        assert (out / "result.csv").read_bytes() == ls_csv_old(tasks, out / "ls.csv"), tasks


def test_yolo_lines_print_numbers_as_str_does():
    """YOLO label lines are the converter's str() of each number; the fast path must not change a byte,
    including where str() switches to exponents (below 1e-4, from 1e16) and for NaN."""
    from labelhive.exporters.yolo import _line

    edge = [1e-5, 0.00009, 0.0001, 1e-7, 1e16, 9.999e15, 10.00001, -0.0, 0.1 + 0.2, float("nan"), 1.0, -0.25]
    rnd = random.Random(5)
    cases = [[0, x, 0.5, 0.25, 0.125] for x in edge]
    cases += [[rnd.randrange(80)] + [rnd.uniform(-1, 2) * rnd.choice([1, 1e-3, 1e-5]) for _ in range(4)]
              for _ in range(20000)]
    for numbers in cases:
        assert _line(numbers) == " ".join(map(str, numbers)), numbers
