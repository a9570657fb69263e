"""Take the README's screenshot: part 1 with a figure drawn, from the built site.

Builds the site strictly into a temporary folder, serves it on 127.0.0.1,
opens part 1 in headless Chromium (light palette), scrolls to the
self-attention map, waits until plotly.js has drawn it, and writes the visible
window as a PNG. Renew it with ``make screenshot`` after changing the post, the
figure or the theme.

Usage: ``python scripts/screenshot.py [--out PATH] [--figure ID]``
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.localsite import ROOT, build_site, find_chromium, serving  # noqa: E402

POST = "blog/what-is-attention/"
FIGURE = "self-attention-heatmap"
OUT = ROOT / "docs" / "assets" / "images" / "part1-screenshot.png"
# Wide enough for the desktop layout (navigation and table of contents).
VIEWPORT = {"width": 1200, "height": 800}
# Scrolls the window down until the figure's box sits in the middle of what the
# header leaves visible (with at least 8 px of the page above it).
SCROLL_TO_FIGURE = """box => {
    const header = document.querySelector('.md-header').offsetHeight;
    const room = window.innerHeight - header - box.offsetHeight;
    const top = box.getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, top - header - Math.max(8, room / 2));
}"""


def take(origin, figure, out):
    """Open the post, draw ``figure`` and write the window to ``out``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), args=["--no-sandbox"]
        )
        page = browser.new_page(viewport=VIEWPORT, color_scheme="light")
        page.goto(origin + POST, wait_until="load")
        box = page.locator(f"#figure-{figure}")
        box.scroll_into_view_if_needed()
        page.wait_for_function(
            "box => box.dataset.drawn === 'true' || 'error' in box.dataset",
            arg=box.element_handle(),
            timeout=30_000,
        )
        if box.get_attribute("data-drawn") != "true":
            raise SystemExit(f"figure '{figure}' was not drawn on {origin + POST}")
        # From the top down to the figure: Material shows its "Back to top"
        # button when the reader scrolls up.
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(300)
        page.evaluate(SCROLL_TO_FIGURE, box.element_handle())
        # Let the fade-in (0.25 s) and the header's transition finish.
        page.wait_for_timeout(800)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), type="png")
        browser.close()


def main():
    """Build, serve, take the screenshot and report its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--figure", default=FIGURE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ua-screenshot-") as folder:
        with serving(folder) as (_, origin):
            build_site(Path(folder), origin)
            take(origin, args.figure, args.out)
    size = args.out.stat().st_size
    print(f"screenshot.py: wrote {args.out} ({size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
