"""Every ``>>>`` example in tapegrad's docstrings runs and prints what it says."""

import doctest
import importlib
import pkgutil

import pytest

import tapegrad

SKIP = {"tapegrad.__main__", "tapegrad.demo"}


def _modules():
    names = ["tapegrad"]
    for m in pkgutil.walk_packages(tapegrad.__path__, "tapegrad."):
        if m.name not in SKIP:
            names.append(m.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    mod = importlib.import_module(name)
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testmod(mod, optionflags=flags, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
