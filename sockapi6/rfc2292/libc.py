"""RFC 2292 section 6.3 through the running libc, behind guards (glibc exports ``inet6_option_*``).

The same signatures as :mod:`sockapi6.rfc2292.pure`; only the functions this
libc exports exist here (none on musl; no libc here has ``inet6_rthdr_*``).
Results are libc's own, so this module behaves like the platform's C code,
deviations from the RFC included (``docs/platform-differences.md``, rows
R1-R4).

The C functions take no buffer size: they trust ``cmsg_len`` and write as
far as the option needs.  So before every call:

* ``cmsg_len`` must lie between ``CMSG_LEN(0)`` and the buffer's size, and
  ``typep`` must hold the whole option its length byte describes;
* ``append``/``alloc`` run on a scratch copy with room for the most any
  option can add; the result is copied back only if it fits the caller's
  buffer (otherwise the call fails, as C would have overrun);
* ``next``/``find`` get ``*tptrp`` as a pointer inside the header (an
  offset in ``[0, cmsg_len]``), and the pointer they return is turned back
  into an offset; it never outlives the call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._system.binding import ffi, lib
from ..rfc3542._buffers import as_int, view, writable_view
from ._cmsg import HDR, INT_MAX, INT_MIN, read_header

if TYPE_CHECKING:
    from typing import Any, Optional

__all__ = ["inet6_option_space", "inet6_option_init", "inet6_option_append", "inet6_option_alloc",
           "inet6_option_next", "inet6_option_find"]

_NULL = ffi.NULL
#: the most one option can add to cmsg_len: 2 header bytes, padding before (glibc: up to 7 + 7),
#: the option itself (at most 2048 are kept), padding after (7)
_GROWTH = 2 + 14 + 7


def _c(name: str) -> Any:
    try:
        return getattr(lib, name, None)
    except ffi.error:   # cffi raises this, not AttributeError, for a declared function libc lacks
        return None


def _address(pointer: Any) -> int:
    return int(ffi.cast("uintptr_t", pointer))


def inet6_option_space(nbytes: int) -> int:
    """libc's ``inet6_option_space`` (RFC 2292 section 6.3.1); -1 where C's int would overflow."""
    nbytes = as_int(nbytes, "nbytes")
    if not 0 <= nbytes <= INT_MAX - 64:
        return -1
    return int(_c("inet6_option_space")(nbytes))


def inet6_option_init(bp: Any, type: int) -> tuple[int, Optional[memoryview]]:
    """libc's ``inet6_option_init`` (6.3.2): ``(0, cmsg)`` or ``(-1, None)``.

    Guard: ``bp`` must hold a ``cmsghdr`` (libc writes one without asking).
    """
    mv = writable_view(bp, "bp")
    type = as_int(type, "type")
    if mv.nbytes < HDR or not INT_MIN <= type <= INT_MAX:
        return -1, None
    cbuf = ffi.from_buffer(mv, require_writable=True)
    cmsgp = ffi.new("struct cmsghdr **")
    if int(_c("inet6_option_init")(cbuf, cmsgp, type)) != 0:
        return -1, None
    return (0, mv) if _address(cmsgp[0]) == _address(cbuf) else (-1, None)


def _scratch(mv: memoryview, room: int) -> Optional[bytearray]:
    """A copy of the object in ``mv`` with ``room`` spare bytes, or None if its cmsg_len is not sane."""
    header = read_header(mv)
    if header is None or not HDR <= header[0] <= mv.nbytes:
        return None
    scratch = bytearray(header[0] + room)
    scratch[:header[0]] = mv[:header[0]]
    return scratch


def _commit(mv: memoryview, scratch: bytearray) -> bool:
    """Copy libc's result back if it fits the caller's buffer."""
    header = read_header(memoryview(scratch))
    if header is None or not HDR <= header[0] <= min(mv.nbytes, len(scratch)):
        return False
    mv[:header[0]] = scratch[:header[0]]
    return True


def inet6_option_append(cmsg: Any, typep: Any, multx: int, plusy: int) -> int:
    """libc's ``inet6_option_append`` (6.3.3): 0, or -1."""
    mv = writable_view(cmsg, "cmsg")
    option = view(typep, "typep")
    multx, plusy = as_int(multx, "multx"), as_int(plusy, "plusy")
    if option.nbytes < 1 or not INT_MIN <= multx <= INT_MAX or not INT_MIN <= plusy <= INT_MAX:
        return -1
    size = 1 if option[0] == 0 else (option[1] + 2 if option.nbytes >= 2 else -1)
    if size < 0 or option.nbytes < size:
        return -1
    scratch = _scratch(mv, _GROWTH + size)
    if scratch is None:
        return -1
    rc = int(_c("inet6_option_append")(ffi.from_buffer("struct cmsghdr *", scratch, require_writable=True),
                                        ffi.from_buffer(option), multx, plusy))
    if not _commit(mv, scratch):
        return -1
    return rc


