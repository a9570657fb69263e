"""Series navigation from posts' front matter alone (an MkDocs hook).

Reads the front matter of every post under the blog's posts folder itself, so
it works whatever Material's blog plugin does with the files. Events:

- ``on_files`` (before the blog plugin's, which runs at priority -50): check
  each post's ``title``, ``date``, ``draft``, ``series`` and ``part``, and add
  a generated index page ``series/<series-slug>/index.md`` per series;
- ``on_page_markdown``: put a banner "Part N of M" (M counts published parts)
  linking to the series index under a post's title, and links to the previous
  and next published parts at its end. A draft, rendered only when Material
  shows drafts (``mkdocs serve`` with ``draft_on_serve``), says "Draft, part N".

Links are written as Markdown links to the target's source file, so MkDocs
checks them and turns them into relative URLs that work under a subpath and
in the blog index's excerpts.
"""

import datetime
import logging
import posixpath
import re
import unicodedata
from dataclasses import dataclass

import _common
import yaml
from mkdocs.structure.files import File, InclusionLevel

log = logging.getLogger("mkdocs.plugins.attention_series")

DATE_EXPECTED = "a date such as 2025-01-31 or a datetime such as 2025-01-31 09:00"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")
LEADING_H1 = re.compile(r"\A(?:[ \t]*\n)*#[ \t][^\n]*\n?")

_state = {"posts": {}, "series": {}}


@dataclass
class Post:
    """What the series navigation needs from one post's front matter.

    Attributes
    ----------
    src_uri : str
        Path relative to docs_dir, such as ``blog/posts/part-1.md``.
    title : str
    date : datetime.date or None
    description : str
    series : str
    part : int
    draft : bool
    """

    src_uri: str
    title: str
    date: datetime.date | None
    description: str
    series: str
    part: int
    draft: bool


def slugify(name):
    """Turn a series name into a URL segment: ASCII, lowercase, hyphenated.

    Parameters
    ----------
    name : str

    Returns
    -------
    str
        Possibly empty, when the name has no ASCII letter or digit.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.decode().lower()).strip("-")


def _found(meta, key):
    """Describe what the front matter holds for `key`, for a message."""
    if key not in meta:
        return "missing"
    value = meta[key]
    return f"{value!r} ({type(value).__name__})"


def post_date(value):
    """Return the day a front matter ``date`` names, or None if it names none.

    Parameters
    ----------
    value : object
        A date, a datetime, or Material's mapping form ``{created: date}``.

    Returns
    -------
    datetime.date or None
    """
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def check_post(where, meta):
    """Check one post's front matter fields.

    Parameters
    ----------
    where : str
        The post's path relative to docs_dir.
    meta : dict

    Returns
    -------
    post : Post or None
        None unless the post belongs to a series with a usable part number.
    problems : list of str
        Each names the file, the field, what was found and what was expected.
    """
    problems = []

    def problem(key, expected):
        problems.append(
            f"{where}: front matter field '{key}' is "
            f"{_found(meta, key)}; expected {expected}"
        )

    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        problem("title", "a non-empty string")
    if post_date(meta.get("date")) is None:
        problem("date", DATE_EXPECTED)
    if "draft" in meta and not isinstance(meta["draft"], bool):
        problem("draft", "true or false")
    if "description" in meta and not isinstance(meta["description"], str):
        problem("description", "a string")

    series, part = meta.get("series"), meta.get("part")
    if series is None:
        if part is not None:
            problem("series", f"a series name, since field 'part' is {part!r}")
        return None, problems
    if not isinstance(series, str) or not slugify(series):
        problem("series", "a name with at least one ASCII letter or digit")
        return None, problems
    if isinstance(part, bool) or not isinstance(part, int) or part < 1:
        problem("part", f"a positive integer, since field 'series' is {series!r}")
        return None, problems
    post = Post(
        where,
        str(meta.get("title", "")),
        post_date(meta.get("date")),
        str(meta.get("description", "")),
        series,
        part,
        meta.get("draft") is True,
    )
    return post, problems


def read_posts(docs_dir, posts_dir):
    """Read and check the front matter of every post.

    Parameters
    ----------
    docs_dir : str
    posts_dir : str
        POSIX path of the posts folder relative to docs_dir.

    Returns
    -------
    posts : list of Post
        The posts that belong to a series, in path order.
    problems : list of str
    complete : bool
        False if some post's series or part is unknown (unreadable front
        matter, unusable part): a gap in part numbers then proves nothing.
    """
    posts, problems, complete = [], [], True
    folder = posixpath.join(docs_dir, posts_dir)
    for rel in _common.markdown_files(folder):
        where = posixpath.join(posts_dir, rel)
        try:
            front = _common.read_front_matter(posixpath.join(folder, rel))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(
                f"{where}: cannot be read ({error}); expected a UTF-8 Markdown file"
            )
            continue
        if front.error is not None:
            problems.append(f"{where}: {front.error}")
            complete = False
            continue
        post, found = check_post(where, front.meta)
        problems.extend(found)
        if post is not None:
            posts.append(post)
        elif "series" in front.meta or "part" in front.meta:
            complete = False
    return posts, problems, complete


def check_parts(name, posts, gaps=True):
    """Check that a series' published parts are numbered 1, 2, ... once each.

    Parameters
    ----------
    name : str
        The series name.
    posts : list of Post
        The series' published posts.
    gaps : bool
        Whether to look for gaps in the numbering too.

    Returns
    -------
    list of str
    """
    problems = []
    by_part = {}
    for post in sorted(posts, key=lambda p: (p.part, p.src_uri)):
        if post.part in by_part:
            problems.append(
                f"{post.src_uri}: front matter field 'part' is {post.part}, which "
                f"{by_part[post.part].src_uri} also has in series '{name}'; "
                "expected each published part number once"
            )
            continue
        by_part[post.part] = post
    for expected, part in enumerate(sorted(by_part) if gaps else [], start=1):
        if part != expected:
            problems.append(
                f"{by_part[part].src_uri}: front matter field 'part' is {part} in "
                f"series '{name}'; expected {expected}: published parts are "
                "numbered 1, 2, 3, ... with no gap"
            )
            break
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
            lines += [post.description.strip(), ""]
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


def on_files(files, config):
    """Check posts' front matter and add the series index pages (files event).

    Runs before Material's blog plugin reads the posts (its ``on_files`` has
    priority -50), so these warnings come before any error of its own.

    Returns
    -------
    mkdocs.structure.files.Files
    """
    blog = _common.blog_settings(config)
    posts, problems, complete = read_posts(config.docs_dir, blog["posts_dir"])
    for problem in problems:
        log.warning(problem)

    groups = {}
    for post in posts:
        groups.setdefault(post.series, []).append(post)
    slugs = {}
    _state.update(posts={}, series={})
    for name, members in sorted(groups.items()):
        if (other := slugs.setdefault(slugify(name), name)) != name:
            log.warning(
                f"{members[0].src_uri}: front matter field 'series' is "
                f"{name!r}, whose URL slug '{slugify(name)}' is also that "
                f"of series {other!r}; expected distinct names"
            )
            continue
        published = [post for post in members if not post.draft]
        for problem in check_parts(name, published, gaps=complete):
            log.warning(problem)
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
