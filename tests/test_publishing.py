"""What publishing needs: feed, sitemap, share tags, licences, workflows.

The slow tests build the real site twice, from the same files and with the same
``SOURCE_DATE_EPOCH``, and check both that the two builds are byte-identical and
what the first one contains.
"""

import email.utils
import html.parser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# Used when neither the environment nor git gives the last commit's time.
FALLBACK_EPOCH = "1767225600"
OPEN_GRAPH = ("og:title", "og:description", "og:type", "og:url")


class _IgnoreTags(yaml.SafeLoader):
    """A YAML loader that reads MkDocs tags such as ``!ENV`` as plain values."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_yaml(path):
    """Return the data of a YAML file, MkDocs tags read as None."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_IgnoreTags)


def front_matter(path):
    """Return the front matter of a Markdown file as a dict."""
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def source_date_epoch():
    """Return SOURCE_DATE_EPOCH as `make` sets it: from the env, else git."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    result = subprocess.run(
        ["git", "log", "-1", "--format=%ct"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or FALLBACK_EPOCH


def mkdocs_build(site_dir, cwd=ROOT, config="mkdocs.yml"):
    """Start a strict build of ``config`` into ``site_dir``; return the process."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    command += ["--config-file", str(config), "--site-dir", str(site_dir)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch()}
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process, what):
    """Wait for a build; fail with its error output if it failed."""
    _, stderr = process.communicate()
    if process.returncode != 0:
        pytest.fail(
            f"{what}: `mkdocs build --strict` exited with {process.returncode}:\n"
            f"{stderr[-4000:]}",
            pytrace=False,
        )


def first_difference(left, right):
    """Name the first file that differs between two folders, or return None.

    Files are compared in sorted order of their relative paths; a file present
    in only one folder counts as a difference.
    """
    left_files = {p.relative_to(left).as_posix() for p in left.rglob("*")}
    right_files = {p.relative_to(right).as_posix() for p in right.rglob("*")}
    for name in sorted(left_files | right_files):
        if name not in left_files or name not in right_files:
            return f"{name}: only in one build"
        a, b = left / name, right / name
        if a.is_file() and a.read_bytes() != b.read_bytes():
            return f"{name}: contents differ"
    return None


def published_posts():
    """Return (path, front matter) of every post that is not a draft."""
    posts = sorted((ROOT / "docs" / "blog" / "posts").glob("*.md"))
    found = [(path, front_matter(path)) for path in posts]
    return [(path, meta) for path, meta in found if not meta.get("draft", False)]


class _Meta(html.parser.HTMLParser):
    """Collect a page's ``<meta>`` tags as {property or name: content}."""

    def __init__(self):
        super().__init__()
        self.found = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key:
            self.found[key] = attrs.get("content")


def head_meta(page):
    """Return the ``<meta>`` tags of a built page as {property or name: content}."""
    parser = _Meta()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Build the site twice, side by side; return the two folders."""
    folders = [tmp_path_factory.mktemp(f"build-{n}") / "site" for n in (1, 2)]
    processes = [mkdocs_build(folder) for folder in folders]
    for number, process in enumerate(processes, start=1):
        finish(process, f"build {number}")
    return folders


@pytest.fixture(scope="module")
def site(builds):
    return builds[0]


@pytest.mark.slow
def test_two_builds_write_identical_files(builds):
    assert first_difference(*builds) is None


@pytest.mark.slow
def test_feed_item_has_front_matter_date_and_description(site):
    channel = ET.parse(site / "feed_rss_created.xml").getroot().find("channel")
    items = {item.findtext("title"): item for item in channel.iter("item")}
    expected = {
        meta["title"]: (
            meta["date"].isoformat(),
            " ".join(meta["description"].split()),
        )
        for _, meta in published_posts()
    }
    found = {
        title: (
            email.utils.parsedate_to_datetime(item.findtext("pubDate"))
            .date()
            .isoformat(),
            " ".join(item.findtext("description").split()),
        )
        for title, item in items.items()
    }
    assert found == expected


@pytest.mark.slow
def test_feed_build_date_is_the_last_commit_time(site):
    channel = ET.parse(site / "feed_rss_created.xml").getroot().find("channel")
    built = email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate"))
    assert int(built.timestamp()) == int(source_date_epoch())


@pytest.mark.slow
def test_every_page_has_description_and_open_graph_tags(site):
    missing = {}
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        if relative.startswith("assets/"):
            continue
        meta = head_meta(page)
        wanted = ["description", *OPEN_GRAPH, "twitter:card"]
        if relative == "404.html":
            wanted.remove("og:url")  # served at every missing address
        absent = [key for key in wanted if not meta.get(key)]
        if absent:
            missing[relative] = absent
    assert missing == {}


@pytest.mark.slow
def test_post_page_shares_its_own_title_and_description(site):
    path, meta = published_posts()[0]
    tags = head_meta(site / "blog" / meta.get("slug", path.stem) / "index.html")
    assert tags["og:title"] == meta["title"]
    assert tags["og:description"] == " ".join(meta["description"].split())
    assert tags["og:type"] == "article"


@pytest.mark.slow
def test_sitemap_lists_every_post(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    site_url = read_yaml(ROOT / "mkdocs.yml")["site_url"]
    missing = [
        path.name
        for path, meta in published_posts()
        if f"<loc>{site_url}blog/{meta.get('slug', path.stem)}/</loc>" not in sitemap
    ]
    assert missing == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "page",
    ["tags/index.html", "404.html", "licenses/index.html", "blog/category"],
    ids=["tags", "404", "licences", "categories"],
)
def test_publishing_page_exists(site, page):
    assert (site / page).exists()


@pytest.mark.slow
def test_licence_page_links_to_served_licence_files(site):
    page = (site / "licenses" / "index.html").read_text(encoding="utf-8")
    for licence in ("plotly/LICENSE.txt", "katex/LICENSE.txt"):
        assert f"../assets/vendor/{licence}" in page
        assert (site / "assets" / "vendor" / licence).is_file()


@pytest.mark.slow
def test_footer_of_every_page_links_to_the_licence_page(site):
    pages = [p for p in site.rglob("index.html") if "assets" not in p.parts]
    unlinked = [
        p.relative_to(site).as_posix()
        for p in pages
        if "Licences and third-party notices</a>" not in p.read_text(encoding="utf-8")
    ]
    assert pages and unlinked == []


FIXTURE_POST = """\
---
title: A fixture post
date: 2024-05-06
description: The description from front matter.
---

