"""Series navigation from posts' front matter alone (an MkDocs hook).

Reads the front matter of every post under the blog's posts folder itself, so
it works whatever Material's blog plugin does with the files. Events:

- ``on_files`` (before the blog plugin's, which runs at priority -50): check
  each post's front matter against the schema in ``_schema.py`` and the part
  numbering of each series, make the notebook of a draft post a draft too,
  and add a generated index page ``series/<series-slug>/index.md`` per series;
- ``on_page_markdown``: put a banner "Part N of M" (M counts published parts)
  linking to the series index under a post's title, and links to the previous
  and next published parts at its end. A draft, rendered only when Material
  shows drafts (``mkdocs serve`` with ``draft_on_serve``), says "Draft, part N".

Links are written as Markdown links to the target's source file, so MkDocs
checks them and turns them into relative URLs that work under a subpath and
in the blog index's excerpts.
"""

import html
import logging
import posixpath
import re

import _common
import _posts
import _schema
import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

log = logging.getLogger("mkdocs.plugins.attention_series")

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")
LEADING_H1 = re.compile(r"\A(?:[ \t]*\n)*#[ \t][^\n]*\n?")

_state = {"posts": {}, "series": {}}

slugify = _schema.slugify


def check_notebooks(posts, files):
    """Check that each post's notebook exists; make a draft's notebook a draft.

    A draft notebook is built by ``mkdocs serve`` and left out of
    ``mkdocs build`` (MkDocs' draft inclusion level), like its post.

    Parameters
    ----------
    posts : list of Post
    files : mkdocs.structure.files.Files

    Returns
    -------
    list of str
    """
    problems = []
    for post in posts:
        if post.notebook is None:
            continue
        notebook = files.get_file_from_path(post.notebook)
        if notebook is None:
            problems.append(
                f"{post.src_uri}: front matter field 'notebook' is "
                f"{post.notebook!r}, which is not in docs_dir; expected the path "
                "of the companion notebook relative to docs_dir"
            )
        elif post.draft:
            notebook.inclusion = InclusionLevel.DRAFT
    return problems


def _text(value):
    """Escape the characters that Markdown would read as markup."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", value)


def _link(src_uri, from_uri):
    """Write the relative path from one source file to another."""
    return posixpath.relpath(src_uri, posixpath.dirname(from_uri))


def _day(date):
    """Format a date as '3 December 2025'."""
    return f"{date.day} {date:%B %Y}" if date else "undated"


def index_markdown(name, src_uri, parts):
    """Write the Markdown of a series index page.

    Parameters
    ----------
    name : str
        The series name.
    src_uri : str
        Where the page pretends to be, such as ``series/x/index.md``.
    parts : list of Post
        The parts to list, in order.

    Returns
    -------
    str
    """
    published = sum(not post.draft for post in parts)
    noun = "part" if published == 1 else "parts"
    lines = [
        "---",
        yaml.safe_dump({"title": name}).strip(),
        "---",
        "",
        f"# {_text(name)}",
        "",
        f"A series in {published} published {noun}, to be read in order.",
        "",
    ]
    for post in parts:
        draft = " (draft)" if post.draft else ""
        lines += [
            f"## Part {post.part}: [{_text(post.title)}]"
            f"({_link(post.src_uri, src_uri)}){draft}",
            "",
            f"*{_day(post.date)}*",
            "",
        ]
        if post.description.strip():
            lines += [html.escape(post.description.strip(), quote=False), ""]
    return "\n".join(lines)


def index_uri(series):
    """Return the source path of a series' generated index page."""
    return f"series/{slugify(series)}/index.md"


