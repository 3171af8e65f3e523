"""What the image shows of a region while it is selected, in Debian's Chromium against a real `labelhive start`:
a brush mask stays painted after the stroke that made it (it is selected then), drawn stronger and outlined, and
every other kind of region shows while selected too. Pixels are read from the region canvas and from screenshots
of the image view. Screenshots go to tests/artifacts/editor-brush-*.png."""
import io

import numpy as np
from PIL import Image

from editor_session import browser, http, page, server  # noqa: F401 (fixtures)
from test_editor import TOOLS, drag, expect, image_ready, new_project, png, shot, to_screen, upload

BRUSH = """<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="brush" toName="image"><Label value="Sky" background="#0ea5e9"/></BrushLabels>
</View>"""

CANVAS_PIXELS = """() => {
  const c = document.querySelector('[data-testid="image-image"] .image-view canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const alphas = new Array(256).fill(0);
  let painted = 0, white = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (!d[i + 3]) continue;
    painted++;
    alphas[d[i + 3]]++;
    if (d[i + 3] === 255 && d[i] > 240 && d[i + 1] > 240 && d[i + 2] > 240) white++;
  }
  let alpha = 0;
  for (let seen = 0; alpha < 256 && (seen += alphas[alpha]) <= painted / 2; alpha++);
  return {painted, white, alpha};
}"""


def canvas_pixels(page) -> dict:
    """Painted pixels on the region canvas, the white ones of a selected mask's outline, and their median alpha."""
    return page.evaluate(CANVAS_PIXELS)


def view_pixels(page) -> np.ndarray:
    shot = page.locator('[data-testid="image-image"] .image-view').screenshot()
    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)


def changed(before: np.ndarray, after: np.ndarray, page, box: tuple[float, float, float, float]) -> float:
    """The share of pixels in `box` (percent of the image: x0, y0, x1, y1) that look different."""
    view = page.locator('[data-testid="image-image"] .image-view').bounding_box()
    x0, y0 = to_screen(page, box[0], box[1])
    x1, y1 = to_screen(page, box[2], box[3])
    cols = slice(round(x0 - view["x"]), round(x1 - view["x"]))
    rows = slice(round(y0 - view["y"]), round(y1 - view["y"]))
    diff = np.abs(after[rows, cols] - before[rows, cols]).max(axis=2)
    return float((diff > 25).mean())


def test_a_brush_mask_stays_painted_after_its_stroke_selected_and_not(page, http):
    pid = new_project(http, BRUSH, "Brush view")
    upload(http, pid, {"sky.png": png("#94a3b8")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    assert canvas_pixels(page)["painted"] == 0

    page.keyboard.press("1")
    drag(page, to_screen(page, 20, 50), to_screen(page, 60, 50), steps=10)
    row = page.get_by_test_id("region-1")
    expect(row).to_contain_text("Sky")
    # A new brush region is selected, so the next stroke paints into it.
    expect(row).to_have_attribute("aria-selected", "true")
    page.mouse.move(5, 5)  # the brush cursor off the image, for the screenshot
    page.wait_for_timeout(300)
    selected = canvas_pixels(page)
    # A 20 px wide band 160 px long, shown larger than the image's own pixels.
    assert selected["painted"] > 3000, selected
    assert selected["white"] > 100, f"no outline on the selected mask: {selected}"
    shot(page, "brush-selected")

    page.keyboard.press("Escape")
    expect(row).to_have_attribute("aria-selected", "false")
    page.wait_for_timeout(300)
    plain = canvas_pixels(page)
    assert plain["painted"] > 3000, plain
    assert plain["white"] == 0, plain
    # Selected, the mask is drawn more opaque.
    assert selected["alpha"] > plain["alpha"] + 40, (selected, plain)
    shot(page, "brush-deselected")

    # Selecting it again from the region list shows it selected again.
    row.click()
    expect(row).to_have_attribute("aria-selected", "true")
    page.wait_for_timeout(300)
    again = canvas_pixels(page)
    assert again["painted"] > 3000 and again["white"] > 100, again


def test_every_region_kind_shows_while_selected(page, http):
    pid = new_project(http, TOOLS, "Selected kinds")
    upload(http, pid, {"street.png": png("#94a3b8")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    before = view_pixels(page)

    # Each region away from the others, and the polygon on the grey middle of the image: its green would not
    # show on the green border.
    page.keyboard.press("1")
    drag(page, to_screen(page, 5, 5), to_screen(page, 25, 25))
    page.keyboard.press("3")
    for x, y in [(30, 45), (45, 45), (45, 60), (30, 60), (30, 45)]:
        page.mouse.click(*to_screen(page, x, y))
    page.keyboard.press("4")
    page.mouse.click(*to_screen(page, 80, 15))
    page.keyboard.press("5")
    drag(page, to_screen(page, 20, 70), to_screen(page, 30, 80))
    page.keyboard.press("6")
    drag(page, to_screen(page, 55, 70), to_screen(page, 85, 70), steps=10)
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("region-5")).to_contain_text("Sky")
    page.mouse.move(5, 5)

    areas = {
        "region-1": (6, 6, 24, 24),  # rectangle
        "region-2": (31, 46, 44, 59),  # polygon
        "region-3": (79.5, 14.5, 80.5, 15.5),  # key point
        "region-4": (14, 64, 26, 76),  # ellipse
        "region-5": (57, 68, 83, 72),  # brush stroke, 20 px wide along y = 70 %
    }
    # The baseline has no regions, so an area differs only where its region is drawn (selected, by the overlay).
    for row_id, area in areas.items():
        row = page.get_by_test_id(row_id)
        row.click()
        expect(row).to_have_attribute("aria-selected", "true")
        page.wait_for_timeout(200)
        share = changed(before, view_pixels(page), page, area)
        assert share > 0.5, f"{row_id} ({row.inner_text()!r}) is not drawn while selected: {share:.0%} changed"
        if row_id == "region-5":
            shot(page, "brush-every-kind")
        page.keyboard.press("Escape")
