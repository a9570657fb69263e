"""Menus inside figures work from the keyboard, in both palettes (Chromium).

A fixture site holds one figure, ``menus``, with every kind of plotly.js menu
that figure-controls.js handles: a button menu (bar heights), a dropdown (bar
colour) and a button that animates (for reduced motion). The real site's
menus are tested in test_reading.py; this page has the kinds no post uses yet.
"""

import json

import pytest

from tests.browser.contrast import COLOUR_MATHS
from tests.browser.fixture_sites import ROOT, copy_assets, serve_fixture

pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONFIG = """\
site_name: Menu fixture
theme:
  name: material
  font: false
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
hooks:
  - {hooks}/figures.py
  - {hooks}/vendor.py
markdown_extensions:
  - attr_list
  - md_in_html
extra_css:
  - assets/stylesheets/figures.css
extra_javascript:
  - path: assets/javascripts/figure-controls.js
    defer: true
  - path: assets/javascripts/figures.js
    defer: true
"""

LOW, HIGH = [1, 2, 3], [3, 6, 9]
AXE_RULES = {
    "type": "tag",
    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
}
COLOURS = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73"}


def menus_figure():
    """Return the fixture's figure file: one bar trace and three menus."""
    heights = {
        "name": "Bar heights",
        "type": "buttons",
        "direction": "right",
        "x": 0,
        "xanchor": "left",
        "y": 1.15,
        "yanchor": "bottom",
        "active": 0,
        "buttons": [
            {"label": "low", "method": "restyle", "args": [{"y": [LOW]}]},
            {"label": "high", "method": "restyle", "args": [{"y": [HIGH]}]},
        ],
    }
    colour = {
        "name": "Bar colour",
        "type": "dropdown",
        "x": 0.5,
        "xanchor": "left",
        "y": 1.15,
        "yanchor": "bottom",
        "active": 0,
        "buttons": [
            {"label": name, "method": "restyle", "args": [{"marker.color": value}]}
            for name, value in COLOURS.items()
        ],
    }
    replay = {
        "name": "Replay",
        "type": "buttons",
        "x": 1,
        "xanchor": "right",
        "y": 1.15,
        "yanchor": "bottom",
        "showactive": False,
        "buttons": [
            {
                "label": "replay",
                "method": "animate",
                "args": [None, {"transition": {"duration": 500}, "frame": {}}],
            }
        ],
    }
    return {
        "data": [
            {
                "type": "bar",
                "x": ["a", "b", "c"],
                "y": LOW,
                "marker": {"color": "#0072B2"},
            }
        ],
        "layout": {
            "updatemenus": [heights, colour, replay],
            "margin": {"t": 90},
            "yaxis": {"range": [0, 10], "fixedrange": True},
            "xaxis": {"fixedrange": True},
        },
        "meta": {
            "id": "menus",
            "title": "Menus",
            "caption": "Bars whose height and colour the menus change.",
            "alt": "Three bars and three menus above them.",
            "height": 420,
            "text": ["Bars a, b and c."],
        },
    }