# A fixture post

Body text that is not the description.
"""


@pytest.mark.slow
def test_feed_builds_strictly_outside_git_from_front_matter(tmp_path):
    # Guards against the feed plugin reading git history, which warns (and so
    # fails a strict build) in a folder that is not a git checkout.
    outside_git = subprocess.run(
        ["git", "rev-parse", "--git-dir"], cwd=tmp_path, capture_output=True
    )
    assert outside_git.returncode != 0, f"{tmp_path} is inside a git checkout"
    plugins = read_yaml(ROOT / "mkdocs.yml")["plugins"]
    rss = next(p["rss"] for p in plugins if isinstance(p, dict) and "rss" in p)
    config = {
        "site_name": "Fixture",
        "site_url": "https://example.org/fixture/",
        "theme": {"name": "material", "font": False},
        "plugins": [{"blog": {"blog_dir": "blog"}}, {"rss": rss}],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    posts = tmp_path / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (posts / "fixture.md").write_text(FIXTURE_POST, encoding="utf-8")

    finish(mkdocs_build(tmp_path / "site", cwd=tmp_path), "fixture site")

    item = ET.parse(tmp_path / "site" / "feed_rss_created.xml").find("channel/item")
    published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
    assert published.date().isoformat() == "2024-05-06"
    assert item.findtext("description") == "The description from front matter."


@pytest.mark.skipif(
    shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) is None,
    reason="check-jsonschema is not installed (the test extra has it)",
)
def test_workflows_match_the_github_workflow_schema():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", *WORKFLOWS],
        capture_output=True,
        text=True,
        check=False,
    )
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "pull-request.yml"]
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("workflow", "action"),
    [
        ("deploy.yml", "actions/configure-pages@"),
        ("deploy.yml", "actions/upload-pages-artifact@"),
        ("deploy.yml", "actions/deploy-pages@"),
        ("pull-request.yml", "actions/upload-artifact@"),
    ],
    ids=["configure-pages", "upload-pages-artifact", "deploy-pages", "site-preview"],
)
def test_workflow_uses_action(workflow, action):
    steps = [
        step
        for job in read_yaml(ROOT / ".github" / "workflows" / workflow)["jobs"].values()
        for step in job.get("steps", [])
    ]
    assert any(step.get("uses", "").startswith(action) for step in steps)


def test_pull_request_workflow_tests_each_supported_python():
    workflow = read_yaml(ROOT / ".github" / "workflows" / "pull-request.yml")
    assert workflow["jobs"]["test"]["strategy"]["matrix"]["python"] == ["3.12", "3.13"]


def test_deploy_workflow_may_publish_pages_one_run_at_a_time():
    workflow = read_yaml(ROOT / ".github" / "workflows" / "deploy.yml")
    assert workflow["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
    }
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_pre_commit_hooks_need_no_download():
    config = read_yaml(ROOT / ".pre-commit-config.yaml")
    remote = [repo["repo"] for repo in config["repos"] if repo["repo"] != "local"]
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert remote == []
    assert {"ruff-format", "ruff-check", "figures-fresh"} <= hooks


@pytest.mark.parametrize(
    ("path", "opening"),
    [
        ("LICENSE", "MIT License"),
        ("LICENSE-content.md", "# Licence of the written content"),
    ],
    ids=["code-mit", "content-cc-by"],
)
def test_licence_file_exists(path, opening):
    assert (ROOT / path).read_text(encoding="utf-8").startswith(opening)


def test_make_exports_the_last_commit_time(tmp_path):
    last_commit = subprocess.run(
        ["git", "log", "-1", "--format=%ct"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not last_commit or shutil.which("make") is None:
        pytest.skip("needs git history and make")
    printer = tmp_path / "print.mk"
    printer.write_text("print-epoch:\n\t@echo $$SOURCE_DATE_EPOCH\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run(
        ["make", "-s", "-f", "Makefile", "-f", str(printer), "print-epoch"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == last_commit
