"""libc's ``getsockopt``/``setsockopt`` for :mod:`sockapi6.sockopt`, and what their errors mean.

Both calls go through ``sockapi6.lib`` on the descriptor, so a result over
the standard library's 1024-byte limit (sticky headers up to 2048 bytes,
RFC 3542 section 4) comes back whole.  An option the kernel refuses as
unsupported becomes :class:`~sockapi6.errors.NotSupportedError` naming the
OS and, where known, why; any other failure an ``OSError`` with ``errno``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS, RECORD, ffi, last_error, lib
from .._system.descriptors import fileno
from .._system.oserror import call_error
from ..errors import NotSupportedError

if TYPE_CHECKING:
    from typing import Any, Optional

    from ._table import OptionSpec

#: per option: errno values besides ``_oserror.UNSUPPORTED`` meaning "unsupported" (the platform record's)
_REFUSALS: dict[str, tuple[int, ...]] = RECORD.facts.refused_options

#: RFC 3542 section 3.1: IPV6_CHECKSUM cannot be set at IPPROTO_IPV6 on an ICMPv6 socket; why (the record's)
_CHECKSUM_ON_ICMPV6 = RECORD.facts.checksum_on_icmpv6
_CHECKSUM_DEFAULT = ("the kernel always computes the ICMPv6 checksum itself, and RFC 3542 section 3.1 "
                     "forbids setting IPV6_CHECKSUM on ICMPv6 sockets")


def get(sock: Any, spec: OptionSpec) -> bytes:
    """``getsockopt`` ``spec`` on ``sock`` into a buffer of the codec's size; return what the kernel wrote."""
    size = spec.codec.size
    buf = ffi.new("char[]", size)
    length = ffi.new("socklen_t *", size)
    fd = fileno(sock)
    if lib.getsockopt(fd, spec.level, spec.number, buf, length) != 0:
        raise _error(sock, fd, spec, last_error(), "getsockopt")
    data: bytes = ffi.buffer(buf, min(length[0], size))[:]
    return data


def put(sock: Any, spec: OptionSpec, data: bytes) -> None:
    """``setsockopt`` ``spec`` on ``sock`` to ``data`` (empty: a NULL value of length 0)."""
    value = ffi.from_buffer(data) if data else ffi.NULL
    fd = fileno(sock)
    if lib.setsockopt(fd, spec.level, spec.number, value, len(data)) != 0:
        raise _error(sock, fd, spec, last_error(), "setsockopt", data)


def _protocol(sock: Any, fd: int) -> Optional[int]:
    """Return the socket's protocol number (``sock.proto``, or asked of the kernel through a dup)."""
    proto = getattr(sock, "proto", None)
    if isinstance(proto, int) and not isinstance(proto, bool):
        return proto
    import socket

    try:
        with socket.socket(fileno=os.dup(fd)) as probe:
            return probe.proto
    except OSError:
        return None


def _error(sock: Any, fd: int, spec: OptionSpec, err: int, call: str, data: bytes = b"") -> OSError:
    """The exception for ``call`` failing with ``err`` on ``spec`` (design rule 4), its known cause
    (a type 0 routing header, ...: the platform record's ``refusal_causes``) said."""
    what = f"{spec.option_name} ({spec.name})"
    if (call == "setsockopt" and spec.option_name == "IPV6_CHECKSUM" and spec.level_name == "IPPROTO_IPV6"
            and _protocol(sock, fd) == CONSTANTS["IPPROTO_ICMPV6"]):
        return NotSupportedError(what, reason=_CHECKSUM_ON_ICMPV6 or _CHECKSUM_DEFAULT, errno=err)
    if call == "getsockopt":
        what = f"reading {what}"
    cause = None
    if call == "setsockopt" and spec.level_name == "IPPROTO_IPV6":
        from ..ancillary._refusals import option_cause

        cause = option_cause(spec.option_name, data)
    return call_error(err, f"{call}({spec.level_name}, {spec.option_name})", what,
                      unsupported=_REFUSALS.get(spec.name, ()), note=spec.note,
                      cause=None if cause is None else cause[0])
