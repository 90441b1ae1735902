"""The exceptions sockapi6 raises (design: "Correctness rules", rule 4).

The C-port layer (``inet6_opt_*``, ``inet6_rth_*``) keeps C's return codes
and raises only ``TypeError``.  The Pythonic layer raises:

* :class:`MalformedError` (a ``ValueError``) for bytes that do not parse,
  naming what is wrong and at which offset;
* :class:`NotSupportedError` (an ``OSError``) for a feature the running OS,
  libc or kernel lacks, naming the platform;
* plain ``TypeError`` / ``ValueError`` for wrong argument types and values
  out of range, and ``OSError`` with ``errno`` for system call failures.
"""

from __future__ import annotations

import errno as _errno

__all__ = ["Error", "MalformedError", "NotSupportedError"]


class Error(Exception):
    """Base class of every exception defined by sockapi6."""


class NotSupportedError(Error, OSError):
    """A socket option, function or feature the running platform lacks.

    ``errno`` is ``ENOPROTOOPT`` unless the kernel reported another one.
    The message names the platform, e.g. ``IPV6_NEXTHOP is not supported
    on linux (glibc): the kernel refused it``.
    """

    def __init__(self, what: str, platform: str | None = None, reason: str = "",
                 errno: int = _errno.ENOPROTOOPT) -> None:
        if platform is None:
            from ._binding import PLATFORM_DESCRIPTION

            platform = PLATFORM_DESCRIPTION
        message = f"{what} is not supported on {platform}"
        if reason:
            message += f": {reason}"
        OSError.__init__(self, errno, message)
        self.what = what
        self.platform = platform

    def __str__(self) -> str:
        return str(self.strerror)


class MalformedError(Error, ValueError):
    """Bytes that do not parse: says what was wrong and, when known, where.

    ``offset`` is the byte offset of the problem within the input, or None.
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        if offset is not None:
            message = f"{message} (at offset {offset})"
        ValueError.__init__(self, message)
        self.offset = offset
