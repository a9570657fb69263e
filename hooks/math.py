r"""Typeset every formula at build time with KaTeX, run by Node, as MathML.

``pymdownx.arithmatex`` (generic mode) leaves each formula as its TeX source,
``<span class="arithmatex">\(...\)</span>`` inline and
``<div class="arithmatex">\[...\]</div>`` on its own line. This hook replaces
that source with KaTeX's MathML (``output: "mathml"``), which every current
browser lays out natively and screen readers read as math. Readers download no
KaTeX script, stylesheet or fonts, and the page carries one element per symbol
instead of KaTeX's nested spans. The wrapper keeps its ``arithmatex`` class;
the TeX stays in each formula's ``<annotation>``.

MathML looks only as good as the font it is set in, so the site serves its
own: STIX Two Math, cut at the end of each build to the glyphs that the
site's formulas draw (``hooks/_math_font.py``), and written to
``assets/vendor/stix-two-math/math.woff2``. ``assets/stylesheets/reading.css``
names it; pages with math preload it, so formulas on the first screen do not
wait for the stylesheet to find it.

KaTeX and the font come from ``node_modules`` (``npm ci``), at the versions
pinned in ``package-lock.json``. One ``node`` process per page that has math
renders all of that page's formulas.

Limitation: under ``mkdocs serve --dirty`` only the changed pages are
typeset, so the font holds only their glyphs; the browser draws any other
symbol in the system's math font until the next full build.
"""

import html
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

import _common
import _math_font
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.plugins.attention_math")

# arithmatex escapes <, > and & in the TeX, so the element holds no other tag.
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.DOTALL
)
DELIMITERS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}

# Where the cut-down font goes in the site; reading.css names the same path.
FONT_URI = "assets/vendor/stix-two-math/math.woff2"
PRELOAD = '<link rel="preload" href="{href}" as="font" type="font/woff2" crossorigin>'

# The characters drawn by the formulas of this build, gathered page by page
# and handed to the font cutter once every page is written.
_drawn = set()

# Reads [{"tex", "display"}, ...] on stdin; writes one {"html"} or
# {"html", "error"} per formula. An error still gets KaTeX's red error markup
# (its TeX in a .katex-error span), so that `mkdocs serve` shows where it is.
RENDER_JS = """
const katex = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ tex, display }) => {
    const options = { displayMode: display, throwOnError: true, output: "mathml" };
    try {
      return { html: katex.renderToString(tex, options) };
    } catch (error) {
      const html = katex.renderToString(tex, { ...options, throwOnError: false });
      return { html, error: String(error.message || error) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
"""


def _katex_entry(root):
    """Return the path of KaTeX's CommonJS entry point in ``node_modules``.

    Parameters
    ----------
    root : Path
        The project root, which holds ``node_modules``.

    Returns
    -------
    Path

    Raises
    ------
    PluginError
        If ``node`` is not on PATH or KaTeX is not installed.
    """
    if shutil.which("node") is None:
        raise PluginError(
            "hooks/math.py: `node` is not on PATH; formulas are typeset at build "
            "time by KaTeX under Node: install Node 20, then run `npm ci`"
        )
    entry = root / "node_modules" / "katex" / "dist" / "katex.js"
    if not entry.is_file():
        raise PluginError(
            f"hooks/math.py: KaTeX is not installed (expected {entry}); "
            "run `npm ci` in the project root"
        )
    return entry


def _font_source(root):
    """Return the path of the full STIX Two Math font in ``node_modules``.

    Raises
    ------
    PluginError
        If the npm package is not installed.
    """
    source = root / "node_modules" / _math_font.PACKAGE / _math_font.SOURCE
    if not source.is_file():
        raise PluginError(
            f"hooks/math.py: the math font is not installed (expected {source}); "
            "run `npm ci` in the project root"
        )
    return source


def tex_of(tag, source):
    r"""Return the TeX inside one arithmatex element, unescaped and undelimited.

    Parameters
    ----------
    tag : {"span", "div"}
        ``span`` for inline math, ``div`` for display math.
    source : str
        The element's HTML-escaped content.

    Returns
    -------
    str
        Display environments (``\begin{align}``...) come without ``\[`` and
        are returned whole.
    """
    tex = html.unescape(source).strip()
    left, right = DELIMITERS[tag]
    if tex.startswith(left) and tex.endswith(right):
        tex = tex[len(left) : -len(right)]
    return tex


