"""The one schema for posts' front matter, checked by hooks/series.py at build time.

Every post under the blog's posts folder carries these fields:

========== ==================================================================
title      a non-empty string without < or >
date       a date written YYYY-MM-DD, or Material's mapping ``{created: ...}``
           (with an optional ``updated``) of such dates
description a non-empty string without <, > or "; a draft may keep the
           scaffolder's placeholder
authors    a non-empty list of ids from the blog's ``.authors.yml``
series     a name with at least one ASCII letter or digit (its URL slug)
part       a positive integer, unique among the series' published parts,
           which are numbered 1, 2, 3, ... (drafts follow them)
tags       a non-empty list of non-empty strings
categories a non-empty list of names from the blog plugin's
           ``categories_allowed`` in mkdocs.yml
draft      true or false
========== ==================================================================

Optional: ``slug`` (lowercase words joined by hyphens) and ``notebook`` (the
companion notebook's path relative to docs_dir; a draft's notebook is a draft
too). Other fields are left to Material.

Nothing here logs; `check_post` returns problems and the hook reports them.
"""

import datetime
import posixpath
import re
import unicodedata
from dataclasses import dataclass

import yaml
from mkdocs.exceptions import PluginError

REQUIRED = (
    "title",
    "date",
    "description",
    "authors",
    "series",
    "part",
    "tags",
    "categories",
    "draft",
)

# The scaffolder's description starts with this; only a draft may keep it.
PLACEHOLDER = "PLACEHOLDER:"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Material's templates print the title and description into the page and into
# attributes without escaping them, so markup there would run as script.
MARKUP = re.compile(r"[<>]")
ATTRIBUTE_BREAK = re.compile(r'["<>]')
DATE_EXPECTED = "a date written YYYY-MM-DD, such as 2025-01-31"

# Problems on these fields stop Material's blog plugin itself (it raises an
# error that may not name the post), so the hook stops the build first.
FATAL_FIELDS = frozenset({"date", "authors", "categories"})


@dataclass(frozen=True)
class Rules:
    """What the schema checks posts against, read from the site's configuration.

    Attributes
    ----------
    categories : tuple of str or None
        The allowed categories; None when mkdocs.yml sets no allow list.
    authors : frozenset of str or None
        The author ids of ``.authors.yml``; None when the blog plugin does not
        resolve authors.
    authors_file : str
        Where the ids come from, for messages.
    """

    categories: tuple[str, ...] | None = None
    authors: frozenset[str] | None = None
    authors_file: str = "blog/.authors.yml"


@dataclass(frozen=True)
class Problem:
    """One front matter field that breaks the schema.

    Attributes
    ----------
    where : str
        The post's path relative to docs_dir.
    field : str
    found : str
        What the front matter holds, such as ``'two' (str)`` or ``missing``.
    expected : str
    fatal : bool
        Whether Material's blog plugin would stop on it too.
    """

    where: str
    field: str
    found: str
    expected: str
    fatal: bool = False

    def __str__(self):
        return (
            f"{self.where}: front matter field '{self.field}' is {self.found}; "
            f"expected {self.expected}"
        )


def slugify(name):
    """Turn a name into a URL segment: ASCII, lowercase, hyphenated.

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


def describe(meta, key):
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
        A date, or Material's mapping ``{created: date, updated: date}``.
        Datetimes and strings are refused: the schema asks for YYYY-MM-DD.

    Returns
    -------
    datetime.date or None
    """
    if isinstance(value, dict):
        if not set(value) <= {"created", "updated"}:
            return None
        if any(post_date(day) is None for day in value.values()):
            return None
        value = value.get("created")
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    return None


def _names(value):
    """Return the list of non-empty strings `value` is, or None."""
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(item, str) and item.strip() for item in value):
        return None
    return value


def _quoted(names):
    """Join names as 'a', 'b' for a message."""
    return ", ".join(repr(name) for name in names)


def _check_lists(meta, rules, problem):
    """Check authors, tags and categories against the rules."""
    authors = _names(meta.get("authors"))
    if authors is None:
        problem("authors", "a list of author ids such as [team]")
    elif rules.authors is not None:
        unknown = [name for name in authors if name not in rules.authors]
        if unknown:
            problem(
                "authors",
                f"ids defined in {rules.authors_file} "
                f"({_quoted(sorted(rules.authors))}); unknown: {_quoted(unknown)}",
            )
    if _names(meta.get("tags")) is None:
        problem("tags", "a list of tags such as [attention, softmax]")
    categories = _names(meta.get("categories"))
    allowed = f" from {_quoted(rules.categories)}" if rules.categories else ""
    if categories is None:
        problem("categories", f"a list of categories{allowed}")
    elif rules.categories is not None:
        unknown = [name for name in categories if name not in rules.categories]
        if unknown:
            problem(
                "categories",
                f"categories{allowed} (categories_allowed in mkdocs.yml); "
                f"not allowed: {_quoted(unknown)}",
            )


