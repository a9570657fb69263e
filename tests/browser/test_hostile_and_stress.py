"""Hostile text is shown, never run; a page of 50 figures draws every one.

A fixture site, built in a temporary folder with the project's hooks, scripts
and stylesheet, holds figure files written by this test as the contract
describes them:

- ``hostile-escaped``: what ``scripts/build_figures.py`` writes for hostile
  text (plotly.js text escaped with ``figkit.plotly_text``); every text must be
  shown exactly as written, in the figure box, in the plot and in the names
  that figure-controls.js gives its menus;
- ``hostile-raw``: the same text unescaped in every plotly.js field, as a
  hand-edited file would hold it; plotly.js may style it, but nothing runs;
- ``stress-00`` to ``stress-49`` on one page, ``stress-00`` a 256 x 256
  attention map made by ``figkit.attention_heatmap``.
"""

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tests.browser.fixture_sites import copy_assets, serve_fixture

PlaywrightTimeout = pytest.importorskip("playwright.sync_api").TimeoutError

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]

# Each part tries one way out of the text: closing a script element, an
# element with a handler, a javascript: link, plotly.js's own tags and
# entities, Jinja, quotes, backticks, TeX delimiters, and scripts that are not
# Latin (emoji, right-to-left, a combining accent).
HOSTILE = (
    "A</script><script>window.__pwned=1</script>"
    "<img src=x onerror=\"window.__pwned=1;alert('img')\">"
    " \"double\" 'single' `tick` {{ config.site_name }} {% raw %}"
    ' <a href="javascript:window.__pwned=1">link</a> <b>bold</b> &amp; $x$'
    " 😀 مرحبا שלום cafe\u0301 Z"
)

N_STRESS = 50
BIG = 256

CONFIG = f"""\
site_name: Hostile fixture
theme:
  name: material
  font: false
plugins:
  - search
hooks:
  - {ROOT / "hooks" / "figures.py"}
  - {ROOT / "hooks" / "vendor.py"}
markdown_extensions:
  - attr_list
  - md_in_html
  - toc
  - pymdownx.superfences
  - pymdownx.arithmatex:
      generic: true
extra_css:
  - assets/stylesheets/reading.css
  - assets/stylesheets/figures.css
extra_javascript:
  - path: assets/javascripts/math.js
    defer: true
  - path: assets/javascripts/figure-controls.js
    defer: true
  - path: assets/javascripts/figures.js
    defer: true
"""

HOSTILE_PAGE = """\
# Hostile text

The weight is [[value: hostile.weight]].

[[figure: hostile-escaped]]

[[figure: hostile-raw]]
"""


