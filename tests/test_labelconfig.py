import logging
import time

import pytest

from labelhive import labelconfig as lc

FLOWERS = """<View>
  <Image name="image" value="$image_path" zoom="true" zoomControl="true" rotateControl="true"/>
  <Choices name="class" toName="image">
    <Choice value="daisy"/><Choice value="dandelion"/><Choice value="rose"/><Choice value="sunflower"/><Choice value="tulip"/>
  </Choices>
</View>"""

DETECTION = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img">
    <Label value="car" background="red"/><Label value="person" alias="human"/>
  </RectangleLabels>
</View>"""

POLYGONS = """<View>
  <Image name="img" value="$image"/>
  <PolygonLabels name="poly" toName="img" strokeWidth="3"><Label value="road"/><Label value="lane"/></PolygonLabels>
</View>"""

BRUSH = """<View>
  <Image name="img" value="$image"/>
  <BrushLabels name="mask" toName="img"><Label value="sky"/><Label value="ground"/></BrushLabels>
</View>"""

KEYPOINTS = """<View>
  <Image name="img" value="$image"/>
  <KeyPointLabels name="kp" toName="img"><Label value="nose"/><Label value="eye"/></KeyPointLabels>
</View>"""

NER = """<View>
  <Labels name="label" toName="text">
    <Label value="PER" background="red"/><Label value="ORG" background="darkorange"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""

ASR = """<View>
  <Audio name="audio" value="$audio"/>
  <TextArea name="transcription" toName="audio" rows="4" editable="true" maxSubmissions="1"/>
</View>"""

TEXT_CLASSIFICATION = """<View>
  <Text name="text" value="$review"/>
  <Choices name="sentiment" toName="text" choice="single-radio">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""

MULTI_KEYS = """<View>
  <Header value="$title"/>
  <Image name="img" value="$image"/>
  <Text name="caption" value="$caption"/>
  <Choices name="match" toName="img,caption"><Choice value="yes"/><Choice value="no"/></Choices>
  <Rating name="quality" toName="img"/>
</View>"""

REPEATER = """<View>
  <Repeater on="$pages" indexFlag="{{idx}}" mode="pagination">
    <Image name="page_{{idx}}" value="$pages[{{idx}}].url"/>
    <RectangleLabels name="labels_{{idx}}" toName="page_{{idx}}"><Label value="Title"/></RectangleLabels>
  </Repeater>
</View>"""

PER_REGION = """<View>
  <Text name="t" value="$text"/>
  <Labels name="l" toName="t"><Label value="PER"/></Labels>
  <TextArea name="note" toName="t" perRegion="true" whenLabelValue="PER"/>
  <Choices name="dyn" toName="t" value="$options"/>
  <Taxonomy name="tax" toName="t"><Choice value="A"><Choice value="A1"/></Choice><Choice value="B"/></Taxonomy>
</View>"""

VIDEO_TIMELINE = """<View>
  <Video name="video" value="$video"/>
  <TimelineLabels name="actions" toName="video"><Label value="run"/></TimelineLabels>
</View>"""

TEXT_URL_NER = """<View>
  <Text name="t" value="$url" valueType="url"/>
  <Labels name="l" toName="t"><Label value="PER"/></Labels>
</View>"""

IMAGE_LIST = """<View>
  <Image name="pages" valueList="$pages"/>
  <RectangleLabels name="box" toName="pages"><Label value="stamp"/></RectangleLabels>