def inet6_option_alloc(cmsg: Any, datalen: int, multx: int, plusy: int) -> Optional[memoryview]:
    """libc's ``inet6_option_alloc`` (6.3.4): a view of the ``datalen`` bytes reserved, or None."""
    mv = writable_view(cmsg, "cmsg")
    datalen = as_int(datalen, "datalen")
    multx, plusy = as_int(multx, "multx"), as_int(plusy, "plusy")
    if not 0 <= datalen <= 2048 or not INT_MIN <= multx <= INT_MAX or not INT_MIN <= plusy <= INT_MAX:
        return None
    scratch = _scratch(mv, _GROWTH + datalen)
    if scratch is None:
        return None
    cbuf = ffi.from_buffer("struct cmsghdr *", scratch, require_writable=True)
    result = _c("inet6_option_alloc")(cbuf, datalen, multx, plusy)
    at = -1 if result == _NULL else _address(result) - _address(cbuf)
    if not _commit(mv, scratch) or at < 0 or at + datalen > mv.nbytes:
        return None
    return mv[at:at + datalen]


def _scan(name: str, cmsg: Any, tptr: Optional[int], *extra: int) -> tuple[int, Optional[int]]:
    mv = view(cmsg, "cmsg")
    header = read_header(mv)
    if header is None or not HDR <= header[0] <= mv.nbytes:
        return -1, tptr
    if tptr is not None:
        tptr = as_int(tptr, "tptr")
        if not 0 <= tptr <= header[0]:
            return -1, tptr
    cbuf = ffi.from_buffer("struct cmsghdr *", mv)
    base = _address(cbuf)
    tptrp = ffi.new("uint8_t **", _NULL if tptr is None else ffi.cast("uint8_t *", base + tptr))
    rc = int(_c(name)(cbuf, tptrp, *extra))
    pointer = tptrp[0]
    if pointer == _NULL:
        return rc, None
    at = _address(pointer) - base
    return rc, at if 0 <= at <= header[0] else None


def inet6_option_next(cmsg: Any, tptr: Optional[int]) -> tuple[int, Optional[int]]:
    """libc's ``inet6_option_next`` (6.3.5): ``(rc, offset of *tptrp or None)``."""
    return _scan("inet6_option_next", cmsg, tptr)


def inet6_option_find(cmsg: Any, tptr: Optional[int], type: int) -> tuple[int, Optional[int]]:
    """libc's ``inet6_option_find`` (6.3.6): ``(rc, offset of *tptrp or None)``."""
    type = as_int(type, "type")
    if not INT_MIN <= type <= INT_MAX:
        return -1, tptr
    return _scan("inet6_option_find", cmsg, tptr, type)


__all__ = [_name for _name in __all__ if _c(_name) is not None]
for _name in ("inet6_option_space", "inet6_option_init", "inet6_option_append", "inet6_option_alloc",
              "inet6_option_next", "inet6_option_find"):
    if _name not in __all__:
        del globals()[_name]
