"""Scaffold the next part of a series: a draft post, its figures, tests and notebook.

Usage::

    python scripts/new_post.py "Masks and positions"
    python scripts/new_post.py "Masks and positions" --series "Understanding Attention"

For part N (one more than the largest part, published or draft, of the series)
it writes, from the templates in ``scripts/templates/``:

- ``docs/blog/posts/<slug>.md``: complete front matter with ``draft: true``;
- ``scripts/figures/part<N>.py``: one example figure and one value from the core;
- ``tests/test_part<N>.py``: checks of that example;
- ``docs/notebooks/part<N>.py``: the companion notebook (jupytext percent
  format), named in the post's ``notebook`` field, so that it stays a draft
  with the post;

then regenerates ``figures/``. Every target is checked first: if the slug is
taken or any file exists, nothing is written.
"""

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "templates"
if str(ROOT / "hooks") not in sys.path:
    sys.path.insert(0, str(ROOT / "hooks"))

import _common  # noqa: E402 (hooks/ is put on sys.path above)
import _schema  # noqa: E402

DEFAULT_SERIES = "Understanding Attention"
MAX_SLUG = 50


class ScaffoldError(Exception):
    """The post cannot be scaffolded; the message says why and what to do."""


@dataclass(frozen=True)
class Site:
    """What the scaffolder needs to know about the site, read from mkdocs.yml.

    Attributes
    ----------
    docs_dir : pathlib.Path
    posts_dir : str
        POSIX path of the posts folder relative to docs_dir.
    rules : _schema.Rules
    """

    docs_dir: Path
    posts_dir: str
    rules: _schema.Rules


class _ConfigLoader(yaml.SafeLoader):
    """Read mkdocs.yml as plain YAML, taking tags such as !ENV as no value."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_site(root):
    """Read where posts live and the schema's rules from mkdocs.yml.

    Parses the file as YAML rather than loading MkDocs and its plugins, which
    takes seconds. Limitation: ``INHERIT`` is not followed; this site's
    mkdocs.yml does not use it.

    Parameters
    ----------
    root : pathlib.Path
        The folder holding mkdocs.yml.

    Returns
    -------
    Site

    Raises
    ------
    ScaffoldError
        If mkdocs.yml does not configure Material's blog plugin.
    """
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=_ConfigLoader) or {}
    blog = None
    for entry in config.get("plugins") or []:
        name, options = (
            next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        )
        if name in ("blog", "material/blog"):
            blog = options or {}
    if blog is None:
        raise ScaffoldError("new_post: mkdocs.yml has no blog plugin to add a post to")
    docs_dir = root / config.get("docs_dir", "docs")
    posts_dir = (blog.get("post_dir") or "{blog}/posts").format(
        blog=blog.get("blog_dir") or "blog"
    )
    rules = _schema.rules_from_options(docs_dir, blog)
    return Site(docs_dir, Path(posts_dir).as_posix(), rules)


def slug_for(title):
    """Turn a title into a post slug of at most MAX_SLUG characters.

    Parameters
    ----------
    title : str

    Returns
    -------
    str

    Raises
    ------
    ScaffoldError
        If the title has no ASCII letter or digit.
    """
    slug = _schema.slugify(title)
    if not slug:
        raise ScaffoldError(
            f"new_post: title {title!r} has no ASCII letter or digit to make a "
            "URL from; give a title such as 'Masks and positions'"
        )
    while len(slug) > MAX_SLUG and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug[:MAX_SLUG]


def existing_posts(site):
    """Read the front matter of every post.

    Parameters
    ----------
    site : Site

    Returns
    -------
    list of (str, dict)
        Path relative to docs_dir and front matter (empty if unreadable).
    """
    folder = site.docs_dir / site.posts_dir
    posts = []
    for rel in _common.markdown_files(folder):
        front = _common.read_front_matter(folder / rel)
        posts.append((f"{site.posts_dir}/{rel}", front.meta or {}))
    return posts


def choose_series(posts, wanted):
    """Return the series to extend: `wanted`, else the one series in use."""
    if wanted:
        return wanted
    names = sorted({m["series"] for _, m in posts if isinstance(m.get("series"), str)})
    if len(names) > 1:
        raise ScaffoldError(
            "new_post: the posts belong to several series ("
            + ", ".join(repr(name) for name in names)
            + "); choose one with --series"
        )
    return names[0] if names else DEFAULT_SERIES


def next_part(posts, series):
    """Return one more than the largest part, published or draft, of `series`."""
    parts = [
        meta["part"]
        for _, meta in posts
        if meta.get("series") == series and isinstance(meta.get("part"), int)
    ]
    return max(parts, default=0) + 1


def taken_slug(posts, slug):
    """Return the post that already uses `slug` (by name, slug or title), or None."""
    for where, meta in posts:
        names = {Path(where).stem, meta.get("slug")}
        if isinstance(meta.get("title"), str):
            names.add(_schema.slugify(meta["title"]))
        if slug in names:
            return where
    return None


def _scalar(value):
    """Write a value as one line of YAML."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=1_000_000
    )
    return text.removesuffix("\n").removesuffix("\n...").strip()


