// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse";
import { fromResults, toResults, type ResultItem } from "../store/doc";
import { EditorStore } from "../store/store";
import { mediaDetail, newSegment, newTimelineRange, newVideoBox } from "./mediaRegions";

const CONFIG = `<View>
  <Audio name="audio" value="$audio"/>
  <Labels name="speaker" toName="audio"><Label value="Speech"/><Label value="Noise"/></Labels>
  <TextArea name="transcript" toName="audio" perRegion="true"/>
  <Video name="video" value="$video" framerate="25"/>
  <Labels name="objects" toName="video"><Label value="Man"/><Label value="Woman"/></Labels>
  <VideoRectangle name="box" toName="video"/>
  <TimelineLabels name="events" toName="video"><Label value="Run"/></TimelineLabels>
  <Choices name="scene" toName="video"><Choice value="Day"/></Choices>
</View>`;

const config = parseConfig(CONFIG);
const kf = (frame: number, x: number, enabled = true) => ({
  frame,
  enabled,
  rotation: 0,
  x,
  y: 10,
  width: 20,
  height: 30,
  time: frame / 25,
});

// As Label Studio writes them: per-region items share the region's id; a video box carries its labels.
const LS_RESULT: ResultItem[] = [
  {
    id: "seg1",
    from_name: "speaker",
    to_name: "audio",
    type: "labels",
    origin: "manual",
    original_length: 3,
    value: { start: 0.5, end: 1.25, channel: 0, labels: ["Speech"] },
  },
  {
    id: "seg1",
    from_name: "transcript",
    to_name: "audio",
    type: "textarea",
    origin: "manual",
    value: { start: 0.5, end: 1.25, channel: 0, text: ["hello"] },
  },
  {
    id: "trk1",
    from_name: "box",
    to_name: "video",
    type: "videorectangle",
    origin: "manual",
    value: { framesCount: 131, duration: 5.425, sequence: [kf(1, 0), kf(11, 50, false)], labels: ["Man"] },
  },
  {
    id: "rng1",
    from_name: "events",
    to_name: "video",
    type: "timelinelabels",
    origin: "manual",
    value: { ranges: [{ start: 3, end: 9 }], timelinelabels: ["Run"] },
  },
  { id: "ch1", from_name: "scene", to_name: "video", type: "choices", origin: "manual", value: { choices: ["Day"] } },
];

describe("audio and video results", () => {
  it("tells a segment's times in seconds under a minute and on the clock past it, the hour included", () => {
    const segment = (start: number, end: number) =>
      fromResults(
        [
          {
            id: "s",
            from_name: "speaker",
            to_name: "audio",
            type: "labels",
            value: { start, end, labels: ["Speech"] },
          },
        ],
        config,
      ).regions[0];
    expect(mediaDetail(segment(1.5, 2.25))).toBe("1.500–2.250 s");
    expect(mediaDetail(segment(3541.25, 3600))).toBe("59:01.250–1:00:00.000");
  });

  it("parses the tags: objects, a box tool, timeline labels", () => {
    expect(config.unsupported).toEqual([]);
    expect(config.objects.map((o) => o.tag)).toEqual(["Audio", "Video"]);
    expect(config.controlByName.get("box")).toMatchObject({ kind: "tool", valueKey: null, shape: null });
    expect(config.controlByName.get("events")).toMatchObject({ kind: "labels", valueKey: "timelinelabels" });
  });

  it("loads Label Studio's items into regions and writes them back unchanged", () => {
    const doc = fromResults(LS_RESULT, config);
    expect(doc.regions.map((r) => [r.id, r.shape, r.parts.map((p) => p.fromName)])).toEqual([
      ["seg1", "segment", ["speaker", "transcript"]],
      ["trk1", "videorectangle", ["box", "objects"]],
      ["rng1", "timeline", ["events"]],
    ]);
    expect(doc.classifications.map((c) => c.fromName)).toEqual(["scene"]);
    expect(toResults(doc)).toEqual(LS_RESULT);
  });

  it("a video box's labels are edited through the Labels control and folded back into its value", () => {
    const store = new EditorStore(fromResults(LS_RESULT, config));
    store.setRegionPart("trk1", config.controlByName.get("objects")!, ["Woman"]);
    const box = toResults(store.state.doc).find((i) => i.id === "trk1")!;
    expect(box.value?.labels).toEqual(["Woman"]);
    expect(toResults(store.state.doc).filter((i) => i.id === "trk1")).toHaveLength(1);
    store.setRegionPart("trk1", config.controlByName.get("objects")!, []);
    expect(toResults(store.state.doc).find((i) => i.id === "trk1")!.value).not.toHaveProperty("labels");
  });

  it("new regions come out in Label Studio's shapes", () => {
    const active = { speaker: ["Noise"], objects: ["Man"], events: ["Run"] };
    const seg = newSegment(config, "audio", 1.0000004, 2.5, active)!;
    const box = newVideoBox(
      config,
      "video",
      5,
      { x: 1, y: 2, width: 3, height: 4, rotation: 0 },
      { fps: 25, framesCount: 50, duration: 2 },
      active,
    )!;
    const range = newTimelineRange(config, "video", 4, 8, active)!;
    const out = toResults({ regions: [seg, box, range], classifications: [], relations: [], passthrough: [] });
    expect(out).toEqual([
      {
        id: seg.id,
        from_name: "speaker",
        to_name: "audio",
        type: "labels",
        origin: "manual",
        value: { start: 1, end: 2.5, channel: 0, labels: ["Noise"] },
      },
      {
        id: box.id,
        from_name: "box",
        to_name: "video",
        type: "videorectangle",
        origin: "manual",
        value: {
          sequence: [{ frame: 5, time: 0.2, x: 1, y: 2, width: 3, height: 4, rotation: 0, enabled: true }],
          framesCount: 50,
          duration: 2,
          labels: ["Man"],
        },
      },
      {
        id: range.id,
        from_name: "events",
        to_name: "video",
        type: "timelinelabels",
        origin: "manual",
        value: { ranges: [{ start: 4, end: 8 }], timelinelabels: ["Run"] },
      },
    ]);
    expect(newSegment(config, "audio", 1, 2, {})).toBeNull();
  });
});
