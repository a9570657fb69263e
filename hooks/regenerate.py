"""Regenerate figures before each rebuild under ``mkdocs serve`` (an MkDocs hook).

Under ``mkdocs serve`` only, ``python scripts/build_figures.py`` runs as a
separate process, from the project root with the interpreter running MkDocs,
before every build; the server also watches ``attention/``, ``scripts/`` and
``figures/``. Editing the core or a figure module therefore rebuilds the
figures and the site. The command never rewrites an unchanged file, so its
own writes to ``figures/`` cause at most one more rebuild, not a loop.

``mkdocs build`` never runs it: builds use the committed figures, so a build
is reproducible and needs no Plotly, and ``make build`` runs
``build_figures.py --check`` to fail on stale figures instead of silently
rewriting them. (``mkdocs serve --clean`` reports itself as a build, so it
does not regenerate either.) Events: ``on_startup``, ``on_pre_build``,
``on_serve``.
"""

import logging
import subprocess
import sys

import _common
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.plugins.attention_regenerate")

SCRIPT = "scripts/build_figures.py"
WATCHED = ("attention", "scripts", "figures")
TIMEOUT_SECONDS = 600

_state = {"command": None}


def on_startup(command, dirty):
    """Record whether MkDocs is serving or building (startup event)."""
    _state["command"] = command


def regenerate(root):
    """Run the figure command once and report a failure as a warning.

    Parameters
    ----------
    root : pathlib.Path
        The project root, which holds ``scripts/build_figures.py``.

    Returns
    -------
    bool
        True if the command ran and succeeded.
    """
    script = root / SCRIPT
    if not script.is_file():
        log.warning(
            f"{script}: not found, so figures are not regenerated; "
            "expected the figure command of the project"
        )
        return False
    command = [sys.executable, SCRIPT]
    try:
        result = subprocess.run(
            command,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        log.warning(
            f"python {SCRIPT} did not finish within {TIMEOUT_SECONDS} s; "
            "the site keeps the figures last written"
        )
        return False
    if result.returncode != 0:
        log.warning(
            f"python {SCRIPT} failed with exit status {result.returncode}; "
            "the site keeps the figures last written. Its error output:\n"
            f"{result.stderr.strip()}"
        )
        return False
    log.debug(f"python {SCRIPT}: {result.stdout.strip() or 'no output'}")
    return True


# Before the figures hook loads figures/ in its own on_pre_build.
@event_priority(100)
def on_pre_build(config):
    """Regenerate the figures before a build, only under serve (pre_build event)."""
    if _state["command"] == "serve":
        regenerate(_common.project_root(config))


def on_serve(server, config, builder):
    """Watch the core, the scripts and the figures folder (serve event).

    Returns
    -------
    mkdocs.livereload.LiveReloadServer
    """
    root = _common.project_root(config)
    for name in WATCHED:
        if (root / name).is_dir():
            server.watch(str(root / name))
    return server
