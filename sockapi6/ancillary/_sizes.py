"""``CMSG_LEN`` / ``CMSG_SPACE`` for the running OS (RFC 3542 sections 20.2-20.3)."""

from __future__ import annotations

from .._system.binding import RECORD, ffi

__all__ = ["CMSG_LEN", "CMSG_SPACE"]

#: bytes to which this platform rounds a control message header and its data (the platform
#: record: the pointer size, but 4 on macOS even on 64-bit; reference/platform_abi.md section 4)
_ALIGN = RECORD.cmsg_align
_HDR: int = (ffi.sizeof("struct cmsghdr") + _ALIGN - 1) & ~(_ALIGN - 1)


def _check_length(length: int, what: str) -> int:
    if isinstance(length, bool) or not isinstance(length, int):
        raise TypeError(f"{what}() takes an int, got {type(length).__name__}")
    if not 0 <= length <= 0x7FFFFFFF - _HDR - _ALIGN:
        from ..errors import RangeError  # an OverflowError too, as the standard library's CMSG_LEN raises

        top = 0x7FFFFFFF - _HDR - _ALIGN
        raise RangeError(f"{what}() argument {length} is out of range 0..{top}", "length")
    return length


def CMSG_LEN(length: int) -> int:
    """Return ``cmsg_len`` for ``length`` bytes of data on this OS (RFC 3542 section 20.3)."""
    return _HDR + _check_length(length, "CMSG_LEN")


def CMSG_SPACE(length: int) -> int:
    """Return the buffer space one message with ``length`` bytes of data takes on this OS, padding
    included (RFC 3542 section 20.2)."""
    return _HDR + ((_check_length(length, "CMSG_SPACE") + _ALIGN - 1) & ~(_ALIGN - 1))
