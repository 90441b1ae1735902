"""Field converters of the wire value objects: ints, octets and bare addresses.

One place for what :mod:`sockapi6.icmp6` (RFC 4443, RFC 4861),
:mod:`sockapi6.mobility` (RFC 6275), :mod:`sockapi6.exthdr` and
:mod:`sockapi6.routing` (RFC 8200 section 4) accept for a field.  Each
converter takes what a caller may pass and returns the value the object
keeps: ``TypeError`` for a wrong type, ``ValueError`` for a value out of
range (design rule 4), naming the field.  Ints go through
:func:`sockapi6._checks.check_int` once the fast path (an exact ``int`` in
range) fails.  Addresses lose their scope, because these wire formats carry
bare addresses; their 16 octets come from :mod:`sockapi6.address` (its
``inet_pton`` fast path and its error messages), loaded on first use to keep
``import sockapi6`` cheap.
"""

from __future__ import annotations

from socket import AF_INET6 as _AF_INET6
from socket import inet_pton as _inet_pton
from typing import TYPE_CHECKING

from ._checks import check_int

if TYPE_CHECKING:
    from collections.abc import Iterable
    from enum import IntEnum, IntFlag
    from ipaddress import IPv6Address
    from typing import Any, Callable, NoReturn, Union

    #: what an address field accepts
    AddressLike = Union[IPv6Address, str, bytes, bytearray, memoryview]

__all__ = [
    "address", "address_list", "addresses", "enum_or_int", "fixed_octets", "flags", "frozen", "int_in",
    "octets", "s16", "sequence_of", "u8", "u16", "u32", "u64",
]


def frozen(self: object, name: str, value: object = None) -> NoReturn:
    """``__setattr__`` / ``__delattr__`` of the immutable header objects."""
    raise AttributeError(f"{self.__class__.__name__} objects are immutable")


# ---------------------------------------------------------------------------
# ints
# ---------------------------------------------------------------------------

def int_in(value: object, low: int, high: int, what: str) -> int:
    """Return ``value`` as a plain ``int`` in ``low..high``: TypeError / ValueError otherwise."""
    if value.__class__ is int and low <= value <= high:
        return value
    return int(check_int(value, low, high, what))


def _int_range(low: int, high: int, what: str) -> Callable[[Any], int]:
    """A one-argument :func:`int_in` for ``low..high`` (the converter of one field width)."""

    def conv(value: Any) -> int:
        if value.__class__ is int and low <= value <= high:
            return value
        return int(check_int(value, low, high, what))

    return conv


def _uint(bits: int) -> Callable[[Any], int]:
    return _int_range(0, (1 << bits) - 1, f"{bits}-bit field")


u8 = _uint(8)
u16 = _uint(16)
u32 = _uint(32)
u64 = _uint(64)
#: a signed 16-bit field (two's complement on the wire)
s16 = _int_range(-0x8000, 0x7FFF, "signed 16-bit field")


def enum_or_int(enum: type[IntEnum], bits: int) -> Callable[[Any], int]:
    """A field holding ``enum`` members, or a plain int for values the enum does not name."""
    check = _uint(bits)

    def conv(value: Any) -> int:
        number = check(value)
        try:
            return enum(number)
        except ValueError:
            return number

    return conv


def flags(flag: type[IntFlag], bits: int) -> Callable[[Any], int]:
    """A flags field: an ``IntFlag`` holding every bit as given (unknown and reserved bits kept)."""
    check = _uint(bits)

    def conv(value: Any) -> int:
        return flag(check(value))

    return conv


# ---------------------------------------------------------------------------
# octets and sequences
# ---------------------------------------------------------------------------

def octets(value: object, what: str = "field") -> bytes:
    """Return a bytes-like ``value`` as ``bytes``: TypeError for anything else (``str`` included)."""
    if value.__class__ is bytes:
        return value
    if isinstance(value, str):
        raise TypeError(f"{what} must be bytes-like, not str")
    try:
        return bytes(memoryview(value))  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{what} must be bytes-like, not {value.__class__.__name__}") from None


def fixed_octets(size: int) -> Callable[[Any], bytes]:
    """A bytes field of exactly ``size`` bytes."""

    def conv(value: Any) -> bytes:
        raw = octets(value)
        if len(raw) != size:
            raise ValueError(f"expected {size} bytes, got {len(raw)}")
        return raw

    return conv


def sequence_of(kind: Any, what: str) -> Callable[[Any], tuple[Any, ...]]:
    """A tuple of objects of class ``kind``."""

    def conv(value: Any) -> tuple[Any, ...]:
        if isinstance(value, (str, bytes)) or isinstance(value, kind):
            raise TypeError(f"expected a sequence of {what}")
        items = tuple(value)
        for item in items:
            if not isinstance(item, kind):
                raise TypeError(f"expected {what}, got {type(item).__name__}")
        return items

    return conv


# ---------------------------------------------------------------------------
# bare addresses
# ---------------------------------------------------------------------------

_lazy: list[Any] = []  # [IPv6Address, address._to_bytes] once loaded


def _load() -> list[Any]:
    from ipaddress import IPv6Address

    from .address import _to_bytes

    _lazy[:] = [IPv6Address, _to_bytes]
    return _lazy


def address(value: object, what: str = "address") -> IPv6Address:
    """Return an ``IPv6Address`` without scope from an address, its text or its 16 bytes.

    A scope (``fe80::1%eth0``, ``IPv6Address("fe80::1%2")``) is dropped
    without being looked up.  ``ValueError`` for text that is no IPv6
    address (IPv4 included) or a length other than 16; ``TypeError`` for
    other types.
    """
    cls, to_bytes = _lazy or _load()
    if value.__class__ is cls and value.scope_id is None:  # type: ignore[attr-defined]
        return value  # type: ignore[return-value]
    if value.__class__ is str:  # the fast path of address text; errors are worded by sockapi6.address
        try:
            return cls(_inet_pton(_AF_INET6, value.partition("%")[0]))  # type: ignore[no-any-return]
        except (OSError, ValueError):
            pass
    try:
        return cls(to_bytes(value))  # type: ignore[no-any-return]
    except TypeError as exc:
        raise TypeError(f"{what}: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


def addresses(values: Iterable[AddressLike], what: str = "addresses") -> tuple[IPv6Address, ...]:
    """Return each of ``values`` through :func:`address`; TypeError for one lone address."""
    if isinstance(values, (str, bytes, bytearray, memoryview, (_lazy or _load())[0])):
        raise TypeError(f"{what} must be an iterable of addresses, not one {values.__class__.__name__}")
    return tuple([address(a, what) for a in values])


def address_list(raw: bytes) -> tuple[IPv6Address, ...]:
    """Cut ``raw`` (a multiple of 16 octets, already checked) into addresses, in order."""
    cls = (_lazy or _load())[0]
    return tuple([cls(raw[i:i + 16]) for i in range(0, len(raw), 16)])
