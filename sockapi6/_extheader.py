"""What every extension header object shares (RFC 8200 section 4): Next Header, Hdr Ext Len, value plumbing.

:class:`ExtensionHeader` is the base of the options headers
(:mod:`sockapi6.exthdr`) and the routing headers (:mod:`sockapi6.routing`):
an immutable :class:`~sockapi6._wire.Record` whose state is its wire
bytes, computed once when it is built and kept as received when parsed;
its fields are declared with :func:`~sockapi6._wire.field` as views of
those bytes (signature, field docs and ``repr`` come from the declarations).
Two headers of one family (Hop-by-Hop Options; Destination Options; routing
headers of every type) are equal exactly when their wire bytes are, and hash
alike.  :func:`whole_header` checks that a buffer is exactly one header as
its Hdr Ext Len octet describes it, :func:`address_octets` joins the 16
octets of addresses.
"""

from __future__ import annotations

from itertools import repeat
from socket import AF_INET6 as _AF_INET6
from socket import inet_pton as _inet_pton
from typing import TYPE_CHECKING

from ._convert import octets, packed, slot_setter
from ._wire import Field, Record
from .errors import MalformedError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Callable, ClassVar

    from ._convert import AddressLike

__all__ = [
    "MAX_HEADER_LEN", "NO_NEXT_HEADER", "ExtensionHeader", "address_octets", "set_wire",
    "whole_header",
]

#: RFC 8200 section 4.7: the Next Header value "No Next Header"
NO_NEXT_HEADER = 59
#: largest header the 8-bit Hdr Ext Len can describe: (255 + 1) * 8 octets (RFC 8200 sections 4.3-4.6)
MAX_HEADER_LEN = 2048


class ExtensionHeader(Record):
    """Base of the extension header classes: immutable, its wire form made once (RFC 8200 section 4).

    The wire bytes are the state: the fields, declared with
    :func:`sockapi6._wire.field` as views (``_views``), are read back from
    them (Next Header is the first octet), so that making a header sets few
    slots.  A class's constructor is its own fast path; signature, field
    docs and ``repr`` come from the declarations.  Equality and hashing are
    by those bytes, among the headers of one ``_FAMILY``.
    """

    __slots__ = ("_wire",)
    _views = True

    _wire: bytes
    #: the headers that compare with each other (by their wire bytes)
    _FAMILY: ClassVar[str] = ""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ExtensionHeader) and other._FAMILY == self._FAMILY:
            return self._wire == other._wire
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, ExtensionHeader) and other._FAMILY == self._FAMILY:
            return self._wire != other._wire
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._wire)

    def _key(self) -> tuple[Any, ...]:
        return (self._wire,)

    @classmethod
    def _view_getter(cls, spec: Field) -> Callable[[Any], Any]:
        """A field the class gives no ``_get_<name>`` for is a property of a base class (``next_header``)."""
        for klass in cls.__mro__:
            prop = klass.__dict__.get(spec.name)
            if isinstance(prop, property) and prop.fget is not None:
                return prop.fget
        raise TypeError(f"{cls.__name__}: no getter for the field {spec.name!r}")

    @property
    def next_header(self) -> int:
        """The Next Header octet (the kernel overwrites it when sending)."""
        return self._wire[0]

    def __bytes__(self) -> bytes:
        return self._wire

    def __len__(self) -> int:
        """The length of the header on the wire, in octets (a multiple of 8)."""
        return len(self._wire)


#: ``set_wire(header, data)``: fill the ``_wire`` slot of a new header (``__setattr__`` refuses)
set_wire = slot_setter(ExtensionHeader, "_wire")


def whole_header(data: object, name: str, minimum: int = 2, short_offset: int | None = None) -> bytes:
    """Return ``data`` as bytes after checking it is one whole header (RFC 8200 section 4.3-4.6).

    Its length must be ``(Hdr Ext Len + 1) * 8``.  :class:`MalformedError`
    for fewer than ``minimum`` octets (at ``short_offset``, by default where
    the data ends) and for a length that disagrees with the Hdr Ext Len octet
    (at offset 1); ``TypeError`` for a ``data`` that is not bytes-like.
    """
    buf = octets(data, "data")
    if len(buf) < minimum:
        raise MalformedError(f"{name} needs at least 8 octets, got {len(buf)}",
                             len(buf) if short_offset is None else short_offset)
    size = (buf[1] + 1) * 8
    if len(buf) != size:
        raise MalformedError(f"Hdr Ext Len {buf[1]} means {size} octets, but {len(buf)} were given", 1)
    return buf


def address_octets(values: Iterable[AddressLike], what: str) -> bytes:
    """The 16 octets of each address of ``values`` joined in order (scopes dropped).

    Text and ``IPv6Address`` objects take a fast path each; anything else,
    and errors, go through :func:`sockapi6._convert.packed` one by one.
    ``TypeError`` for a lone address or a non-iterable.
    """
    items = values if values.__class__ is list or values.__class__ is tuple else _listed(values, what)
    if not items:
        return b""
    first = items[0].__class__
    if first is str:
        try:  # text without a scope, converted in C
            return b"".join(map(_inet_pton, repeat(_AF_INET6), items))
        except (OSError, TypeError, ValueError):
            pass
    elif first is (_ipv6 or _load_ipv6()):
        if _ip is not None:  # the address's int, straight to its 16 octets: cheaper than .packed
            octs = [_to_bytes(_ip(a), 16, "big") for a in items if a.__class__ is first]
        else:
            octs = [a.packed for a in items if a.__class__ is first]
        if len(octs) == len(items):
            return b"".join(octs)
    return b"".join([packed(a, what) for a in items])


_ipv6: Any = None  # ipaddress.IPv6Address, once needed
_ip: Any = None  # reads an IPv6Address's int, where ipaddress keeps it in the _ip slot (CPython 3.8+)
_to_bytes = int.to_bytes


def _load_ipv6() -> Any:
    global _ipv6, _ip
    from ipaddress import IPv6Address
    from operator import attrgetter

    probe = IPv6Address("::1")
    if getattr(probe, "_ip", None) == 1:
        _ip = attrgetter("_ip")
    _ipv6 = IPv6Address
    return _ipv6


def _listed(values: object, what: str) -> list[Any]:
    if isinstance(values, (str, bytes, bytearray, memoryview)) or hasattr(values, "packed"):
        raise TypeError(f"{what} must be an iterable of addresses, not one {values.__class__.__name__}")
    try:
        return list(values)  # type: ignore[call-overload,no-any-return]
    except TypeError:
        raise TypeError(f"{what} must be an iterable of addresses, not {values.__class__.__name__}") from None
