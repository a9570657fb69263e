"""`make new-post` scaffolds a draft that passes every check and stays unpublished.

The scaffolder runs once in a copy of the project (git history, the virtual
environment and the built site left out; node_modules linked). The copy's
notebooks are not executed by its builds, which would only slow them down:
the draft's notebook is not built by ``mkdocs build`` at all.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build as build_site
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

import _common  # noqa: E402 (hooks/ is put on sys.path above)
import _schema  # noqa: E402

from scripts import new_post  # noqa: E402

pytestmark = pytest.mark.slow

TITLE = "Masks & positions: what order means"
SLUG = "masks-positions-what-order-means"
LEFT_OUT = {".git", ".venv", "node_modules", "site", ".cache", ".pytest_cache"}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(root, *args, timeout=300):
    """Run a Python module or script in `root`; return the completed process."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=timeout,
        check=False,
    )


def listing(root):
    """Map every file under `root` (links not followed) to its modification time."""
    return {
        path.relative_to(root).as_posix(): path.stat().st_mtime_ns
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    }


def copy_project(target):
    """Copy the project into `target`, without what a checkout would not have."""
    for entry in ROOT.iterdir():
        if entry.name in LEFT_OUT or entry.name.endswith(".egg-info"):
            continue
        if entry.name.startswith(".mkdocs-"):  # other tests' temporary configs
            continue
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name, ignore=_ignore)
        else:
            shutil.copy2(entry, target / entry.name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    config = target / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("execute: true", "execute: false"),
        encoding="utf-8",
    )


