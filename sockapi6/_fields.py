"""Field values of the extension headers (RFC 8200 section 4): ints, octets and bare addresses.

Each converter takes what a caller may pass for one field and returns what
the header object keeps: ``TypeError`` for a wrong type, ``ValueError`` for
a value out of range (design rule 4), both naming the field.  Addresses lose
their scope, because extension headers carry bare addresses; the 16 octets
come from :mod:`sockapi6.address` (its ``inet_pton`` fast path and its error
messages), loaded on first use to keep ``import sockapi6`` cheap.
"""

from __future__ import annotations

from socket import AF_INET6 as _AF_INET6
from socket import inet_pton as _inet_pton
from typing import TYPE_CHECKING

from ._checks import check_int

if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv6Address
    from typing import Any, NoReturn, Union

    #: what an address field accepts
    AddressLike = Union[IPv6Address, str, bytes, bytearray, memoryview]

__all__ = ["address_list", "as_bytes", "bare_address", "bare_addresses", "frozen", "int_in"]


def frozen(self: object, name: str, value: object = None) -> NoReturn:
    """``__setattr__`` / ``__delattr__`` of the immutable header objects."""
    raise AttributeError(f"{self.__class__.__name__} objects are immutable")


def int_in(value: object, low: int, high: int, what: str) -> int:
    """Return ``value`` as a plain ``int`` in ``low..high``: TypeError / ValueError otherwise."""
    if value.__class__ is int and low <= value <= high:
        return value
    return int(check_int(value, low, high, what))


def as_bytes(value: object, what: str) -> bytes:
    """Return a bytes-like ``value`` as ``bytes``: TypeError for anything else (``str`` included)."""
    if value.__class__ is bytes:
        return value
    if isinstance(value, str):
        raise TypeError(f"{what} must be bytes-like, not str")
    try:
        return bytes(memoryview(value))  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{what} must be bytes-like, not {value.__class__.__name__}") from None


_lazy: list[Any] = []  # [IPv6Address, address._to_bytes] once loaded


def _load() -> list[Any]:
    from ipaddress import IPv6Address

    from .address import _to_bytes

    _lazy[:] = [IPv6Address, _to_bytes]
    return _lazy


def bare_address(value: object, what: str = "address") -> IPv6Address:
    """Return an ``IPv6Address`` without scope from an address, its text or its 16 bytes.

    A scope (``fe80::1%eth0``, ``IPv6Address("fe80::1%2")``) is dropped
    without being looked up.  ``ValueError`` for text that is no IPv6
    address (IPv4 included) or a length other than 16; ``TypeError`` for
    other types.
    """
    cls, to_bytes = _lazy or _load()
    if value.__class__ is cls and value.scope_id is None:  # type: ignore[attr-defined]
        return value  # type: ignore[return-value]
    if value.__class__ is str:  # the fast path of address text; errors are worded by address.py
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


def bare_addresses(values: Iterable[AddressLike], what: str) -> tuple[IPv6Address, ...]:
    """Return each of ``values`` through :func:`bare_address`; TypeError for one lone address."""
    if isinstance(values, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"{what} must be an iterable of addresses, not one {values.__class__.__name__}")
    return tuple([bare_address(a, what) for a in values])


def address_list(raw: bytes) -> tuple[IPv6Address, ...]:
    """Cut ``raw`` (a multiple of 16 octets, already checked) into addresses, in order."""
    cls = (_lazy or _load())[0]
    return tuple([cls(raw[i:i + 16]) for i in range(0, len(raw), 16)])