def check_post(where, meta, rules):
    """Check one post's front matter against the schema.

    Parameters
    ----------
    where : str
        The post's path relative to docs_dir.
    meta : dict
    rules : Rules

    Returns
    -------
    list of Problem
        Empty when every field is as expected. Part numbering across posts is
        checked by hooks/series.py, which sees every post.
    """
    problems = []

    def problem(key, expected):
        found = describe(meta, key)
        problems.append(Problem(where, key, found, expected, key in FATAL_FIELDS))

    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problem("title", "a non-empty string")
    elif MARKUP.search(title):
        problem("title", "plain text without < or > (the theme prints it as HTML)")
    if post_date(meta.get("date")) is None:
        problem("date", DATE_EXPECTED)
    description = meta.get("description")
    if not isinstance(description, str) or not description.strip():
        problem("description", "a non-empty string (one or two sentences)")
    elif ATTRIBUTE_BREAK.search(description):
        problem(
            "description",
            'plain text without <, > or " (the theme prints it in an attribute)',
        )
    elif description.startswith(PLACEHOLDER) and meta.get("draft") is not True:
        problem("description", "your own summary in place of the placeholder")
    _check_lists(meta, rules, problem)
    series = meta.get("series")
    if not isinstance(series, str) or not slugify(series):
        problem("series", "a series name with at least one ASCII letter or digit")
    part = meta.get("part")
    if isinstance(part, bool) or not isinstance(part, int) or part < 1:
        problem("part", "a positive integer (1 for the first part)")
    if not isinstance(meta.get("draft"), bool):
        problem("draft", "true or false")
    slug = meta.get("slug")
    if "slug" in meta and (not isinstance(slug, str) or not SLUG.match(slug)):
        problem("slug", "lowercase words joined by hyphens, such as masks-and-order")
    notebook = meta.get("notebook")
    if "notebook" in meta and (
        not isinstance(notebook, str) or not notebook.endswith((".py", ".ipynb"))
    ):
        problem("notebook", "a notebook path relative to docs, such as notebooks/x.py")
    return problems


def rules_from_options(docs_dir, blog):
    """Read what the schema checks against from the blog plugin's options.

    Parameters
    ----------
    docs_dir : str or os.PathLike
    blog : mapping
        The options of Material's blog plugin; Material's defaults for those
        it lacks (``blog_dir``, ``authors``, ``authors_file``,
        ``categories_allowed``).

    Returns
    -------
    Rules
        The allowed categories (None if the list is empty) and the ids of the
        authors file (None when the plugin does not resolve authors).

    Raises
    ------
    mkdocs.exceptions.PluginError
        If the authors file is not a YAML mapping with an ``authors`` mapping.
    """
    categories = tuple(blog.get("categories_allowed") or ()) or None
    authors_file = blog.get("authors_file") or "{blog}/.authors.yml"
    authors_file = posixpath.normpath(
        authors_file.format(blog=blog.get("blog_dir") or "blog")
    )
    if not blog.get("authors", True):
        return Rules(categories, None, authors_file)
    path = posixpath.join(str(docs_dir), authors_file)
    try:
        with open(path, encoding="utf-8") as stream:
            data = yaml.safe_load(stream) or {}
    except FileNotFoundError:
        data = {"authors": {}}
    except (OSError, yaml.YAMLError) as error:
        raise PluginError(
            f"{authors_file}: cannot be read ({error}); expected YAML with an "
            "'authors' mapping"
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("authors"), dict):
        raise PluginError(
            f"{authors_file}: expected a mapping 'authors:' of author ids"
        )
    return Rules(categories, frozenset(data["authors"]), authors_file)


def rules_from_config(config):
    """Read what the schema checks against from the MkDocs configuration.

    Parameters
    ----------
    config : mkdocs.config.defaults.MkDocsConfig

    Returns
    -------
    Rules
        See `rules_from_options`; no rules when the blog plugin is off.
    """
    plugin = config.plugins.get("material/blog")
    if plugin is None or not plugin.config.enabled:
        return Rules()
    return rules_from_options(config.docs_dir, plugin.config)
