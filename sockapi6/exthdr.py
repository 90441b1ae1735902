"""Hop-by-Hop and Destination Options headers as Python values (RFC 8200 section 4.2-4.6).

:class:`HopByHopOptions` and :class:`DestinationOptions` hold a tuple of
options and a Next Header value.  ``bytes(h)`` lays the options out with the
padding rule of RFC 3542 section 10.2/10.3 (pure Python, the same bytes on
every OS and backend); ``Class.parse(data)`` reads a whole header back, as the
kernel delivers it in ``IPV6_HOPOPTS`` / ``IPV6_DSTOPTS`` ancillary data.

Layout rule (RFC 3542 section 10.2, RFC 8200 section 4.2 and appendix A):
each option carries an ``align`` of 1, 2, 4 or 8; Pad1/PadN is inserted in
front of it so that the **end** of the option falls on a multiple of
``align`` from the start of the header.  The named options follow the
largest-field-last rule, so their data starts aligned too and each lands on
its RFC alignment: Router Alert 2n+0, Jumbo Payload 4n+2, Home Address 8n+6,
Tunnel Encapsulation Limit none.  The header then ends with Pad1/PadN to a
multiple of 8 octets.  With ``autopad=False`` the caller owns the layout:
the options (explicit :class:`Pad1` / :class:`PadN` included) are written
one after the other, and only the final padding to 8 octets is added;
``parse(data, keep_padding=True)`` returns such a header, whose bytes are
exactly the ones parsed.

Every value object here has ``__slots__``, is immutable and hashable,
compares by value and has a ``repr`` that evaluates back to an equal object
with this module's names.
"""

from __future__ import annotations

import struct
from enum import IntEnum
from socket import AF_INET6 as _AF_INET6
from socket import inet_pton as _inet_pton
from typing import TYPE_CHECKING

from .errors import MalformedError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv6Address
    from typing import Any, NoReturn, TypeVar

    _O = TypeVar("_O", bound="Option")
    _H = TypeVar("_H", bound="_OptionsHeader")

__all__ = [
    "OptionAction",
    "Option",
    "Pad1",
    "PadN",
    "RouterAlert",
    "RouterAlertValue",
    "JumboPayload",
    "TunnelEncapsulationLimit",
    "HomeAddress",
    "HopByHopOptions",
    "DestinationOptions",
    "parse_options",
]

#: RFC 8200 section 4.2: the Next Header value "No Next Header"
NO_NEXT_HEADER = 59
#: largest header the 8-bit Hdr Ext Len can describe: (255 + 1) * 8 octets
MAX_HEADER_LEN = 2048

_ALIGNS = (1, 2, 4, 8)
_U16 = struct.Struct("!H")
_U32 = struct.Struct("!I")


class OptionAction(IntEnum):
    """What a node that does not recognise an option does (RFC 8200 section 4.2).

    The value is the option type's two high-order bits.
    """

    SKIP = 0
    DISCARD = 1
    DISCARD_ICMP = 2
    DISCARD_ICMP_NOT_MULTICAST = 3


class RouterAlertValue(IntEnum):
    """Router Alert option values (RFC 2711 section 2.1)."""

    MLD = 0
    RSVP = 1
    ACTIVE_NETWORKS = 2


def _frozen(self: object, name: str, value: object) -> NoReturn:
    raise AttributeError(f"{self.__class__.__name__} objects are immutable")


def _int_in(value: object, low: int, high: int, what: str) -> int:
    """Return ``value`` as an int in [low, high]: TypeError / ValueError otherwise."""
    if value.__class__ is int and low <= value <= high:
        return value
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} must be an int, not {value.__class__.__name__}")
    if not low <= value <= high:
        raise ValueError(f"{what} must be in {low}..{high}, not {value}")
    return int(value)


