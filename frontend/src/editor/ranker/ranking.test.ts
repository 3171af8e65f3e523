// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse";
import { EMPTY_DOC, fromResults, toResults } from "../store/doc";
import {
  boardOf,
  isRanked,
  listItems,
  locate,
  moveAcross,
  moveBy,
  moveItem,
  rankingOf,
  UNSORTED,
  withDefaultRankings,
} from "./ranking";

const RANK = `<View>
  <List name="results" value="$items" title="Search results"/>
  <Ranker name="rank" toName="results"/>
</View>`;

const BUCKETS = `<View>
  <List name="results" value="$items" title="Search results"/>
  <Ranker name="rank" toName="results">
    <Bucket name="best" title="Best results"/>
    <Bucket name="ads" title="Paid results"/>
  </Ranker>
</View>`;

const DATA = {
  items: [
    { id: "blog", title: "10 tips", body: "Functions" },
    { id: "mdn", title: "Arrow functions" },
    { id: "wiki", title: "Arrow (CS)" },
  ],
};
const IDS = ["blog", "mdn", "wiki"];

describe("List and Ranker config", () => {
  it("parses the List as an object and the Ranker as a control on it, Buckets as layout", () => {
    const c = parseConfig(BUCKETS);
    expect(c.unsupported).toEqual([]);
    expect(c.objectByName.get("results")?.tag).toBe("List");
    const rank = c.controlByName.get("rank")!;
    expect([rank.type, rank.kind, rank.valueKey, rank.toName]).toEqual([
      "ranker",
      "classification",
      "ranker",
      ["results"],
    ]);
  });

  it("reads items, falling back to positions for ids", () => {
    expect(listItems([{ id: 7, title: "a", html: "<b>x</b>" }, { title: "b" }, "plain"])).toEqual([
      { id: "7", title: "a", body: "", html: "<b>x</b>" },
      { id: "1", title: "b", body: "", html: null },
      { id: "2", title: "plain", body: "", html: null },
    ]);
    expect(listItems("not a list")).toEqual([]);
  });
});

describe("boards", () => {
  it("without Buckets has one column named after the Ranker (Label Studio's default bucket)", () => {
    const board = boardOf(parseConfig(RANK).controlByName.get("rank")!, "Search results");
    expect(board).toEqual({ columns: [{ id: "rank", title: "Search results" }], home: "rank" });
    expect(rankingOf(board, IDS, undefined)).toEqual({ rank: IDS });
  });

  it("with Buckets and no default puts the items in the '_' column first", () => {
    const board = boardOf(parseConfig(BUCKETS).controlByName.get("rank")!, "Search results");
    expect(board.columns.map((c) => c.id)).toEqual([UNSORTED, "best", "ads"]);
    expect(rankingOf(board, IDS, undefined)).toEqual({ _: IDS, best: [], ads: [] });
  });

  it("with a default Bucket starts the items there", () => {
    const xml = BUCKETS.replace('<Bucket name="ads"', '<Bucket name="ads" default="true"');
    const board = boardOf(parseConfig(xml).controlByName.get("rank")!, "");
    expect(board.home).toBe("ads");
    expect(rankingOf(board, IDS, undefined)).toEqual({ best: [], ads: IDS });
  });

  it("shows a saved ranking, sending items it misses home and dropping ids no longer listed", () => {
    const board = boardOf(parseConfig(BUCKETS).controlByName.get("rank")!, "");
    const saved = { best: ["wiki", "gone"], ads: ["blog"], old_bucket: ["mdn"] };
    expect(rankingOf(board, IDS, saved)).toEqual({ _: ["mdn"], best: ["wiki"], ads: ["blog"] });
  });
});

describe("required", () => {
  const board = (xml: string) => boardOf(parseConfig(xml).controlByName.get("rank")!, "");

  it("with Buckets needs an item outside the column items start in", () => {
    const b = board(BUCKETS);
    expect(isRanked(b, undefined)).toBe(false);
    expect(isRanked(b, { _: ["mdn", "blog", "wiki"], best: [], ads: [] })).toBe(false);
    expect(isRanked(b, { _: ["blog", "wiki"], best: [], ads: ["mdn"] })).toBe(true);
    // A bucket the config no longer has does not count.
    expect(isRanked(b, { _: [], old_bucket: IDS })).toBe(false);
  });

  it("with a default Bucket needs an item moved out of it", () => {
    const b = board(BUCKETS.replace('<Bucket name="ads"', '<Bucket name="ads" default="true"'));
    expect(isRanked(b, { best: [], ads: IDS })).toBe(false);
    expect(isRanked(b, { best: ["wiki"], ads: ["blog", "mdn"] })).toBe(true);
  });

  it("without Buckets takes any saved order, the List's own included", () => {
    const b = board(RANK);
    expect(isRanked(b, undefined)).toBe(false);
    expect(isRanked(b, ["blog"])).toBe(false);
    expect(isRanked(b, { rank: IDS })).toBe(true);
  });
});

describe("moves", () => {
  const r = { _: ["a", "b", "c"], best: ["x"], ads: [] as string[] };
  const order = ["_", "best", "ads"];

  it("moves within a column and clamps at the ends", () => {
    expect(moveBy(r, "a", 1)._).toEqual(["b", "a", "c"]);
    expect(moveBy(r, "c", -2)._).toEqual(["c", "a", "b"]);
    expect(moveBy(r, "a", -1)).toBe(r);
    expect(moveBy(r, "c", 5)).toBe(r);
  });

  it("moves across columns at the same height, or to the end of a shorter one", () => {
    const next = moveAcross(r, order, "b", 1);
    expect(next).toEqual({ _: ["a", "c"], best: ["x", "b"], ads: [] });
    expect(moveAcross(next, order, "b", 1)).toEqual({ _: ["a", "c"], best: ["x"], ads: ["b"] });
    expect(moveAcross(r, order, "a", -1)).toBe(r);
  });

  it("moves to an index of any column and leaves the input untouched", () => {
    expect(moveItem(r, "c", "best", 0)).toEqual({ _: ["a", "b"], best: ["c", "x"], ads: [] });
    expect(moveItem(r, "a", "_", 2)._).toEqual(["b", "c", "a"]);
    expect(moveItem(r, "nope", "best", 0)).toBe(r);
    expect(r._).toEqual(["a", "b", "c"]);
    expect(locate(r, "x")).toEqual({ column: "best", index: 0 });
  });
});

describe("results", () => {
  it("adds the List's order on submit when nothing was moved, as Label Studio does", () => {
    const config = parseConfig(RANK);
    const [item] = toResults(withDefaultRankings(EMPTY_DOC, config, DATA));
    expect({ ...item, id: undefined }).toEqual({
      id: undefined,
      from_name: "rank",
      to_name: "results",
      type: "ranker",
      value: { ranker: { rank: IDS } },
      origin: "manual",
    });
  });

  it("round-trips a Label Studio ranker result unchanged and does not add a second one", () => {
    const config = parseConfig(BUCKETS);
    const items = [
      {
        id: "r1",
        from_name: "rank",
        to_name: "results",
        type: "ranker",
        value: { ranker: { best: ["mdn"], ads: ["blog"] } },
      },
    ];
    const doc = fromResults(items, config);
    expect(doc.classifications).toHaveLength(1);
    expect(toResults(withDefaultRankings(doc, config, DATA))).toEqual(items);
  });
});
