"""List + Ranker in the labeling editor, in Debian's Chromium against a real `labelhive start`: items reordered
by keyboard and by dragging, sorted into Buckets, and an untouched list submitted as it stands, each checked
through the API as the exact JSON Label Studio saves. Screenshots go to tests/artifacts/ranker-*.png."""
from browser import ARTIFACTS
from editor_session import browser, http, page, server, settled, submit  # noqa: F401 (fixtures)
from test_editor_text import expect, new_project, wait_for_annotation, without_ids

RANK = """<View>
  <List name="results" value="$items" title="Search results"/>
  <Ranker name="rank" toName="results"/>
</View>"""

BUCKETS = """<View>
  <Style>.htx-ranker-item { background: lightgoldenrodyellow; }</Style>
  <List name="results" value="$items" title="Search results"/>
  <Ranker name="rank" toName="results">
    <Bucket name="best" title="Best results"/>
    <Bucket name="ads" title="Paid results"/>
  </Ranker>
</View>"""

ITEMS = {"items": [
    {"id": "blog", "title": "10 tips to write a better function", "body": "There is nothing worse than..."},
    {"id": "mdn", "title": "Arrow function expressions", "body": "A compact alternative to a function"},
    {"id": "wiki", "title": "Arrow (computer science)", "body": "Arrows or bolts are a type class..."},
]}


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"ranker-{name}.png"), full_page=True)


def item(page, item_id: str):
    return page.locator(f"[data-item='{item_id}']")


def order(page, column: str) -> list[str]:
    return page.locator(f"[data-column='{column}'] [data-item]").evaluate_all("els => els.map(e => e.dataset.item)")


def open_task(page, http, config: str, title: str) -> int:
    """A project with the three items, its task open in the editor; returns the task id."""
    pid, (tid,) = new_project(http, config, title, [ITEMS])
    page.goto(f"/projects/{pid}/label/{tid}")
    expect(item(page, "wiki")).to_be_visible()
    settled(page)
    return tid


def submitted(page, http, tid: int) -> list[dict]:
    submit(page)
    return without_ids(wait_for_annotation(page, http, tid)["result"])


def ranker_result(ranking: dict) -> list[dict]:
    return [{"from_name": "rank", "to_name": "results", "type": "ranker", "origin": "manual",
             "value": {"ranker": ranking}}]


def test_rank_by_keyboard_and_drag(page, http):
    tid = open_task(page, http, RANK, "Ranker")
    expect(page.get_by_test_id("control-rank")).to_contain_text("Search results")
    assert order(page, "rank") == ["blog", "mdn", "wiki"]

    # Focus the first item, walk down to the last, lift it to the top.
    item(page, "blog").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(item(page, "wiki")).to_be_focused()
    page.keyboard.press("Shift+ArrowUp")
    page.keyboard.press("Shift+ArrowUp")
    assert order(page, "rank") == ["wiki", "blog", "mdn"]
    expect(item(page, "wiki")).to_be_focused()
    page.keyboard.press("Control+z")
    assert order(page, "rank") == ["blog", "wiki", "mdn"]
    page.keyboard.press("Control+Shift+z")
    assert order(page, "rank") == ["wiki", "blog", "mdn"]

    # Drag "mdn" above "blog".
    item(page, "mdn").drag_to(item(page, "blog"), target_position={"x": 20, "y": 4})
    assert order(page, "rank") == ["wiki", "mdn", "blog"]
    shot(page, "01-ranked")
    url = page.url
    assert submitted(page, http, tid) == ranker_result({"rank": ["wiki", "mdn", "blog"]})
    page.goto(url)
    expect(item(page, "blog")).to_be_visible()
    assert order(page, "rank") == ["wiki", "mdn", "blog"]


def test_an_untouched_list_is_saved_in_its_own_order(page, http):
    tid = open_task(page, http, RANK, "Ranker untouched")
    assert submitted(page, http, tid) == ranker_result({"rank": ["blog", "mdn", "wiki"]})


def test_sort_into_buckets(page, http):
    tid = open_task(page, http, BUCKETS, "Ranker buckets")
    expect(page.locator("[data-column='best']")).to_contain_text("Best results")
    # Label Studio's class names take a config's <Style>.
    expect(item(page, "wiki")).to_have_css("background-color", "rgb(250, 250, 210)")
    assert order(page, "_") == ["blog", "mdn", "wiki"]

    # "mdn" to Best by keyboard; "blog" to Paid by dragging it onto that (empty) column.
    item(page, "mdn").focus()
    page.keyboard.press("Shift+ArrowRight")
    expect(item(page, "mdn")).to_be_focused()
    item(page, "blog").drag_to(page.locator("[data-column='ads']"))
    assert order(page, "_") == ["wiki"]
    assert order(page, "best") == ["mdn"]
    assert order(page, "ads") == ["blog"]
    shot(page, "02-buckets")
    assert submitted(page, http, tid) == ranker_result({"_": ["wiki"], "best": ["mdn"], "ads": ["blog"]})


def no_annotation(http, tid: int) -> bool:
    return http.get(f"/api/tasks/{tid}").json()["annotations"] == []


def test_a_required_ranker_with_buckets_needs_an_item_in_a_bucket(page, http):
    config = BUCKETS.replace('<Ranker name="rank" toName="results">',
                             '<Ranker name="rank" toName="results" required="true" '
                             'requiredMessage="Put at least one result in a bucket">')
    tid = open_task(page, http, config, "Ranker required buckets")
    message = "Put at least one result in a bucket"

    submit(page)
    expect(page.get_by_role("alert")).to_have_text(message)
    expect(page.locator(".editor-hint")).to_have_text(message)

    # Reordering the unsorted list picks nothing: still refused.
    item(page, "blog").focus()
    page.keyboard.press("Shift+ArrowDown")
    assert order(page, "_") == ["mdn", "blog", "wiki"]
    submit(page)
    expect(page.get_by_role("alert")).to_have_text(message)
    shot(page, "03-required")
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{tid}")
    assert no_annotation(http, tid)

    # One item in a bucket answers it: the message goes as soon as it is fixed, and the submit saves.
    item(page, "wiki").focus()
    page.keyboard.press("Shift+ArrowRight")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert submitted(page, http, tid) == ranker_result({"_": ["mdn", "blog"], "best": ["wiki"], "ads": []})


def test_a_required_ranker_without_buckets_takes_the_order_kept_as_it_is(page, http):
    tid = open_task(page, http, RANK.replace('toName="results"/>', 'toName="results" required="true"/>'),
                    "Ranker required")
    submit(page)
    expect(page.get_by_role("alert")).to_have_text("“rank” is required.")
    assert no_annotation(http, tid)
    shot(page, "04-keep-order")

    page.get_by_role("button", name="Keep this order").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("button", name="Keep this order")).to_have_count(0)
    assert submitted(page, http, tid) == ranker_result({"rank": ["blog", "mdn", "wiki"]})
