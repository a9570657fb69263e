"""Helpers shared by the project's MkDocs hooks: front matter and code-free text.

MkDocs loads each hook by path and puts the hook's folder on ``sys.path`` while
it runs the hook module, so a hook imports this module as plain ``_common``.
Tests put ``hooks/`` on ``sys.path`` themselves.

Nothing here logs: functions return what they found and the hooks decide how
to report it.
"""

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# A front matter block: a first line "---", YAML, then a line "---" or "...".
FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?\r?\n)??(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)",
    re.DOTALL,
)

# A fence opens with 3+ backticks or tildes, indented any amount (lists
# indent them); a backtick fence's info string may not contain a backtick.
FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}(?=[^`]*$)|~{3,})")

BACKTICKS = re.compile(r"`+")
BLANK_LINE = re.compile(r"\n[ \t]*\n")

# Stands in for a masked code span; NUL never occurs in a Markdown page.
MASK = "\x00{}\x00"
MASKED = re.compile(r"\x00(\d+)\x00")


@dataclass
class FrontMatter:
    """The front matter of one Markdown file, or why it could not be read.

    Attributes
    ----------
    meta : dict or None
        The parsed mapping; None when `error` is set.
    body : str
        The Markdown after the front matter block.
    error : str or None
        What is wrong, phrased to follow "<path>: ".
    """

    meta: dict | None
    body: str
    error: str | None = None


@dataclass
class CodeMask:
    """Markdown with its code spans masked, and the means to restore them.

    Attributes
    ----------
    text : str
        The Markdown outside fenced code, with each inline code span replaced
        by a placeholder that no pattern of the hooks matches.
    spans : list of str
        The masked code spans, in order.
    """

    text: str
    spans: list[str] = field(default_factory=list)

    def restore(self, text):
        """Put the masked code spans back into `text`."""
        return MASKED.sub(lambda m: self.spans[int(m.group(1))], text)


def parse_front_matter(source):
    """Split a Markdown source into its front matter mapping and its body.

    Parameters
    ----------
    source : str

    Returns
    -------
    FrontMatter
        `error` tells a missing block, YAML that does not parse (with the line
        in the file) and YAML that is not a mapping apart.
    """
    match = FRONT_MATTER.match(source)
    if match is None:
        return FrontMatter(
            None,
            source,
            "no front matter block (expected a first "
            "line '---', YAML fields, then a line '---')",
        )
    body = source[match.end() :]
    try:
        meta = yaml.safe_load(match.group("yaml") or "")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # The YAML starts on the file's second line; marks count from 0.
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        return FrontMatter(
            None,
            body,
            f"front matter is not valid YAML{where}: "
            f"{problem} (expected 'field: value' lines)",
        )
    except ValueError as error:
        # PyYAML reads 2025-02-30 as a date and lets datetime's error through.
        return FrontMatter(
            None,
            body,
            f"front matter is not valid YAML: {error} (expected real dates "
            "written YYYY-MM-DD)",
        )
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return FrontMatter(
            None,
            body,
            f"front matter is a {type(meta).__name__}; "
            "expected a mapping of 'field: value' lines",
        )
    return FrontMatter(meta, body)


def read_front_matter(path):
    """Read a Markdown file and parse its front matter (see `parse_front_matter`).

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    FrontMatter

    Raises
    ------
    OSError
        If the file cannot be read.
    """
    return parse_front_matter(Path(path).read_text(encoding="utf-8-sig"))


def markdown_files(folder):
    """List the Markdown files under a folder, as sorted POSIX paths relative to it.

    Parameters
    ----------
    folder : str or os.PathLike

    Returns
    -------
    list of str
        Empty when the folder does not exist. Hidden files and folders are
        skipped, as MkDocs skips them.
    """
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                rel = os.path.relpath(os.path.join(root, name), folder)
                found.append(Path(rel).as_posix())
    return sorted(found)


def split_fences(markdown):
    """Cut Markdown into chunks that are fenced code blocks and chunks that are not.

    Parameters
    ----------
    markdown : str

    Returns
    -------
    list of (bool, str)
        ``(is_fenced_code, text)`` pairs whose texts join back to `markdown`.
        A fence is closed by a line of the same character at least as long;
        an unclosed fence runs to the end, as in CommonMark.
    """
    chunks = []
    text = []
    code = []
    fence = None
    for line in markdown.splitlines(keepends=True):
        if fence is None:
            match = FENCE_OPEN.match(line)
            if match is None:
                text.append(line)
                continue
            fence = match.group("fence")
            chunks.append((False, "".join(text)))
            text = []
            code = [line]
            continue
        code.append(line)
        stripped = line.strip()
        if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            chunks.append((True, "".join(code)))
            code = []
            fence = None
    if fence is not None:
        chunks.append((True, "".join(code)))
    chunks.append((False, "".join(text)))
    return [(is_code, chunk) for is_code, chunk in chunks if chunk]


def mask_code_spans(text):
    """Replace the inline code spans of text outside fences by placeholders.

    A span opens with a run of backticks and closes with the next run of the
    same length in the same paragraph; a run with no partner is literal text.

    Parameters
    ----------
    text : str
        Markdown with no fenced code (a non-code chunk of `split_fences`).

    Returns
    -------
    CodeMask
    """
    spans = []
    out = []
    start = 0
    pos = 0
    while (run := BACKTICKS.search(text, pos)) is not None:
        if run.start() > 0 and text[run.start() - 1] == "\\":
            pos = run.end()
            continue
        paragraph_end = BLANK_LINE.search(text, run.end())
        limit = paragraph_end.start() if paragraph_end else len(text)
        closer = re.compile(rf"(?<!`)`{{{len(run.group())}}}(?!`)")
        close = closer.search(text, run.end(), limit)
        if close is None:
            pos = run.end()
            continue
        out.append(text[start : run.start()])
        out.append(MASK.format(len(spans)))
        spans.append(text[run.start() : close.end()])
        start = pos = close.end()
    out.append(text[start:])
    return CodeMask("".join(out), spans)


def blog_settings(config):
    """Find where Material's blog plugin keeps posts and how it cuts excerpts.

    Parameters
    ----------
    config : mkdocs.config.defaults.MkDocsConfig

    Returns
    -------
    dict
        ``posts_dir`` (POSIX path relative to docs_dir), ``separator`` (the
        excerpt separator), ``drafts_shown`` (whether draft posts are rendered
        in this build: Material turns this on under ``mkdocs serve`` when
        ``draft_on_serve`` is set) and ``enabled``. Material's defaults when
        the plugin is absent.
    """
    plugin = config.plugins.get("material/blog")
    settings = {
        "posts_dir": "blog/posts",
        "separator": "<!-- more -->",
        "drafts_shown": False,
        "enabled": plugin is not None,
    }
    if plugin is None or not plugin.config.enabled:
        settings["enabled"] = False
        return settings
    blog = plugin.config
    posts_dir = blog.post_dir.format(blog=blog.blog_dir)
    settings["posts_dir"] = Path(os.path.normpath(posts_dir)).as_posix()
    settings["separator"] = blog.post_excerpt_separator
    settings["drafts_shown"] = bool(blog.draft)
    return settings


def project_root(config):
    """Return the folder holding mkdocs.yml (the current folder if unknown).

    Parameters
    ----------
    config : mkdocs.config.defaults.MkDocsConfig

    Returns
    -------
    pathlib.Path
    """
    if config.config_file_path:
        return Path(config.config_file_path).resolve().parent
    return Path.cwd()


def write_atomically(path, data):
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader (the browser under ``mkdocs serve``, or a second build) sees
    the old file or the new one, never half of one. Used for the caches of
    generated assets (the math font, the plotly.js bundle).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        # mkstemp makes the file private; a web server must be able to read it.
        os.chmod(temporary, 0o644)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
