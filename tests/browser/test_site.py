"""What a reader's browser does with the built site (headless Chromium).

Per-page tests share one visit of each page: load it, scroll every figure box
into view until it is drawn, wait for the formulas, and record the console, the
uncaught exceptions and every request.
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import pytest
from fontTools.ttLib import TTFont

from tests.hook_loader import load_hook

playwright = pytest.importorskip("playwright.sync_api")
PlaywrightTimeout = playwright.TimeoutError

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MATH_SETTLED = """() => [...document.querySelectorAll('.arithmatex')]
    .every(formula => formula.querySelector('.katex, .katex-error'))"""

UNRENDERED_MATH = """() => [...document.querySelectorAll('.arithmatex')]
    .filter(f => !f.querySelector('.katex') || f.querySelector('.katex-error'))
    .map(f => f.textContent.trim().slice(0, 80))"""

# Moves the page's figures 3000 px down before figures.js starts watching
# them, so that every page with figures has them far below the fold.
PUSH_FIGURES_DOWN = """document.addEventListener('DOMContentLoaded', () => {
    const spacer = document.createElement('div');
    spacer.style.height = '3000px';
    document.querySelector('.ua-figure')?.before(spacer);
});"""

# Puts the page's first figure box 300 px below the window, within
# figures.js's 600 px look-ahead, before figures.js starts watching it.
FIRST_FIGURE_JUST_BELOW = """document.addEventListener('DOMContentLoaded', () => {
    const box = document.querySelector('.ua-figure');
    if (!box) return;
    const spacer = document.createElement('div');
    box.before(spacer);
    const top = box.getBoundingClientRect().top;
    spacer.style.height = `${Math.max(0, innerHeight + 300 - top)}px`;
});"""

FIRST_BOX_TOP = "() => document.querySelector('.ua-figure').getBoundingClientRect().top"

# Where a heatmap cell's centre is on the screen: [x, y] from the left top.
CELL_POINT = """(plot, [index, x, y]) => {
    const layout = plot._fullLayout;
    const trace = plot._fullData[index];
    const xaxis = layout[trace.xaxis.replace('x', 'xaxis')];
    const yaxis = layout[trace.yaxis.replace('y', 'yaxis')];
    const frame = plot.getBoundingClientRect();
    return [frame.left + xaxis._offset + xaxis.d2p(x),
            frame.top + yaxis._offset + yaxis.d2p(y)];
}"""

PLOT_FONT_COLOUR = "plot => plot._fullLayout.font.color"

MATH_FONT = "assets/vendor/stix-two-math/math.woff2"
PRELOAD = re.compile(r'<link rel="preload" href="([^"]+)" as="font"')
SCRIPT = re.compile(r"<script\b([^>]*)\bsrc=\"([^\"]+)\"([^>]*)>")

# The status of each face of the site's math font, once the page's fonts are
# settled (a page without formulas never asks for it).
MATH_FONT_STATUS = """async () => {
    await document.fonts.ready;
    return [...document.fonts]
        .filter(face => face.family.replaceAll('"', '') === 'UA Math')
        .map(face => face.status);
}"""


@dataclass
class Visit:
    figures: dict
    unrendered_math: list
    console_errors: list
    page_errors: list
    offsite: list
    plotly_requests: int


@pytest.fixture(scope="session")
def visits():
    return {}


@pytest.fixture
def visit(site_page, visits, open_tab):
    """Return the record of one visit of ``site_page``, made on first use."""
    if site_page not in visits:
        tab = open_tab()
        tab.open(site_page)
        boxes = tab.page.locator(".ua-figure")
        figures = {}
        for index in range(boxes.count()):
            box = boxes.nth(index)
            name = box.get_attribute("data-figure-id") or f"box {index}"
            figures[name] = tab.draw(box)
        try:
            tab.page.wait_for_function(MATH_SETTLED, timeout=10_000)
        except PlaywrightTimeout:
            pass  # the record lists the formulas that stayed unrendered
        visits[site_page] = Visit(
            figures=figures,
            unrendered_math=tab.page.evaluate(UNRENDERED_MATH),
            console_errors=tab.console_errors,
            page_errors=tab.page_errors,
            offsite=tab.offsite,
            plotly_requests=len(tab.plotly_requests()),
        )
    return visits[site_page]


def first_figure_page(site):
    pages = site.figure_pages()
    if not pages:
        pytest.fail("the built site has no page with a figure box")
    return pages[0]


def heatmap_cell(site):
    """Find a heatmap figure and a cell whose query and key tokens differ.

    Returns
    -------
    tuple
        (page, figure id, trace index, x value, y value, query, key).
    """
    for page in site.figure_pages():
        for box in site.parse(page).figures:
            data = site.figure_data(page, box)["data"]
            for index, trace in enumerate(data):
                if trace.get("type") != "heatmap" or "customdata" not in trace:
                    continue
                for row, cells in enumerate(trace["customdata"]):
                    for col, (query, key) in enumerate(cells):
                        if query != key:
                            x = trace.get("x", range(len(cells)))[col]
                            y = trace.get("y", range(len(trace["z"])))[row]
                            figure_id = box["data-figure-id"]
                            return page, figure_id, index, x, y, query, key
    pytest.fail("no heatmap with [query, key] customdata on any page")


def pages_linking_to_figures(site):
    """Return pages with an href to another page that has figures, home first."""
    targets = {site.url(page): page for page in site.figure_pages()}
    found = []
    for page in sorted(site.pages, key=lambda page: page != "index.html"):
        hrefs = site.parse(page).hrefs
        links = {urljoin(site.url(page), href).split("#")[0] for href in hrefs}
        if page != "404.html" and any(targets.get(url, page) != page for url in links):
            found.append(page)
    return found


# Index of the first link a reader can see that opens another page with figures.
VISIBLE_LINK = """targets => [...document.querySelectorAll('a[href]')].findIndex(a => {
    const url = a.href.split('#')[0];
    const box = a.getBoundingClientRect();
    return targets.includes(url) && url !== location.href.split('#')[0]
        && box.width > 0 && box.height > 0
        && a.checkVisibility({visibilityProperty: true, opacityProperty: true});
})"""


def test_every_figure_is_drawn(visit):
    not_drawn = {
        name: state for name, state in visit.figures.items() if state != "drawn"
    }
    assert not_drawn == {}


def test_page_logs_no_console_or_page_errors(visit):
    assert (visit.console_errors, visit.page_errors) == ([], [])


def test_page_requests_nothing_off_machine(visit):
    assert visit.offsite == []


def test_every_formula_renders(visit):
    assert visit.unrendered_math == []


def test_plotly_loads_once_and_only_for_figures(visit):
    assert visit.plotly_requests == (1 if visit.figures else 0)


def test_plotly_waits_until_a_figure_nears_the_viewport(site, open_tab):
    tab = open_tab(width=360, height=640)
    tab.page.add_init_script(PUSH_FIGURES_DOWN)
    tab.open(first_figure_page(site))
    tab.page.wait_for_timeout(1000)
    requested_at_top = len(tab.plotly_requests())

    state = tab.draw(tab.page.locator(".ua-figure").first)

    assert (requested_at_top, state, len(tab.plotly_requests())) == (0, "drawn", 1)


def test_look_ahead_starts_when_the_reader_scrolls(site, open_tab):
    tab = open_tab(width=1280, height=800)
    tab.page.add_init_script(FIRST_FIGURE_JUST_BELOW)
    tab.open(first_figure_page(site))
    tab.page.wait_for_timeout(1000)
    below_by = tab.page.evaluate(FIRST_BOX_TOP) - 800
    requested_before_scrolling = len(tab.plotly_requests())

    tab.page.mouse.move(640, 400)
    tab.page.mouse.wheel(0, 100)
    box = tab.page.locator(".ua-figure").first
    box.page.wait_for_function(
        "box => box.dataset.drawn === 'true'", arg=box.element_handle()
    )
    still_below_by = tab.page.evaluate(FIRST_BOX_TOP) - 800

    assert 0 < below_by < 600
    assert requested_before_scrolling == 0
    # Drawn ahead of the reader: the box had not reached the window.
    assert still_below_by > 0
    assert len(tab.plotly_requests()) == 1


def test_drawing_keeps_the_reserved_height(site, open_tab):
    tab = open_tab(width=360, height=640)
    tab.page.add_init_script(PUSH_FIGURES_DOWN)
    tab.open(first_figure_page(site))
    box = tab.page.locator(".ua-figure").first
    height_before = box.bounding_box()["height"]

    assert tab.draw(box) == "drawn"
    assert box.bounding_box()["height"] == pytest.approx(height_before, abs=1)


def test_plotly_is_requested_after_first_paint(site, open_tab):
    # A tall window puts the first figure in the first screenful.
    tab = open_tab(width=1280, height=6000)
    tab.open(first_figure_page(site))
    assert tab.draw(tab.page.locator(".ua-figure").first) == "drawn"

    paint, plotly = tab.page.evaluate(
        """() => [
            performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
            performance.getEntriesByType('resource')
                .find(entry => entry.name.endsWith('plotly.min.js'))
                ?.startTime,
        ]"""
    )
    assert paint is not None and plotly is not None
    assert plotly >= paint


def test_palette_toggle_rethemes_plots(site, open_tab):
    tab = open_tab()
    tab.open(first_figure_page(site))
    assert tab.draw(tab.page.locator(".ua-figure").first) == "drawn"
    plot = tab.page.locator(".ua-figure__plot").first.element_handle()
    scheme_before = tab.page.get_attribute("body", "data-md-color-scheme")
    colour_before = plot.evaluate(PLOT_FONT_COLOUR)

    toggle = tab.page.locator("[data-md-component=palette] label")
    toggle.filter(visible=True).first.click()
    tab.page.wait_for_function(
        f"plot => {PLOT_FONT_COLOUR}(plot) !== {json.dumps(colour_before)}",
        arg=plot,
        timeout=5000,
    )

    scheme_after = tab.page.get_attribute("body", "data-md-color-scheme")
    assert {scheme_before, scheme_after} == {"default", "slate"}
    assert plot.evaluate(PLOT_FONT_COLOUR) != colour_before


def test_instant_navigation_draws_the_next_page_without_reload(site, open_tab):
    targets = [site.url(page) for page in site.figure_pages()]
    tab = open_tab()
    for source in pages_linking_to_figures(site):
        tab.open(source)
        link = tab.page.evaluate(VISIBLE_LINK, targets)
        if link >= 0:
            break
    else:
        pytest.fail("no page shows a link to another page with figures")
    # A full reload would forget the flag; the old boxes are marked so that the
    # wait below counts the new page's boxes only.
    tab.page.evaluate(
        """() => {
            window.uaSamePage = true;
            document.querySelectorAll('.ua-figure')
                .forEach(box => box.classList.add('ua-test-old'));
        }"""
    )

    anchor = tab.page.locator("a[href]").nth(link)
    page_at = {site.url(page): page for page in site.pages}
    target = page_at[anchor.evaluate("a => a.href.split('#')[0]")]
    anchor.click()
    tab.page.wait_for_url(site.url(target) + "*")
    expected = len(site.parse(target).figures)
    new_boxes = ".ua-figure:not(.ua-test-old)"
    tab.page.wait_for_function(
        f"n => document.querySelectorAll('{new_boxes}').length === n", arg=expected
    )
    boxes = tab.page.locator(new_boxes)
    states = [tab.draw(boxes.nth(index)) for index in range(expected)]

    assert tab.page.evaluate("window.uaSamePage") is True
    assert states == ["drawn"] * expected


def test_heatmap_hover_names_both_tokens(site, open_tab):
    page, figure_id, trace_index, x, y, query, key = heatmap_cell(site)
    tab = open_tab()
    tab.open(page)
    box = tab.page.locator(f"#figure-{figure_id}")
    assert tab.draw(box) == "drawn"
    plot = box.locator(".ua-figure__plot")
    box.scroll_into_view_if_needed()

    point = plot.evaluate(CELL_POINT, [trace_index, x, y])
    tab.page.mouse.move(point[0] - 3, point[1] - 3)
    tab.page.mouse.move(*point, steps=3)
    hover = plot.locator(".hovertext").first
    hover.wait_for(timeout=5000)
    text = hover.text_content()

    assert query in text and key in text


def heatmap_corners(site):
    """Yield (page, figure id, trace index, x, y) for each heatmap's corner cells."""
    for page in site.figure_pages():
        for box in site.parse(page).figures:
            data = site.figure_data(page, box)["data"]
            for index, trace in enumerate(data):
                if trace.get("type") != "heatmap":
                    continue
                xs = trace.get("x", range(len(trace["z"][0])))
                ys = trace.get("y", range(len(trace["z"])))
                for x in (xs[0], xs[-1]):
                    for y in (ys[0], ys[-1]):
                        yield page, box["data-figure-id"], index, x, y


