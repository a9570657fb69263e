"""Broken input fails clearly, and nothing already built is lost.

Each table below is one stage of the pipeline. Every case asserts the exit
status, the message (which file, what was found, what was expected) and that
the files already there (figures/, site/) kept their bytes:

- `FIGURE_MODULES`: figure modules that break ``scripts/build_figures.py``;
- `EDITED_FILES`: figure files edited by hand, which ``make check-figures``
  names and the next ``make figures`` repairs;
- `KILL_POINTS`: a regeneration killed with SIGKILL at each point of its write
  loop, after which every file is its old or its new version;
- `SITES`: posts and front matter that fail ``make build``, which must keep
  the last good ``site/``.

The figure command runs in a temporary project (tests/test_build_figures.py);
the sites are the fixture of tests/test_build.py, built by the Makefile's own
``build`` recipe.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_build import BAD_SITES, write_site
from tests.test_build_figures import GOOD_MODULE, add_module, run, snapshot

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def make(folder, *targets):
    """Run the project's Makefile in `folder`, its set-up steps taken as done.

    ``INSTALLED=`` and ``-o install`` skip the virtual environment and npm
    set-up (this interpreter already has everything); the recipes themselves
    run as written.
    """
    command = ["make", "-s", "-f", str(ROOT / "Makefile"), "-C", str(folder)]
    command += ["-o", "install", "INSTALLED=", f"BIN={BIN}", "PYTHON=unused"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [*command, *targets],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def new_project(root, modules):
    """Write a project with the figure command, the core and `modules`, built.

    Parameters
    ----------
    root : Path
    modules : dict of str to str
        Figure module name to its source.
    """
    shutil.copytree(ROOT / "attention", root / "attention")
    (root / "scripts").mkdir()
    for name in ("__init__.py", "figkit.py", "figjson.py", "build_figures.py"):
        shutil.copy(ROOT / "scripts" / name, root / "scripts" / name)
    shutil.copy(ROOT / "package.json", root / "package.json")
    add_module(root, "__init__", "")
    for name, body in modules.items():
        add_module(root, name, body)
    result = run(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    """Return a project whose figures/ holds two modules' figures."""
    other = GOOD_MODULE.replace('"demo-', '"other-')
    return new_project(
        tmp_path_factory.mktemp("built"), {"demo": GOOD_MODULE, "other": other}
    )


@pytest.fixture
def project(built_project, tmp_path):
    """Return a fresh copy of `built_project`."""
    return Path(shutil.copytree(built_project, tmp_path / "project"))