def _as_bytes(value: object, what: str) -> bytes:
    """Return a bytes-like ``value`` as ``bytes``: TypeError for anything else (str included)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        raise TypeError(f"{what} must be bytes-like, not str")
    try:
        return bytes(memoryview(value))  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{what} must be bytes-like, not {value.__class__.__name__}") from None


_ipv6_class: Any = None


def _ipv6() -> type[IPv6Address]:
    """``ipaddress.IPv6Address``, imported on first use (keeps ``import sockapi6`` cheap)."""
    global _ipv6_class
    if _ipv6_class is None:
        from ipaddress import IPv6Address

        _ipv6_class = IPv6Address
    return _ipv6_class  # type: ignore[no-any-return]


def _as_address(value: object, what: str = "address") -> IPv6Address:
    """Return an ``IPv6Address`` without scope from an address, its text or its 16 bytes.

    A scope (``fe80::1%eth0``) is dropped: extension headers carry bare addresses.
    """
    cls = _ipv6()
    if isinstance(value, str):
        try:  # inet_pton is ~10x faster than ipaddress's parser; ipaddress words the errors
            return cls(_inet_pton(_AF_INET6, value.partition("%")[0]))
        except (OSError, ValueError):
            try:
                return cls(cls(value).packed)
            except ValueError as exc:
                raise ValueError(f"{what}: {exc}") from None
    if isinstance(value, cls):
        return value if getattr(value, "scope_id", None) is None else cls(value.packed)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        if len(raw) != 16:
            raise ValueError(f"{what} must be 16 bytes, not {len(raw)}")
        return cls(raw)
    raise TypeError(f"{what} must be an IPv6Address, str or 16 bytes, not {value.__class__.__name__}")


def _padding(n: int) -> bytes:
    """Return ``n`` octets of option padding: Pad1 for one, one PadN otherwise (RFC 8200 section 4.2)."""
    if n == 0:
        return b""
    if n == 1:
        return b"\x00"
    return bytes((1, n - 2)) + bytes(n - 2)


_PADDING = tuple(_padding(n) for n in range(8))


# --------------------------------------------------------------------------- options


class Option:
    """One TLV option of a Hop-by-Hop or Destination Options header (RFC 8200 section 4.2).

    ``type`` is the 8-bit option type (2..255; 0 and 1 are Pad1 and PadN),
    ``data`` its 0..255 data octets, ``align`` (1, 2, 4 or 8, at most
    ``len(data)`` unless 1, RFC 3542 section 10.2) the alignment of the end of
    the option.  ``action`` and ``mutable`` read the type's high-order bits.
    ``parse`` returns the named subclasses for the option types it knows, and
    a plain ``Option`` with ``align=1`` for the others.
    """

    __slots__ = ("_align", "_data", "_type")
    __setattr__ = _frozen
    __delattr__ = _frozen  # type: ignore[assignment]

    _type: int
    _data: bytes
    _align: int

    def __init__(self, type: int, data: bytes = b"", align: int = 1) -> None:
        t = _int_in(type, 0, 255, "option type")
        if t < 2:
            raise ValueError("option types 0 and 1 are Pad1 and PadN: use Pad1() / PadN(n)")
        d = _as_bytes(data, "option data")
        if len(d) > 255:
            raise ValueError(f"option data must be at most 255 octets, not {len(d)}")
        a = _int_in(align, 1, 8, "align")
        if a not in _ALIGNS:
            raise ValueError(f"align must be 1, 2, 4 or 8, not {a}")
        if a > 1 and a > len(d):
            raise ValueError(f"align ({a}) cannot exceed the data length ({len(d)}) (RFC 3542 section 10.2)")
        self._set(t, d, a)

    def _set(self, type: int, data: bytes, align: int) -> None:
        object.__setattr__(self, "_type", type)
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_align", align)

    @classmethod
    def _make(cls: type[_O], type: int, data: bytes, align: int) -> _O:
        """Build without checks (for values parse has already checked)."""
        obj = object.__new__(cls)
        obj._set(type, data, align)
        return obj

    @property
    def type(self) -> int:
        """The 8-bit option type."""
        return self._type

    @property
    def data(self) -> bytes:
        """The option data (without type and length octets)."""
        return self._data

    @property
    def align(self) -> int:
        """The alignment of the end of the option in the header: 1, 2, 4 or 8."""
        return self._align

    @property
    def action(self) -> OptionAction:
        """What a node that does not know this type does: the type's two top bits (RFC 8200 section 4.2)."""
        return OptionAction(self._type >> 6)

    @property
    def mutable(self) -> bool:
        """Whether the option data may change en route: the type's third bit (RFC 8200 section 4.2)."""
        return bool(self._type & 0x20)

    def __bytes__(self) -> bytes:
        return bytes((self._type, len(self._data))) + self._data

    def __len__(self) -> int:
        """Octets the option occupies: type, length and data."""
        return 2 + len(self._data)

    def _key(self) -> tuple[Any, ...]:
        return (self._type, self._data, self._align)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self._key()))

    def _args(self) -> tuple[Any, ...]:
        return (self._type, self._data, self._align)

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._args())

    def __repr__(self) -> str:
        extra = f", align={self._align}" if self._align != 1 else ""
        return f"{self.__class__.__name__}({self._type:#04x}, {self._data!r}{extra})"