def test_heatmap_hover_stays_on_a_360px_screen(site, open_tab):
    tab = open_tab(width=360, height=740)
    outside, seen = [], 0
    opened = None
    for page, figure_id, index, x, y in heatmap_corners(site):
        if page != opened:
            tab.open(page)
            opened = page
        box = tab.page.locator(f"#figure-{figure_id}")
        assert tab.draw(box) == "drawn"
        box.scroll_into_view_if_needed()
        plot = box.locator(".ua-figure__plot")
        point = plot.evaluate(CELL_POINT, [index, x, y])
        tab.page.mouse.move(point[0] - 3, point[1] - 3)
        tab.page.mouse.move(*point, steps=3)
        label = plot.locator(".hoverlayer .hovertext").first
        label.wait_for(timeout=5000)
        left, right = label.evaluate(
            "label => [label.getBoundingClientRect().left,"
            " label.getBoundingClientRect().right]"
        )
        seen += 1
        if left < 0 or right > 360:
            outside.append((figure_id, x, y, round(left), round(right)))
        tab.page.mouse.move(1, 1)
        label.wait_for(state="detached", timeout=5000)

    assert seen > 0
    assert outside == []


def test_plot_follows_its_container_width(site, open_tab):
    tab = open_tab(width=1280, height=800)
    tab.open(first_figure_page(site))
    box = tab.page.locator(".ua-figure").first
    assert tab.draw(box) == "drawn"
    plot = box.locator(".ua-figure__plot").element_handle()
    wide = plot.evaluate("plot => plot._fullLayout.width")

    # The window keeps its size: only the container narrows (as when a sidebar
    # opens), which plotly.js's own window-resize handler would not notice.
    box.evaluate("box => { box.style.width = '420px'; }")
    tab.page.wait_for_function(
        "plot => Math.abs(plot._fullLayout.width - plot.clientWidth) <= 1",
        arg=plot,
        timeout=5000,
    )

    assert plot.evaluate("plot => plot._fullLayout.width") < wide


