"""Place computed figures and numbers in pages (an MkDocs hook).

Reads ``figures/`` beside mkdocs.yml, which ``scripts/build_figures.py`` writes,
and never imports the numpy core. Events:

- ``on_startup``: note whether this is a ``--dirty`` build;
- ``on_pre_build``: load the metadata of every ``figures/<id>.json`` and the
  numbers of ``figures/values.json``;
- ``on_files``: publish each figure file as ``assets/figures/<id>.json``;
- ``on_page_markdown``: replace a line ``[[figure: id]]`` by the figure box and
  ``[[value: module.name]]`` or ``[[value: module.name | spec]]`` by the
  formatted number, outside fenced code and inline code;
- ``on_post_build``: report figures that no page places, except the figures
  of draft pages (pages whose front matter says ``draft: true``).

Limitation: code is recognised by fences (``` or ~~~, any length and indent)
and backtick spans; four-space indented code blocks and fences inside block
quotes are not, and a figure placed inside a list item or admonition ends up
wrapped in a paragraph. No post needs these; recognise them here if one does.
"""

import difflib
import html
import logging
import re

import _common
from _figure_files import load_folder
from figure_box import figure_box as figure_box_html
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.plugins.attention_figures")

FIGURE_LINE = re.compile(
    r"^(?P<indent>[ \t]*)\[\[figure:(?P<body>[^\]\n]*)\]\][ \t]*$", re.MULTILINE
)
VALUE_REF = re.compile(r"\[\[value:(?P<body>[^\]\n]*)\]\]")
ANY_REF = re.compile(r"\[\[(?:figure|value):[^\n\]]{0,60}(?:\]\])?")
FIGURE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VALUE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)+")

# Stands in for a replacement until the page's code spans are restored, so
# that no later pattern reads what was put in.
KEPT = "\x01{}\x01"
KEPT_AT = re.compile(r"\x01(\d+)\x01")

SITE_FOLDER = "assets/figures"

_state = {"dirty": False}


def _closest(name, known, kind):
    """Phrase the known names closest to an unknown one, for a warning."""
    if not known:
        return f"no {kind} are known (is figures/ empty?)"
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    if close:
        return f"closest known {kind}: {', '.join(close)}"
    shown = sorted(known)[:8]
    more = ", ..." if len(known) > len(shown) else ""
    return f"known {kind}: {', '.join(shown)}{more}"


def figure_box(meta, src):
    """Write the box of a post's figure, its JSON at `src` (relative to the page).

    Parameters
    ----------
    meta : dict
        A figure's metadata (see `load_figure`).
    src : str

    Returns
    -------
    str
    """
    return figure_box_html(meta, "data-figure-src", src)


def _missing(text):
    """Write the visible marker left where a reference could not be replaced."""
    return f'<mark class="ua-missing">{html.escape(text)}</mark>'