def plotly_escape(text):
    """Escape text as figkit.plotly_text does, without importing Plotly."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hostile_figure(fid, plotly_text):
    """Return a figure file whose every text field carries `HOSTILE`."""
    shown = plotly_text(HOSTILE)
    heatmap = {
        "type": "heatmap",
        "name": shown,
        "z": [[0.1, 0.9], [0.6, 0.4]],
        "x": [0, 1],
        "y": [0, 1],
        "customdata": [[[shown, shown]] * 2] * 2,
        "hovertemplate": "query: %{customdata[0]}<br>key: %{customdata[1]}"
        "<extra></extra>",
        "colorbar": {"title": {"text": shown}},
    }
    bars = {
        "type": "bar",
        "name": shown,
        "x": [0, 1],
        "y": [0.5, 0.7],
        "xaxis": "x2",
        "yaxis": "y2",
        "text": [shown, shown],
        "hovertemplate": shown + "<extra>" + shown + "</extra>",
    }
    axis = {"tickmode": "array", "tickvals": [0, 1], "ticktext": [shown, "k"]}
    layout = {
        "title": {"text": shown},
        "showlegend": True,
        "xaxis": {**axis, "domain": [0, 0.45], "title": {"text": shown}},
        "yaxis": {**axis, "title": {"text": shown}},
        "xaxis2": {"domain": [0.55, 1], "anchor": "y2"},
        "yaxis2": {"anchor": "x2"},
        "annotations": [{"text": shown, "x": 0.5, "y": 0.5, "xref": "x2"}],
        "margin": {"t": 60, "b": 160, "l": 160},
        # A menu's name is never drawn: plain text, as figure modules write it.
        "updatemenus": [
            {
                "type": kind,
                "name": HOSTILE,
                "x": 0,
                "xanchor": "left",
                "y": y,
                "yanchor": "top",
                "buttons": [
                    {"label": shown, "method": "skip"},
                    {"label": "k", "method": "skip"},
                ],
            }
            for kind, y in (("buttons", -0.3), ("dropdown", -0.45))
        ],
    }
    meta = {
        "id": fid,
        "title": HOSTILE,
        "caption": HOSTILE,
        "alt": HOSTILE,
        "height": 520,
        "text": [HOSTILE, "second line " + HOSTILE],
    }
    return {"data": [heatmap, bars], "layout": layout, "meta": meta}


def stress_figures():
    """Yield the id and JSON text of each stress figure, made with figkit."""
    sys.path.insert(0, str(ROOT))
    from scripts import figkit

    rng = np.random.default_rng(0)
    for index in range(N_STRESS):
        n = BIG if index == 0 else 8
        scores = rng.normal(size=(n, n))
        weights = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
        tokens = [f"t{i}" for i in range(n)]
        figure = figkit.go.Figure(figkit.attention_heatmap(weights, tokens, tokens))
        figure.update_layout(**figkit.token_axes(tokens, tokens))
        fid = f"stress-{index:02d}"
        spec = figkit.FigureSpec(
            fid, f"Map {index}", "Random scores.", "A map", None, height=240
        )
        built = figkit.Built(
            figure, figkit.strongest_keys_text(weights, tokens, tokens)
        )
        yield fid, figkit.to_json(figkit.figure_dict(spec, built), fid)


def write_fixture(root):
    """Write the fixture site's configuration, pages, assets and figures."""
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    copy_assets(
        root,
        [
            "javascripts/figure-controls.js",
            "javascripts/figures.js",
            "javascripts/math.js",
            "stylesheets/reading.css",
            "stylesheets/figures.css",
        ],
    )
    docs = root / "docs"
    (docs / "index.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    lines = [f"[[figure: stress-{i:02d}]]\n" for i in range(N_STRESS)]
    (docs / "stress.md").write_text("# Stress\n\n" + "\n".join(lines), "utf-8")

    figures = root / "figures"
    figures.mkdir()
    files = {
        "hostile-escaped": hostile_figure("hostile-escaped", plotly_escape),
        "hostile-raw": hostile_figure("hostile-raw", lambda text: text),
    }
    for fid, figure in files.items():
        text = json.dumps(figure, sort_keys=True, allow_nan=False, indent=1)
        (figures / f"{fid}.json").write_text(text + "\n", encoding="utf-8")
    for fid, text in stress_figures():
        (figures / f"{fid}.json").write_text(text, encoding="utf-8")
    values = {"hostile.weight": {"format": ".3f", "note": HOSTILE, "value": 0.412}}
    (figures / "values.json").write_text(json.dumps(values), encoding="utf-8")


@pytest.fixture(scope="module")
def site(chromium_path):
    """Build the fixture site and serve it; overrides conftest's real site."""
    with serve_fixture(write_fixture, "ua-hostile-") as fixture:
        yield fixture


# Text content of what each figure shows, by part.
BOX_TEXTS = """box => ({
    title: box.querySelector('.ua-figure__title').textContent,
    caption: box.querySelector('.ua-figure__caption').textContent,
    alt: box.querySelector('.ua-figure__plot').getAttribute('aria-label'),
    lines: [...box.querySelectorAll('.ua-figure__text li')].map(li => li.textContent),
    svg: [...box.querySelectorAll('svg text')].map(t => t.textContent),
    menus: [...box.querySelectorAll(
        '.updatemenu-header-group, .updatemenu-button, .updatemenu-header')]
        .map(control => control.getAttribute('aria-label')),
})"""

ACTIVE_CONTENT = r"""() => ({
    pwned: window.__pwned,
    scripts: document.querySelectorAll(
        'article script, .md-search-result script').length,
    images: document.querySelectorAll('article img, .md-search-result img').length,
    links: [...document.querySelectorAll('a[href], a[*|href]')]
        .map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))
        .filter(href => /^\s*javascript:/i.test(href)),
})"""


@dataclass
class Visit:
    """What one visit of a fixture page recorded."""

    results: dict
    texts: dict
    hover: dict
    search: list
    active: dict
    dialogs: list
    requests: list
    offsite: list
    console_errors: list
    page_errors: list


# Where the heatmap cell (0, 0) of a plot is, in page pixels.
CELL_0_0 = """plot => {
    const layout = plot._fullLayout;
    const frame = plot.getBoundingClientRect();
    return [frame.left + layout.xaxis._offset + layout.xaxis.d2p(0),
            frame.top + layout.yaxis._offset + layout.yaxis.d2p(0)];
}"""


def _hover(tab, box):
    """Hover over the heatmap cell (0, 0) of a box; return the label's text."""
    plot = box.locator(".ua-figure__plot")
    x, y = plot.evaluate(CELL_0_0)
    tab.page.mouse.move(x - 3, y - 3)
    tab.page.mouse.move(x, y, steps=3)
    label = plot.locator(".hovertext").first
    try:
        label.wait_for(timeout=5_000)
    except PlaywrightTimeout:
        return "no hover label"
    return label.text_content()


def _search(tab, word):
    """Type `word` into Material's search; return the results' text."""
    tab.page.locator(".md-search__input").click()
    tab.page.keyboard.type(word, delay=20)
    results = tab.page.locator(".md-search-result__item")
    try:
        results.first.wait_for(timeout=10_000)
    except PlaywrightTimeout:
        return []
    tab.page.wait_for_timeout(300)  # let every result render
    return results.all_text_contents()


@pytest.fixture(scope="module")
def visits():
    return {}


@pytest.fixture
def visit(request, visits, open_tab):
    """Return the record of one visit of a fixture page, made on first use."""
    page = request.param
    if page not in visits:
        tab = open_tab(width=1400, height=900)
        dialogs = []
        tab.page.on(
            "dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss())
        )
        tab.open(page)
        boxes = tab.page.locator(".ua-figure")
        results, texts, hover = {}, {}, {}
        for index in range(boxes.count()):
            box = boxes.nth(index)
            fid = box.get_attribute("data-figure-id")
            results[fid] = tab.draw(box)
            if fid.startswith("hostile"):
                texts[fid] = box.evaluate(BOX_TEXTS)
            # plotly.js throws on hover over its own <a> text in the raw figure
            # (a page error, nothing more); the escaped figure has none.
            if fid == "hostile-escaped" and results[fid] == "drawn":
                hover[fid] = _hover(tab, box)
        # Material's search shows the text of the figure boxes it indexed.
        search = _search(tab, "figure") if page == "index.html" else []
        visits[page] = Visit(
            results=results,
            texts=texts,
            hover=hover,
            search=search,
            active=tab.page.evaluate(ACTIVE_CONTENT),
            dialogs=dialogs,
            requests=list(tab.requests),
            offsite=list(tab.offsite),
            console_errors=list(tab.console_errors),
            page_errors=list(tab.page_errors),
        )
    return visits[page]


hostile = pytest.mark.parametrize("visit", ["index.html"], indirect=True)
stress = pytest.mark.parametrize("visit", ["stress/index.html"], indirect=True)
both = pytest.mark.parametrize(
    "visit", ["index.html", "stress/index.html"], indirect=True
)


@hostile
def test_hostile_figures_are_drawn(visit):
    assert visit.results == {"hostile-escaped": "drawn", "hostile-raw": "drawn"}


@hostile
def test_hostile_text_runs_no_script(visit):
    assert visit.active == {"pwned": None, "scripts": 0, "images": 0, "links": []}
    assert visit.dialogs == []
    assert not [url for url in visit.requests if url.endswith("/x")]


@hostile
@pytest.mark.parametrize("fid", ["hostile-escaped", "hostile-raw"])
def test_figure_box_shows_hostile_text_as_written(visit, fid):
    texts = visit.texts[fid]
    assert texts["title"] == HOSTILE
    assert texts["caption"] == HOSTILE
    assert texts["alt"] == HOSTILE
    assert texts["lines"] == [HOSTILE, "second line " + HOSTILE]


@hostile
def test_plot_shows_escaped_text_as_written(visit):
    svg = visit.texts["hostile-escaped"]["svg"]
    # Title, axis titles, colorbar title, legend entries, annotation, tick label.
    assert svg.count(HOSTILE) >= 7, svg
    assert visit.hover["hostile-escaped"].count(HOSTILE) == 2


@hostile
def test_menus_name_their_buttons_with_the_text_as_drawn(visit):
    menus = visit.texts["hostile-escaped"]["menus"]
    # Button menu: its group, two buttons; dropdown: a group that holds only
    # its header (unnamed), then the header, named by the menu and its choice.
    assert menus == [HOSTILE, HOSTILE, "k", None, f"{HOSTILE}: {HOSTILE}"]


@hostile
def test_search_results_show_hostile_text_as_text(visit):
    assert any(HOSTILE in result for result in visit.search), visit.search


def test_value_is_placed_and_its_note_is_not(site):
    page = (site.folder / "site/index.html").read_text(encoding="utf-8")
    assert "The weight is 0.412." in page
    assert "double" not in page.split('<figure class="ua-figure"')[0]


@both
def test_page_requests_nothing_off_machine_and_logs_no_errors(visit):
    assert visit.offsite == []
    assert visit.page_errors == []
    assert visit.console_errors == []


@stress
def test_every_stress_figure_is_drawn(visit):
    assert len(visit.results) == N_STRESS
    assert {fid for fid, result in visit.results.items() if result != "drawn"} == set()


def test_stress_page_builds_without_warnings(site):
    assert "WARNING" not in site.build.stderr
    big = site.folder / "site/assets/figures/stress-00.json"
    assert len(json.loads(big.read_text(encoding="utf-8"))["data"][0]["z"]) == BIG
