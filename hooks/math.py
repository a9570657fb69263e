r"""Typeset every formula at build time with KaTeX, run by Node.

``pymdownx.arithmatex`` (generic mode) leaves each formula as its TeX source,
``<span class="arithmatex">\(...\)</span>`` inline and
``<div class="arithmatex">\[...\]</div>`` on its own line. This hook replaces
that source with KaTeX's HTML, so readers download no KaTeX script and their
browser typesets nothing; ``katex.min.css`` and the fonts still style it. The
wrapper keeps its ``arithmatex`` class.

KaTeX comes from ``node_modules/katex`` (``npm ci``), at the version pinned in
``package-lock.json``, the same one ``hooks/vendor.py`` serves. One ``node``
process per page that has math renders all of that page's formulas.
"""

import html
import json
import logging
import re
import shutil
import subprocess

import _common
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.plugins.attention_math")

# arithmatex escapes <, > and & in the TeX, so the element holds no other tag.
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.DOTALL
)
DELIMITERS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}

# Reads [{"tex", "display"}, ...] on stdin; writes one {"html"} or
# {"html", "error"} per formula. An error still gets KaTeX's red error markup,
# so that `mkdocs serve` shows where it is.
RENDER_JS = """
const katex = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ tex, display }) => {
    const options = { displayMode: display, throwOnError: true };
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


def on_config(config):
    """Check that Node and KaTeX are there (MkDocs event ``on_config``).

    Fails before any page is built; `config` is returned unchanged.

    Raises
    ------
    PluginError
        If ``node`` or ``node_modules/katex`` is missing.
    """
    _katex_entry(_common.project_root(config))
    return config


def on_post_page(output, page, config):
    """Typeset the formulas of one rendered page (MkDocs event ``on_post_page``).

    Runs on the finished HTML of every page (posts, blog indexes with their
    excerpts, notebooks), after the search plugin has indexed the TeX source.

    Returns
    -------
    str
        The page's HTML with KaTeX's markup inside each arithmatex element.
    """
    entry = _katex_entry(_common.project_root(config))
    return typeset(output, page.file.src_uri, entry)