def front_matter(title, date, series, part, slug, rules):
    """Write the front matter of the new post; `_schema.check_post` accepts it.

    Returns
    -------
    str
        The YAML lines, without the ``---`` delimiters.
    """
    author = sorted(rules.authors)[0] if rules.authors else "team"
    category = rules.categories[0] if rules.categories else "Foundations"
    fields = {
        "title": title,
        "date": date.isoformat(),
        "description": f"{_schema.PLACEHOLDER} say in one or two sentences what "
        "the reader will learn (shown in the blog index and link previews).",
        "authors": [author],
        "categories": [category],
        "tags": ["attention"],
        "series": series,
        "part": part,
        "draft": True,
        "slug": slug,
        "notebook": f"notebooks/part{part}.py",
    }
    lines = [f"{key}: {_scalar(value)}" for key, value in fields.items()]
    return "\n".join(lines).replace(f"date: '{date.isoformat()}'", f"date: {date}")


def _plain(title):
    """Make a title safe inside a docstring: no backslashes or double quotes."""
    return title.replace("\\", "/").replace('"', "'")


def render(name, replacements):
    """Fill the template `name` from scripts/templates/."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    for key, value in replacements.items():
        text = text.replace(f"__{key}__", value)
    return text


def plan(root, site, title, series=None, date=None):
    """Decide every file the new post needs, and refuse if any exists.

    Parameters
    ----------
    root : pathlib.Path
    site : Site
    title : str
    series : str, optional
    date : datetime.date, optional
        Default: today.

    Returns
    -------
    dict
        Path relative to `root` to the text to write.

    Raises
    ------
    ScaffoldError
        If the title gives no slug, the slug is taken, or a target exists.
    """
    title = " ".join(title.split())
    slug = slug_for(title)
    posts = existing_posts(site)
    if (other := taken_slug(posts, slug)) is not None:
        raise ScaffoldError(
            f"new_post: slug '{slug}' of title {title!r} is already taken by "
            f"{other}; choose another title. Nothing was written."
        )
    series = choose_series(posts, series)
    part = next_part(posts, series)
    docs = site.docs_dir.relative_to(root).as_posix()
    meta = front_matter(
        title, date or datetime.date.today(), series, part, slug, site.rules
    )
    problems = _schema.check_post("new post", yaml.safe_load(meta), site.rules)
    if problems:
        raise ScaffoldError("new_post: " + "; ".join(map(str, problems)))
    words = {
        "FRONT_MATTER": meta,
        "TITLE_MARKDOWN": title,
        "TITLE_COMMENT": title,
        "TITLE_PARAGRAPH": textwrap.fill(f"The post: {_plain(title)}.", width=79),
        "PART": str(part),
        "SLUG": slug,
    }
    targets = {
        f"{docs}/{site.posts_dir}/{slug}.md": render("post.md.tmpl", words),
        f"scripts/figures/part{part}.py": render("figures.py.tmpl", words),
        f"tests/test_part{part}.py": render("test.py.tmpl", words),
        f"{docs}/notebooks/part{part}.py": render("notebook.py.tmpl", words),
    }
    figure = f"figures/part{part}-example-weights.json"
    existing = [path for path in [*targets, figure] if (root / path).exists()]
    if existing:
        raise ScaffoldError(
            f"new_post: cannot scaffold part {part} of {series!r} as '{slug}': "
            + ", ".join(existing)
            + " already exist(s); remove or rename them, or choose another "
            "title. Nothing was written."
        )
    return targets


def write_all(root, targets):
    """Write every target through a temporary file; on failure remove them all.

    Raises
    ------
    OSError
        If a file cannot be written; the files written before are removed.
    """
    written = []
    try:
        for path, text in targets.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".new-post-")
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
            # link() fails if the target appeared meanwhile: never overwrite.
            os.link(tmp, target)
            os.unlink(tmp)
            written.append(target)
    except OSError:
        for target in written:
            target.unlink(missing_ok=True)
        raise


def regenerate(root):
    """Run the figure command, which builds the new module's figure.

    Returns
    -------
    int
        The figure command's exit status.
    """
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "build_figures.py")],
        cwd=root,
        check=False,
    ).returncode


def main(argv=None):
    """Scaffold a post from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("title", help="the post's title, such as 'Masks'")
    parser.add_argument("--series", help="default: the series of existing posts")
    parser.add_argument(
        "--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD; default today"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-figures", action="store_true", help="do not run the figure command"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        targets = plan(root, read_site(root), args.title, args.series, args.date)
    except ScaffoldError as error:
        print(error, file=sys.stderr)
        return 1
    write_all(root, targets)
    for path in targets:
        print(f"created {path}")
    if not args.no_figures and regenerate(root) != 0:
        print(
            "new_post: the files above were written, but the figure command "
            "failed; fix the error it printed and run `make figures`",
            file=sys.stderr,
        )
        return 1
    print(
        "Next: `make serve` shows the draft; write the post, then `make test`. "
        "CONTRIBUTING.md says how to publish it."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
