"""The labeling screen keeps the work in view (issue 15): with the flowers config every choice and Submit are
inside the window at 1280x720, 1440x900 and 1920x1080, for a small, a large and a tall image; the picture
sits beside the choices, fitted to the room left; a segmentation config's label buttons are all visible; a
config with more choices than fit scrolls its panel, not the page; the narrowest window the app is laid
out for (1024px) keeps the panel beside the picture. Chromium against a real `labelhive start`; screenshots go to
tests/artifacts/layout-*.png."""
import io

import pytest
from PIL import Image, ImageDraw

from browser import ARTIFACTS, require_browser
from editor_session import browser, http, page, server, settled  # noqa: F401 (fixtures)
from test_stream_submit import FLOWERS

sync_api = require_browser()
expect = sync_api.expect

FLOWER_NAMES = ["daisy", "dandelion", "rose", "sunflower", "tulip"]
SEGMENTATION = """<View>
  <Image name="image" value="$image_path"/>
  <BrushLabels name="tag" toName="image">
    <Label value="Road"/><Label value="Car"/><Label value="Person"/><Label value="Sky"/><Label value="Tree"/>
  </BrushLabels>
</View>"""
SIZES = {"small": (320, 240), "large": (4000, 3000), "tall": (300, 3000)}
VIEWPORTS = [(1280, 720), (1440, 900), (1920, 1080)]


def png(width: int, height: int) -> bytes:
    img = Image.new("RGB", (width, height), "#3f7d3a")
    ImageDraw.Draw(img).ellipse((width // 4, height // 4, 3 * width // 4, 3 * height // 4), fill="#f2c200")
    out = io.BytesIO()
    img.save(out, "PNG", compress_level=1)
    return out.getvalue()


@pytest.fixture(scope="module")
def projects(http):
    """Per image size, a flowers project with one task of that image; its id and the task's."""
    made = {}
    for name, (w, h) in SIZES.items():
        pid = http.post("/api/projects", json={"title": f"Layout {name}", "label_config": FLOWERS}).json()["id"]
        http.post(f"/api/projects/{pid}/import",
                  files=[("files", (f"{name}.png", png(w, h), "image/png"))]).raise_for_status()
        [task] = http.get("/api/tasks", params={"project": pid}).json()["tasks"]
        made[name] = (pid, task["id"])
    return made


def open_task(page, pid: int, tid: int) -> None:
    page.goto(f"/projects/{pid}/label/{tid}")
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{tid}")
    page.wait_for_function("""() => {
        const img = document.querySelector('.image-view img');
        return img && img.complete && img.naturalWidth > 0 && img.style.visibility === 'visible';
    }""")


def in_view(page, locator) -> bool:
    """Whether the element is wholly inside the window, as the page first shows it (no scrolling)."""
    box = locator.bounding_box()
    vp = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= vp["width"] and box["y"] + box["height"] <= vp["height"])


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_choice_and_submit_are_in_view(page, projects, size, width, height):
    page.set_viewport_size({"width": width, "height": height})
    pid, tid = projects[size]
    open_task(page, pid, tid)
    for name in FLOWER_NAMES:
        choice = page.locator(".choice", has_text=name)
        assert in_view(page, choice), f"choice {name} is outside the {width}x{height} window ({size} image)"
    assert in_view(page, page.get_by_role("button", name="Submit"))
    # The picture itself is whole in the window too, and not scrolled to: the page does not scroll at all.
    assert in_view(page, page.locator(".image-view"))
    assert page.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight + 1")
    # A key picks a choice and the pick shows where the user is looking.
    settled(page)
    page.keyboard.press("3")
    expect(page.locator(".choice.on")).to_have_text("rose3")
    page.screenshot(path=str(ARTIFACTS / f"layout-flowers-{size}-{width}x{height}.png"))


def test_the_picture_sits_beside_the_choices_on_a_wide_window(page, projects):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_task(page, *projects["small"])
    picture = page.locator(".image-view").bounding_box()
    panel = page.get_by_test_id("control-panel").bounding_box()
    assert panel["x"] >= picture["x"] + picture["width"], "the choices are beside the picture, to its right"
    # The small image is fitted to the room left of the panel: wider than it is, not a thumbnail in a corner.
    assert picture["width"] > 320


def test_every_label_of_a_segmentation_config_is_in_view(page, http):
    page.set_viewport_size({"width": 1280, "height": 720})
    pid = http.post("/api/projects", json={"title": "Segmentation layout", "label_config": SEGMENTATION}).json()["id"]
    http.post(f"/api/projects/{pid}/import",
              files=[("files", ("street.png", png(1600, 1200), "image/png"))]).raise_for_status()
    [task] = http.get("/api/tasks", params={"project": pid}).json()["tasks"]
    open_task(page, pid, task["id"])
    for label in ["Road", "Car", "Person", "Sky", "Tree"]:
        assert in_view(page, page.locator(".label-chip", has_text=label)), f"label {label} is off-screen"
    expect(page.get_by_role("complementary", name="Regions")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "layout-segmentation-1280x720.png"))


def test_many_choices_scroll_in_their_panel_not_the_page(page, http):
    page.set_viewport_size({"width": 1280, "height": 720})
    choices = "".join(f'<Choice value="class {i:02d}"/>' for i in range(40))
    config = f'<View><Image name="image" value="$image_path"/><Choices name="c" toName="image">{choices}</Choices></View>'
    pid = http.post("/api/projects", json={"title": "Many choices", "label_config": config}).json()["id"]
    http.post(f"/api/projects/{pid}/import",
              files=[("files", ("a.png", png(640, 480), "image/png"))]).raise_for_status()
    [task] = http.get("/api/tasks", params={"project": pid}).json()["tasks"]
    open_task(page, pid, task["id"])
    panel = page.get_by_test_id("control-panel")
    assert panel.evaluate("el => el.scrollHeight > el.clientHeight"), "forty choices do not fit: the panel scrolls"
    assert in_view(page, panel)
    assert in_view(page, page.get_by_role("button", name="Submit"))
    last = page.locator(".choice", has_text="class 39")
    last.click()  # Playwright scrolls it into view inside the panel
    expect(last).to_have_class("choice on")
    assert in_view(page, last)
    page.screenshot(path=str(ARTIFACTS / "layout-many-choices-1280x720.png"))


def test_the_narrowest_window_keeps_the_choices_beside_the_picture(page, projects):
    """The app is laid out for 1024px and up: there the panel still fits beside the picture."""
    page.set_viewport_size({"width": 1024, "height": 768})
    open_task(page, *projects["large"])
    page.screenshot(path=str(ARTIFACTS / "layout-flowers-large-1024x768.png"))
    picture = page.locator(".image-view").bounding_box()
    panel = page.get_by_test_id("control-panel").bounding_box()
    assert panel["x"] >= picture["x"] + picture["width"]
    for name in FLOWER_NAMES:
        assert in_view(page, page.locator(".choice", has_text=name)), f"choice {name} is out of view"
    assert in_view(page, page.get_by_role("button", name="Submit"))
