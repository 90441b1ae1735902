"""ICMPv6 type filters for raw ICMPv6 sockets (RFC 3542 section 3.2).

Two layers:

* :class:`ICMP6Filter`, an immutable value that means the same on every OS:
  ``ICMP6Filter.block_all().set_pass(ICMP6_ECHO_REPLY)`` passes echo replies
  and nothing else, whether the kernel stores that as a set bit (BSDs) or a
  clear bit (Linux).  :meth:`ICMP6Filter.to_bytes` / :meth:`ICMP6Filter.from_bytes`
  convert to and from the 32-byte ``struct icmp6_filter`` in the OS's sense.
* the six C macros ``ICMP6_FILTER_SETPASSALL`` ... ``ICMP6_FILTER_WILLBLOCK``
  with C's argument order, working on a ``struct icmp6_filter`` cdata (or a
  pointer to one) or on a 32-byte buffer, in the running OS's own bit sense.

The bitmap is eight native ``uint32_t`` words; type ``t`` is bit ``t & 31`` of
word ``t >> 5`` everywhere.  Only the meaning of a set bit differs
(``platform_abi.md`` section 1): see :data:`SET_BIT_MEANS`.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from ._checks import check_int
from ._system.binding import PLATFORM, ffi
from ._system.platform import OSES as _OSES
from ._value import ValueObject

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Optional

__all__ = [
    "ICMP6Filter",
    "ICMP6_FILTER_SETPASSALL",
    "ICMP6_FILTER_SETBLOCKALL",
    "ICMP6_FILTER_SETPASS",
    "ICMP6_FILTER_SETBLOCK",
    "ICMP6_FILTER_WILLPASS",
    "ICMP6_FILTER_WILLBLOCK",
    "SET_BIT_MEANS",
]

#: what a set bit in ``icmp6_filt`` means, per platform (None: the OS has no ICMP6_FILTER).
#: Linux's glibc/musl/bionic macros block on a set bit; KAME-derived stacks pass on it.
#: (The platform record's ``icmp6_filter_set_bit``, per declarations family.)
SET_BIT_MEANS: dict[str, Optional[str]] = {name: facts.icmp6_filter_set_bit for name, facts in _OSES.items()}

_WORDS = struct.Struct("=8I")
_SIZE = 32
_ALL = (1 << 256) - 1


def _sense(platform: str | None) -> str:
    """Return ``"pass"`` or ``"block"`` for ``platform`` (default: the running one)."""
    name = PLATFORM if platform is None else platform
    if name not in SET_BIT_MEANS:
        raise ValueError(f"unknown platform {name!r}; choose from {', '.join(SET_BIT_MEANS)}")
    sense = SET_BIT_MEANS[name]
    if sense is None:
        from .errors import NotSupportedError

        raise NotSupportedError("ICMP6_FILTER", platform=name, reason="the OS has no ICMPv6 type filter")
    return sense


def _check_type(icmp_type: object) -> int:
    """Validate an ICMPv6 message type (an int 0..255, RFC 3542 section 3.2)."""
    return check_int(icmp_type, 0, 255, "an ICMPv6 type")


def _mask(types: Iterable[int]) -> int:
    if isinstance(types, (str, bytes)):
        raise TypeError("ICMPv6 types must be an iterable of ints")
    mask = 0
    for t in types:
        mask |= 1 << _check_type(t)
    return mask


class ICMP6Filter(ValueObject):
    """Which ICMPv6 message types a raw ICMPv6 socket passes (RFC 3542 section 3.2).

    Immutable and equal by value.  Build one with :meth:`pass_all` /
    :meth:`block_all` and chain :meth:`set_pass` / :meth:`set_block`, or give
    exactly one of ``passing`` (the types that pass, all others blocked) or
    ``blocking`` (the types that are blocked, all others pass).
    ``ICMP6Filter()`` passes everything, the kernel's default for a new socket.
    """

    __slots__ = ("_passing",)
    _passing: int

    def __init__(self, *, passing: Iterable[int] | None = None,
                 blocking: Iterable[int] | None = None) -> None:
        if passing is not None and blocking is not None:
            raise TypeError("give passing= or blocking=, not both")
        if passing is not None:
            value = _mask(passing)
        elif blocking is not None:
            value = _ALL & ~_mask(blocking)
        else:
            value = _ALL
        object.__setattr__(self, "_passing", value)

    @classmethod
    def _from_mask(cls, mask: int) -> ICMP6Filter:
        new = cls.__new__(cls)
        object.__setattr__(new, "_passing", mask & _ALL)
        return new

    @classmethod
    def pass_all(cls) -> ICMP6Filter:
        """Return a filter passing every type (``ICMP6_FILTER_SETPASSALL``)."""
        return cls._from_mask(_ALL)

    @classmethod
    def block_all(cls) -> ICMP6Filter:
        """Return a filter blocking every type (``ICMP6_FILTER_SETBLOCKALL``)."""
        return cls._from_mask(0)

    def set_pass(self, icmp_type: int) -> ICMP6Filter:
        """Return a copy that also passes ``icmp_type`` (``ICMP6_FILTER_SETPASS``)."""
        return self._from_mask(self._passing | (1 << _check_type(icmp_type)))

    def set_block(self, icmp_type: int) -> ICMP6Filter:
        """Return a copy that blocks ``icmp_type`` (``ICMP6_FILTER_SETBLOCK``)."""
        return self._from_mask(self._passing & ~(1 << _check_type(icmp_type)))

    def will_pass(self, icmp_type: int) -> bool:
        """Return whether messages of ``icmp_type`` reach the socket (``ICMP6_FILTER_WILLPASS``)."""
        return bool(self._passing >> _check_type(icmp_type) & 1)

    def will_block(self, icmp_type: int) -> bool:
        """Return whether messages of ``icmp_type`` are dropped (``ICMP6_FILTER_WILLBLOCK``)."""
        return not self.will_pass(icmp_type)

    @property
    def passing(self) -> frozenset[int]:
        """The set of types that pass."""
        return frozenset(t for t in range(256) if self._passing >> t & 1)

    @property
    def blocking(self) -> frozenset[int]:
        """The set of types that are blocked."""
        return frozenset(t for t in range(256) if not self._passing >> t & 1)

    def to_bytes(self, platform: str | None = None) -> bytes:
        """Return the 32-byte ``struct icmp6_filter`` in ``platform``'s bit sense (default: this OS)."""
        bits = self._passing if _sense(platform) == "pass" else _ALL & ~self._passing
        return _WORDS.pack(*((bits >> (32 * i)) & 0xFFFFFFFF for i in range(8)))

    @classmethod
    def from_bytes(cls, data: Any, platform: str | None = None) -> ICMP6Filter:
        """Read a 32-byte ``struct icmp6_filter`` in ``platform``'s bit sense (default: this OS)."""
        try:
            view = memoryview(data).cast("B")
        except TypeError:
            raise TypeError(f"a bytes-like object is required, not {type(data).__name__}") from None
        if len(view) != _SIZE:
            from .errors import MalformedError

            raise MalformedError(f"struct icmp6_filter is {_SIZE} bytes, got {len(view)}")
        bits = 0
        for i, word in enumerate(_WORDS.unpack(view)):
            bits |= word << (32 * i)
        return cls._from_mask(bits if _sense(platform) == "pass" else _ALL & ~bits)

    def _key(self) -> tuple[int]:
        return (self._passing,)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> Any:
        return (ICMP6Filter._from_mask, (self._passing,))

    def __repr__(self) -> str:
        passing = sorted(self.passing)
        if len(passing) <= 128:
            return f"ICMP6Filter(passing={passing!r})"
        return f"ICMP6Filter(blocking={sorted(self.blocking)!r})"