def _ignore(folder, names):
    return {name for name in names if name in ("__pycache__", ".pytest_cache")}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Copy the project and scaffold a post; return the copy and the result."""
    root = tmp_path_factory.mktemp("project")
    copy_project(root)
    before = listing(root)
    result = run(root, "scripts/new_post.py", TITLE, "--date", "2025-06-01")
    return root, result, before


@pytest.fixture(scope="module")
def part(project):
    """Return the part number the scaffolder gave the new post."""
    root, result, _ = project
    assert result.returncode == 0, result.stderr
    post = root / f"docs/blog/posts/{SLUG}.md"
    return _common.read_front_matter(post).meta["part"]


@pytest.fixture(scope="module")
def built(project, part):
    """Build the copy with ``mkdocs build --strict``; return the result."""
    root, _, _ = project
    return run(root, "-m", "mkdocs", "build", "--strict", "--site-dir", "site")


def test_writes_the_post_module_tests_and_notebook(project, part):
    root, result, before = project
    created = sorted(set(listing(root)) - set(before))
    assert [f"{name}" for name in created if not name.startswith("figures/")] == [
        f"docs/blog/posts/{SLUG}.md",
        f"docs/notebooks/part{part}.py",
        f"scripts/figures/part{part}.py",
        f"tests/test_part{part}.py",
    ]
    assert f"created docs/blog/posts/{SLUG}.md" in result.stdout


def test_new_part_follows_every_part_of_the_series(project, part):
    root, _, _ = project
    posts = (root / "docs/blog/posts").glob("*.md")
    others = [_common.read_front_matter(p).meta for p in posts if p.stem != SLUG]
    assert part == 1 + max(
        m["part"] for m in others if m["series"] == "Understanding Attention"
    )


def test_front_matter_is_a_complete_draft(project, part):
    root, _, _ = project
    meta = _common.read_front_matter(root / f"docs/blog/posts/{SLUG}.md").meta
    assert set(_schema.REQUIRED) <= set(meta)
    assert (meta["title"], str(meta["date"]), meta["draft"]) == (
        TITLE,
        "2025-06-01",
        True,
    )
    assert meta["description"].startswith(_schema.PLACEHOLDER)
    assert (meta["slug"], meta["notebook"]) == (SLUG, f"notebooks/part{part}.py")
    rules = _schema.Rules(("Foundations",), frozenset({"team"}))
    assert _schema.check_post("new.md", meta, rules) == []


def test_notebook_is_in_jupytext_percent_format(project, part):
    root, _, _ = project
    text = (root / f"docs/notebooks/part{part}.py").read_text(encoding="utf-8")
    header = yaml.safe_load(text.split("# ---\n")[1].replace("# ", "").replace("#", ""))
    assert header["jupyter"]["jupytext"]["formats"] == "py:percent"
    assert f'show("part{part}-example-weights")' in text


def test_example_figure_and_value_are_generated(project, part):
    root, _, _ = project
    assert (root / f"figures/part{part}-example-weights.json").is_file()
    values = yaml.safe_load((root / "figures/values.json").read_text("utf-8"))
    assert 0 < values[f"part{part}.example-top-weight"]["value"] <= 1
    manifest = yaml.safe_load((root / "figures/manifest.json").read_text("utf-8"))
    assert manifest["modules"][f"part{part}"]["figures"] == [
        f"part{part}-example-weights"
    ]


def test_generated_tests_pass(project, part):
    root, _, _ = project
    result = run(
        root,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"tests/test_part{part}.py",
    )
    assert result.returncode == 0, result.stdout
    assert "6 passed" in result.stdout


def test_generated_python_passes_the_linters(project, part):
    root, _, _ = project
    paths = [f"scripts/figures/part{part}.py", f"tests/test_part{part}.py"]
    ruff = [sys.executable, "-m", "ruff"]
    for command in (["format", "--check"], ["check"]):
        result = subprocess.run(
            [*ruff, *command, *paths], cwd=root, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_strict_build_passes_and_leaves_the_draft_out(project, part, built):
    root, _, _ = project
    assert built.returncode == 0, built.stderr
    site = root / "site"
    assert (site / "blog/what-is-attention/index.html").is_file()
    assert not (site / "blog" / SLUG).exists()
    assert not (site / f"notebooks/part{part}").exists()
    assert not (site / f"assets/figures/part{part}-example-weights.json").exists()
    mentions = [
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.suffix in (".html", ".xml", ".json")
        and SLUG in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert mentions == []


def test_same_title_is_refused_and_nothing_is_written(project, part, capsys):
    root, _, _ = project
    before = listing(root)
    status = new_post.main([TITLE.upper(), "--root", str(root)])
    assert status == 1
    assert (
        f"new_post: slug '{SLUG}' of title '{TITLE.upper()}' is already taken by "
        f"blog/posts/{SLUG}.md; choose another title. Nothing was written."
    ) in capsys.readouterr().err
    assert listing(root) == before


def test_existing_target_file_is_refused_and_nothing_is_written(project, part, capsys):
    root, _, _ = project
    notebook = root / f"docs/notebooks/part{part + 1}.py"
    notebook.write_text("# someone else's notebook\n", encoding="utf-8")
    before = listing(root)
    try:
        status = new_post.main(["Another post", "--root", str(root)])
        after = listing(root)
    finally:
        notebook.unlink()
    assert status == 1
    message = capsys.readouterr().err
    assert f"docs/notebooks/part{part + 1}.py already exist(s)" in message
    assert "Nothing was written." in message
    assert after == before


def test_serve_shows_the_draft_and_its_notebook(project, part, built, tmp_path):
    """Build as `mkdocs serve` does (in this process, without a server)."""
    root, _, _ = project
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path))
    config.plugins.on_startup(command="serve", dirty=False)
    build_site(config, serve_url="http://127.0.0.1:8000/")
    page = (tmp_path / "blog" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "Draft, part" in page
    assert f'id="figure-part{part}-example-weights"' in page
    assert (tmp_path / f"assets/figures/part{part}-example-weights.json").is_file()
    notebook = tmp_path / f"notebooks/part{part}/index.html"
    assert f"Part {part} notebook" in notebook.read_text(encoding="utf-8")
