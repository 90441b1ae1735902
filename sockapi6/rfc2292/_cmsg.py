"""The ``struct cmsghdr`` an RFC 2292 buffer starts with, in this OS's layout, and shared checks.

RFC 2292's functions keep their state in a control message: the header
(``cmsg_len``, ``cmsg_level``, ``cmsg_type``) then the extension header at
``CMSG_DATA``, i.e. :data:`HDR` = ``CMSG_LEN(0)`` bytes in.  The layout
(the width of ``cmsg_len``: ``size_t`` on glibc, 32 bits on musl and the
BSDs) comes from the declarations of this OS.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS, ffi
from ..ancillary._sizes import CMSG_LEN, CMSG_SPACE

if TYPE_CHECKING:
    from typing import Optional

__all__ = ["HDR", "CMSG_LEN", "CMSG_SPACE", "read_header", "write_header", "set_length", "IPPROTO_IPV6",
           "OPTION_TYPES", "IPV6_RTHDR", "INT_MAX", "INT_MIN", "FUNCTIONS"]

#: ``CMSG_LEN(0)``: where the data starts
HDR = CMSG_LEN(0)
_LEN_SIZE = ffi.offsetof("struct cmsghdr", "cmsg_level") - ffi.offsetof("struct cmsghdr", "cmsg_len")
_LEN = struct.Struct("=Q" if _LEN_SIZE == 8 else "=I")
_LEN_AT = ffi.offsetof("struct cmsghdr", "cmsg_len")
_LEVEL_AT = ffi.offsetof("struct cmsghdr", "cmsg_level")
_TYPE_AT = ffi.offsetof("struct cmsghdr", "cmsg_type")
_INT = struct.Struct("=i")

IPPROTO_IPV6 = CONSTANTS["IPPROTO_IPV6"]
#: the cmsg types RFC 2292 section 6.3.2 accepts: IPV6_HOPOPTS and IPV6_DSTOPTS (this OS's numbers),
#: and in the pure code also the RFC 2292 numbers Linux keeps (IPV6_2292HOPOPTS/DSTOPTS), which is
#: what RFC 2292 code such as pim6sd passes on Linux (platform-differences.md R8)
OPTION_TYPES = tuple(CONSTANTS[n] for n in ("IPV6_HOPOPTS", "IPV6_DSTOPTS", "IPV6_2292HOPOPTS",
                                            "IPV6_2292DSTOPTS") if n in CONSTANTS)
IPV6_RTHDR: Optional[int] = CONSTANTS.get("IPV6_RTHDR")
INT_MAX = 2 ** 31 - 1
INT_MIN = -(2 ** 31)

#: every RFC 2292 function, in the RFC's order (sections 6.3 and 8)
FUNCTIONS = (
    "inet6_option_space", "inet6_option_init", "inet6_option_append", "inet6_option_alloc",
    "inet6_option_next", "inet6_option_find",
    "inet6_rthdr_space", "inet6_rthdr_init", "inet6_rthdr_add", "inet6_rthdr_lasthop",
    "inet6_rthdr_reverse", "inet6_rthdr_segments", "inet6_rthdr_getaddr", "inet6_rthdr_getflags",
)


def read_header(mv: memoryview) -> Optional[tuple[int, int, int]]:
    """``(cmsg_len, cmsg_level, cmsg_type)`` of the buffer, or None if it cannot hold a header."""
    if mv.nbytes < HDR:
        return None
    return (_LEN.unpack_from(mv, _LEN_AT)[0], _INT.unpack_from(mv, _LEVEL_AT)[0],
            _INT.unpack_from(mv, _TYPE_AT)[0])


def write_header(mv: memoryview, length: int, level: int, type_: int) -> None:
    """Write the three header fields (the buffer holds at least :data:`HDR` bytes)."""
    _LEN.pack_into(mv, _LEN_AT, length)
    _INT.pack_into(mv, _LEVEL_AT, level)
    _INT.pack_into(mv, _TYPE_AT, type_)


def set_length(mv: memoryview, length: int) -> None:
    """Write ``cmsg_len``."""
    _LEN.pack_into(mv, _LEN_AT, length)