</View>"""

ORACLE_CONFIGS = {
    "image classification": FLOWERS,
    "object detection": DETECTION,
    "polygons": POLYGONS,
    "brush": BRUSH,
    "keypoints": KEYPOINTS,
    "ner": NER,
    "audio transcription": ASR,
    "text classification": TEXT_CLASSIFICATION,
    "multiple data keys": MULTI_KEYS,
    "repeater": REPEATER,
    "per-region and dynamic": PER_REGION,
    "video timeline": VIDEO_TIMELINE,
    "text from url": TEXT_URL_NER,
    "image list": IMAGE_LIST,
    "empty view": "<View></View>",
}


def error_of(xml: str) -> lc.LabelConfigError:
    with pytest.raises(lc.LabelConfigError) as info:
        lc.parse(xml)
    return info.value


# --- parsing ---------------------------------------------------------------------------


def test_flowers_config_parses_into_objects_and_controls():
    config = lc.parse(FLOWERS)

    assert list(config.objects) == ["image"]
    image = config.objects["image"]
    assert (image.tag, image.value, image.data_key, image.line) == ("Image", "$image_path", "image_path", 2)

    assert list(config.controls) == ["class"]
    control = config.controls["class"]
    assert control.tag == "Choices"
    assert control.type == "choices"
    assert control.to_name == ["image"]
    assert control.labels == ["daisy", "dandelion", "rose", "sunflower", "tulip"]
    assert control.single_value is True
    assert control.line == 3

    assert config.data_keys == ["image_path"]
    assert config.first_data_key == "image_path"
    assert config.root.tag == "View"
    assert [c.tag for c in config.root.children] == ["Image", "Choices"]


def test_control_attributes_and_label_aliases():
    config = lc.parse(DETECTION)
    box = config.controls["box"]
    assert box.type == "rectanglelabels"
    # Results store the alias, so the alias is the label.
    assert box.labels == ["car", "human"]
    assert box.label_attrs["car"] == {"value": "car", "background": "red"}
    assert box.single_value is False


def test_multiple_choice_is_not_single_valued():
    config = lc.parse(
        '<View><Text name="t" value="$t"/>'
        '<Choices name="c" toName="t" choice="multiple"><Choice value="a"/></Choices>'
        '<Rating name="r" toName="t"/><Number name="n" toName="t"/><DateTime name="d" toName="t"/></View>'
    )
    single = {name: c.single_value for name, c in config.controls.items()}
    assert single == {"c": False, "r": True, "n": True, "d": True}


def test_to_name_lists_every_target():
    config = lc.parse(MULTI_KEYS)
    assert config.controls["match"].to_name == ["img", "caption"]


def test_unknown_tags_are_kept_in_the_tree():
    config = lc.parse(
        """<View>
  <Style>.big { font-size: 20px }</Style>
  <MyWidget color="blue"><Inner/></MyWidget>
  <Image name="img" value="$image"/>
  <Choices name="c" toName="img"><Choice value="x"/></Choices>