def tree(folder):
    """Return every file below `folder` with the sha256 of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# Figure modules: the command fails naming the module, the figure and the
# problem, and writes nothing. Each body is added as scripts/figures/broken.py
# beside the good module of tests/test_build_figures.py.
FIGURE_MODULES = {
    "builder-raises": (
        """
        from scripts import figkit

        def _build():
            raise RuntimeError("the builder broke")

        FIGURES = [figkit.FigureSpec("broken-fig", "T", "C", "A", _build)]
        """,
        ["scripts/figures/broken.py", "'broken-fig'", "RuntimeError", "broke"],
    ),
    "not-a-figure": (
        """
        from scripts import figkit

        FIGURES = [figkit.FigureSpec("broken-fig", "T", "C", "A", lambda: 42)]
        """,
        ["scripts/figures/broken.py", "'broken-fig'", "returned int", "Built"],
    ),
    "nan-in-data": (
        """
        import plotly.graph_objects as go
        from scripts import figkit

        def _build():
            bars = go.Bar(x=["a", "b"], y=[1.0, float("nan")])
            return figkit.Built(go.Figure(bars), ["a"])

        FIGURES = [figkit.FigureSpec("broken-fig", "T", "C", "A", _build)]
        """,
        ["'broken-fig'", "non-finite number nan", "data[0].y[1]", "expected finite"],
    ),
    "trace-not-in-the-bundle": (
        """
        import plotly.graph_objects as go
        from scripts import figkit

        def _build():
            pie = go.Pie(labels=["a", "b"], values=[1, 2])
            return figkit.Built(go.Figure(pie), ["a"])

        FIGURES = [figkit.FigureSpec("broken-fig", "T", "C", "A", _build)]
        """,
        ["'broken-fig'", "trace 0 has type 'pie'", "bar, heatmap, scatter"],
    ),
    "infinity-in-layout": (
        """
        import plotly.graph_objects as go
        from scripts import figkit

        def _build():
            figure = go.Figure(go.Bar(x=["a"], y=[1.0]))
            figure.update_layout(yaxis_range=[0, float("inf")])
            return figkit.Built(figure, ["a"])

        FIGURES = [figkit.FigureSpec("broken-fig", "T", "C", "A", _build)]
        """,
        ["'broken-fig'", "non-finite number inf", "layout.yaxis.range[1]"],
    ),
    "numpy-array-in-data": (
        """
        import numpy as np
        import plotly.graph_objects as go
        from scripts import figkit

        def _build():
            bars = go.Bar(x=["a", "b"], y=np.array([1.0, 2.0]))
            return figkit.Built(go.Figure(bars), ["a"])

        FIGURES = [figkit.FigureSpec("broken-fig", "T", "C", "A", _build)]
        """,
        ["'broken-fig'", "a base64 f8 array (a numpy array) at data[0].y", "rounded"],
    ),
    "unescaped-markup-in-tick-labels": (
        """
        import plotly.graph_objects as go
        from scripts import figkit

        def _build():
            bars = go.Bar(x=[0], y=[1.0])
            figure = go.Figure(bars)
            figure.update_xaxes(
                tickmode="array", tickvals=[0], ticktext=["<img src=x>"]
            )
            return figkit.Built(figure, ["a"])

        FIGURES = [figkit.FigureSpec("broken-fig", "T", "C", "A", _build)]
        """,
        [
            "'broken-fig'",
            "layout.xaxis.ticktext[0] holds the markup '<img src=x>'",
            "figkit.plotly_text",
        ],
    ),
    "link-in-hover-text": (
        """
        import plotly.graph_objects as go
        from scripts import figkit

        def _build():
            bars = go.Bar(
                x=["a"], y=[1.0],
                hovertemplate='<a href="javascript:void(0)">a</a><extra></extra>',
            )
            return figkit.Built(go.Figure(bars), ["a"])

        FIGURES = [figkit.FigureSpec("broken-fig", "T", "C", "A", _build)]
        """,
        ["'broken-fig'", "data[0].hovertemplate holds the markup '<a href="],
    ),
    "same-id-in-two-modules": (
        """
        from scripts.figures.demo import FIGURES as DEMO

        FIGURES = [DEMO[0]]
        """,
        ["figure id 'demo-map' is already declared by scripts/figures/"],
    ),
    "same-id-twice-in-one-module": (
        """
        from scripts.figures.demo import FIGURES as DEMO

        FIGURES = [DEMO[1], DEMO[1]]
        """,
        ["scripts/figures/broken.py: figure id 'demo-bars' is declared twice"],
    ),
    "bad-id": (
        """
        from scripts import figkit

        FIGURES = [figkit.FigureSpec("Bad_Id", "T", "C", "A", lambda: None)]
        """,
        ["scripts/figures/broken.py", "'Bad_Id'", "kebab-case"],
    ),
    "empty-caption": (
        """
        from scripts import figkit

        FIGURES = [figkit.FigureSpec("broken-fig", "T", " ", "A", lambda: None)]
        """,
        ["'broken-fig'", "caption=' '", "non-empty string"],
    ),
    "bad-value-format": (
        """
        from scripts import figkit

        FIGURES = []

        def values():
            return [figkit.Value("share", 0.5, ".2q")]
        """,
        ["scripts/figures/broken.py", "value 'share'", "'.2q'"],
    ),
    "infinite-value": (
        """
        from scripts import figkit

        FIGURES = []

        def values():
            return [figkit.Value("share", float("inf"))]
        """,
        ["value 'share'", "inf", "finite"],
    ),
    "import-error": (
        """
        import no_such_package_here
        FIGURES = []
        """,
        ["scripts/figures/broken.py", "importing the module failed", "no_such"],
    ),
}


@pytest.mark.parametrize(
    ("body", "expected"), FIGURE_MODULES.values(), ids=FIGURE_MODULES.keys()
)
def test_broken_module_fails_and_writes_nothing(project, body, expected):
    before = snapshot(project)
    add_module(project, "broken", body)
    result = run(project)
    assert result.returncode == 1
    for fragment in expected:
        assert fragment in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(project) == before


# Figure files edited by hand, all at once in one project: `make check-figures`
# fails naming each file, writes nothing, and `make figures` restores the
# generated bytes.
EDITED_FILES = {
    "stale-numbers": (
        lambda folder: _replace_in(folder / "demo-map.json", "0.665", "0.7"),
        "stale: figures/demo-map.json",
    ),
    "truncated-json": (
        lambda folder: _truncate(folder / "demo-bars.json"),
        "stale: figures/demo-bars.json",
    ),
    "not-utf-8": (
        lambda folder: (folder / "other-map.json").write_bytes(b"\xff\xfe{\x00"),
        "stale: figures/other-map.json",
    ),
    "deleted": (
        lambda folder: (folder / "other-bars.json").unlink(),
        "missing: figures/other-bars.json",
    ),
    "values-edited": (
        lambda folder: _replace_in(folder / "values.json", '"largest"', '"big"'),
        "stale: figures/values.json",
    ),
    "manifest-not-an-object": (
        lambda folder: (folder / "manifest.json").write_text("[]\n"),
        "stale: figures/manifest.json",
    ),
    "unknown-file-added": (
        lambda folder: (folder / "left-over.json").write_text("{}\n"),
        "orphaned: figures/left-over.json (no figure module declares it)",
    ),
}


def _replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.fixture(scope="module")
def edited(built_project, tmp_path_factory):
    """Edit every file of `EDITED_FILES` in one copy, then check and repair it.

    Returns
    -------
    dict
        ``checked`` and ``repaired`` (the two processes) and the snapshots
        ``good``, ``edited``, ``after_check`` and ``after_repair``.
    """
    root = tmp_path_factory.mktemp("edited") / "project"
    shutil.copytree(built_project, root)
    record = {"good": snapshot(root)}
    for edit, _ in EDITED_FILES.values():
        edit(root / "figures")
    record["edited"] = snapshot(root)
    record["checked"] = make(root, "check-figures")
    record["after_check"] = snapshot(root)
    record["repaired"] = make(root, "figures")
    record["after_repair"] = snapshot(root)
    return record


@pytest.mark.parametrize(
    "expected", [e for _, e in EDITED_FILES.values()], ids=EDITED_FILES.keys()
)
def test_check_figures_names_hand_edited_file(edited, expected):
    assert edited["checked"].returncode != 0
    assert expected in edited["checked"].stderr


def test_check_figures_writes_nothing_and_says_what_to_run(edited):
    assert "run `make figures` and commit the result" in edited["checked"].stderr
    assert edited["after_check"] == edited["edited"]


def test_make_figures_repairs_hand_edited_files(edited):
    assert edited["repaired"].returncode == 0, edited["repaired"].stderr
    assert edited["after_repair"] == edited["good"]


# A regeneration killed with SIGKILL. The command's writes are paused at each
# point below (a stand-in for os.replace or os.fsync prints where it is and
# waits), and the test kills the process there. Files are written in the order
# demo-bars.json, demo-map.json, values.json, then manifest.json.
KILLABLE = """
import os
import sys

