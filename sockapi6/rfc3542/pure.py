"""RFC 3542 sections 7 and 10 in pure Python, following the RFC's text.

The same 13 functions, names and argument order as the C API; C's
out-pointers become return values, C's NULL ``extbuf`` is ``None``, and
every data view returned is a ``memoryview`` slice of the caller's own
buffer.  Bad values give C's error values (-1, ``None``, 0); a wrong Python
type raises ``TypeError``.  This module is complete on every OS; where it
differs from a libc, ``docs/platform-differences.md`` says how.

Choices the RFC leaves open, made here:

* ``inet6_opt_append`` pads so that the **end** of the option is a multiple
  of ``align`` (section 10.2 with RFC 8200 appendix A: the largest field
  is last and ends aligned), as KAME and illumos do; glibc aligns the start
  of the data instead.
* ``inet6_opt_find`` never returns a Pad1 or PadN option, as
  ``inet6_opt_next`` does not (section 10.5/10.6).
* Routing header type 0 (RFC 3542 section 7) and type 2 (RFC 4584 section
  5.1: exactly one segment, 24 bytes; ``inet6_rth_reverse`` refuses it).
  A type 0 header whose length byte is odd, or whose segments-left byte
  exceeds its number of addresses, is malformed (RFC 8200 section 4.4).
* Type 4, the Segment Routing Header (RFC 8754), is **not** handled by
  ``inet6_rth_*``: its layout (Last Entry, Flags, Tag, TLVs; Segment List
  stored last segment first, Segments Left counting down from the end)
  does not fit ``inet6_rth_add``'s "append and increment segleft" model,
  and no libc handles it.  Every ``inet6_rth_*`` function answers type 4
  like any unsupported type (0, ``None`` or -1); use
  ``sockapi6.SegmentRoutingHeader`` for SRHs.
* Any length the caller claims (``extlen``, ``bp_len``, a header's length
  byte) that exceeds the real buffer makes the call fail with the error
  value; nothing is read or written outside the buffer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._buffers import (
    FIND_FAIL,
    FUNCTIONS,
    IN6_ADDR,
    INT_MAX,
    IPV6_RTHDR_TYPE_0,
    IPV6_RTHDR_TYPE_2,
    MAX_EXTLEN,
    MAX_OPTION_GROWTH,
    NEXT_FAIL,
    OPT_HEADER,
    RTH_HEADER,
    UINT32_MAX,
    address_bytes,
    as_int,
    view,
    writable_view,
)

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, Optional, Union

    from .._types import Buffer

__all__ = list(FUNCTIONS)

_PAD1 = 0
_PADN = 1
_ALIGNS = (1, 2, 4, 8)


def _pad(mv: memoryview, offset: int, n: int) -> None:
    """Write ``n`` bytes of padding at ``offset``: Pad1 for one, else PadN (RFC 8200 section 4.2)."""
    if n == 1:
        mv[offset] = _PAD1
    elif n > 1:
        mv[offset] = _PADN
        mv[offset + 1] = n - 2
        mv[offset + 2:offset + n] = bytes(n - 2)


# ---------------------------------------------------------------- section 10


def inet6_opt_init(extbuf: Optional[Buffer], extlen: int) -> int:
    """Return the length of an empty options header (2); RFC 3542 section 10.1.

    With a buffer, also set its length byte for ``extlen`` bytes; -1 when
    ``extlen`` is not a positive multiple of 8, exceeds 2048 (what the
    length byte can describe) or exceeds the buffer.  ``extbuf=None`` only
    computes the length.
    """
    extlen = as_int(extlen, "extlen")
    mv = None if extbuf is None else writable_view(extbuf, "extbuf")
    if not 0 <= extlen <= UINT32_MAX:
        return -1
    if mv is None:
        return OPT_HEADER
    if extlen == 0 or extlen % 8 or extlen > MAX_EXTLEN or extlen > len(mv):
        return -1
    mv[1] = extlen // 8 - 1
    return OPT_HEADER


def inet6_opt_append(extbuf: Optional[Buffer], extlen: int, offset: int, type: int, len: int,
                     align: int) -> tuple[int, Optional[memoryview]]:
    """Add an option of ``len`` data bytes; RFC 3542 section 10.2.

    Returns ``(new offset, databuf)``, ``databuf`` being the option's data
    in ``extbuf`` (``None`` when ``extbuf`` is ``None``), or ``(-1, None)``.
    Padding goes before the option so that its end is a multiple of
    ``align``.  ``type`` must be 2..255, ``len`` 0..255, ``align`` 1, 2, 4
    or 8 and not above ``len``, ``offset`` at least 2.
    """
    extlen = as_int(extlen, "extlen")
    offset = as_int(offset, "offset")
    type = as_int(type, "type")
    len_ = as_int(len, "len")
    align = as_int(align, "align")
    mv = None if extbuf is None else writable_view(extbuf, "extbuf")
    if (not 0 <= extlen <= UINT32_MAX or not 2 <= type <= 255 or not 0 <= len_ <= 255
            or align not in _ALIGNS or align > len_
            or not OPT_HEADER <= offset <= INT_MAX - MAX_OPTION_GROWTH):
        return -1, None
    npad = -(offset + OPT_HEADER + len_) % align
    end = offset + npad + OPT_HEADER + len_
    if mv is None:
        return end, None
    if extlen > mv.nbytes or end > extlen:
        return -1, None
    _pad(mv, offset, npad)
    mv[offset + npad] = type
    mv[offset + npad + 1] = len_
    return end, mv[end - len_:end]


def inet6_opt_finish(extbuf: Optional[Buffer], extlen: int, offset: int) -> int:
    """Pad the header to a multiple of 8 bytes; RFC 3542 section 10.3.

    Returns the final length, or -1 when the padding does not fit within
    ``extlen`` (or the buffer) or ``offset`` is below 2.
    """
    extlen = as_int(extlen, "extlen")
    offset = as_int(offset, "offset")
    mv = None if extbuf is None else writable_view(extbuf, "extbuf")
    if not 0 <= extlen <= UINT32_MAX or not OPT_HEADER <= offset <= INT_MAX - 7:
        return -1
    end = offset + (-offset % 8)
    if mv is None:
        return end
    if extlen > mv.nbytes or end > extlen:
        return -1
    _pad(mv, offset, end - offset)
    return end


def inet6_opt_set_val(databuf: Buffer, offset: int, val: Buffer) -> int:
    """Copy the bytes of ``val`` into ``databuf`` at ``offset``; RFC 3542 section 10.4.

    Returns ``offset + len(val)``, or -1 when that would leave ``databuf``
    (the view ``inet6_opt_append`` returned bounds the option's data) or
    exceed ``INT_MAX`` (the result is a C ``int``).
    """
    mv = writable_view(databuf, "databuf")
    offset = as_int(offset, "offset")
    data = view(val, "val")
    end = offset + data.nbytes
    if offset < 0 or end > min(mv.nbytes, INT_MAX):
        return -1
    mv[offset:end] = data
    return end


def _scan(extbuf: Any, extlen: int, offset: int, want: int) -> tuple[int, int, int, Optional[memoryview]]:
    """Walk the options from ``offset``; return the first non-pad one (of type ``want`` if >= 0).

    ``extlen`` is a C ``socklen_t`` and ``offset`` an ``int``: values beyond
    them fail, and since the offset returned is an ``int`` the walk stops at
    ``INT_MAX`` (as the libc backend's guard does).
    """
    mv = view(extbuf, "extbuf")
    if extlen < 0 or extlen > min(mv.nbytes, UINT32_MAX) or offset > INT_MAX:
        return NEXT_FAIL
    extlen = min(extlen, INT_MAX)
    if offset == 0:
        offset = OPT_HEADER
    elif offset < OPT_HEADER:
        return NEXT_FAIL
    while offset < extlen:
        kind = mv[offset]
        if kind == _PAD1:
            offset += 1
            continue
        if offset + OPT_HEADER > extlen:
            return NEXT_FAIL
        n = mv[offset + 1]
        end = offset + OPT_HEADER + n
        if end > extlen:
            return NEXT_FAIL
        if kind != _PADN and (want < 0 or kind == want):
            return end, kind, n, mv[end - n:end]
        offset = end
    return NEXT_FAIL


def inet6_opt_next(extbuf: Buffer, extlen: int, offset: int) -> tuple[int, int, int, Optional[memoryview]]:
    """Return the next option after ``offset``; RFC 3542 section 10.5.

    Returns ``(new offset, type, len, databuf)`` or ``(-1, 0, 0, None)`` at
    the end or on a malformed header.  ``offset`` 0 means the first option.
    Pad1 and PadN are skipped.
    """
    extlen = as_int(extlen, "extlen")
    offset = as_int(offset, "offset")
    return _scan(extbuf, extlen, offset, -1)


def inet6_opt_find(extbuf: Buffer, extlen: int, offset: int, type: int
                   ) -> tuple[int, int, Optional[memoryview]]:
    """Return the next option of ``type`` after ``offset``; RFC 3542 section 10.6.

    Returns ``(new offset, len, databuf)`` or ``(-1, 0, None)``.  Padding
    options are never found, as ``inet6_opt_next`` never returns them.
    """
    extlen = as_int(extlen, "extlen")
    offset = as_int(offset, "offset")
    type = as_int(type, "type")
    if not 0 <= type <= 255:
        view(extbuf, "extbuf")
        return FIND_FAIL
    end, _kind, n, data = _scan(extbuf, extlen, offset, type)
    return end, n, data


def inet6_opt_get_val(databuf: Buffer, offset: int, vallen: int) -> tuple[int, bytes]:
    """Return ``(offset + vallen, the vallen bytes at offset)``; RFC 3542 section 10.7.

    ``(-1, b"")`` when the bytes are not all inside ``databuf`` or the end
    exceeds ``INT_MAX`` (the result is a C ``int``).
    """
    mv = view(databuf, "databuf")
    offset = as_int(offset, "offset")
    vallen = as_int(vallen, "vallen")
    end = offset + vallen
    if offset < 0 or vallen < 0 or end > min(mv.nbytes, INT_MAX):
        return -1, b""
    return end, mv[offset:end].tobytes()


# ----------------------------------------------------------------- section 7


def _capacity(mv: memoryview) -> int:
    """Return how many addresses the type 0/2 header in ``mv`` holds, or -1 if malformed.

    The header must lie inside the buffer (``(ip6r_len + 1) * 8`` bytes),
    a type 0 header must have an even length byte, a type 2 header length
    byte 2 (RFC 6275 section 6.4), and segments left must not exceed the
    number of addresses (RFC 8200 section 4.4).
    """
    if mv.nbytes < RTH_HEADER:
        return -1
    hlen = mv[1]
    kind = mv[2]
    if (hlen + 1) * 8 > mv.nbytes:
        return -1
    if kind == IPV6_RTHDR_TYPE_0 and not hlen % 2:
        segments = hlen // 2
    elif kind == IPV6_RTHDR_TYPE_2 and hlen == 2:
        segments = 1
    else:
        return -1
    if mv[3] > segments:
        return -1
    return segments


def inet6_rth_space(type: int, segments: int) -> int:
    """Return the bytes a routing header needs; RFC 3542 section 7.1, RFC 4584 section 5.1.

    Type 0 with 0..127 segments, type 2 with exactly 1; else 0.
    """
    type = as_int(type, "type")
    segments = as_int(segments, "segments")
    if type == IPV6_RTHDR_TYPE_0 and 0 <= segments <= 127:
        return RTH_HEADER + IN6_ADDR * segments
    if type == IPV6_RTHDR_TYPE_2 and segments == 1:
        return RTH_HEADER + IN6_ADDR
    return 0


def inet6_rth_init(bp: Buffer, bp_len: int, type: int, segments: int) -> Optional[memoryview]:
    """Start an empty routing header in ``bp``; RFC 3542 section 7.2.

    Zeroes the header's ``inet6_rth_space(type, segments)`` bytes, sets the
    type and length bytes (segments left 0) and returns a view of those
    bytes in ``bp``; ``None`` when the type or count is unsupported or the
    header does not fit in ``bp_len`` or the buffer.
    """
    mv = writable_view(bp, "bp")
    bp_len = as_int(bp_len, "bp_len")
    space = inet6_rth_space(type, segments)
    if not space or bp_len < space or bp_len > min(mv.nbytes, UINT32_MAX):
        return None
    mv[:space] = bytes(space)
    mv[1] = (space - RTH_HEADER) // 8
    mv[2] = type
    return mv[:space]


def inet6_rth_add(bp: Buffer, addr: Union[IPv6Address, str, Buffer]) -> int:
    """Append ``addr`` to the routing header in ``bp``; RFC 3542 section 7.3.

    Writes it at the slot segments-left points to and increments segments
    left; 0 on success, -1 when the header is full or malformed.
    """
    mv = writable_view(bp, "bp")
    packed = address_bytes(addr)
    capacity = _capacity(mv)
    if capacity < 0 or mv[3] >= capacity:
        return -1
    segleft = mv[3]
    start = RTH_HEADER + IN6_ADDR * segleft
    mv[start:start + IN6_ADDR] = packed
    mv[3] = segleft + 1
    return 0


def inet6_rth_reverse(in_: Buffer, out: Buffer) -> int:
    """Write the reverse of routing header ``in_`` into ``out``; RFC 3542 section 7.4.

    ``in_`` and ``out`` may be the same buffer.  The next header and
    reserved bytes are copied, the addresses reversed, segments left set to
    the number of addresses.  Type 0 only: -1 for type 2 (RFC 4584 section
    5.1: a type 2 header cannot be reversed), a malformed header, or an
    ``out`` smaller than the header.
    """
    src = view(in_, "in_")
    dst = writable_view(out, "out")
    segments = _capacity(src)
    if segments < 0 or src[2] != IPV6_RTHDR_TYPE_0:
        return -1
    size = RTH_HEADER + IN6_ADDR * segments
    if dst.nbytes < size:
        return -1
    header = src[:RTH_HEADER].tobytes()
    addresses = src[RTH_HEADER:size].tobytes()
    dst[:RTH_HEADER] = header
    dst[3] = segments
    for i in range(segments):
        start = RTH_HEADER + IN6_ADDR * i
        source = IN6_ADDR * (segments - 1 - i)
        dst[start:start + IN6_ADDR] = addresses[source:source + IN6_ADDR]
    return 0


def inet6_rth_segments(bp: Buffer) -> int:
    """Return the number of addresses in the routing header ``bp``; RFC 3542 section 7.5.

    -1 when the header is malformed, an unsupported type, or longer than
    the buffer (the API has no length argument: the buffer's is used).
    """
    return _capacity(view(bp, "bp"))


def inet6_rth_getaddr(bp: Buffer, index: int) -> Optional[IPv6Address]:
    """Return address number ``index`` of the routing header ``bp``; RFC 3542 section 7.6.

    ``None`` when ``index`` is not in ``0 .. inet6_rth_segments(bp) - 1``.
    """
    mv = view(bp, "bp")
    index = as_int(index, "index")
    if not 0 <= index < _capacity(mv):
        return None
    from ipaddress import IPv6Address

    start = RTH_HEADER + IN6_ADDR * index
    return IPv6Address(mv[start:start + IN6_ADDR].tobytes())