class Pad1(Option):
    """The one-octet Pad1 option (RFC 8200 section 4.2); ``parse`` returns it only with ``keep_padding``."""

    __slots__ = ()

    def __init__(self) -> None:
        self._set(0, b"", 1)

    def __bytes__(self) -> bytes:
        return b"\x00"

    def __len__(self) -> int:
        return 1

    def _args(self) -> tuple[Any, ...]:
        return ()

    def __repr__(self) -> str:
        return "Pad1()"


class PadN(Option):
    """The PadN option (RFC 8200 section 4.2): ``PadN(n)`` is n zero data octets (2 + n in all).

    ``PadN(data)`` keeps given data octets, as ``parse(..., keep_padding=True)``
    does for what it received (receivers ignore them; Linux drops non-zero ones).
    """

    __slots__ = ()

    def __init__(self, n: int | bytes = 0) -> None:
        if isinstance(n, int) and not isinstance(n, bool):
            data = bytes(_int_in(n, 0, 255, "PadN length"))
        else:
            data = _as_bytes(n, "PadN data")
            if len(data) > 255:
                raise ValueError(f"PadN data must be at most 255 octets, not {len(data)}")
        self._set(1, data, 1)

    def _args(self) -> tuple[Any, ...]:
        return (len(self._data) if not any(self._data) else self._data,)

    def __repr__(self) -> str:
        return f"PadN({self._args()[0]!r})"


class RouterAlert(Option):
    """Router Alert, type 0x05, alignment 2n+0 (RFC 2711): ``value`` 0 MLD, 1 RSVP, 2 Active Networks."""

    __slots__ = ()
    TYPE = 0x05

    def __init__(self, value: int) -> None:
        self._set(0x05, _U16.pack(_int_in(value, 0, 0xFFFF, "Router Alert value")), 2)

    @property
    def value(self) -> int:
        """The 16-bit value (see :class:`RouterAlertValue`)."""
        return int(_U16.unpack(self._data)[0])

    def _args(self) -> tuple[Any, ...]:
        return (self.value,)

    def __repr__(self) -> str:
        return f"RouterAlert({self.value})"


class JumboPayload(Option):
    """Jumbo Payload, type 0xC2, alignment 4n+2, Hop-by-Hop only (RFC 2675 section 2).

    ``length`` is the 32-bit Jumbo Payload Length; RFC 2675 requires it to
    exceed 65535 (a receiver rejects smaller values), which is not enforced here.
    """

    __slots__ = ()
    TYPE = 0xC2

    def __init__(self, length: int) -> None:
        self._set(0xC2, _U32.pack(_int_in(length, 0, 0xFFFFFFFF, "Jumbo Payload length")), 4)

    @property
    def length(self) -> int:
        """The Jumbo Payload Length."""
        return int(_U32.unpack(self._data)[0])

    def _args(self) -> tuple[Any, ...]:
        return (self.length,)

    def __repr__(self) -> str:
        return f"JumboPayload({self.length})"


