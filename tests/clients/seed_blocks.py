"""The seeds' code blocks as kept in tests/seeds/ (see tools/extract-seed-blocks.py), for the seed tests."""
import contextlib
import importlib.util
import io
import pathlib

import pytest

from host_audit import recording_hosts

REPO = pathlib.Path(__file__).resolve().parents[2]
COPIES = REPO / "tests" / "seeds"


def extractor():
    """tools/extract-seed-blocks.py as a module."""
    spec = importlib.util.spec_from_file_location("extract_seed_blocks", REPO / "tools" / "extract-seed-blocks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_notebook(folder, cells):
    """Runs `cells` in order as a notebook does, in one namespace, with `folder` as the working folder.

    A cell is a seed block's copy (a path) or source text (what the notebook's other cells do). Returns
    the namespace, what the cells printed and the hosts they looked up or connected to. A cell that
    raises fails the test, with what the cells had printed."""
    namespace, printed = {}, io.StringIO()
    with recording_hosts() as hosts, pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(printed):
        patch.chdir(folder)
        for cell in cells:
            source, name = (cell.read_text(encoding="utf-8"), str(cell)) if isinstance(cell, pathlib.Path) \
                else (cell, "<notebook cell>")
            try:
                exec(compile(source, name, "exec"), namespace)
            except Exception as error:
                raise AssertionError(f"{name} raised {error!r}; the cells printed:\n{printed.getvalue()}") from error
    return namespace, printed.getvalue(), hosts
