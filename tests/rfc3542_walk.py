"""Test helper: the option walk of RFC 3542 section 22.2, shared by the RFC 3542 test modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType
    from typing import Any, Optional


def walk_options(m: ModuleType, extbuf: Any, extlen: int
                 ) -> Iterator[tuple[int, int, int, Optional[memoryview]]]:
    """Yield ``(offset after, type, len, databuf)`` for each option ``m.inet6_opt_next`` returns, until -1."""
    offset = 0
    while True:
        offset, kind, length, databuf = m.inet6_opt_next(extbuf, extlen, offset)
        if offset == -1:
            return
        yield offset, kind, length, databuf