def series_links(post, parts):
    """Write a post's banner and its previous/next links.

    Parameters
    ----------
    post : Post
    parts : list of Post
        The series' published parts in order (a draft is not among them).

    Returns
    -------
    banner : str
    footer : str
        Empty when there is no other published part to link.
    """
    index = f"[{_text(post.series)}]({_link(index_uri(post.series), post.src_uri)})"
    if post.draft:
        return f"*Draft, part {post.part} of the series {index}.*", ""
    banner = f"*Part {post.part} of {len(parts)} in the series {index}.*"
    at = parts.index(post)
    links = []
    if at > 0:
        before = parts[at - 1]
        links.append(
            f"Previous: [Part {before.part}: {_text(before.title)}]"
            f"({_link(before.src_uri, post.src_uri)})"
        )
    if at + 1 < len(parts):
        after = parts[at + 1]
        links.append(
            f"Next: [Part {after.part}: {_text(after.title)}]"
            f"({_link(after.src_uri, post.src_uri)})"
        )
    return banner, " · ".join(links)


def _stop(problems, strict):
    """Raise if the build cannot or should not go on past these problems."""
    # An unreadable block (a str here) stops Material's blog plugin too.
    fatal = [p for p in problems if isinstance(p, str) or p.fatal]
    if fatal:
        where = sorted({str(problem).split(": ", 1)[0] for problem in fatal})
        raise PluginError(
            "stopped before Material's blog plugin reads front matter it cannot "
            f"use, in {', '.join(where)}: fix the fields named in the warnings above"
        )
    if strict and problems:
        where = sorted({str(problem).split(": ", 1)[0] for problem in problems})
        raise PluginError(
            f"stopped: front matter problems in {', '.join(where)} (warnings "
            "above) fail a strict build"
        )


def on_files(files, config):
    """Check posts' front matter and add the series index pages (files event).

    Runs before Material's blog plugin reads the posts (its ``on_files`` has
    priority -50), so these warnings come before any error of its own. Every
    problem is logged as a warning first. Then the build stops, naming the
    posts, if a problem would stop Material's blog plugin with a message that
    may not name the post (dates, authors, categories, unreadable front
    matter), or if the build is strict (it would fail at its end anyway).
    Marks the notebooks of draft posts as drafts.

    Returns
    -------
    mkdocs.structure.files.Files

    Raises
    ------
    mkdocs.exceptions.PluginError
        As said above.
    """
    blog = _common.blog_settings(config)
    rules = _schema.rules_from_config(config)
    posts, problems, complete = _posts.read_posts(
        config.docs_dir, blog["posts_dir"], rules
    )
    problems += check_notebooks(posts, files)
    groups, series_problems = _posts.check_series(posts, complete)
    problems += series_problems
    for problem in problems:
        log.warning(str(problem))
    if blog["enabled"]:
        _stop(problems, config.strict)

    _state.update(posts={}, series={})
    for name, members in groups.items():
        published = [post for post in members if not post.draft]
        published.sort(key=lambda p: (p.part, p.src_uri))
        _state["series"][name] = published
        for post in published if not blog["drafts_shown"] else members:
            _state["posts"][post.src_uri] = post

        listed = members if blog["drafts_shown"] else published
        src_uri = index_uri(name)
        if files.get_file_from_path(src_uri) is not None:
            log.warning(
                f"{src_uri}: exists in docs_dir, but this page is generated "
                f"for series {name!r}; remove it"
            )
            continue
        content = index_markdown(
            name, src_uri, sorted(listed, key=lambda p: (p.part, p.src_uri))
        )
        files.append(
            File.generated(
                config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV
            )
        )
        log.debug(f"{src_uri}: series index for {name!r}, {len(listed)} parts")
    return files


def on_page_markdown(markdown, page, config, files):
    """Add the series banner and previous/next links to a post (page_markdown).

    Returns
    -------
    str or None
        The Markdown with the banner under its leading level-1 heading (or at
        the top) and the links at the end; None for pages outside a series.
    """
    post = _state["posts"].get(page.file.src_uri)
    if post is None:
        return None
    banner, footer = series_links(post, _state["series"][post.series])
    heading = LEADING_H1.match(markdown)
    cut = heading.end() if heading else 0
    head = markdown[:cut].rstrip("\n")
    parts = [head, banner, markdown[cut:].strip("\n"), footer]
    return "\n\n".join(part for part in parts if part) + "\n"