def substitute(markdown, *, figures, values, page_url, where):
    """Replace figure and value references outside code in one page's Markdown.

    Parameters
    ----------
    markdown : str
    figures : dict
        Figure id to metadata (see `load_folder`).
    values : dict
        Value name to number and default format (see `load_values`).
    page_url : str
        The page's URL relative to the site, for the figures' relative URLs.
    where : str
        The page's path relative to docs_dir, which starts each problem.

    Returns
    -------
    markdown : str
    placed : list of str
        Ids of the figures placed, in page order.
    problems : list of str
        One message per problem; a reference that cannot be replaced is left
        as a visible marker.
    n_values : int
        How many values were replaced.
    """
    placed, problems, kept, n_values = [], [], [], 0

    def keep(text):
        kept.append(text)
        return KEPT.format(len(kept) - 1)

    def place(match):
        body = match.group("body").strip()
        indent = match.group("indent")
        if not FIGURE_ID.fullmatch(body):
            problems.append(
                f"{where}: figure reference '{match.group().strip()}' "
                "does not parse; expected [[figure: kebab-case-id]]"
            )
            return indent + keep(_missing(f"unreadable figure reference {body!r}"))
        if body not in figures:
            problems.append(
                f"{where}: unknown figure '{body}'; " + _closest(body, figures, "ids")
            )
            return indent + keep(_missing(f"unknown figure '{body}'"))
        if body in placed:
            problems.append(
                f"{where}: figure '{body}' is placed twice; expected "
                "each figure once per page (its box id must be unique)"
            )
        placed.append(body)
        src = get_relative_url(f"{SITE_FOLDER}/{body}.json", page_url)
        box = figure_box(figures[body], src).replace("\n", "\n" + indent)
        # Blank lines keep the box a block of raw HTML of its own.
        return "\n" + keep(indent + box) + "\n"

    def fill(match):
        nonlocal n_values
        name, bar, spec = match.group("body").partition("|")
        name, spec = name.strip(), spec.strip()
        if not VALUE_NAME.fullmatch(name) or (bar and not spec):
            problems.append(
                f"{where}: value reference '{match.group()}' does not "
                "parse; expected [[value: module.name]] or "
                "[[value: module.name | spec]]"
            )
            return keep(_missing(f"unreadable value reference {match.group(0)!r}"))
        if name not in values:
            problems.append(
                f"{where}: unknown value '{name}'; " + _closest(name, values, "values")
            )
            return keep(_missing(f"unknown value '{name}'"))
        number = values[name]["value"]
        spec = spec if bar else values[name]["format"]
        try:
            text = format(number, spec)
        except (TypeError, ValueError) as error:
            problems.append(
                f"{where}: value '{name}' has a bad format spec "
                f"'{spec}' ({error}); expected a spec such as '.2f' "
                "or '.0%'"
            )
            return keep(_missing(f"value '{name}' with bad format '{spec}'"))
        n_values += 1
        return keep(text)

    out = []
    for is_code, chunk in _common.split_fences(markdown):
        if is_code:
            out.append(chunk)
            continue
        mask = _common.mask_code_spans(chunk)
        text = FIGURE_LINE.sub(place, mask.text)
        text = VALUE_REF.sub(fill, text)
        for stray in ANY_REF.finditer(text):
            problems.append(
                f"{where}: reference '{stray.group().strip()}' does not "
                "parse; expected [[figure: id]] alone on its line or "
                "[[value: module.name]] inline"
            )
        text = mask.restore(text)
        out.append(KEPT_AT.sub(lambda m: kept[int(m.group(1))], text))
    return "".join(out), placed, problems, n_values


def figure_ids_in(markdown):
    """List the well-formed figure references outside code, in page order.

    Parameters
    ----------
    markdown : str

    Returns
    -------
    list of str
    """
    ids = []
    for is_code, chunk in _common.split_fences(markdown):
        if not is_code:
            text = _common.mask_code_spans(chunk).text
            for match in FIGURE_LINE.finditer(text):
                if FIGURE_ID.fullmatch(body := match.group("body").strip()):
                    ids.append(body)
    return ids


def draft_figure_ids(docs_dir):
    """Collect the figures placed by pages whose front matter says ``draft: true``.

    Material's blog plugin drops draft posts from ``mkdocs build``, so the hook
    never sees their Markdown; this reads the files themselves.

    Parameters
    ----------
    docs_dir : str or os.PathLike

    Returns
    -------
    set of str
    """
    return placed_figure_ids(docs_dir)[True]


def placed_figure_ids(docs_dir):
    """Collect the figures placed by draft pages and by the other pages.

    Parameters
    ----------
    docs_dir : str or os.PathLike

    Returns
    -------
    dict
        ``True`` (drafts) and ``False`` (other pages) to sets of figure ids.
    """
    ids = {True: set(), False: set()}
    for rel in _common.markdown_files(docs_dir):
        try:
            front = _common.read_front_matter(f"{docs_dir}/{rel}")
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs itself reports files it cannot read.
        draft = front.meta is not None and front.meta.get("draft") is True
        ids[draft].update(figure_ids_in(front.body))
    return ids


