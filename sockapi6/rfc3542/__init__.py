"""The C-port layer of RFC 3542: ``inet6_opt_*`` (section 10) and ``inet6_rth_*`` (section 7).

Two implementations with one set of signatures:

* :mod:`sockapi6.rfc3542.libc` calls the running libc through cffi, behind
  guards that keep it inside the caller's buffer; it holds only what this
  libc exports (nothing on musl or Windows);
* :mod:`sockapi6.rfc3542.pure` follows the RFC's text and is complete
  everywhere.

The functions here dispatch per function and per case, decided once at
import from :func:`sockapi6.backend`: when it prefers libc, a function this
libc has serves every case it handles, and the pure code serves the rest.
Every libc handles routing header type 0 only, so type 2 (RFC 4584 section
5.1) always goes to the pure code: ``inet6_rth_space(2, 1) == 24`` under
either backend.  The case of ``inet6_rth_add``, ``segments``, ``getaddr``
and ``reverse`` is the type byte of the header passed in.

:data:`IMPLEMENTATIONS` maps ``"libc"`` and ``"python"`` to the two modules,
and :data:`SERVED_BY` says which one serves each function's main case
(type 0 for ``inet6_rth_*``), for tests and ``python -m sockapi6 info``.
Behaviour that differs between them is listed in
``docs/platform-differences.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._system.binding import backend as _backend
from . import libc, pure
from ._buffers import FUNCTIONS as _FUNCTIONS
from ._buffers import IPV6_RTHDR_TYPE_0 as _TYPE_0
from ._buffers import view as _view

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from types import ModuleType
    from typing import Any, Callable, Optional, Union

    from .._types import Buffer

__all__ = [
    "inet6_opt_init", "inet6_opt_append", "inet6_opt_finish", "inet6_opt_set_val",
    "inet6_opt_next", "inet6_opt_find", "inet6_opt_get_val",
    "inet6_rth_space", "inet6_rth_init", "inet6_rth_add", "inet6_rth_reverse",
    "inet6_rth_segments", "inet6_rth_getaddr",
    "IMPLEMENTATIONS", "SERVED_BY",
]

#: the two implementations by backend name (``libc`` may lack functions: test with ``hasattr``)
IMPLEMENTATIONS: dict[str, ModuleType] = {"libc": libc, "python": pure}

_PREFER_LIBC = _backend() == "libc"

#: function name -> ``"libc"`` or ``"python"``: who serves its main case in this process
SERVED_BY: dict[str, str] = {
    name: "libc" if _PREFER_LIBC and hasattr(libc, name) else "python"
    for name in _FUNCTIONS
}


def _main(name: str) -> Callable[..., Any]:
    impl: Callable[..., Any] = getattr(IMPLEMENTATIONS[SERVED_BY[name]], name)
    return impl


if TYPE_CHECKING:
    from .pure import (
        inet6_opt_append,
        inet6_opt_find,
        inet6_opt_finish,
        inet6_opt_get_val,
        inet6_opt_init,
        inet6_opt_next,
        inet6_opt_set_val,
    )
else:
    # section 10: every case goes to the same implementation
    inet6_opt_init = _main("inet6_opt_init")
    inet6_opt_append = _main("inet6_opt_append")
    inet6_opt_finish = _main("inet6_opt_finish")
    inet6_opt_set_val = _main("inet6_opt_set_val")
    inet6_opt_next = _main("inet6_opt_next")
    inet6_opt_find = _main("inet6_opt_find")
    inet6_opt_get_val = _main("inet6_opt_get_val")

# section 7: type 0 to the main implementation, every other type to the pure code
_space0 = _main("inet6_rth_space")
_init0 = _main("inet6_rth_init")
_add0 = _main("inet6_rth_add")
_reverse0 = _main("inet6_rth_reverse")
_segments0 = _main("inet6_rth_segments")
_getaddr0 = _main("inet6_rth_getaddr")


def _rth_type(bp: Any, what: str) -> int:
    """Return the routing header type byte in ``bp``, or -1 if it is too short to have one."""
    mv = _view(bp, what)
    return mv[2] if mv.nbytes > 2 else -1


def inet6_rth_space(type: int, segments: int) -> int:
    """Return the bytes a routing header needs (0 if unsupported); RFC 3542 section 7.1."""
    if type == _TYPE_0:
        return int(_space0(type, segments))
    return pure.inet6_rth_space(type, segments)


def inet6_rth_init(bp: Buffer, bp_len: int, type: int, segments: int) -> Optional[memoryview]:
    """Start a routing header in ``bp``; a view of it, or None; RFC 3542 section 7.2."""
    if type == _TYPE_0:
        result: Optional[memoryview] = _init0(bp, bp_len, type, segments)
        return result
    return pure.inet6_rth_init(bp, bp_len, type, segments)


def inet6_rth_add(bp: Buffer, addr: Union[IPv6Address, str, Buffer]) -> int:
    """Append ``addr`` to the routing header in ``bp``: 0, or -1; RFC 3542 section 7.3."""
    if _rth_type(bp, "bp") == _TYPE_0:
        return int(_add0(bp, addr))
    return pure.inet6_rth_add(bp, addr)


def inet6_rth_reverse(in_: Buffer, out: Buffer) -> int:
    """Write the reversed routing header ``in_`` into ``out``: 0, or -1; RFC 3542 section 7.4."""
    if _rth_type(in_, "in_") == _TYPE_0:
        return int(_reverse0(in_, out))
    return pure.inet6_rth_reverse(in_, out)


def inet6_rth_segments(bp: Buffer) -> int:
    """Return the number of addresses in the routing header ``bp``, or -1; RFC 3542 section 7.5."""
    if _rth_type(bp, "bp") == _TYPE_0:
        return int(_segments0(bp))
    return pure.inet6_rth_segments(bp)


def inet6_rth_getaddr(bp: Buffer, index: int) -> Optional[IPv6Address]:
    """Return address ``index`` of the routing header ``bp``, or None; RFC 3542 section 7.6."""
    if _rth_type(bp, "bp") == _TYPE_0:
        result: Optional[IPv6Address] = _getaddr0(bp, index)
        return result
    return pure.inet6_rth_getaddr(bp, index)


# With the pure code serving type 0 too, skip the dispatch step altogether.
globals().update({
    name: getattr(pure, name)
    for name in ("inet6_rth_space", "inet6_rth_init", "inet6_rth_add", "inet6_rth_reverse",
                 "inet6_rth_segments", "inet6_rth_getaddr")
    if SERVED_BY[name] == "python"
})
