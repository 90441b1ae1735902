"""RFC 2292, the first advanced sockets API: ``inet6_option_*`` (6.3) and ``inet6_rthdr_*`` (8).

Old C code still calls these (pim6sd, older radvd), and musl lacks them,
which breaks those builds.  Both kinds work on a control message: the
buffer starts with a ``struct cmsghdr`` in this OS's layout, and is what
goes to ``sendmsg`` as ancillary data (``msg_control``).

Two implementations with one set of signatures, as for RFC 3542:

* :mod:`sockapi6.rfc2292.libc`: the running libc, behind guards that keep it
  inside the caller's buffer; glibc exports ``inet6_option_*`` only;
* :mod:`sockapi6.rfc2292.pure`: the RFC's text and KAME's behaviour, all
  14 functions, everywhere.

The functions here prefer libc where :func:`sockapi6.backend` does and libc
has the function; :data:`SERVED_BY` says who serves each.  C's
out-pointers are return values: ``inet6_option_init(bp, type) -> (rc,
cmsg)``; ``*tptrp`` is an offset from the start of the buffer, or None
for NULL: ``inet6_option_next(cmsg, tptr) -> (rc, tptr)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._system.binding import backend as _backend
from . import libc, pure
from ._cmsg import FUNCTIONS as _FUNCTIONS

if TYPE_CHECKING:
    from types import ModuleType

__all__ = [
    "inet6_option_space", "inet6_option_init", "inet6_option_append", "inet6_option_alloc",
    "inet6_option_next", "inet6_option_find",
    "inet6_rthdr_space", "inet6_rthdr_init", "inet6_rthdr_add", "inet6_rthdr_lasthop",
    "inet6_rthdr_reverse", "inet6_rthdr_segments", "inet6_rthdr_getaddr", "inet6_rthdr_getflags",
    "IMPLEMENTATIONS", "SERVED_BY",
]

#: the two implementations by backend name (``libc`` may lack functions: test with ``hasattr``)
IMPLEMENTATIONS: dict[str, ModuleType] = {"libc": libc, "python": pure}

_PREFER_LIBC = _backend() == "libc"

#: function name -> ``"libc"`` or ``"python"``: who serves it in this process
SERVED_BY: dict[str, str] = {
    name: "libc" if _PREFER_LIBC and hasattr(libc, name) else "python" for name in _FUNCTIONS
}

if TYPE_CHECKING:
    from .pure import (
        inet6_option_alloc,
        inet6_option_append,
        inet6_option_find,
        inet6_option_init,
        inet6_option_next,
        inet6_option_space,
        inet6_rthdr_add,
        inet6_rthdr_getaddr,
        inet6_rthdr_getflags,
        inet6_rthdr_init,
        inet6_rthdr_lasthop,
        inet6_rthdr_reverse,
        inet6_rthdr_segments,
        inet6_rthdr_space,
    )
else:
    globals().update({name: getattr(IMPLEMENTATIONS[SERVED_BY[name]], name) for name in _FUNCTIONS})
