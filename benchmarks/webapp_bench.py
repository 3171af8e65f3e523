"""Data manager in Chromium on a 100k-task project: time to the first rows after navigation, and time to
show rows around 90,000 after jumping there with the scrollbar. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/webapp_bench.py [--tasks 100000]
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from server import PASSWORD, USERNAME, live_server  # noqa: E402

CONFIG = """<View><Image name="image" value="$image"/>
<Choices name="class" toName="image"><Choice value="a"/><Choice value="b"/></Choices></View>"""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def seed(url: str, headers: dict, n: int) -> int:
    with httpx.Client(base_url=url, headers=headers, timeout=300) as http:
        pid = http.post("/api/projects", json={"title": f"{n} tasks", "label_config": CONFIG}).json()["id"]
        for start in range(0, n, 20_000):
            batch = [{"image": f"/data/upload/none-{i}.png", "cluster": i % 7, "note": f"task number {i}"}
                     for i in range(start, min(n, start + 20_000))]
            http.post(f"/api/projects/{pid}/import", json=batch).raise_for_status()
    return pid


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp)) as srv:
        t0 = time.perf_counter()
        pid = seed(srv.url, srv.headers, args.tasks)
        print(f"seeded {args.tasks:,} tasks in {time.perf_counter() - t0:.1f} s")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(base_url=srv.url, viewport={"width": 1440, "height": 900})
            page.goto("/user/login")
            page.get_by_label("Email").fill(USERNAME)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url("**/projects")

            for label in ("cold", "warm"):
                page.goto("/projects")
                start = time.perf_counter()
                page.goto(f"/projects/{pid}")
                page.get_by_test_id("task-row-1").wait_for()
                print(f"first rows visible after navigation ({label}): {time.perf_counter() - start:.3f} s")

            scroller = page.locator(".scroller")
            target = int(args.tasks * 0.9)
            # A jump with the scrollbar to 90% of the way down, then to the very end; over ~220k rows the
            # scrollbar is scaled, so positions are fractions of the scroll range, not row * ROW.
            for label, fraction, row in (("90%", 0.9, target), ("the end", 1.0, args.tasks - 1)):
                start = time.perf_counter()
                scroller.evaluate("(el, f) => { el.scrollTop = f * (el.scrollHeight - el.clientHeight); }", fraction)
                page.locator(f'[aria-rowindex="{row + 2}"][data-testid^="task-row-"]').wait_for()
                elapsed = time.perf_counter() - start
                shown = page.locator(f'[aria-rowindex="{row + 2}"]').get_attribute("data-testid")
                print(f"rows around {row + 1:,} ({label}) shown after a jump: {elapsed:.3f} s ({shown})")
            browser.close()


if __name__ == "__main__":
    main()