def test_figure_fits_a_360px_screen(site, open_tab):
    tab = open_tab(width=360, height=740)
    tab.open(first_figure_page(site))
    box = tab.page.locator(".ua-figure").first
    assert tab.draw(box) == "drawn"

    right_edges = box.evaluate(
        """box => [box, ...box.querySelectorAll('.main-svg')]
            .map(element => element.getBoundingClientRect().right)"""
    )
    assert max(right_edges) <= 360


def test_figures_draw_when_served_under_a_subpath(site, open_tab):
    page_url = site.url(first_figure_page(site))
    tab = open_tab()
    tab.page.goto(page_url.replace(site.origin, site.subpath_origin))

    assert tab.draw(tab.page.locator(".ua-figure").first) == "drawn"
    requested = tab.plotly_requests()
    assert len(requested) == 1 and requested[0].startswith(site.subpath_origin)


def test_caption_and_text_version_need_no_javascript(site, open_tab):
    tab = open_tab(java_script_enabled=False)
    tab.open(first_figure_page(site))
    box = tab.page.locator(".ua-figure").first
    plot = box.locator(".ua-figure__plot")

    reserved = plot.evaluate("plot => parseFloat(plot.style.height)")
    placeholder = plot.evaluate(
        "plot => getComputedStyle(plot, '::before').content.slice(1, -1)"
    )
    assert box.locator(".ua-figure__caption").is_visible()
    assert box.locator(".ua-figure__text summary").is_visible()
    assert plot.bounding_box()["height"] == pytest.approx(reserved, abs=1)
    assert placeholder == plot.get_attribute("aria-label")