def on_startup(command, dirty):
    """Note a ``--dirty`` build, which renders only changed pages (startup event)."""
    _state["dirty"] = dirty


def on_pre_build(config):
    """Load the figures folder afresh for this build (pre_build event).

    Raises
    ------
    PluginError
        If the figures folder or one of its files cannot be used.
    """
    folder = _common.project_root(config) / "figures"
    figures, values = load_folder(folder)
    _state.update(figures=figures, values=values, placed={}, pages=0, n_values=0)


def on_files(files, config):
    """Add each figure's JSON to the site as assets/figures/<id>.json (files event).

    A figure that only drafts place is a draft file too: served by ``mkdocs
    serve``, left out of ``mkdocs build`` like the drafts.

    Returns
    -------
    mkdocs.structure.files.Files
    """
    placed = placed_figure_ids(config.docs_dir)
    drafts_only = placed[True] - placed[False]
    for fid, meta in _state["figures"].items():
        src_uri = f"{SITE_FOLDER}/{fid}.json"
        if files.get_file_from_path(src_uri) is not None:
            log.warning(
                f"{src_uri}: exists in docs_dir and is replaced by "
                f"figures/{fid}.json; remove it from docs_dir"
            )
            files.remove(files.get_file_from_path(src_uri))
        level = InclusionLevel.DRAFT if fid in drafts_only else InclusionLevel.UNDEFINED
        path = str(meta["path"])
        files.append(
            File.generated(config, src_uri, abs_src_path=path, inclusion=level)
        )
    return files


def _warn_excerpt(markdown, where, config):
    """Warn about figures in a post's excerpt, which the blog index also shows.

    The box's data URL is relative to the post, so it does not resolve from
    the blog index or its later pages.
    """
    blog = _common.blog_settings(config)
    if not blog["enabled"] or not where.startswith(blog["posts_dir"] + "/"):
        return
    excerpt, found, _ = markdown.partition(blog["separator"])
    for fid in figure_ids_in(excerpt):
        place = (
            "above the excerpt separator"
            if found
            else "in a post with no excerpt separator (the whole post is the excerpt)"
        )
        log.warning(
            f"{where}: figure '{fid}' is {place}, so the blog index would "
            "show it with a figure URL that does not resolve there; put "
            f"'{blog['separator']}' above the figure"
        )


def on_page_markdown(markdown, page, config, files):
    """Replace figure and value references in a page (page_markdown event).

    Returns
    -------
    str
        The Markdown with figure boxes and formatted numbers; each reference
        that cannot be replaced is logged and left as a visible marker.
    """
    if not markdown:
        return markdown
    where = page.file.src_uri
    source = markdown
    markdown, placed, problems, n_values = substitute(
        source,
        figures=_state["figures"],
        values=_state["values"],
        page_url=page.url,
        where=where,
    )
    for problem in problems:
        log.warning(problem)
    for fid in placed:
        log.debug(f"{where}: placed figure '{fid}'")
        _state["placed"].setdefault(fid, []).append(where)
    if placed:
        _warn_excerpt(source, where, config)
    _state["pages"] += bool(placed or n_values)
    _state["n_values"] += n_values
    return markdown


def on_post_build(config):
    """Warn about figures that no page places, drafts' figures exempt (post_build).

    Skipped in ``--dirty`` builds, which do not render every page.
    """
    if _state["dirty"]:
        return
    placed = _state["placed"]
    exempt = draft_figure_ids(config.docs_dir)
    for fid in sorted(set(_state["figures"]) - set(placed) - exempt):
        log.warning(
            f"figures/{fid}.json: no page places figure '{fid}'; expected "
            f"a line [[figure: {fid}]] in a post, or remove the figure "
            "from its module in scripts/figures/"
        )
    n_boxes = sum(len(pages) for pages in placed.values())
    log.info(
        f"Figures: {n_boxes} boxes and {_state['n_values']} values placed, on "
        f"{_state['pages']} page(s)"
    )