def render(formulas, katex_entry):
    """Typeset formulas with KaTeX in one ``node`` process.

    Parameters
    ----------
    formulas : list of (str, bool)
        Each formula's TeX and whether it is display math.
    katex_entry : Path
        KaTeX's ``dist/katex.js``.

    Returns
    -------
    list of dict
        Per formula, ``{"html": str}``, plus ``"error"`` (KaTeX's message) when
        KaTeX could not parse it.

    Raises
    ------
    PluginError
        If ``node`` fails or writes something other than one result per formula.
    """
    request = [{"tex": tex, "display": display} for tex, display in formulas]
    process = subprocess.run(
        ["node", "-e", RENDER_JS, str(katex_entry)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if process.returncode != 0:
        raise PluginError(
            f"hooks/math.py: node exited with {process.returncode} while "
            f"typesetting {len(formulas)} formulas: {process.stderr.strip()}"
        )
    results = json.loads(process.stdout)
    if len(results) != len(formulas):
        raise PluginError(
            f"hooks/math.py: node returned {len(results)} results for "
            f"{len(formulas)} formulas; expected one each"
        )
    return results


def typeset(page_html, where, katex_entry):
    """Replace the TeX in every arithmatex element of one page with KaTeX's HTML.

    Parameters
    ----------
    page_html : str
    where : str
        The page's path relative to ``docs_dir``, for warnings.
    katex_entry : Path

    Returns
    -------
    str
        `page_html`, unchanged if it has no math. A formula KaTeX cannot parse
        is logged as a warning and shown as KaTeX's error markup.
    """
    matches = list(FORMULA.finditer(page_html))
    if not matches:
        return page_html
    formulas = [(tex_of(m["tag"], m["tex"]), m["tag"] == "div") for m in matches]
    results = render(formulas, katex_entry)

    pieces = []
    end = 0
    for match, (tex, _), result in zip(matches, formulas, results, strict=True):
        if "error" in result:
            log.warning(f"{where}: KaTeX cannot typeset '{tex}': {result['error']}")
        tag = match["tag"]
        pieces.append(page_html[end : match.start()])
        pieces.append(f'<{tag} class="arithmatex">{result["html"]}</{tag}>')
        end = match.end()
    pieces.append(page_html[end:])
    log.debug(f"{where}: typeset {len(matches)} formulas")
    return "".join(pieces)


def preload_font(page_html, page_url):
    """Add a preload of the math font to the head of a page that has MathML.

    The stylesheet names the font, but the browser asks for it only once it
    has laid out a formula; the preload starts the download with the
    stylesheets. Pages without math are returned unchanged.
    """
    if "<math" not in page_html or "</head>" not in page_html:
        return page_html
    link = PRELOAD.format(href=get_relative_url(FONT_URI, page_url))
    return page_html.replace("</head>", f"  {link}\n  </head>", 1)


def on_pre_build(config):
    """Forget the characters of the previous build (``mkdocs serve``)."""
    _drawn.clear()


def on_config(config):
    """Check that Node, KaTeX and the math font are there (event ``on_config``).

    Fails before any page is built; `config` is returned unchanged.

    Raises
    ------
    PluginError
        If ``node``, ``node_modules/katex`` or the font package is missing.
    """
    root = _common.project_root(config)
    _katex_entry(root)
    _font_source(root)
    return config


def on_post_page(output, page, config):
    """Typeset the formulas of one rendered page (MkDocs event ``on_post_page``).

    Runs on the finished HTML of every page (posts, blog indexes with their
    excerpts, notebooks), after the search plugin has indexed the TeX source.
    Records the characters the page's formulas draw, for the font.

    Returns
    -------
    str
        The page's HTML with KaTeX's MathML inside each arithmatex element
        and, if it has any, a preload of the math font.
    """
    entry = _katex_entry(_common.project_root(config))
    output = typeset(output, page.file.src_uri, entry)
    _drawn.update(_math_font.drawn_characters(output))
    return preload_font(output, page.url)


def on_post_build(config):
    """Write the math font, cut to this build's characters (``on_post_build``).

    A site without formulas gets no font. Results are cached under
    ``.cache/math-font/`` in the project root.
    """
    if not _drawn:
        return
    root = _common.project_root(config)
    data = _math_font.subset(
        _font_source(root), _drawn, cache_dir=root / ".cache" / "math-font"
    )
    target = Path(config.site_dir) / FONT_URI
    _common.write_atomically(target, data)
    log.debug(f"wrote {FONT_URI}: {len(_drawn)} characters, {len(data)} bytes")
