"""RFC 2292 sections 6.3 and 8 in pure Python, following the RFC's text and KAME.

The same 14 functions and argument order as C; C's out-pointers become
return values, pointers into the caller's buffer become offsets from the
start of that buffer (where the ``cmsghdr`` is) or ``memoryview`` slices of
it, C's NULL is ``None``.  Bad values give C's error values (-1, ``None``,
0); a wrong Python type raises ``TypeError``.  No call reads or writes
outside the caller's buffer: a buffer too small for what C would write
makes the call fail with the error value, leaving the buffer as it was.

* ``inet6_option_space(nbytes)`` counts the ``cmsghdr``, the two bytes of
  the extension header and padding to 8 (section 6.3.1).
* ``inet6_option_append``/``alloc`` place the option at the first offset
  ``x*n + y`` (section 6.3.3), with the least padding (KAME; glibc may pad
  a whole ``multx`` more), and pad the header to a multiple of 8.
  ``alloc`` reserves ``datalen`` bytes, the option's type and length bytes
  included, as every implementation does.
* ``inet6_option_next``/``find`` return ``(0, offset)`` for an option,
  ``(-1, None)`` when none is left (section 6.3.5: ``*tptrp`` is NULL) and
  ``(-1, offset)`` for an error (a malformed option at ``offset``).
* Section 8: type 0 only, 1 to 23 addresses.  RFC 8200 has no
  Strict/Loose bit map any more (the field is reserved), so, as in KAME,
  ``IPV6_RTHDR_STRICT`` is refused (-1) and ``getflags`` reports
  ``IPV6_RTHDR_LOOSE``.  ``inet6_rthdr_space`` counts the ``cmsghdr``
  (KAME's documented behaviour); ``inet6_rthdr_reverse`` reverses the
  addresses as section 8.5 says (KAME's returns -1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS
from ..rfc3542._buffers import address_bytes, as_int, view, writable_view
from ._cmsg import (
    CMSG_LEN,
    CMSG_SPACE,
    FUNCTIONS,
    HDR,
    INT_MAX,
    IPPROTO_IPV6,
    IPV6_RTHDR,
    OPTION_TYPES,
    read_header,
    set_length,
    write_header,
)

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, Optional

__all__ = list(FUNCTIONS)

_LOOSE = CONSTANTS.get("IPV6_RTHDR_LOOSE", 0)
_TYPE_0 = 0
_MAX_SEGMENTS = 23
_RTH0 = 8                      # fixed part of a type 0 routing header
_EXT = 2                       # next header and length bytes of an options header


# ---------------------------------------------------------------- section 6.3


def inet6_option_space(nbytes: int) -> int:
    """Bytes of ancillary data one option of ``nbytes`` needs, ``cmsghdr`` included (6.3.1); -1 if bad."""
    nbytes = as_int(nbytes, "nbytes")
    if not 0 <= nbytes <= INT_MAX - 64:
        return -1
    return CMSG_SPACE((nbytes + _EXT + 7) & ~7)


def inet6_option_init(bp: Any, type: int) -> tuple[int, Optional[memoryview]]:
    """Start a ``type`` (IPV6_HOPOPTS / IPV6_DSTOPTS) object in ``bp`` (6.3.2): (0, cmsg) or (-1, None)."""
    mv = writable_view(bp, "bp")
    type = as_int(type, "type")
    if type not in OPTION_TYPES or mv.nbytes < HDR:
        return -1, None
    write_header(mv, HDR, IPPROTO_IPV6, type)
    return 0, mv


def _pad(mv: memoryview, at: int, n: int) -> None:
    """Write ``n`` bytes of padding at ``at``: Pad1, or PadN (RFC 8200 section 4.2)."""
    if n == 1:
        mv[at] = 0
    elif n > 1:
        mv[at] = 1
        mv[at + 1] = n - 2
        mv[at + 2:at + n] = bytes(n - 2)


def _alloc(mv: memoryview, datalen: int, multx: int, plusy: int) -> int:
    """Reserve ``datalen`` bytes for an option (6.3.3-6.3.4); the offset of its first byte, or -1."""
    if multx not in (1, 2, 4, 8) or not 0 <= plusy <= 7 or not 0 <= datalen <= 2048:
        return -1
    header = read_header(mv)
    if header is None or not HDR <= header[0] <= mv.nbytes:
        return -1
    used = header[0] - HDR or _EXT                     # the first option also creates the 2 header bytes
    before = ((-used) % multx + plusy) % multx
    start = used + before
    end = start + datalen
    after = (-end) % 8
    total = end + after
    if total > 2048 or HDR + total > mv.nbytes:
        return -1
    _pad(mv, HDR + used, before)
    _pad(mv, HDR + end, after)
    mv[HDR + 1] = total // 8 - 1
    set_length(mv, HDR + total)
    return HDR + start


def inet6_option_append(cmsg: Any, typep: Any, multx: int, plusy: int) -> int:
    """Copy the option ``typep`` (type, length, data) into ``cmsg`` (6.3.3): 0, or -1."""
    mv = writable_view(cmsg, "cmsg")
    option = view(typep, "typep")
    multx, plusy = as_int(multx, "multx"), as_int(plusy, "plusy")
    if option.nbytes < 1:
        return -1
    size = 1 if option[0] == 0 else (option[1] + 2 if option.nbytes >= 2 else -1)
    if size < 0 or option.nbytes < size:
        return -1
    at = _alloc(mv, size, multx, plusy)
    if at < 0:
        return -1
    mv[at:at + size] = option[:size]
    return 0


def inet6_option_alloc(cmsg: Any, datalen: int, multx: int, plusy: int) -> Optional[memoryview]:
    """Reserve ``datalen`` bytes for an option in ``cmsg`` (6.3.4): a view of them, or None."""
    mv = writable_view(cmsg, "cmsg")
    datalen = as_int(datalen, "datalen")
    at = _alloc(mv, datalen, as_int(multx, "multx"), as_int(plusy, "plusy"))
    return None if at < 0 else mv[at:at + datalen]


def _options_end(mv: memoryview) -> int:
    """Where the options header of an option object ends (an offset in the buffer), or -1."""
    header = read_header(mv)
    if header is None:
        return -1
    length, level, type_ = header
    if level != IPPROTO_IPV6 or type_ not in OPTION_TYPES:
        return -1
    if length < HDR + _EXT or length > mv.nbytes:
        return -1
    end = HDR + (mv[HDR + 1] + 1) * 8
    return end if end <= length else -1


def _option_end(mv: memoryview, at: int, end: int) -> int:
    """The offset after the option at ``at``, or -1 if it does not fit before ``end``."""
    if at >= end:
        return -1
    if mv[at] == 0:
        return at + 1
    if at + 2 > end or at + 2 + mv[at + 1] > end:
        return -1
    return at + 2 + mv[at + 1]


def _start(mv: memoryview, tptr: Optional[int], end: int) -> Optional[int]:
    """Where the scan begins: the first option, or the one after ``tptr``; None for a bad ``tptr``."""
    if tptr is None:
        return HDR + _EXT
    tptr = as_int(tptr, "tptr")
    if not HDR + _EXT <= tptr < end:
        return None
    after = _option_end(mv, tptr, end)
    return None if after < 0 else after


def inet6_option_next(cmsg: Any, tptr: Optional[int]) -> tuple[int, Optional[int]]:
    """The option after ``tptr`` (None: the first) (6.3.5): ``(0, offset)``, ``(-1, None)`` at the end."""
    mv = view(cmsg, "cmsg")
    end = _options_end(mv)
    if end < 0:
        return -1, tptr
    start = _start(mv, tptr, end)
    if start is None:
        return -1, tptr
    if start >= end:
        return -1, None
    if _option_end(mv, start, end) < 0:
        return -1, start
    return 0, start


def inet6_option_find(cmsg: Any, tptr: Optional[int], type: int) -> tuple[int, Optional[int]]:
    """The next option of ``type`` after ``tptr`` (6.3.6): ``(0, offset)``, ``(-1, None)`` if none."""
    mv = view(cmsg, "cmsg")
    type = as_int(type, "type")
    end = _options_end(mv)
    if end < 0:
        return -1, tptr
    at = _start(mv, tptr, end)
    if at is None:
        return -1, tptr
    while at < end:
        after = _option_end(mv, at, end)
        if after < 0:
            return -1, at
        if mv[at] == type:
            return 0, at
        at = after
    return -1, None


# ------------------------------------------------------------------ section 8


def inet6_rthdr_space(type: int, segments: int) -> int:
    """Bytes of ancillary data a routing header needs, ``cmsghdr`` included (8.1); 0 if unsupported."""
    type, segments = as_int(type, "type"), as_int(segments, "segments")
    if type != _TYPE_0 or not 1 <= segments <= _MAX_SEGMENTS:
        return 0
    return CMSG_SPACE(_RTH0 + 16 * segments)


def inet6_rthdr_init(bp: Any, type: int) -> Optional[memoryview]:
    """Start a type ``type`` routing header object in ``bp`` (8.2): a view of the cmsghdr, or None."""
    mv = writable_view(bp, "bp")
    type = as_int(type, "type")
    if type != _TYPE_0 or IPV6_RTHDR is None or mv.nbytes < CMSG_LEN(_RTH0):
        return None
    write_header(mv, CMSG_LEN(_RTH0), IPPROTO_IPV6, IPV6_RTHDR)
    mv[HDR:HDR + _RTH0] = bytes(_RTH0)
    mv[HDR + 2] = _TYPE_0
    return mv


def _rthdr(mv: memoryview) -> int:
    """The number of addresses of the type 0 routing header in ``mv``, or -1 if it is not one."""
    header = read_header(mv)
    if header is None or mv.nbytes < HDR + _RTH0:
        return -1
    length, level, type_ = header
    if level != IPPROTO_IPV6 or type_ != IPV6_RTHDR or mv[HDR + 2] != _TYPE_0:
        return -1
    hdrlen = mv[HDR + 1]
    if hdrlen % 2 or hdrlen > 2 * _MAX_SEGMENTS or not CMSG_LEN((hdrlen + 1) * 8) <= length <= mv.nbytes:
        return -1
    return hdrlen // 2


def inet6_rthdr_add(cmsg: Any, addr: Any, flags: int) -> int:
    """Append ``addr`` as the next hop (8.3): 0, or -1 (STRICT, 23 addresses, no room)."""
    mv = writable_view(cmsg, "cmsg")
    packed = address_bytes(addr)
    flags = as_int(flags, "flags")
    count = _rthdr(mv)
    if count < 0 or flags != _LOOSE or count >= _MAX_SEGMENTS or mv[HDR + 3] >= _MAX_SEGMENTS:
        return -1
    at = HDR + _RTH0 + 16 * count
    if at + 16 > mv.nbytes:
        return -1
    mv[at:at + 16] = packed
    mv[HDR + 1] += 2
    mv[HDR + 3] += 1
    set_length(mv, CMSG_LEN(_RTH0 + 16 * (count + 1)))
    return 0


def inet6_rthdr_lasthop(cmsg: Any, flags: int) -> int:
    """Set the flag of the final hop (8.4): 0 for IPV6_RTHDR_LOOSE, -1 otherwise."""
    mv = view(cmsg, "cmsg")
    flags = as_int(flags, "flags")
    if _rthdr(mv) < 0 or flags != _LOOSE:
        return -1
    return 0


def inet6_rthdr_reverse(in_: Any, out: Any) -> int:
    """Write the reverse of the routing header ``in_`` into ``out`` (8.5; in place allowed): 0, or -1."""
    src = view(in_, "in_")
    dst = writable_view(out, "out")
    count = _rthdr(src)
    if count < 0:
        return -1
    size = CMSG_LEN(_RTH0 + 16 * count)
    if dst.nbytes < size:
        return -1
    copy = bytes(src[:size])
    addresses = [copy[HDR + _RTH0 + 16 * i:HDR + _RTH0 + 16 * (i + 1)] for i in range(count)]
    dst[:HDR + _RTH0] = copy[:HDR + _RTH0]
    for i, packed in enumerate(reversed(addresses)):
        dst[HDR + _RTH0 + 16 * i:HDR + _RTH0 + 16 * (i + 1)] = packed
    dst[HDR + 3] = count
    set_length(dst, size)
    return 0


def inet6_rthdr_segments(cmsg: Any) -> int:
    """The number of addresses in the routing header (8.6), or -1."""
    return _rthdr(view(cmsg, "cmsg"))


def inet6_rthdr_getaddr(cmsg: Any, index: int) -> Optional[IPv6Address]:
    """Address ``index`` (1 to segments) of the routing header (8.7), or None."""
    mv = view(cmsg, "cmsg")
    index = as_int(index, "index")
    count = _rthdr(mv)
    if not 1 <= index <= count:
        return None
    from ipaddress import IPv6Address

    at = HDR + _RTH0 + 16 * (index - 1)
    return IPv6Address(bytes(mv[at:at + 16]))


def inet6_rthdr_getflags(cmsg: Any, index: int) -> int:
    """The Strict/Loose flag of hop ``index`` (0 to segments) (8.8): IPV6_RTHDR_LOOSE, or -1."""
    mv = view(cmsg, "cmsg")
    index = as_int(index, "index")
    count = _rthdr(mv)
    if count < 0 or not 0 <= index <= count:
        return -1
    return _LOOSE
