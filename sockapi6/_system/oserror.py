"""What a failed libc socket call raises (design rule 4), shared by sockopt and multicast.

One table says which ``errno`` values mean "this platform does not support
that" rather than "this call failed": those become
:class:`~sockapi6.errors.NotSupportedError` (still an ``OSError`` with the
kernel's ``errno``), everything else a plain ``OSError``.

Where a refusal has a known cause (a type 0 routing header on Linux, a
PacketInfo source address that is not the host's, ...), :func:`explain`
says it in the message: the causes and their wording are data, the
platform record's ``refusal_causes`` table (:mod:`sockapi6._system.platform`);
the callers (``sockopt``, ``messaging.sendmsg``) find which cause applies
and hand its key here.  The ``errno`` is always the kernel's.
"""

from __future__ import annotations

import errno as _errno
import os
from typing import TYPE_CHECKING

from ..errors import NotSupportedError

if TYPE_CHECKING:
    from collections.abc import Collection
    from typing import Optional

    from .platform import Refusal

__all__ = ["UNSUPPORTED", "call_error", "explain"]

#: errno values with which a kernel refuses an option or call it does not implement:
#: ENOPROTOOPT (unknown option at that level), EOPNOTSUPP / ENOTSUP (operation not supported
#: on this socket), ENOSYS (no such call); ENOTSUP equals EOPNOTSUPP on Linux but not everywhere
UNSUPPORTED: frozenset[int] = frozenset(
    getattr(_errno, name)
    for name in ("ENOPROTOOPT", "EOPNOTSUPP", "ENOTSUP", "ENOSYS")
    if hasattr(_errno, name)
)


def _cause(key: str, err: int) -> Optional[Refusal]:
    """The running platform's row for ``key``, if it comes with ``err``."""
    from .binding import RECORD

    row = RECORD.facts.refusal_causes.get(key)
    return row if row is not None and err in row.errnos else None


def explain(error: OSError, cause: Optional[str], call: str = "", **fields: object) -> OSError:
    """Return ``error`` with the known cause ``cause`` said in its message (``error`` itself if none).

    ``cause`` is a key of the platform record's ``refusal_causes``; the row
    applies only when ``error.errno`` is one it lists.  A row naming a
    missing feature gives a :class:`~sockapi6.errors.NotSupportedError`;
    any other an ``OSError`` (the errno's subclass) whose message reads
    ``"<strerror>: <call>: <reason>"``.  ``fields`` fill the reason's
    ``{name}`` slots.  The ``errno`` is the kernel's either way.
    """
    err = error.errno
    if cause is None or err is None:
        return error
    row = _cause(cause, err)
    if row is None:
        return error
    reason = row.reason.format(**fields)
    if row.what:
        return NotSupportedError(row.what, reason=reason, errno=err)
    text = os.strerror(err)
    if call:
        text += f": {call}"
    return OSError(err, f"{text}: {reason}")  # the errno's own OSError subclass, as the kernel's was


def call_error(err: int, call: str, what: str, *, unsupported: Collection[int] = (),
               note: str = "", cause: Optional[str] = None) -> OSError:
    """Return the exception for libc's ``call`` failing with ``err``.

    ``NotSupportedError(what)`` when ``err`` is in :data:`UNSUPPORTED` or in
    ``unsupported`` (per-call extras, e.g. Linux's EINVAL for IPV6_NEXTHOP),
    its reason naming the errno and ``note``; otherwise
    ``OSError(err, "<strerror>: <call>")``.  A ``cause`` (a key of the
    platform record's ``refusal_causes``, see :func:`explain`) whose row
    lists ``err`` says that cause instead.
    """
    if cause is not None and _cause(cause, err) is not None:
        return explain(OSError(err, os.strerror(err)), cause, call)
    if err in UNSUPPORTED or err in unsupported:
        reason = f"the kernel refused it ({_errno.errorcode.get(err, str(err))})"
        if note:
            reason += f"; {note}"
        return NotSupportedError(what, reason=reason, errno=err)
    return OSError(err, f"{os.strerror(err)}: {call}")