</View>"""
    )
    tags = [t.tag for t in config.root.iter()]
    assert tags == ["View", "Style", "MyWidget", "Inner", "Image", "Choices", "Choice"]
    widget = config.root.children[1]
    assert widget.attrs == {"color": "blue"}
    assert widget.line == 3
    assert config.root.children[0].text == ".big { font-size: 20px }"


def test_lowercase_view_root_is_accepted():
    config = lc.parse('<view><Image name="i" value="$img"/></view>')
    assert config.data_keys == ["img"]


def test_relations_need_no_name_or_to_name():
    config = lc.parse(
        '<View><Relations><Relation value="works_for"/></Relations>'
        '<Labels name="l" toName="t"><Label value="PER"/></Labels><Text name="t" value="$text"/></View>'
    )
    assert list(config.controls) == ["l"]


def test_filter_points_at_a_control_without_being_one():
    config = lc.parse(
        '<View><Filter name="f" toName="l"/><Labels name="l" toName="t"><Label value="PER"/></Labels>'
        '<Text name="t" value="$text"/></View>'
    )
    assert list(config.controls) == ["l"]


def test_deeply_nested_config_does_not_hit_the_recursion_limit():
    depth = 5000
    xml = "<View>" * depth + '<Text name="t" value="$text"/>' + "</View>" * depth
    assert lc.parse(xml).data_keys == ["text"]


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("xml", ["", "   ", "not xml at all"])
def test_empty_or_non_xml_is_rejected(xml):
    err = error_of(xml)
    assert "Label config" in err.message


def test_malformed_xml_reports_the_parser_line():
    err = error_of('<View>\n  <Image name="i" value="$i">\n</View>')
    assert err.line == 3
    assert "mismatched tag" in str(err)
    assert str(err).startswith("line 3:")


def test_xml_bomb_is_refused_without_expanding():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        "<View>&lol3;</View>"
    )
    err = error_of(bomb)
    assert "DOCTYPE" in err.message


def test_root_must_be_view():
    err = error_of('<Image name="i" value="$i"/>')
    assert err.tag == "Image"
    assert "<View>" in str(err)


@pytest.mark.parametrize(
    "tag",
    ["Choices", "Labels", "RectangleLabels", "PolygonLabels", "KeyPointLabels", "BrushLabels", "TextArea",
     "Rating", "Number", "DateTime", "Taxonomy", "Ranker", "Pairwise", "TimelineLabels", "VideoRectangle",
     "MagicWand", "BitmaskLabels", "HyperTextLabels", "ParagraphLabels", "TimeSeriesLabels"],
)
def test_control_without_name_is_rejected(tag):
    err = error_of(f'<View><Image name="img" value="$i"/>\n<{tag} toName="img"/></View>')
    assert (err.tag, err.attribute, err.line) == (tag, "name", 2)
    assert tag in str(err) and '"name"' in str(err)


@pytest.mark.parametrize("tag", ["Choices", "RectangleLabels", "TextArea", "Ellipse", "Brush"])
def test_control_without_to_name_is_rejected(tag):
    err = error_of(f'<View><Image name="img" value="$i"/><{tag} name="ctl"><Label value="a"/></{tag}></View>')
    assert (err.tag, err.attribute) == (tag, "toName")
    assert f'{tag} "ctl"' in str(err)


def test_rating_without_to_name_is_accepted_as_in_label_studio_templates():
    config = lc.parse('<View><Text name="t" value="$text"/><Rating name="likert" maxRating="5"/></View>')
    # Like Label Studio, a control without toName is kept in the tree but produces no results.
    assert "likert" not in config.controls
    assert [c.tag for c in config.root.children] == ["Text", "Rating"]


def test_to_name_naming_no_object_is_rejected_with_the_objects_listed():
    err = error_of(
        '<View><Image name="image" value="$image"/>'
        '<Choices name="class" toName="img"><Choice value="a"/></Choices></View>'
    )
    assert err.message == 'Choices "class": toName="img" names no object tag (objects: image)'
    assert (err.tag, err.attribute, err.line) == ("Choices", "toName", 1)


def test_second_to_name_target_is_checked_too():
    err = error_of('<View><Text name="a" value="$a"/><Choices name="c" toName="a,b"><Choice value="x"/></Choices></View>')
    assert 'toName="b"' in str(err)


def test_to_name_pointing_at_a_control_is_rejected():
    err = error_of(
        '<View><Text name="t" value="$t"/><Labels name="l" toName="t"><Label value="x"/></Labels>'
        '<Choices name="c" toName="l"><Choice value="y"/></Choices></View>'
    )
    assert err.attribute == "toName" and "(objects: t)" in str(err)


def test_duplicate_names_are_rejected_pointing_at_the_first_use():
    err = error_of('<View>\n<Image name="x" value="$a"/>\n<Text name="x" value="$b"/></View>')
    assert (err.tag, err.attribute, err.line) == ("Text", "name", 3)
    assert 'name="x" is already used by Image on line 2' in str(err)


def test_object_without_value_is_rejected():
    err = error_of('<View><Image name="img"/></View>')
    assert (err.tag, err.attribute) == ("Image", "value")


def test_object_without_name_is_rejected():
    err = error_of('<View><Text value="$text"/></View>')
    assert (err.tag, err.attribute) == ("Text", "name")


def test_choices_without_any_choice_is_rejected_like_label_studio():
    err = error_of('<View><Text name="t" value="$t"/><Choices name="c" toName="t"/></View>')
    assert err.tag == "Choices" and "<Choice>" in str(err)


def test_video_playback_speed_out_of_range_is_rejected():
    err = error_of('<View><Video name="v" value="$v" defaultPlaybackSpeed="50"/></View>')
    assert (err.tag, err.attribute) == ("Video", "defaultPlaybackSpeed")


# --- data keys and task data -----------------------------------------------------------


def test_data_keys_follow_document_order_without_duplicates():
    config = lc.parse(
        '<View><Text name="a" value="$text"/><Image name="b" value="$image"/>'
        '<Text name="c" value="$text"/><Header name="h" value="$title"/>'
        '<Header value="$not_required"/></View>'
    )
    # An unnamed Header does not make a key required (Label Studio's data_types rule).
    assert config.data_keys == ["text", "image", "title"]
    assert config.first_data_key == "text"


def test_data_keys_of_multi_object_config():
    config = lc.parse(MULTI_KEYS)
    assert config.data_keys == ["image", "caption"]
    assert config.objects["caption"].data_key == "caption"


def test_non_variable_values_have_no_data_key():
    config = lc.parse('<View><Text name="intro" value="Read carefully"/></View>')
    assert config.objects["intro"].data_key is None
    assert config.data_keys == []
    assert lc.missing_task_data(config, {}) is None


def test_dotted_keys_and_templates():
    config = lc.parse(
        '<View><Image name="i" value="$meta.url"/><Text name="t" value="Title: $title"/></View>'
    )
    assert config.objects["i"].data_key == "meta.url"
    assert config.objects["t"].data_key is None
    assert config.data_keys == ["meta.url", "title"]


def test_missing_task_data_accepts_complete_data():
    config = lc.parse(FLOWERS)
    assert lc.missing_task_data(config, {"image_path": "/data/a.jpg", "extra": 1}) is None
    assert lc.missing_task_data(config, {"image_path": ["/a.jpg", "/b.jpg"]}) is None


def test_missing_task_data_names_the_missing_key():
    config = lc.parse(FLOWERS)
    assert lc.missing_task_data(config, {"image": "x"}) == '"image_path" key is expected in task data'


def test_missing_task_data_checks_nested_keys():
    config = lc.parse('<View><Image name="i" value="$meta.url"/></View>')
    assert lc.missing_task_data(config, {"meta": {"url": "http://x/a.png"}}) is None
    assert lc.missing_task_data(config, {"meta": {}}) == '"meta.url" key is expected in task data'
    assert lc.missing_task_data(config, {"meta": "flat"}) == '"meta.url" key is expected in task data'
    assert lc.missing_task_data(config, {"meta.url": "x"}) == '"meta.url" key is expected in task data'


def test_missing_task_data_checks_types_per_object_tag():
    config = lc.parse(
        '<View><Image name="i" value="$image"/><Text name="t" value="$text"/><Table name="tb" value="$table"/>'
        '<Audio name="a" value="$audio"/></View>'
    )
    good = {"image": "a.jpg", "text": 42, "table": {"k": 1}, "audio": "a.wav"}
    assert lc.missing_task_data(config, good) is None

    message = lc.missing_task_data(config, {**good, "image": 7})
    assert message == (
        "data['image']=7 is of type 'int', but the object tag Image expects the following types: ['str', 'list']"
    )
    # Tags with no rule of their own take only strings, as in Label Studio.
    assert "Audio expects the following types: ['str']" in lc.missing_task_data(config, {**good, "audio": ["x"]})
    assert "'NoneType'" in lc.missing_task_data(config, {**good, "text": None})


def test_wrong_type_message_truncates_long_values():
    config = lc.parse('<View><Image name="i" value="$image"/></View>')
    message = lc.missing_task_data(config, {"image": {"k": "x" * 1000}})
    assert len(message) < 250 and "dict" in message


def test_repeater_key_must_hold_a_list():
    config = lc.parse(REPEATER)
    assert lc.missing_task_data(config, {"pages": [{"url": "a.png"}]}) is None
    assert lc.missing_task_data(config, {}) == '"pages" key is expected in task data'
    assert "expects the following types: ['list']" in lc.missing_task_data(config, {"pages": "a.png"})


def test_value_list_key_must_hold_a_list():
    config = lc.parse(IMAGE_LIST)
    assert config.objects["pages"].is_list
    assert lc.missing_task_data(config, {"pages": ["a.png", "b.png"]}) is None
    assert lc.missing_task_data(config, {"pages": "a.png"}) is not None


def test_video_type_wins_when_video_and_audio_share_a_key():
    config = lc.parse('<View><Video name="v" value="$media"/><Audio name="a" value="$media"/></View>')
    assert config.data_types == {"media": "Video"}


def test_dynamic_choices_require_their_options_key():
    config = lc.parse(PER_REGION)
    assert config.data_keys == ["text", "options"]
    assert lc.missing_task_data(config, {"text": "hi"}) == '"options" key is expected in task data'


def test_missing_task_data_rejects_non_dict_data():
    config = lc.parse(FLOWERS)
    assert "JSON object" in lc.missing_task_data(config, ["a"])


def test_rename_undefined_key_moves_it_to_the_first_data_key():
    config = lc.parse(MULTI_KEYS)
    data = {"$undefined$": "/data/upload/1/a.png"}
    assert lc.rename_undefined_key(config, data) == {"image": "/data/upload/1/a.png"}
    assert lc.rename_undefined_key(lc.parse("<View/>"), {"$undefined$": 1}) == {"$undefined$": 1}


def test_missing_task_data_is_cheap_enough_for_large_imports():
    config = lc.parse(MULTI_KEYS)
    data = {"image": "a.jpg", "caption": "hello"}
    started = time.perf_counter()
    for _ in range(100_000):
        lc.missing_task_data(config, data)
    # About a microsecond per call; the bound only catches an accidental re-parse.
    assert time.perf_counter() - started < 5


# --- prediction helpers ----------------------------------------------------------------


def test_control_for_value_key_and_dict():
    config = lc.parse(PER_REGION)
    assert lc.control_for_value_key(config, "textarea").name == "note"
    assert lc.control_for_value_key(config, "rectanglelabels") is None
    # Label Studio walks controls in order, so the earlier Labels wins over Choices.
    assert lc.control_for_value(config, {"choices": ["x"], "labels": ["PER"]}).name == "l"
    assert lc.control_for_value(config, {"rating": 3}) is None


def test_first_single_value_control_follows_label_studio_types():
    config = lc.parse(
        '<View><Text name="t" value="$t"/><Labels name="l" toName="t"><Label value="x"/></Labels>'
        '<Rating name="r" toName="t"/><Number name="n" toName="t"/>'
        '<Choices name="c" toName="t"><Choice value="a"/></Choices></View>'
    )
    assert lc.first_single_value_control(config).name == "r"
    assert lc.first_single_value_control(config, "a").name == "c"
    assert lc.first_single_value_control(config, 4).name == "r"
    assert lc.first_single_value_control(config, 4.5) is None


# --- oracle comparisons with the Label Studio SDK ---------------------------------------


@pytest.fixture(scope="module")
def sdk():
    pytest.importorskip("label_studio_sdk")
    from label_studio_sdk._extensions.label_studio_tools.core.label_config import parse_config
    from label_studio_sdk.converter import Converter

    logging.getLogger("label_studio_sdk").setLevel(logging.CRITICAL)

    def formats(parsed: dict) -> list[str]:
        # What the LS server does: Converter over the project's stored parsed_label_config.
        return Converter(config=parsed, project_dir=None).supported_formats

    return parse_config, formats


@pytest.mark.parametrize("xml", ORACLE_CONFIGS.values(), ids=ORACLE_CONFIGS.keys())
def test_parsed_label_config_matches_label_studio(sdk, xml):
    parse_config, _ = sdk
    assert lc.parsed_label_config(lc.parse(xml)) == parse_config(xml)


@pytest.mark.parametrize("xml", ORACLE_CONFIGS.values(), ids=ORACLE_CONFIGS.keys())
def test_supported_export_formats_match_label_studio(sdk, xml):
    parse_config, formats = sdk
    assert lc.supported_export_formats(lc.parse(xml)) == formats(parse_config(xml))


def test_parsed_label_config_shape_for_flowers():
    assert lc.parsed_label_config(lc.parse(FLOWERS)) == {
        "class": {
            "type": "Choices",
            "to_name": ["image"],
            "inputs": [{"type": "Image", "valueType": None, "value": "image_path"}],
            "labels": ["daisy", "dandelion", "rose", "sunflower", "tulip"],
            "labels_attrs": {v: {"value": v} for v in ["daisy", "dandelion", "rose", "sunflower", "tulip"]},
        }
    }


@pytest.mark.parametrize(
    "xml, expected",
    [
        (FLOWERS, ["JSON", "JSON_MIN", "CSV", "TSV", "CSV_OLD"]),
        (DETECTION, ["JSON", "JSON_MIN", "CSV", "TSV", "COCO", "VOC", "YOLO", "YOLO_OBB", "CSV_OLD",
                     "YOLO_WITH_IMAGES", "COCO_WITH_IMAGES", "YOLO_OBB_WITH_IMAGES"]),
        (NER, ["JSON", "JSON_MIN", "CSV", "TSV", "CONLL2003", "CSV_OLD"]),
        (ASR, ["JSON", "JSON_MIN", "CSV", "TSV", "ASR_MANIFEST", "CSV_OLD", "DOCLANG"]),
        (BRUSH, ["JSON", "JSON_MIN", "CSV", "TSV", "BRUSH_TO_NUMPY", "BRUSH_TO_PNG", "CSV_OLD", "BRUSH_TO_COCO"]),
        (MULTI_KEYS, ["JSON", "JSON_MIN", "CSV", "TSV"]),
    ],
    ids=["classification", "detection", "ner", "asr", "brush", "multi-keys"],
)
def test_supported_export_formats_always_start_with_the_basic_four(xml, expected):
    formats = lc.supported_export_formats(lc.parse(xml))
    assert formats[:4] == ["JSON", "JSON_MIN", "CSV", "TSV"]
    assert formats == expected


def test_keypoints_on_an_image_list_get_the_basic_formats(sdk):
    # The SDK's own Converter raises ValueError here (it removes COCO twice); we don't.
    parse_config, formats = sdk
    xml = IMAGE_LIST.replace("RectangleLabels", "KeyPointLabels")
    with pytest.raises(ValueError):
        formats(parse_config(xml))
    assert lc.supported_export_formats(lc.parse(xml)) == ["JSON", "JSON_MIN", "CSV", "TSV", "CSV_OLD"]
