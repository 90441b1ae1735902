"""Field converters of the wire value objects (:class:`sockapi6._wire.Value`).

Each takes what a caller may pass for a field and returns the value the
object keeps, raising ``TypeError`` for a wrong type and ``ValueError`` for
a value out of range (design rule 4).  Addresses lose any scope: the wire
formats (RFC 4443, RFC 4861, RFC 6275) carry none.
"""

from __future__ import annotations

from ipaddress import IPv6Address
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from enum import IntEnum, IntFlag
    from typing import Any, Callable, Union

    #: what an address field accepts
    AddressLike = Union[IPv6Address, str, bytes, bytearray]

__all__ = [
    "address", "addresses", "enum_or_int", "fixed_octets", "flags", "octets", "s16", "sequence_of",
    "u8", "u16", "u32", "u64",
]


def _uint(bits: int) -> Callable[[Any], int]:
    limit = 1 << bits

    def conv(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected an int of {bits} bits, got {type(value).__name__}")
        if not 0 <= value < limit:
            raise ValueError(f"{value} does not fit in {bits} unsigned bits")
        return int(value)

    return conv


u8 = _uint(8)
u16 = _uint(16)
u32 = _uint(32)
u64 = _uint(64)


def s16(value: Any) -> int:
    """A signed 16-bit field (two's complement on the wire)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an int, got {type(value).__name__}")
    if not -0x8000 <= value < 0x8000:
        raise ValueError(f"{value} does not fit in 16 signed bits")
    return int(value)


def address(value: Any) -> IPv6Address:
    """An address field: ``IPv6Address``, text, or 16 bytes (no scope on the wire)."""
    if isinstance(value, IPv6Address):
        return IPv6Address(value.packed) if value.scope_id else value
    if isinstance(value, str):
        return IPv6Address(value.split("%", 1)[0])
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        if len(raw) != 16:
            raise ValueError(f"an IPv6 address is 16 bytes, got {len(raw)}")
        return IPv6Address(raw)
    raise TypeError(f"expected an IPv6 address, got {type(value).__name__}")


def addresses(value: Any) -> tuple[IPv6Address, ...]:
    """A sequence of addresses, as a tuple of ``IPv6Address``."""
    if isinstance(value, (str, bytes, bytearray, IPv6Address)):
        raise TypeError("expected a sequence of addresses, not a single address")
    return tuple(address(a) for a in value)


def octets(value: Any) -> bytes:
    """A bytes field (any bytes-like object)."""
    if isinstance(value, str) or not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected bytes, got {type(value).__name__}")
    return bytes(value)


def fixed_octets(size: int) -> Callable[[Any], bytes]:
    """A bytes field of exactly ``size`` bytes."""

    def conv(value: Any) -> bytes:
        raw = octets(value)
        if len(raw) != size:
            raise ValueError(f"expected {size} bytes, got {len(raw)}")
        return raw

    return conv


def enum_or_int(enum: type[IntEnum], bits: int) -> Callable[[Any], int]:
    """A field holding ``enum`` members, or a plain int for values the enum does not name."""
    check = _uint(bits)

    def conv(value: Any) -> int:
        number = int(check(value))
        try:
            return enum(number)
        except ValueError:
            return number

    return conv


def flags(flag: type[IntFlag], bits: int) -> Callable[[Any], int]:
    """A flags field: an ``IntFlag`` holding every bit as given (unknown and reserved bits kept)."""
    check = _uint(bits)

    def conv(value: Any) -> int:
        return flag(int(check(value)))

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
