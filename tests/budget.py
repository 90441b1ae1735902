"""How many examples a property test runs: the count it asks for, scaled for the tox env.

CI runs every Python of the matrix; the full counts (the issues' ">= 2,000
examples per family") run in the envs that set ``SOCKAPI6_EXAMPLE_SCALE=1``
(tox.ini: one Python, both backends), the others a tenth of them, so the
matrix still meets every property on every Python within CI's time budget.
Unset (a developer's plain ``pytest``) means the full counts.
"""

from __future__ import annotations

import os

SCALE = float(os.environ.get("SOCKAPI6_EXAMPLE_SCALE", "1"))


def examples(count: int) -> int:
    """``count`` scaled by ``SOCKAPI6_EXAMPLE_SCALE``, at least 20."""
    return max(20, int(count * SCALE))