def test_reduced_motion_turns_off_the_fade_in(site, open_tab):
    tab = open_tab(reduced_motion="reduce")
    tab.open(first_figure_page(site))
    box = tab.page.locator(".ua-figure").first
    assert tab.draw(box) == "drawn"

    animation = box.locator(".ua-figure__plot").evaluate(
        "plot => getComputedStyle(plot).animationName"
    )
    assert animation == "none"


def test_math_font_holds_every_glyph_the_pages_draw(site):
    drawn_characters = load_hook("_math_font.py").drawn_characters
    font = TTFont(site.folder / MATH_FONT)
    covered = set(map(chr, font.getBestCmap()))

    missing = {}
    for page in site.pages:
        drawn = drawn_characters((site.folder / page).read_text(encoding="utf-8"))
        if drawn - covered:
            missing[page] = sorted(drawn - covered)

    assert "MATH" in font
    assert missing == {}


def test_pages_with_math_preload_the_font_and_others_do_not(site):
    with_math = []
    for page in site.pages:
        text = (site.folder / page).read_text(encoding="utf-8")
        links = [urljoin(site.url(page), href) for href in PRELOAD.findall(text)]
        if "<math" in text:
            with_math.append(page)
            assert links == [site.origin + MATH_FONT], page
        else:
            assert links == [], page
    assert with_math, "no built page has a formula"


def test_formulas_are_drawn_in_the_site_font(site, open_tab):
    page = next(
        page
        for page in site.figure_pages()
        if "<math" in (site.folder / page).read_text(encoding="utf-8")
    )
    tab = open_tab(width=412, height=823)
    tab.open(page)
    tab.page.locator("div.arithmatex").first.scroll_into_view_if_needed()

    assert tab.page.evaluate(MATH_FONT_STATUS) == ["loaded"]
    assert tab.console_errors == []


def test_material_bundle_runs_deferred_before_the_site_scripts(site):
    page = site.figure_pages()[0]
    scripts = [
        (src.rsplit("/", 1)[-1], " defer" in f" {before} {after} ".replace(">", " "))
        for before, src, after in SCRIPT.findall(
            (site.folder / page).read_text(encoding="utf-8")
        )
    ]

    assert scripts[0][0].startswith("bundle.")
    assert all(deferred for _, deferred in scripts), scripts
