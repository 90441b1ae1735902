"""The Python examples of README.md and docs/porting.md run as written (on ::1 and lo).

A block that needs privileges (raw sockets) is skipped with the reason when the
tests do not run as root.
"""

from __future__ import annotations

import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ("README.md", "docs/porting.md")
BLOCKS = [(doc, i, block) for doc in DOCS
          for i, block in enumerate(re.findall(r"```python\n(.*?)```", (ROOT / doc).read_text(), re.S))]


def test_docs_have_examples() -> None:
    assert sum(doc == "README.md" for doc, _, _ in BLOCKS) >= 4
    assert sum(doc == "docs/porting.md" for doc, _, _ in BLOCKS) >= 4


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the examples name Linux's 'lo'")
@pytest.mark.parametrize(("doc", "index", "block"), BLOCKS, ids=[f"{d}-{i + 1}" for d, i, _ in BLOCKS])
def test_doc_example_runs(doc: str, index: int, block: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        exec(compile(block, f"{doc} example {index + 1}", "exec"), {"__name__": "docs"})
    except PermissionError as exc:
        pytest.skip(f"{doc} example {index + 1} needs privileges: {exc}")
    # the check is that the block runs; a block that prints must have printed
    if "print(" in block:
        assert capsys.readouterr().out
