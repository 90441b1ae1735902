"""RFC 3542 sections 7 and 10 through the running libc, behind guards.

The same 13 functions and signatures as :mod:`sockapi6.rfc3542.pure`, each
calling the libc function of the same name through ``sockapi6._system.binding.lib``
(cffi, ABI mode).  Only the functions this libc exports exist here: on
musl or Windows the module has none of them (test with ``hasattr``).
Results are libc's own, so this module behaves like the platform's C code
(design rule 2), including its deviations from the RFC; those are listed in
``docs/platform-differences.md``.

Before every call the arguments are checked against the real Python buffer
(design rule 3), so that no libc can read or write outside it:

* every length a caller claims (``extlen``, ``bp_len``) must fit in the
  buffer, offsets must lie in ``[2, extlen]``, and Python ints must fit the
  C parameter's type (``int``, ``socklen_t``), as must an ``int`` result
  (``inet6_opt_get_val``/``set_val``); otherwise the C error value is
  returned unasked;
* ``inet6_opt_next``/``find`` scan at most ``INT_MAX`` bytes: past that
  glibc's ``int`` offset wraps negative and it reads 2 GiB before the buffer;
* ``inet6_rth_add`` / ``segments`` / ``getaddr`` / ``reverse`` take the
  header's size from its length byte (the API passes no length): it must
  satisfy ``(ip6r_len + 1) * 8 <= len(buffer)``, and ``reverse`` needs
  as much room in ``out``;
* the known out-of-bounds bugs of ``platform_abi.md`` section 6 are made
  unreachable: glibc ``inet6_opt_append`` with a negative offset (refused),
  glibc/NetBSD/OpenBSD ``inet6_rth_add`` with segments-left at or above the
  capacity (refused), glibc ``inet6_opt_next``/``find`` reading the length
  byte one past ``extlen`` (libc then gets a copy with a spare zero byte
  when the caller's buffer has no byte to spare), ``inet6_rth_reverse``
  with ``out`` overlapping ``in_`` other than exactly (libc gets a copy of
  ``in_``).

Writing functions accept writable buffers only (a ``bytes`` object is never
written through).  No pointer outlives a call: pointers libc returns are
turned into offsets and handed back as ``memoryview`` slices of the
caller's buffer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._system.binding import ffi, lib
from ._buffers import (
    FIND_FAIL,
    FUNCTIONS,
    IN6_ADDR,
    INT_MAX,
    INT_MIN,
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

_NULL = ffi.NULL
_from_buffer = ffi.from_buffer
_new = ffi.new
_cast = ffi.cast


def _c(name: str) -> Any:
    return getattr(lib, name, None)


_opt_init = _c("inet6_opt_init")
_opt_append = _c("inet6_opt_append")
_opt_finish = _c("inet6_opt_finish")
_opt_set_val = _c("inet6_opt_set_val")
_opt_next = _c("inet6_opt_next")
_opt_find = _c("inet6_opt_find")
_opt_get_val = _c("inet6_opt_get_val")
_rth_space = _c("inet6_rth_space")
_rth_init = _c("inet6_rth_init")
_rth_add = _c("inet6_rth_add")
_rth_reverse = _c("inet6_rth_reverse")
_rth_segments = _c("inet6_rth_segments")
_rth_getaddr = _c("inet6_rth_getaddr")


def _address(pointer: Any) -> int:
    return int(_cast("uintptr_t", pointer))


# ---------------------------------------------------------------- section 10


def inet6_opt_init(extbuf: Optional[Buffer], extlen: int) -> int:
    """libc's ``inet6_opt_init``; RFC 3542 section 10.1.  ``extbuf=None`` is C's NULL."""
    extlen = as_int(extlen, "extlen")
    if extbuf is None:
        if not 0 <= extlen <= UINT32_MAX:
            return -1
        return int(_opt_init(_NULL, extlen))
    mv = writable_view(extbuf, "extbuf")
    if not 0 < extlen <= min(mv.nbytes, UINT32_MAX):
        return -1
    return int(_opt_init(_from_buffer(mv, require_writable=True), extlen))


def inet6_opt_append(extbuf: Optional[Buffer], extlen: int, offset: int, type: int, len: int,
                     align: int) -> tuple[int, Optional[memoryview]]:
    """libc's ``inet6_opt_append``; RFC 3542 section 10.2.  Returns ``(offset or -1, databuf)``.

    Guard: ``offset`` must be in ``[2, extlen]`` (glibc writes before the
    buffer for a negative one) and ``extlen`` within the buffer.
    """
    extlen = as_int(extlen, "extlen")
    offset = as_int(offset, "offset")
    type = as_int(type, "type")
    len_ = as_int(len, "len")
    align = as_int(align, "align")
    mv = None if extbuf is None else writable_view(extbuf, "extbuf")
    if (not 0 <= extlen <= UINT32_MAX or not OPT_HEADER <= offset <= INT_MAX - MAX_OPTION_GROWTH
            or not 0 <= type <= 255 or not 0 <= len_ <= UINT32_MAX or not 0 <= align <= 255):
        return -1, None
    if mv is None:
        return int(_opt_append(_NULL, extlen, offset, type, len_, align, _NULL)), None
    if extlen > mv.nbytes or offset > extlen:
        return -1, None
    cbuf = _from_buffer(mv, require_writable=True)
    databufp = _new("void **")
    end = int(_opt_append(cbuf, extlen, offset, type, len_, align, databufp))
    if end < 0:
        return -1, None
    start = _address(databufp[0]) - _address(cbuf)
    if not 0 <= start <= start + len_ <= extlen:
        return -1, None
    return end, mv[start:start + len_]


def inet6_opt_finish(extbuf: Optional[Buffer], extlen: int, offset: int) -> int:
    """libc's ``inet6_opt_finish``; RFC 3542 section 10.3.

    Guard: ``offset`` must be in ``[2, extlen]`` (glibc returns garbage for
    a negative one) and ``extlen`` within the buffer.
    """
    extlen = as_int(extlen, "extlen")
    offset = as_int(offset, "offset")
    mv = None if extbuf is None else writable_view(extbuf, "extbuf")
    if not 0 <= extlen <= UINT32_MAX or not OPT_HEADER <= offset <= INT_MAX - 7:
        return -1
    if mv is None:
        return int(_opt_finish(_NULL, extlen, offset))
    if extlen > mv.nbytes or offset > extlen:
        return -1
    return int(_opt_finish(_from_buffer(mv, require_writable=True), extlen, offset))


def inet6_opt_set_val(databuf: Buffer, offset: int, val: Buffer) -> int:
    """libc's ``inet6_opt_set_val``; RFC 3542 section 10.4.

    Guard: the bytes must land inside ``databuf`` (libc's has no bound),
    and ``offset + len(val)``, the C ``int`` returned, must fit one; -1 otherwise.
    """
    mv = writable_view(databuf, "databuf")
    offset = as_int(offset, "offset")
    data = view(val, "val")
    vallen = data.nbytes
    if offset < 0 or offset + vallen > min(mv.nbytes, INT_MAX):
        return -1
    return int(_opt_set_val(_from_buffer(mv, require_writable=True), offset,
                            _from_buffer(data), vallen))


def _scan_limit(mv: memoryview, extlen: int, offset: int) -> int:
    """Return the ``extlen`` to hand libc's ``inet6_opt_next``/``find``, or -1 to fail unasked.

    ``extlen`` is a ``socklen_t`` and ``offset`` an ``int`` in C, and the
    offset returned is an ``int``: an option must end at or below
    ``INT_MAX``.  libc's scan keeps its offset in an ``int`` and compares it
    with ``extlen`` unsigned, so with ``extlen > INT_MAX`` a run of Pad1
    bytes across ``INT_MAX`` wraps the offset negative and glibc reads 2 GiB
    before the buffer (a crash, seen here): libc is never given more than
    ``INT_MAX``.  The pure implementation scans the same ``INT_MAX`` bytes.
    """
    if not 0 <= extlen <= min(mv.nbytes, UINT32_MAX) or not 0 <= offset <= min(extlen, INT_MAX):
        return -1
    return min(extlen, INT_MAX)


def _scan_buffer(mv: memoryview, extlen: int) -> Any:
    """Return what to hand libc's ``inet6_opt_next``/``find`` for ``mv[:extlen]``.

    glibc reads the length byte at ``offset + 1`` before checking that it is
    below ``extlen`` (platform_abi.md section 6): one byte past the end when
    the last byte is an option type.  When the caller's buffer has a byte to
    spare after ``extlen`` that read stays inside it; otherwise libc gets a
    copy with one zero byte appended (the result is the same: -1).
    """
    if extlen < mv.nbytes or extlen == 0 or mv[extlen - 1] == 0:
        return _from_buffer(mv)
    spare = bytearray(extlen + 1)
    spare[:extlen] = mv[:extlen]
    return _from_buffer(spare, require_writable=True)


def _scan(mv: memoryview, extlen: int, call: Any, offset: int, arg: Any
          ) -> Optional[tuple[int, int, memoryview]]:
    """Run libc's ``inet6_opt_next``/``find`` on ``mv``; ``(end, len, databuf)`` or None.

    None when libc fails or its data pointer lies outside the first ``extlen``
    bytes; ``databuf`` is a slice of the caller's buffer (design rule 3).
    """
    cbuf = _scan_buffer(mv, extlen)
    lenp = _new("uint32_t *")
    databufp = _new("void **")
    end = int(call(cbuf, extlen, offset, arg, lenp, databufp))
    if end < 0:
        return None
    n = int(lenp[0])
    start = _address(databufp[0]) - _address(cbuf)
    if not 0 <= start <= start + n <= extlen:
        return None
    return end, n, mv[start:start + n]


def inet6_opt_next(extbuf: Buffer, extlen: int, offset: int) -> tuple[int, int, int, Optional[memoryview]]:
    """libc's ``inet6_opt_next``; RFC 3542 section 10.5.  Returns ``(offset or -1, type, len, databuf)``."""
    extlen = as_int(extlen, "extlen")
    offset = as_int(offset, "offset")
    mv = view(extbuf, "extbuf")
    extlen = _scan_limit(mv, extlen, offset)
    if extlen < 0:
        return NEXT_FAIL
    typep = _new("uint8_t *")
    found = _scan(mv, extlen, _opt_next, offset, typep)
    if found is None:
        return NEXT_FAIL
    end, n, data = found
    return end, int(typep[0]), n, data


def inet6_opt_find(extbuf: Buffer, extlen: int, offset: int, type: int
                   ) -> tuple[int, int, Optional[memoryview]]:
    """libc's ``inet6_opt_find``; RFC 3542 section 10.6.  Returns ``(offset or -1, len, databuf)``."""
    extlen = as_int(extlen, "extlen")
    offset = as_int(offset, "offset")
    type = as_int(type, "type")
    mv = view(extbuf, "extbuf")
    extlen = _scan_limit(mv, extlen, offset)
    if extlen < 0 or not 0 <= type <= 255:
        return FIND_FAIL
    found = _scan(mv, extlen, _opt_find, offset, type)
    return FIND_FAIL if found is None else found


def inet6_opt_get_val(databuf: Buffer, offset: int, vallen: int) -> tuple[int, bytes]:
    """libc's ``inet6_opt_get_val``; RFC 3542 section 10.7.  Returns ``(offset or -1, bytes)``.

    Guard: the bytes must lie inside ``databuf`` and ``offset + vallen``,
    the C ``int`` returned, must fit one; ``(-1, b"")`` otherwise.
    """
    mv = view(databuf, "databuf")
    offset = as_int(offset, "offset")
    vallen = as_int(vallen, "vallen")
    if offset < 0 or vallen < 0 or offset + vallen > min(mv.nbytes, INT_MAX):
        return -1, b""
    out = bytearray(vallen)
    end = int(_opt_get_val(_from_buffer(mv), offset, _from_buffer(out, require_writable=True), vallen))
    return end, bytes(out)


# ----------------------------------------------------------------- section 7


def _header_size(mv: memoryview) -> int:
    """Return ``(ip6r_len + 1) * 8`` if the header fits in ``mv``, else -1."""
    if mv.nbytes < RTH_HEADER:
        return -1
    size = (mv[1] + 1) * 8
    return size if size <= mv.nbytes else -1


def inet6_rth_space(type: int, segments: int) -> int:
    """libc's ``inet6_rth_space``; RFC 3542 section 7.1 (0 for what libc does not support)."""
    type = as_int(type, "type")
    segments = as_int(segments, "segments")
    if not INT_MIN <= type <= INT_MAX or not INT_MIN <= segments <= INT_MAX:
        return 0
    return int(_rth_space(type, segments))


def inet6_rth_init(bp: Buffer, bp_len: int, type: int, segments: int) -> Optional[memoryview]:
    """libc's ``inet6_rth_init``; RFC 3542 section 7.2.  Returns a view of the header in ``bp``, or None.

    Guard: ``bp_len`` must not exceed the buffer (nor ``socklen_t``).
    """
    mv = writable_view(bp, "bp")
    bp_len = as_int(bp_len, "bp_len")
    type = as_int(type, "type")
    segments = as_int(segments, "segments")
    if (not 0 <= bp_len <= min(mv.nbytes, UINT32_MAX) or not INT_MIN <= type <= INT_MAX
            or not INT_MIN <= segments <= INT_MAX):
        return None
    cbuf = _from_buffer(mv, require_writable=True)
    result = _rth_init(cbuf, bp_len, type, segments)
    if result == _NULL or _address(result) != _address(cbuf):
        return None
    size = _header_size(mv)
    if size < 0 or size > bp_len:
        return None
    return mv[:size]


def inet6_rth_add(bp: Buffer, addr: Union[IPv6Address, str, Buffer]) -> int:
    """libc's ``inet6_rth_add``; RFC 3542 section 7.3.

    Guard: the header must fit in the buffer and segments left must be below
    its capacity (glibc, NetBSD and OpenBSD write past the header otherwise).
    """
    mv = writable_view(bp, "bp")
    packed = address_bytes(addr)
    size = _header_size(mv)
    if size < 0 or mv[3] >= (size - RTH_HEADER) // IN6_ADDR:
        return -1
    address = _from_buffer("struct in6_addr *", packed)  # owns the reference to packed during the call
    return int(_rth_add(_from_buffer(mv, require_writable=True), address))


def inet6_rth_reverse(in_: Buffer, out: Buffer) -> int:
    """libc's ``inet6_rth_reverse``; RFC 3542 section 7.4.

    Guard: the header must fit in ``in_`` and in ``out``; when the two
    overlap without being the same place, libc reads a copy of ``in_``.
    """
    src = view(in_, "in_")
    dst = writable_view(out, "out")
    size = _header_size(src)
    if size < 0 or dst.nbytes < size:
        return -1
    csrc = _from_buffer(src)
    cdst = _from_buffer(dst, require_writable=True)
    src_at = _address(csrc)
    dst_at = _address(cdst)
    if src_at != dst_at and src_at < dst_at + size and dst_at < src_at + size:
        csrc = _from_buffer(src[:size].tobytes())
    return int(_rth_reverse(csrc, cdst))


def inet6_rth_segments(bp: Buffer) -> int:
    """libc's ``inet6_rth_segments``; RFC 3542 section 7.5.

    Guard: the header (its size from its length byte) must fit in the buffer; -1 otherwise.
    """
    mv = view(bp, "bp")
    if _header_size(mv) < 0:
        return -1
    return int(_rth_segments(_from_buffer(mv)))


def inet6_rth_getaddr(bp: Buffer, index: int) -> Optional[IPv6Address]:
    """libc's ``inet6_rth_getaddr``; RFC 3542 section 7.6.  Returns an ``IPv6Address`` or None.

    Guard: the header must fit in the buffer and ``index`` lie among its addresses.
    """
    mv = view(bp, "bp")
    index = as_int(index, "index")
    size = _header_size(mv)
    if size < 0 or not 0 <= index < (size - RTH_HEADER) // IN6_ADDR:
        return None
    cbuf = _from_buffer(mv)
    result = _rth_getaddr(cbuf, index)
    if result == _NULL:
        return None
    start = _address(result) - _address(cbuf)
    if not 0 <= start <= size - IN6_ADDR:
        return None
    from ipaddress import IPv6Address

    return IPv6Address(mv[start:start + IN6_ADDR].tobytes())


__all__ = [_name for _name in __all__ if hasattr(lib, _name)]
for _name in (
    "inet6_opt_init", "inet6_opt_append", "inet6_opt_finish", "inet6_opt_set_val",
    "inet6_opt_next", "inet6_opt_find", "inet6_opt_get_val",
    "inet6_rth_space", "inet6_rth_init", "inet6_rth_add", "inet6_rth_reverse",
    "inet6_rth_segments", "inet6_rth_getaddr",
):
    if _name not in __all__:
        del globals()[_name]