# ---- C-port macros (RFC 3542 section 3.2), the running OS's bit sense ----

def _words(filterp: Any, writable: bool) -> Any:
    """Return a ``uint32_t[8]`` cdata over the caller's filter, never past its end."""
    if isinstance(filterp, ffi.CData):
        ctype = ffi.typeof(filterp)
        if ctype == ffi.typeof("struct icmp6_filter *"):
            if filterp == ffi.NULL:
                raise ValueError("NULL struct icmp6_filter pointer")
            return filterp.icmp6_filt
        if ctype == ffi.typeof("struct icmp6_filter"):
            return filterp.icmp6_filt
        raise TypeError(f"need a struct icmp6_filter cdata or pointer, not {ctype.cname}")
    try:
        view = memoryview(filterp)
    except TypeError:
        raise TypeError(
            f"need a struct icmp6_filter cdata or a 32-byte buffer, not {type(filterp).__name__}"
        ) from None
    if view.nbytes != _SIZE:
        raise TypeError(f"struct icmp6_filter is {_SIZE} bytes, buffer has {view.nbytes}")
    if writable and view.readonly:
        raise TypeError("the filter buffer is read-only (use a bytearray)")
    return ffi.from_buffer("uint32_t[8]", filterp, require_writable=writable)


def _fill(filterp: Any, passing: bool) -> None:
    words = _words(filterp, True)
    bit_set = (_sense(None) == "pass") == passing
    value = 0xFFFFFFFF if bit_set else 0
    for i in range(8):
        words[i] = value


def _set(icmp_type: int, filterp: Any, passing: bool) -> None:
    t = _check_type(icmp_type)
    words = _words(filterp, True)
    bit = 1 << (t & 31)
    if (_sense(None) == "pass") == passing:
        words[t >> 5] |= bit
    else:
        words[t >> 5] &= ~bit & 0xFFFFFFFF


def _test(icmp_type: int, filterp: Any) -> bool:
    """Return True when ``icmp_type`` passes under the running OS's sense."""
    t = _check_type(icmp_type)
    bit_set = bool(_words(filterp, False)[t >> 5] >> (t & 31) & 1)
    return bit_set == (_sense(None) == "pass")


def ICMP6_FILTER_SETPASSALL(filterp: Any) -> None:
    """Make ``filterp`` pass every ICMPv6 type (RFC 3542 section 3.2)."""
    _fill(filterp, True)


def ICMP6_FILTER_SETBLOCKALL(filterp: Any) -> None:
    """Make ``filterp`` block every ICMPv6 type (RFC 3542 section 3.2)."""
    _fill(filterp, False)


def ICMP6_FILTER_SETPASS(icmp_type: int, filterp: Any) -> None:
    """Let ``filterp`` pass ``icmp_type`` (RFC 3542 section 3.2)."""
    _set(icmp_type, filterp, True)


def ICMP6_FILTER_SETBLOCK(icmp_type: int, filterp: Any) -> None:
    """Make ``filterp`` block ``icmp_type`` (RFC 3542 section 3.2)."""
    _set(icmp_type, filterp, False)


def ICMP6_FILTER_WILLPASS(icmp_type: int, filterp: Any) -> int:
    """Return 1 if ``filterp`` passes ``icmp_type``, else 0 (RFC 3542 section 3.2)."""
    return int(_test(icmp_type, filterp))


def ICMP6_FILTER_WILLBLOCK(icmp_type: int, filterp: Any) -> int:
    """Return 1 if ``filterp`` blocks ``icmp_type``, else 0 (RFC 3542 section 3.2)."""
    return int(not _test(icmp_type, filterp))
