"""Field converters of the wire value objects: ints, octets and bare addresses.

One place for what :mod:`sockapi6.icmp6` (RFC 4443, RFC 4861),
:mod:`sockapi6.mobility` (RFC 6275), :mod:`sockapi6.exthdr` and
:mod:`sockapi6.routing` (RFC 8200 section 4) accept for a field.  Each
converter takes what a caller may pass and returns the value the object
keeps: ``TypeError`` for a wrong type, ``ValueError`` for a value out of
range (design rule 4), naming the field.  Ints go through
:func:`sockapi6._checks.check_int` once the fast path (an exact ``int`` in
range) fails.  Addresses lose their scope, because these wire formats carry
bare addresses; their 16 octets come from :mod:`sockapi6._inet6` (the
``inet_pton`` fast path and the error messages :mod:`sockapi6.address` uses
too, with no OS behind them), loaded on first use to keep ``import sockapi6``
cheap.  :func:`packed` and :func:`packed_list` stop at
the octets, for headers that keep their wire form and make ``IPv6Address``
objects only when asked (:func:`address_list`).
"""

from __future__ import annotations

from itertools import repeat
from socket import AF_INET6 as _AF_INET6
from socket import inet_pton as _inet_pton
from typing import TYPE_CHECKING

from ._checks import check_int

if TYPE_CHECKING:
    from collections.abc import Iterable
    from enum import IntEnum, IntFlag
    from ipaddress import IPv6Address
    from typing import Any, Callable, Literal, NoReturn, Union

    #: what an address field accepts
    AddressLike = Union[IPv6Address, str, bytes, bytearray, memoryview]

__all__ = [
    "address", "address_list", "addresses", "enum_or_int", "fixed_octets", "flags", "frozen", "int_in",
    "int_range", "mark", "octets", "packed", "packed_list", "s16", "sequence_of", "slot_setter", "u8", "u16",
    "u32", "u64",
]


def frozen(self: object, name: str, value: object = None) -> NoReturn:
    """``__setattr__`` / ``__delattr__`` of the immutable header objects."""
    raise AttributeError(f"{self.__class__.__name__} objects are immutable")


def slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """``setter(obj, value)`` fills slot ``name`` of a ``cls`` object past :func:`frozen`.

    The slot descriptor's own ``__set__``: cheaper than ``object.__setattr__``,
    for the constructors of the immutable objects.
    """
    return getattr(cls, name).__set__  # type: ignore[no-any-return]


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

    return _mark(conv, what, exact=True)


def _mark(conv: Callable[[Any], Any], what: str, exact: bool = False) -> Callable[[Any], Any]:
    """Tag converter ``conv`` for :mod:`sockapi6._wire`.

    ``what`` is how its messages name the value (the field framework puts
    the field's name in its place); ``exact`` says that every value the
    field's wire format decodes to is already what ``conv`` would return,
    so the receive path may skip it.
    """
    conv.what = what  # type: ignore[attr-defined]
    conv.exact = exact  # type: ignore[attr-defined]
    return conv


#: a converter for ints in ``low..high`` (``what`` names the value in errors)
int_range = _int_range
#: tag a converter with how its messages name the value (see :func:`_mark`)
mark = _mark


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

    return _mark(conv, check.what)  # type: ignore[attr-defined]


def flags(flag: type[IntFlag], bits: int) -> Callable[[Any], int]:
    """A flags field: an ``IntFlag`` holding every bit as given (unknown and reserved bits kept)."""
    check = _uint(bits)

    def conv(value: Any) -> int:
        return flag(check(value))

    return _mark(conv, check.what)  # type: ignore[attr-defined]


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


_mark(octets, "field", exact=True)


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

_lazy: list[Any] = []  # [IPv6Address, _inet6.to_bytes] once loaded


def _load() -> list[Any]:
    from ipaddress import IPv6Address

    from ._inet6 import to_bytes

    _lazy[:] = [IPv6Address, to_bytes]
    return _lazy


def packed(value: object, what: str = "address") -> bytes:
    """Return the 16 octets of an address, its text or its 16 bytes, without its scope.

    The same inputs and errors as :func:`address`, without making an
    ``IPv6Address``: the form the wire headers keep.
    """
    if value.__class__ is str:  # the fast path of address text; errors are worded by sockapi6._inet6
        try:
            return _inet_pton(_AF_INET6, value.partition("%")[0] if "%" in value else value)
        except (OSError, ValueError):
            pass
    elif value.__class__ is bytes and len(value) == 16:
        return value
    to_bytes = (_lazy or _load())[1]
    try:
        return to_bytes(value)  # type: ignore[no-any-return]
    except TypeError as exc:
        raise TypeError(f"{what}: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


def address(value: object, what: str = "address") -> IPv6Address:
    """Return an ``IPv6Address`` without scope from an address, its text or its 16 bytes.

    A scope (``fe80::1%eth0``, ``IPv6Address("fe80::1%2")``) is dropped
    without being looked up.  ``ValueError`` for text that is no IPv6
    address (IPv4 included) or a length other than 16; ``TypeError`` for
    other types.
    """
    cls = (_lazy or _load())[0]
    if value.__class__ is cls and value.scope_id is None:  # type: ignore[attr-defined]
        return value  # type: ignore[return-value]
    return cls(packed(value, what))  # type: ignore[no-any-return]


def _not_one(values: object, what: str) -> None:
    """TypeError when ``values`` is one address rather than an iterable of them."""
    if isinstance(values, (str, bytes, bytearray, memoryview, (_lazy or _load())[0])):
        raise TypeError(f"{what} must be an iterable of addresses, not one {values.__class__.__name__}")


def addresses(values: Iterable[AddressLike], what: str = "addresses") -> tuple[IPv6Address, ...]:
    """Return each of ``values`` through :func:`address`; TypeError for one lone address."""
    _not_one(values, what)
    return tuple([address(a, what) for a in values])


def packed_list(values: Iterable[AddressLike], what: str = "addresses") -> bytes:
    """The 16 octets of each of ``values`` (as :func:`packed`) joined in order; TypeError for one address."""
    _not_one(values, what)
    items = values if values.__class__ is list or values.__class__ is tuple else list(values)
    try:  # the common case, text without a scope, converted in C; anything else goes one by one
        return b"".join(map(_inet_pton, repeat(_AF_INET6), items))
    except (OSError, TypeError, ValueError):
        return b"".join([packed(a, what) for a in items])


_BIG: Literal["big"] = "big"
_splitters: dict[int, Callable[[bytes], tuple[bytes, ...]]] = {}  # n -> cut 16n octets into n


def address_list(raw: bytes) -> tuple[IPv6Address, ...]:
    """Cut ``raw`` (a multiple of 16 octets, already checked) into addresses, in order."""
    cls = (_lazy or _load())[0]
    n = len(raw) >> 4
    split = _splitters.get(n)
    if split is None:
        from struct import Struct

        split = _splitters[n] = Struct("16s" * n).unpack
    return tuple(map(cls, map(int.from_bytes, split(raw), repeat(_BIG))))  # from ints: the cheaper path
