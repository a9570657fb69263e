"""What readers on a phone, with a keyboard or a screen reader get (Chromium).

Each page is visited once per palette on a 360-pixel-wide screen: every figure
is scrolled into view until drawn, then the visit records the page's width, the
text plotly.js drew outside its plot, and axe-core's violations (the npm package
pinned in package-lock.json, injected from ``node_modules``). Separate tests
then check the record, so one failure does not hide the others.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.contrast import COLOUR_MATHS

pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PHONE = {"width": 360, "height": 740}

# Material picks its palette from the reader's colour-scheme preference.
PALETTES = {"light": "default", "dark": "slate"}

# axe-core's rules: WCAG 2.2 A and AA with axe's best practices (landmarks,
# regions...).
ALL_RULES = {
    "type": "tag",
    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
}

# Formulas are MathML, which screen readers read, so axe checks them too.
AXE_RUN = """async runOnly => {
    const result = await axe.run(document, {
        runOnly, resultTypes: ['violations'],
    });
    return result.violations.map(violation => `${violation.id}: ` +
        violation.nodes.slice(0, 3).map(node => node.target.join(' ')).join(', '));
}"""

# Sums every layout shift from navigation on that no input caused, the
# quantity behind Lighthouse's CLS; recorded from before the page loads.
RECORD_SHIFTS = """window.uaShifts = [];
new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
        if (!entry.hadRecentInput) window.uaShifts.push({
            value: entry.value,
            moved: entry.sources.map(source => source.node?.nodeName || '?'),
        });
    }
}).observe({type: 'layout-shift', buffered: true});"""

# Scrolls down by three quarters of the viewport every 150 ms to the end of
# the page, then waits until every figure box is drawn or failed, for 20 s
# at most (the visit's own drawing then reports the figures left).
READ_TO_THE_END = """async () => {
    const pause = ms => new Promise(done => setTimeout(done, ms));
    while (scrollY + innerHeight < document.documentElement.scrollHeight - 1) {
        scrollBy(0, Math.round(innerHeight * 0.75));
        await pause(150);
    }
    const boxes = [...document.querySelectorAll('.ua-figure')];
    const settled = box => box.dataset.drawn === 'true' || 'error' in box.dataset;
    for (let waited = 0; waited < 20000 && !boxes.every(settled); waited += 100) {
        await pause(100);
    }
}"""

TYPESET = """() => [...document.querySelectorAll('.arithmatex')]
    .every(formula => formula.querySelector('.katex, .katex-error'))"""

# Text that plotly.js drew beyond its own SVG is cut off on screen.
CLIPPED_TEXT = """box => [...box.querySelectorAll('.main-svg')].flatMap(svg => {
    const frame = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].filter(text => {
        const r = text.getBoundingClientRect();
        return r.width > 0 && text.textContent.trim() && (
            r.left < frame.left - 1 || r.right > frame.right + 1 ||
            r.top < frame.top - 1 || r.bottom > frame.bottom + 1);
    }).map(text => text.textContent.trim());
})"""

# A drawn plot holds buttons, so it is a labelled group (not an image) that
# points to its caption (aria-describedby) and text version (aria-details).
PLOT_DESCRIPTION = """box => {
    const plot = box.querySelector('.ua-figure__plot');
    const caption = document.getElementById(plot.getAttribute('aria-describedby'));
    const text = document.getElementById(plot.getAttribute('aria-details'));
    return [
        plot.getAttribute('role') === 'group' || 'role is not group',
        Boolean(plot.getAttribute('aria-label')) || 'no aria-label',
        caption?.matches('.ua-figure__caption') || 'aria-describedby: no caption',
        text?.matches('details.ua-figure__text') || 'aria-details: no text version',
    ].filter(check => check !== true);
}"""

# Every text plotly.js drew whose contrast (WCAG 2) with what lies under it is
# below 4.5: a menu button's fill; for text on a heatmap, the cell's colour,
# read from the heatmap's image at the text's centre; else the page's
# background. The text's opacity is composited as the browser does.
LOW_CONTRAST_TEXT = (
    r"""async box => {"""
    + COLOUR_MATHS
    + r"""
    const layers = [];
    for (let node = box; node; node = node.parentElement) {
        const colour = rgba(getComputedStyle(node).backgroundColor);
        if (colour[3] > 0) layers.push(colour);
        if (colour[3] === 1) break;
    }
    const page = layers.reverse().reduce((under, c) => over(c, under), [255, 255, 255]);

    const images = new Map();
    const heatmaps = [...box.querySelectorAll('.hm image')];
    const underText = async text => {
        const t = text.getBoundingClientRect();
        const [cx, cy] = [(t.left + t.right) / 2, (t.top + t.bottom) / 2];
        const image = heatmaps.find(image => {
            const r = image.getBoundingClientRect();
            return r.left <= cx && cx < r.right && r.top <= cy && cy < r.bottom;
        });
        if (!image) return page;
        if (!images.has(image)) {
            const picture = new Image();
            picture.src = image.href.baseVal;
            await picture.decode();
            const canvas = document.createElement('canvas');
            canvas.width = picture.naturalWidth;
            canvas.height = picture.naturalHeight;
            canvas.getContext('2d').drawImage(picture, 0, 0);
            images.set(image, canvas);
        }
        const canvas = images.get(image);
        const frame = image.getBoundingClientRect();
        const x = (cx - frame.left) / frame.width * canvas.width;
        const y = (cy - frame.top) / frame.height * canvas.height;
        const [r, g, b, a] = canvas.getContext('2d')
            .getImageData(Math.floor(x), Math.floor(y), 1, 1).data;
        return over([r, g, b, a / 255], page);
    };

    const low = [];
    for (const text of box.querySelectorAll('.main-svg text')) {
        const label = text.textContent.trim();
        if (!label || text.getBoundingClientRect().width === 0) continue;
        const style = getComputedStyle(text);
        const ink = rgba(style.fill);
        ink[3] *= Number(style.fillOpacity) * Number(style.opacity);
        const button = text.closest('.updatemenu-button');
        let under;
        if (button) {
            const fill = getComputedStyle(button.querySelector('rect'));
            const colour = rgba(fill.fill);
            colour[3] *= Number(fill.fillOpacity);
            under = over(colour, page);
        } else {
            under = await underText(text);
        }
        const ratio = contrast(over(ink, under), under);
        if (ratio < 4.5) low.push(`${label}: ${ratio.toFixed(2)}`);
    }
    return low;
}"""
)

PLOT_OVERFLOW = """box => {
    const inner = box.querySelector('.ua-figure__plot').getBoundingClientRect();
    return [...box.querySelectorAll('.main-svg')]
        .map(svg => svg.getBoundingClientRect())
        .filter(r => r.left < inner.left - 1 || r.right > inner.right + 1).length;
}"""


@dataclass
class PhoneVisit:
    scheme: str
    page_width: int
    figures: dict
    overflowing_plots: dict
    clipped_text: dict
    undescribed_plots: dict
    low_contrast_text: dict
    violations: list
    layout_shifts: list


@pytest.fixture(scope="session")
def phone_visits():
    return {}


def visit_on_a_phone(open_tab, page, palette):
    """Visit ``page`` in ``palette``; draw its figures; run axe-core."""
    tab = open_tab(**PHONE, color_scheme=palette)
    tab.page.add_init_script(RECORD_SHIFTS)
    tab.open(page)
    # Read the page as a reader does, three quarters of a screen at a time,
    # so that figures load as they near the viewport; the script scrolls, so
    # that any shift counts (a reader's input would excuse the shifts of the
    # next half second).
    tab.page.evaluate(READ_TO_THE_END)
    shifts = tab.page.evaluate("window.uaShifts")
    figures, overflowing, clipped, undescribed, low = {}, {}, {}, {}, {}
    boxes = tab.page.locator(".ua-figure")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        name = box.get_attribute("data-figure-id") or f"box {index}"
        figures[name] = tab.draw(box)
        overflowing[name] = box.evaluate(PLOT_OVERFLOW)
        clipped[name] = box.evaluate(CLIPPED_TEXT)
        undescribed[name] = box.evaluate(PLOT_DESCRIPTION)
        low[name] = box.evaluate(LOW_CONTRAST_TEXT)
    # Formulas are typeset in slices; then accessibility.js waits for idle.
    tab.page.wait_for_function(TYPESET, timeout=10_000)
    tab.page.evaluate("() => new Promise(done => requestIdleCallback(done))")
    tab.page.add_script_tag(path=str(AXE))
    return PhoneVisit(
        scheme=tab.page.get_attribute("body", "data-md-color-scheme"),
        page_width=tab.page.evaluate("document.documentElement.scrollWidth"),
        figures=figures,
        overflowing_plots={k: v for k, v in overflowing.items() if v},
        clipped_text={k: v for k, v in clipped.items() if v},
        undescribed_plots={k: v for k, v in undescribed.items() if v},
        low_contrast_text={k: v for k, v in low.items() if v},
        violations=tab.page.evaluate(AXE_RUN, ALL_RULES),
        layout_shifts=shifts,
    )


@pytest.fixture
def phone_visit(site_page, phone_visits, open_tab):
    """Return the record of one visit of ``site_page`` on a phone, light palette.

    Every figure is drawn, and axe-core runs all its WCAG A/AA and
    best-practice rules.
    """
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in {ROOT}", pytrace=False)
    key = (site_page, "light")
    if key not in phone_visits:
        phone_visits[key] = visit_on_a_phone(open_tab, site_page, "light")
    return phone_visits[key]


@pytest.fixture
def dark_visit(site_page, phone_visits, open_tab):
    """Return the record of one visit of ``site_page`` on a phone, dark palette.

    As `phone_visit`, in the other palette: every figure drawn (figures.js
    takes the plots' colours from the palette) and every axe-core rule run.
    """
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in {ROOT}", pytrace=False)
    key = (site_page, "dark")
    if key not in phone_visits:
        phone_visits[key] = visit_on_a_phone(open_tab, site_page, "dark")
    return phone_visits[key]


def test_axe_finds_no_violation(phone_visit):
    assert phone_visit.scheme == PALETTES["light"]
    assert phone_visit.violations == []


def test_axe_finds_no_violation_in_the_dark_palette(dark_visit):
    assert dark_visit.scheme == PALETTES["dark"]
    assert dark_visit.violations == []


def test_plot_text_stands_out_from_its_background(phone_visit):
    assert phone_visit.low_contrast_text == {}


def test_plot_text_stands_out_in_the_dark_palette(dark_visit):
    assert dark_visit.low_contrast_text == {}


def test_page_does_not_scroll_sideways_at_360px(phone_visit):
    assert phone_visit.page_width <= PHONE["width"]


def test_plots_fit_their_box_at_360px(phone_visit):
    assert set(phone_visit.figures.values()) <= {"drawn"}
    assert phone_visit.overflowing_plots == {}


def test_nothing_moves_while_the_page_and_its_figures_load(phone_visit):
    # The visit loads the page, then reads down to its end, each figure being
    # drawn as it nears the viewport: Lighthouse's CLS, over every figure.
    assert phone_visit.layout_shifts == []


def test_plot_text_is_not_clipped_at_360px(phone_visit):
    assert phone_visit.clipped_text == {}


def test_drawn_plots_are_described_by_caption_and_text_version(phone_visit):
    assert phone_visit.undescribed_plots == {}


def slider_page(site):
    """Return the first page with a figure that has a plotly.js slider."""
    for page in site.figure_pages():
        for box in site.parse(page).figures:
            if site.figure_data(page, box)["layout"].get("sliders"):
                return page, box["data-figure-id"]
    pytest.fail("no figure on any page has a slider")


SLIDER_STATE = """plot => [
    plot._fullLayout.sliders[0].active,
    JSON.stringify(plot.data.map(trace => trace.y)),
]"""


def test_slider_works_from_the_keyboard(site, open_tab):
    tab = open_tab()
    plot = tab.open_figure(*slider_page(site))
    slider = plot.locator(".slider-group").first
    last = int(slider.get_attribute("aria-valuemax"))
    data_before = plot.evaluate(SLIDER_STATE)[1]

    slider.focus()
    tab.page.keyboard.press("ArrowRight")
    plot.locator(".slider-group[aria-valuenow='1']").wait_for()
    active, data_after = plot.evaluate(SLIDER_STATE)
    tab.page.keyboard.press("End")
    plot.locator(f".slider-group[aria-valuenow='{last}']").wait_for()
    at_end = slider.get_attribute("aria-valuetext")
    tab.page.keyboard.press("Home")
    plot.locator(".slider-group[aria-valuenow='0']").wait_for()

    steps = plot.evaluate("plot => plot.layout.sliders[0].steps")
    assert slider.get_attribute("role") == "slider"
    assert (active, data_after != data_before) == (1, True)
    assert at_end == steps[-1]["label"]
    assert tab.page.evaluate("document.activeElement.getAttribute('role')") == "slider"


def test_reduced_motion_turns_off_slider_transitions(site, open_tab):
    plot = open_tab(reduced_motion="reduce").open_figure(*slider_page(site))

    durations = plot.evaluate(
        "plot => plot._fullLayout.sliders.map(slider => slider.transition.duration)"
    )
    assert set(durations) == {0}


def button_menu_page(site):
    """Return the first page with a figure that has a plotly.js button menu."""
    for page in site.figure_pages():
        for box in site.parse(page).figures:
            menus = site.figure_data(page, box)["layout"].get("updatemenus", [])
            if any(menu.get("type") == "buttons" for menu in menus):
                return page, box["data-figure-id"]
    pytest.fail("no figure on any page has a button menu")


MENU_BUTTONS = """plot => [...plot.querySelectorAll('.updatemenu-button')]
    .map(button => [button.getAttribute('aria-label'),
                    button.getAttribute('aria-pressed')])"""


def test_menu_buttons_work_from_the_keyboard(site, open_tab):
    tab = open_tab()
    plot = tab.open_figure(*button_menu_page(site))
    menu = plot.evaluate("plot => plot.layout.updatemenus[0]")
    # The second button's command, as the figure file gives it.
    command = menu["buttons"][1]["args"][0]
    full_layout = (
        "(plot, names) => names.map(name => name.split('.').reduce("
        "(node, key) => node[key], plot._fullLayout))"
    )
    before = plot.evaluate(full_layout, list(command))

    plot.locator(".updatemenu-button").nth(0).focus()
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Enter")
    plot.locator(".updatemenu-button:nth-child(2)[aria-pressed='true']").wait_for()

    labels = [button["label"] for button in menu["buttons"]]
    after = plot.evaluate(full_layout, list(command))
    assert plot.evaluate(MENU_BUTTONS) == [[labels[0], "false"], [labels[1], "true"]]
    assert (before != after, after) == (True, list(command.values()))
    focused = tab.page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == labels[1]
