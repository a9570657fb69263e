"""Read every post's front matter and check it, alone and within its series.

Used by hooks/series.py. Single posts are checked against hooks/_schema.py;
the part numbering of each series is checked here, because it needs every
post. Nothing here logs: functions return problems and the hook reports them.
"""

import datetime
import posixpath
from dataclasses import dataclass

import _common
import _schema

slugify = _schema.slugify


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
    notebook : str or None
        The companion notebook's path relative to docs_dir.
    """

    src_uri: str
    title: str
    date: datetime.date | None
    description: str
    series: str
    part: int
    draft: bool
    notebook: str | None = None


def check_post(where, meta, rules):
    """Check one post's front matter and make its series record.

    Parameters
    ----------
    where : str
        The post's path relative to docs_dir.
    meta : dict
    rules : _schema.Rules

    Returns
    -------
    post : Post or None
        None unless the post has a usable series and part number.
    problems : list of _schema.Problem
    """
    problems = _schema.check_post(where, meta, rules)
    if {"series", "part"} & {problem.field for problem in problems}:
        return None, problems
    post = Post(
        where,
        str(meta.get("title", "")),
        _schema.post_date(meta.get("date")),
        str(meta.get("description", "")),
        meta["series"],
        meta["part"],
        meta.get("draft") is True,
        meta.get("notebook"),
    )
    return post, problems


def read_posts(docs_dir, posts_dir, rules):
    """Read and check the front matter of every post.

    Parameters
    ----------
    docs_dir : str
    posts_dir : str
        POSIX path of the posts folder relative to docs_dir.
    rules : _schema.Rules

    Returns
    -------
    posts : list of Post
        The posts that belong to a series, in path order.
    problems : list of str or _schema.Problem
        A string when the file or its front matter block cannot be read.
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
            complete = False
            continue
        if front.error is not None:
            problems.append(f"{where}: {front.error}")
            complete = False
            continue
        post, found = check_post(where, front.meta, rules)
        problems.extend(found)
        if post is not None:
            posts.append(post)
        else:
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


def check_drafts(name, drafts, published):
    """Check that a series' drafts follow its published parts, once each.

    Parameters
    ----------
    name : str
    drafts, published : list of Post

    Returns
    -------
    list of str
    """
    problems = []
    taken = {post.part: post for post in published}
    last = max(taken, default=0)
    for post in sorted(drafts, key=lambda p: (p.part, p.src_uri)):
        if post.part in taken:
            problems.append(
                f"{post.src_uri}: front matter field 'part' is {post.part}, which "
                f"{taken[post.part].src_uri} also has in series '{name}'; "
                f"expected a part after the published ones ({last + 1} or more)"
            )
            continue
        taken[post.part] = post
    return problems


def check_series(posts, complete):
    """Group posts by series and check each series' name and part numbers.

    Parameters
    ----------
    posts : list of Post
    complete : bool
        False if some post's series or part is unknown (see `read_posts`).

    Returns
    -------
    groups : dict
        Series name to its posts, for the series whose URL slug is unique.
    problems : list of str
    """
    groups, problems, slugs = {}, [], {}
    for post in posts:
        groups.setdefault(post.series, []).append(post)
    for name, members in sorted(groups.items()):
        if (other := slugs.setdefault(slugify(name), name)) != name:
            problems.append(
                f"{members[0].src_uri}: front matter field 'series' is "
                f"{name!r}, whose URL slug '{slugify(name)}' is also that "
                f"of series {other!r}; expected distinct names"
            )
            continue
        published = [post for post in members if not post.draft]
        drafts = [post for post in members if post.draft]
        problems += check_parts(name, published, gaps=complete)
        problems += check_drafts(name, drafts, published)
    return {name: groups[name] for name in slugs.values()}, problems
