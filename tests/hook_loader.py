"""Import a hook module by path, as MkDocs does, for the hook tests."""

import importlib.util
import sys
from pathlib import Path

HOOKS = Path(__file__).resolve().parents[1] / "hooks"


def load_hook(name):
    """Import hooks/<name> with the hooks folder on sys.path, as MkDocs does.

    Parameters
    ----------
    name : str
        File name, such as ``"figures.py"``.

    Returns
    -------
    module
    """
    sys.path.insert(0, str(HOOKS))
    try:
        spec = importlib.util.spec_from_file_location(f"hook_{name}", HOOKS / name)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(HOOKS))
    return module
