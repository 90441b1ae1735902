"""The README's Python examples run as written (on ::1, no privileges needed)."""

from __future__ import annotations

import pathlib
import re
import sys

import pytest

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_readme_has_examples() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the examples name Linux's 'lo'")
@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index: int, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(BLOCKS[index], f"README.md example {index + 1}", "exec"), {"__name__": "readme"})
    assert capsys.readouterr().out or "assert" in BLOCKS[index]