sys.path.insert(0, os.getcwd())
from scripts import build_figures

real_replace, real_fsync = os.replace, os.fsync


def pause(event):
    print(event, flush=True)
    sys.stdin.readline()


def replace(src, dst):
    real_replace(src, dst)
    pause("replaced " + os.path.basename(dst))


def fsync(fd):
    real_fsync(fd)
    pause("synced")


os.replace, os.fsync = replace, fsync
sys.exit(build_figures.main(sys.argv[1:]))
"""

KILL_POINTS = {
    "first-temporary-file-complete": "synced",
    "after-first-file": "replaced demo-bars.json",
    "everything-but-the-manifest": "replaced values.json",
}


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory):
    """Build a project's figures/, then the figures of a changed core input.

    Returns
    -------
    root : Path
        The project, with the changed module and the old figures/.
    old, new : dict
        File name to bytes, before and after the change.
    """
    root = new_project(tmp_path_factory.mktemp("killed"), {"demo": GOOD_MODULE})
    old = snapshot(root)
    add_module(root, "demo", GOOD_MODULE.replace("[2.0, 1.0, 0.0]", "[3.0, 1.0, 0.0]"))
    assert run(root).returncode == 0
    new = snapshot(root)
    assert all(old[name] != new[name] for name in old), "every file should change"
    return root, old, new


def _restore(root, files):
    folder = root / "figures"
    shutil.rmtree(folder)
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)


@pytest.mark.parametrize("event", KILL_POINTS.values(), ids=KILL_POINTS.keys())
def test_killed_regeneration_leaves_old_or_new_files(old_and_new, event):
    root, old, new = old_and_new
    _restore(root, old)
    process = subprocess.Popen(
        [sys.executable, "-c", KILLABLE],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    events = []
    while not events or events[-1] != event:
        line = process.stdout.readline()
        assert line, f"the command ended before {event!r}: {process.stderr.read()}"
        events.append(line.strip())
        if events[-1] != event:
            process.stdin.write("\n")
            process.stdin.flush()
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stdin.close()
    process.stdout.close()
    process.stderr.close()

    folder = root / "figures"
    for path in folder.glob("*.json"):
        assert path.read_bytes() in (old[path.name], new[path.name]), path.name
    assert set(old) <= {path.name for path in folder.glob("*.json")}

    repaired = run(root)
    assert repaired.returncode == 0, repaired.stderr
    assert snapshot(root) == new, "the next run leaves exactly the new files"


# Sites that fail `make build`: the cases of tests/test_build.py (unknown
# figure or value, unused figure, front matter) and more, each built over a
# good site/ that must survive byte for byte.
SITES = {
    **BAD_SITES,
    "impossible-date": (
        {"docs/blog/posts/part-2.md": ("date: 2025-02-03", "date: 2025-13-45")},
        ["blog/posts/part-2.md: front matter is not valid YAML: month must be in"],
    ),
    "date-not-a-date": (
        {"docs/blog/posts/part-2.md": ("date: 2025-02-03", "date: yesterday")},
        [
            "blog/posts/part-2.md: front matter field 'date' is 'yesterday' (str); "
            "expected a date written YYYY-MM-DD"
        ],
    ),
    "no-front-matter-end": (
        {"docs/blog/posts/part-2.md": ("draft: false\n---\n", "draft: false\n")},
        [
            "blog/posts/part-2.md: no front matter block (expected a first line "
            "'---', YAML fields, then a line '---')"
        ],
    ),
}


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    """Build the fixture of tests/test_build.py with `make build` once."""
    root = tmp_path_factory.mktemp("good-site")
    write_site(root)
    result = make(root, "-o", "check-figures", "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize(
    ("changes", "messages"), SITES.values(), ids=list(SITES.keys())
)
def test_failing_build_names_the_problem_and_keeps_the_site(
    good_site, tmp_path, changes, messages
):
    root = tmp_path / "site-root"
    shutil.copytree(good_site, root)
    write_site(root, changes)
    site_before, figures_before = tree(root / "site"), tree(root / "figures")

    result = make(root, "-o", "check-figures", "build")

    assert result.returncode != 0
    for message in messages:
        assert message in result.stderr
    assert tree(root / "site") == site_before
    assert tree(root / "figures") == figures_before


def test_successful_build_replaces_the_site(good_site, tmp_path):
    root = tmp_path / "site-root"
    shutil.copytree(good_site, root)
    write_site(root, {"docs/index.md": ("# Home", "# Home, rebuilt")})

    result = make(root, "-o", "check-figures", "build")

    assert result.returncode == 0, result.stderr
    assert "Home, rebuilt" in (root / "site/index.html").read_text(encoding="utf-8")
    assert not (root / ".site-new").exists() and not (root / ".site-old").exists()


# Front matter reaches pages through Material's templates and the series index,
# which do not escape it: a title or description holding markup must either
# fail the build naming the field, or arrive escaped.
HOSTILE_FRONT_MATTER = '<img src=x onerror=alert(1)> "q" {{ config.site_name }}'


def test_front_matter_markup_is_refused_or_escaped(tmp_path):
    fields = "title: Scaled dot-product attention\ndate: 2025-02-03\n"
    fields += "description: Every matrix in turn."
    hostile = f"title: '{HOSTILE_FRONT_MATTER}'\ndate: 2025-02-03\n"
    hostile += f"description: '{HOSTILE_FRONT_MATTER}'"
    write_site(tmp_path, {"docs/blog/posts/part-2.md": (fields, hostile)})

    result = make(tmp_path, "-o", "check-figures", "build")

    if result.returncode != 0:
        assert "blog/posts/part-2.md: front matter field" in result.stderr
        return
    for page in (tmp_path / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<img src=x onerror" not in text, page
        assert 'content="<img' not in text, page
