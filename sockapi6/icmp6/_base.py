"""Shared machinery of the wire-format value objects of ``sockapi6.icmp6`` and ``sockapi6.mobility``.

* :class:`Value`: immutable, hashable, equal-by-value objects with ``__slots__``
  whose ``repr`` evaluates back to an equal object (fields left at their
  default are omitted).
* field converters (``u8`` ... ``u64``, :func:`address`, :func:`octets`,
  :func:`enum_or_int`), which raise ``TypeError`` / ``ValueError``;
* :func:`internet_checksum` and :func:`pseudo_header` (RFC 8200 section 8.1).
"""

from __future__ import annotations

import struct
from ipaddress import IPv6Address
from typing import TYPE_CHECKING

from ..errors import MalformedError

if TYPE_CHECKING:
    from enum import IntEnum, IntFlag
    from typing import Any, Callable, ClassVar, Union

    AddressLike = Union[IPv6Address, str, bytes, bytearray]

__all__ = ["Value", "internet_checksum", "pseudo_header"]


class Value:
    """Base of the value objects: fields named in ``_fields``, defaults in ``_defaults``.

    Subclasses list converters in ``_convert`` (field -> callable) applied by
    the constructor; a converter raises ``TypeError`` or ``ValueError``.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _convert: ClassVar[dict[str, Callable[[Any], Any]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        name = type(self).__name__
        if len(args) > len(self._fields):
            raise TypeError(f"{name}() takes at most {len(self._fields)} positional arguments")
        values = dict(zip(self._fields, args))
        for key, val in kwargs.items():
            if key not in self._fields:
                raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"{name}() got multiple values for argument {key!r}")
            values[key] = val
        for field in self._fields:
            if field in values:
                val = values[field]
            elif field in self._defaults:
                val = self._defaults[field]
            else:
                raise TypeError(f"{name}() missing required argument {field!r}")
            conv = self._convert.get(field)
            object.__setattr__(self, field, conv(val) if conv is not None else val)
        self._check()

    def _check(self) -> None:
        """Hook for checks across fields (raise ``ValueError``)."""

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Value)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def _shown(self) -> tuple[str, ...]:
        """The fields ``repr`` shows: all but reserved fields, checksum, padding... left at their default."""
        return tuple(f for f in self._fields
                     if f not in _QUIET or f not in self._defaults
                     or getattr(self, f) != self._convert_default(f))

    def _convert_default(self, field: str) -> Any:
        conv = self._convert.get(field)
        val = self._defaults[field]
        return conv(val) if conv is not None else val

    def __repr__(self) -> str:
        parts = [f"{f}={show(getattr(self, f))}" for f in self._shown()]
        return f"{type(self).__name__}({', '.join(parts)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._key()))


#: fields ``repr`` leaves out while they hold their default
_QUIET = frozenset(("reserved", "reserved2", "resv", "unused", "code", "checksum", "proto", "options", "data",
                    "packet", "sources", "aux_data", "addresses", "records", "padding", "value"))


def _rebuild(cls: type[Value], values: tuple[Any, ...]) -> Value:
    return cls(*values)


def show(value: Any) -> str:
    """``repr`` of a field value that evaluates with the package's names (enums, flags, tuples)."""
    from enum import Enum, Flag

    if isinstance(value, Flag):
        flag_type = type(value)
        known = [m for m in flag_type if m.value and (m.value & value.value) == m.value
                 and bin(m.value).count("1") == 1]
        rest = value.value
        for m in known:
            rest &= ~m.value
        words = [f"{flag_type.__name__}.{m.name}" for m in known]
        if rest or not words:
            words.append(f"{flag_type.__name__}({rest:#x})")
        return "|".join(words)
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, tuple):
        inner = ", ".join(show(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, IPv6Address):
        return f"IPv6Address({str(value)!r})"
    return repr(value)


# ---- converters ---------------------------------------------------------------------------------

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


# ---- wire helpers -------------------------------------------------------------------------------

def need(data: bytes, offset: int, size: int, what: str) -> None:
    """Raise :class:`MalformedError` unless ``size`` bytes of ``what`` start at ``offset``."""
    if offset + size > len(data):
        raise MalformedError(f"{what} needs {size} bytes but only {max(len(data) - offset, 0)} remain",
                             offset)


def unpack(fmt: struct.Struct, data: bytes, offset: int, what: str) -> tuple[Any, ...]:
    """``fmt.unpack_from`` with a :class:`MalformedError` when the data is too short."""
    need(data, offset, fmt.size, what)
    return fmt.unpack_from(data, offset)


def pseudo_header(src: AddressLike, dst: AddressLike, length: int, next_header: int) -> bytes:
    """The IPv6 pseudo-header of RFC 8200 section 8.1 for an upper-layer packet of ``length`` bytes."""
    if not 0 <= length <= 0xFFFFFFFF:
        raise ValueError(f"upper-layer length {length} out of range")
    return address(src).packed + address(dst).packed + struct.pack("!I3xB", length, u8(next_header))


def internet_checksum(data: bytes) -> int:
    """The 16-bit one's complement of the one's complement sum of ``data`` (RFC 1071)."""
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return int(~total & 0xFFFF)


def upper_layer_checksum(src: AddressLike, dst: AddressLike, data: bytes, next_header: int,
                         field: int) -> int:
    """Checksum of ``data`` (with its 2-byte checksum at ``field`` taken as zero) and the pseudo-header."""
    raw = bytes(data)
    if len(raw) < field + 2:
        raise MalformedError(f"message of {len(raw)} bytes has no checksum field at offset {field}")
    zeroed = raw[:field] + b"\x00\x00" + raw[field + 2:]
    return internet_checksum(pseudo_header(src, dst, len(raw), next_header) + zeroed)
