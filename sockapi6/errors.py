"""The exceptions sockapi6 raises, and the one bad-input contract of every public callable.

What a public callable raises for bad input (design: "Correctness rules",
rule 4; ``docs/errors.md`` has the same table with examples):

==============================================  ==========================================================
Input                                           Exception
==============================================  ==========================================================
not a socket (no ``fileno()`` / socket          ``TypeError``
methods: ``None``, a file), not bytes-like
where bytes go, any other wrong type
a number out of range: ports, flowinfo,         :class:`RangeError` -- a ``ValueError`` that is also an
scope ids, interface indexes, ``bufsize``,      ``OverflowError`` (code written for the standard library
``ancbufsize``, ``flags``, counts, indices,     catches it either way); its message and ``argument`` name
field values                                    the argument.  Other bad values (an address that does not
                                                parse, a wrong tuple length): ``ValueError``
bytes that do not parse (received data,         :class:`MalformedError` (a ``ValueError``), saying what is
``parse()`` / ``from_cmsg()`` input)            wrong and at which offset
an interface name that does not exist,          :class:`UnknownInterfaceError` everywhere (``to_ipv6``,
wherever one is accepted                        ``PacketInfo``, ``join_group``, ``SocketOptions``,
                                                ``if_nametoindex``, ...): an ``OSError`` with ``errno``
                                                ``ENODEV`` that is also a ``ValueError``
the kernel refuses (a system call fails)        ``OSError`` with the kernel's ``errno``;
                                                :class:`NotSupportedError` (an ``OSError``) where the OS,
                                                libc or kernel lacks the feature, naming the platform
a socket closed before or during the call       ``OSError(EBADF)``: a call that waits and retries reads
                                                ``fileno()`` again each time, as the standard library does
==============================================  ==========================================================

Nothing else escapes a public callable for bad input: no ``AttributeError``,
``IndexError``, ``KeyError``, ``struct.error``, bare ``OverflowError`` or
``UnicodeError`` (``tests/test_contract.py`` walks every public callable with
hostile arguments to hold this).

The C-port layer (``inet6_opt_*``, ``inet6_rth_*``, ``IN6_IS_ADDR_*``,
``ICMP6_FILTER_*``, ``CMSG_*``) keeps C's semantics: C's return codes
(-1, ``None`` for NULL, 0) for values C would take and refuse, and
``TypeError`` for what C could not even express (a ``str`` that is not an
address where ``in6_addr *`` goes, a read-only buffer where C writes, a
float where an ``int`` goes).  The raw binding (:data:`sockapi6.ffi`,
:data:`sockapi6.lib`) is C itself: ``lib.if_nametoindex(ffi.NULL)`` crashes
the process as it would in C; no contract applies there.
"""

from __future__ import annotations

import errno as _errno
import sys as _sys

TYPE_CHECKING = False  # no typing at run time: ``import sockapi6`` loads this module

if TYPE_CHECKING:
    from typing import Any

__all__ = ["Error", "MalformedError", "NotSupportedError", "RangeError", "UnknownInterfaceError",
           "UnscopedDestinationWarning"]

#: the platform :class:`NotSupportedError` names when not told: set by ``sockapi6._system.binding`` when
#: it loads (this module sits below it and imports nothing of the package)
DEFAULT_PLATFORM = ""


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
            platform = DEFAULT_PLATFORM or _sys.platform
        message = f"{what} is not supported on {platform}"
        if reason:
            message += f": {reason}"
        OSError.__init__(self, errno, message)
        self.what = what
        self.platform = platform

    def __str__(self) -> str:
        return str(self.strerror)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.errno, self.strerror, self.__dict__)


class MalformedError(Error, ValueError):
    """Bytes that do not parse: says what was wrong and, when known, where.

    ``offset`` is the byte offset of the problem within the input, or None.
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        if offset is not None:
            message = f"{message} (at offset {offset})"
        ValueError.__init__(self, message)
        self.offset = offset


class RangeError(Error, ValueError, OverflowError):
    """A number outside the range its argument takes (a port over 65535, a negative ``bufsize``, ...).

    Both a ``ValueError`` (as sockapi6 documents) and an ``OverflowError``
    (as the standard library raises for a port over 65535 or a huge
    ``bufsize``), so code written for either catches it.  ``argument``
    names the argument or field; the message also gives the value and the
    range.
    """

    def __init__(self, message: str, argument: str = "") -> None:
        ValueError.__init__(self, message)
        self.argument = argument

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (str(self), self.argument)


def out_of_range(argument: str, value: object, low: int, high: int) -> RangeError:
    """The :class:`RangeError` for ``value`` of ``argument`` outside ``low..high``."""
    return RangeError(f"{argument} {value!r} is out of range {low}..{high}", argument)


class UnknownInterfaceError(Error, OSError, ValueError):
    """An interface name (or index) that no interface has, wherever an interface is accepted.

    An ``OSError`` with ``errno`` ``ENODEV`` (``ENXIO`` for an unknown
    index, as ``if_indextoname`` reports), as ``if_nametoindex`` failures
    always were, and a ``ValueError``, as an unknown scope in an address
    text always was: code written for either catches it.  ``interface`` is
    the name or index looked up.
    """

    def __init__(self, interface: object, context: str = "", errno: int = _errno.ENODEV) -> None:
        import os

        what = "interface index" if isinstance(interface, int) else "interface"
        message = f"unknown {what} {interface!r}"
        if context:
            message += f" in {context}"
        message += f" ({os.strerror(errno)})"
        OSError.__init__(self, errno, message)
        self.interface = interface

    def __str__(self) -> str:
        return str(self.strerror)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.errno, self.strerror, self.__dict__)


class UnscopedDestinationWarning(UserWarning):
    """A datagram sent to a link-local (or interface-local) address with no interface given.

    Neither the destination's scope (``fe80::1%eth0``, ``sin6_scope_id``)
    nor a :class:`~sockapi6.ancillary.PacketInfo` interface, the socket's
    ``IPV6_MULTICAST_IF`` (for multicast) or its bound device says which link
    is meant: the kernel then picks an interface from its routing table
    without a word (RFC 4007 section 6 leaves that choice to the node), so
    the datagram may leave on another link than intended.
    """


def _rebuild(cls: type[OSError], errno: int, strerror: str, state: dict[str, Any]) -> OSError:
    """Unpickle an ``OSError`` subclass whose constructor takes other arguments than ``OSError``'s."""
    error = OSError.__new__(cls, errno, strerror)
    OSError.__init__(error, errno, strerror)
    error.__dict__.update(state)
    return error