def write_fixture(root):
    """Write the fixture's configuration, page, assets and figure."""
    hooks = ROOT / "hooks"
    (root / "mkdocs.yml").write_text(CONFIG.format(hooks=hooks), encoding="utf-8")
    copy_assets(
        root,
        [
            "javascripts/figure-controls.js",
            "javascripts/figures.js",
            "stylesheets/figures.css",
        ],
    )
    (root / "docs" / "index.md").write_text(
        "# Menus\n\nA figure with menus.\n\n[[figure: menus]]\n", encoding="utf-8"
    )
    (root / "figures").mkdir()
    (root / "figures" / "menus.json").write_text(
        json.dumps(menus_figure(), sort_keys=True, indent=1) + "\n", encoding="utf-8"
    )
    (root / "figures" / "values.json").write_text("{}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site(chromium_path):
    """Build the fixture site and serve it; overrides conftest's real site."""
    with serve_fixture(write_fixture, "ua-menus-") as fixture:
        yield fixture


# What a screen reader is told about the menus, and what the plot shows.
MENU_STATE = """plot => ({
    heights: [...plot.querySelectorAll('.updatemenu-button')]
        .filter(b => b.dataset.menuIndex === '0')
        .map(b => [b.getAttribute('role'), b.getAttribute('aria-label'),
                   b.getAttribute('aria-pressed'), b.tabIndex]),
    header: ['role', 'aria-haspopup', 'aria-expanded', 'aria-label']
        .map(name => plot.querySelector('.updatemenu-header').getAttribute(name)),
    items: [...plot.querySelectorAll('.updatemenu-dropdown-button')]
        .map(item => [item.getAttribute('role'), item.getAttribute('aria-label'),
                      item.getAttribute('aria-checked')]),
    y: plot.data[0].y,
    colour: plot._fullData[0].marker.color,
    focused: document.activeElement.getAttribute('aria-label'),
})"""


@pytest.fixture
def plot(open_tab):
    """Return the drawn plot of the fixture's figure, in a new tab."""
    return open_tab(width=900, height=800).open_figure("index.html", "menus")


def state(plot):
    """Return `MENU_STATE` once the next frame has been drawn."""
    plot.page.evaluate("() => new Promise(done => requestAnimationFrame(done))")
    plot.page.evaluate("() => new Promise(done => requestAnimationFrame(done))")
    return plot.evaluate(MENU_STATE)


def test_menus_have_roles_names_states_and_tab_stops(plot):
    now = state(plot)
    assert now["heights"] == [
        ["button", "low", "true", 0],
        ["button", "high", "false", 0],
    ]
    assert now["header"] == ["button", "menu", "false", "Bar colour: blue"]
    assert now["items"] == []
    group = plot.locator(".updatemenu-header-group").first
    assert [group.get_attribute("role"), group.get_attribute("aria-label")] == [
        "group",
        "Bar heights",
    ]


def test_tab_reaches_each_menu_button_and_enter_presses_it(plot):
    plot.locator(".updatemenu-button[aria-label='low']").focus()
    plot.page.keyboard.press("Tab")
    moved_to = state(plot)["focused"]
    plot.page.keyboard.press("Enter")
    now = state(plot)
    assert moved_to == "high"
    assert now["y"] == HIGH
    assert [button[2] for button in now["heights"]] == ["false", "true"]
    assert now["focused"] == "high"


def test_space_presses_a_menu_button(plot):
    plot.locator(".updatemenu-button[aria-label='high']").focus()
    plot.page.keyboard.press("Space")
    assert state(plot)["y"] == HIGH


def test_dropdown_opens_moves_and_chooses_from_the_keyboard(plot):
    plot.locator(".updatemenu-header").focus()
    plot.page.keyboard.press("Enter")
    opened = state(plot)
    plot.page.keyboard.press("ArrowDown")
    moved = state(plot)["focused"]
    plot.page.keyboard.press("Enter")
    chosen = state(plot)

    assert opened["header"][2] == "true"
    assert opened["items"] == [
        ["menuitemradio", "blue", "true"],
        ["menuitemradio", "orange", "false"],
        ["menuitemradio", "green", "false"],
    ]
    assert opened["focused"] == "blue"
    assert moved == "orange"
    assert chosen["colour"] == COLOURS["orange"]
    assert chosen["header"][2:] == ["false", "Bar colour: orange"]
    assert chosen["focused"] == "Bar colour: orange"


def test_arrow_keys_wrap_around_the_open_dropdown(plot):
    plot.locator(".updatemenu-header").focus()
    plot.page.keyboard.press("ArrowDown")
    first = state(plot)["focused"]
    plot.page.keyboard.press("ArrowUp")
    wrapped = state(plot)["focused"]
    plot.page.keyboard.press("Home")
    home = state(plot)["focused"]
    assert (first, wrapped, home) == ("blue", "green", "blue")


def test_escape_closes_the_dropdown_and_changes_nothing(plot):
    plot.locator(".updatemenu-header").focus()
    plot.page.keyboard.press("Enter")
    state(plot)
    plot.page.keyboard.press("ArrowDown")
    plot.page.keyboard.press("Escape")
    now = state(plot)
    assert now["header"][2] == "false"
    assert now["colour"] == COLOURS["blue"]
    assert now["focused"] == "Bar colour: blue"


# axe-core on the figure box alone: the fixture's page lacks the site's fixes
# for Material's own markup (accessibility.js), which test_reading.py checks.
AXE_ON_FIGURE = """async runOnly => {
    const result = await axe.run('#figure-menus', {
        runOnly, resultTypes: ['violations'],
    });
    return result.violations.map(violation => `${violation.id}: ` +
        violation.nodes.slice(0, 3).map(node => node.target.join(' ')).join(', '));
}"""


def test_axe_finds_no_violation_with_the_dropdown_closed_and_open(plot):
    plot.page.add_script_tag(path=str(ROOT / "node_modules/axe-core/axe.min.js"))
    closed = plot.page.evaluate(AXE_ON_FIGURE, AXE_RULES)
    plot.locator(".updatemenu-header").focus()
    plot.page.keyboard.press("Enter")
    state(plot)
    opened = plot.page.evaluate(AXE_ON_FIGURE, AXE_RULES)
    assert (closed, opened) == ([], [])


def test_reduced_motion_stills_a_menu_animation(open_tab):
    plot = open_tab(reduced_motion="reduce").open_figure("index.html", "menus")
    args = plot.evaluate("plot => plot.layout.updatemenus[2].buttons[0].args[1]")
    assert args["transition"]["duration"] == 0
    assert args["frame"]["duration"] == 0


# The contrast ratio (WCAG 2) of a menu button's text on its own fill, laid
# over the page's background: plotly.js fills the active button itself.
BUTTON_CONTRAST = (
    """button => {"""
    + COLOUR_MATHS
    + """
    const page = rgba(getComputedStyle(document.body).backgroundColor);
    const rect = button.querySelector('.updatemenu-item-rect');
    const text = button.querySelector('.updatemenu-item-text');
    const fill = rgba(getComputedStyle(rect).fill);
    fill[3] *= Number(getComputedStyle(rect).fillOpacity);
    const background = over(fill, page);
    const ink = over(rgba(getComputedStyle(text).fill), background);
    return contrast(ink, background);
}"""
)


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_active_menu_button_is_legible_in_both_palettes(open_tab, palette):
    plot = open_tab(color_scheme=palette).open_figure("index.html", "menus")
    active = plot.locator(".updatemenu-button[aria-pressed='true']")
    assert active.evaluate(BUTTON_CONTRAST) >= 4.5
