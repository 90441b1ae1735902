"""What a failed libc socket call raises (design rule 4), shared by sockopt and multicast.

One table says which ``errno`` values mean "this platform does not support
that" rather than "this call failed": those become
:class:`~sockapi6.errors.NotSupportedError` (still an ``OSError`` with the
kernel's ``errno``), everything else a plain ``OSError``.
"""

from __future__ import annotations

import errno as _errno
import os
from typing import TYPE_CHECKING

from ..errors import NotSupportedError

if TYPE_CHECKING:
    from collections.abc import Collection

__all__ = ["UNSUPPORTED", "call_error"]

#: errno values with which a kernel refuses an option or call it does not implement:
#: ENOPROTOOPT (unknown option at that level), EOPNOTSUPP / ENOTSUP (operation not supported
#: on this socket), ENOSYS (no such call); ENOTSUP equals EOPNOTSUPP on Linux but not everywhere
UNSUPPORTED: frozenset[int] = frozenset(
    getattr(_errno, name)
    for name in ("ENOPROTOOPT", "EOPNOTSUPP", "ENOTSUP", "ENOSYS")
    if hasattr(_errno, name)
)


def call_error(err: int, call: str, what: str, *, unsupported: Collection[int] = (),
               note: str = "") -> OSError:
    """Return the exception for libc's ``call`` failing with ``err``.

    ``NotSupportedError(what)`` when ``err`` is in :data:`UNSUPPORTED` or in
    ``unsupported`` (per-call extras, e.g. Linux's EINVAL for IPV6_NEXTHOP),
    its reason naming the errno and ``note``; otherwise
    ``OSError(err, "<strerror>: <call>")``.
    """
    if err in UNSUPPORTED or err in unsupported:
        reason = f"the kernel refused it ({_errno.errorcode.get(err, str(err))})"
        if note:
            reason += f"; {note}"
        return NotSupportedError(what, reason=reason, errno=err)
    return OSError(err, f"{os.strerror(err)}: {call}")