class TunnelEncapsulationLimit(Option):
    """Tunnel Encapsulation Limit, type 0x04, no alignment, a Destination option (RFC 2473 section 5.1)."""

    __slots__ = ()
    TYPE = 0x04

    def __init__(self, limit: int) -> None:
        self._set(0x04, bytes((_int_in(limit, 0, 255, "Tunnel Encapsulation Limit"),)), 1)

    @property
    def limit(self) -> int:
        """How many further levels of encapsulation are permitted."""
        return self._data[0]

    def _args(self) -> tuple[Any, ...]:
        return (self.limit,)

    def __repr__(self) -> str:
        return f"TunnelEncapsulationLimit({self.limit})"


class HomeAddress(Option):
    """Home Address, type 0xC9, 16 octets, alignment 8n+6, a Destination option (RFC 6275 section 6.3).

    ``address`` is an ``IPv6Address``, its text or its 16 bytes (a scope is dropped).
    """

    __slots__ = ()
    TYPE = 0xC9

    def __init__(self, address: IPv6Address | str | bytes) -> None:
        self._set(0xC9, _as_address(address, "home address").packed, 8)

    @property
    def address(self) -> IPv6Address:
        """The mobile node's home address."""
        return _ipv6()(self._data)

    def _args(self) -> tuple[Any, ...]:
        return (str(self.address),)

    def __repr__(self) -> str:
        return f"HomeAddress({str(self.address)!r})"


#: option type -> (data length, class, align) of the options parse gives named classes
_NAMED: dict[int, tuple[int, type[Option], int]] = {
    cls.TYPE: (size, cls, align)
    for cls, size, align in (
        (RouterAlert, 2, 2),
        (JumboPayload, 4, 4),
        (TunnelEncapsulationLimit, 1, 1),
        (HomeAddress, 16, 8),
    )
}


def parse_options(data: bytes, keep_padding: bool = False, base: int = 0) -> tuple[Option, ...]:
    """Parse the options area of a Hop-by-Hop or Destination Options header (RFC 8200 section 4.2).

    ``data`` is the area after the Next Header and Hdr Ext Len octets.  Known
    types with their RFC length become named classes, the rest :class:`Option`
    with ``align=1``.  Pad1/PadN are dropped unless ``keep_padding``.
    :class:`MalformedError` when an option runs past the end; its offset
    counts from ``base`` (2 when called on a whole header).
    """
    buf = _as_bytes(data, "data")
    end = len(buf)
    out: list[Option] = []
    off = 0
    named = _NAMED
    while off < end:
        t = buf[off]
        if t == 0:
            if keep_padding:
                out.append(Pad1())
            off += 1
            continue
        if off + 1 >= end:
            raise MalformedError(f"option type {t:#04x} has no length octet", base + off)
        n = buf[off + 1]
        stop = off + 2 + n
        if stop > end:
            raise MalformedError(f"option type {t:#04x} of {n} data octets runs {stop - end} octets "
                                 "past the header", base + off)
        body = buf[off + 2:stop]
        if t == 1:
            if keep_padding:
                out.append(PadN._make(1, body, 1))
        else:
            known = named.get(t)
            if known is not None and known[0] == n:
                out.append(known[1]._make(t, body, known[2]))
            else:
                out.append(Option._make(t, body, 1))
        off = stop
    return tuple(out)


# --------------------------------------------------------------------------- headers


class _OptionsHeader:
    """Common part of the two options headers (RFC 8200 sections 4.3 and 4.6)."""

    __slots__ = ("_autopad", "_next_header", "_options", "_wire")
    __setattr__ = _frozen
    __delattr__ = _frozen  # type: ignore[assignment]

    _options: tuple[Option, ...]
    _next_header: int
    _autopad: bool
    _wire: bytes

    def __init__(self, options: Iterable[Option] = (), next_header: int = NO_NEXT_HEADER,
                 autopad: bool = True) -> None:
        if isinstance(options, Option):
            raise TypeError("options must be an iterable of Option objects; wrap a single one in a list")
        opts = tuple(options)
        for o in opts:
            if not isinstance(o, Option):
                raise TypeError(f"options must be Option objects, not {o.__class__.__name__}")
        nh = _int_in(next_header, 0, 255, "next_header")
        object.__setattr__(self, "_options", opts)
        object.__setattr__(self, "_next_header", nh)
        object.__setattr__(self, "_autopad", bool(autopad))
        object.__setattr__(self, "_wire", self._encode(opts, nh, bool(autopad)))

    @staticmethod
    def _encode(opts: tuple[Option, ...], nh: int, autopad: bool) -> bytes:
        out = bytearray(2)
        pads = _PADDING
        for o in opts:
            if autopad and o._align > 1:
                out += pads[-(len(out) + 2 + len(o._data)) % o._align]
            out += bytes((o._type, len(o._data))) if o._type else b"\x00"
            out += o._data
        size = len(out) + (-len(out) % 8)
        if size > MAX_HEADER_LEN:
            raise ValueError(f"the options need {size} octets, more than an extension header's "
                             f"{MAX_HEADER_LEN} (RFC 8200 section 4.3)")
        out += pads[size - len(out)]
        out[0] = nh
        out[1] = size // 8 - 1
        return bytes(out)

    @property
    def options(self) -> tuple[Option, ...]:
        """The options, in order (padding only when given or parsed with ``keep_padding``)."""
        return self._options

    @property
    def next_header(self) -> int:
        """The Next Header octet (the kernel overwrites it when sending)."""
        return self._next_header

    @property
    def autopad(self) -> bool:
        """Whether ``bytes()`` inserts padding to align each option (False: the caller's layout)."""
        return self._autopad

    def __bytes__(self) -> bytes:
        return self._wire

    def __len__(self) -> int:
        """The length of the header on the wire, in octets (a multiple of 8)."""
        return len(self._wire)

    def __iter__(self) -> Any:
        return iter(self._options)

    def find(self, type: int) -> Option | None:
        """Return the first option of this type, or None."""
        for o in self._options:
            if o._type == type:
                return o
        return None

    @classmethod
    def parse(cls: type[_H], data: bytes, keep_padding: bool = False) -> _H:
        """Read one whole header (Next Header and Hdr Ext Len included), as the kernel delivers it.

        Padding is dropped unless ``keep_padding``, which returns the options
        with their padding and ``autopad=False``, so that
        ``bytes(Class.parse(data, keep_padding=True)) == data``.  Raises
        :class:`MalformedError` (with the offset) for a truncated header, a
        length octet that disagrees with the data, or an option that overruns.
        """
        buf = _as_bytes(data, "data")
        if len(buf) < 2:
            raise MalformedError(f"{cls.__name__} needs at least 8 octets, got {len(buf)}", 0)
        size = (buf[1] + 1) * 8
        if len(buf) != size:
            raise MalformedError(f"Hdr Ext Len {buf[1]} means {size} octets, but {len(buf)} were given", 1)
        return cls(parse_options(buf[2:], keep_padding, 2), buf[0], not keep_padding)

    def _key(self) -> tuple[Any, ...]:
        return (self._next_header, self._options, self._autopad)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self._key()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self._options, self._next_header, self._autopad))

    def __repr__(self) -> str:
        extra = f", next_header={self._next_header}" if self._next_header != NO_NEXT_HEADER else ""
        extra += "" if self._autopad else ", autopad=False"
        return f"{self.__class__.__name__}({list(self._options)!r}{extra})"


class HopByHopOptions(_OptionsHeader):
    """A Hop-by-Hop Options header (RFC 8200 section 4.3), sent with ``IPV6_HOPOPTS`` (RFC 3542 section 8).

    ``HopByHopOptions([RouterAlert(0)])``; ``bytes(h)`` gives the wire header,
    ``HopByHopOptions.parse(data)`` reads one back.
    """

    __slots__ = ()


class DestinationOptions(_OptionsHeader):
    """A Destination Options header (RFC 8200 section 4.6), sent with ``IPV6_DSTOPTS`` or
    ``IPV6_RTHDRDSTOPTS`` (RFC 3542 section 9).

    ``DestinationOptions([TunnelEncapsulationLimit(4)])``; ``bytes(h)`` gives
    the wire header, ``DestinationOptions.parse(data)`` reads one back.
    """

    __slots__ = ()
