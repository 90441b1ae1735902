"""``getifaddrs(3)`` as values: :class:`InterfaceAddress` (one entry) and :class:`Interface` (grouped).

Both are immutable, hashable and equal by value (:class:`sockapi6._value.ValueObject`),
and their ``repr`` names every field and evaluates back.  IPv6 addresses that
need a scope carry it as a numeric ``scope_id`` (RFC 3493 section 3.3, design rule 5).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import TYPE_CHECKING

from .._value import ValueObject
from ._flags import InterfaceFlags

if TYPE_CHECKING:
    from typing import Any, Optional, Union

__all__ = ["InterfaceAddress", "Interface"]


class _Fields(ValueObject):
    """Immutable, hashable, equal by value; ``repr`` names every field and evaluates back."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _assign(self, values: tuple[Any, ...]) -> None:
        """Set the fields, in :attr:`_fields` order, once (from ``__init__``)."""
        for name, value in zip(self._fields, values):
            object.__setattr__(self, name, value)

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"


class InterfaceAddress(_Fields):
    """One entry of ``getifaddrs(3)``.

    * ``interface``: the name libc reports (an IPv4 label such as ``eth0:1`` included);
    * ``index``: the interface index (0 if the interface vanished meanwhile);
    * ``flags``: :class:`InterfaceFlags`;
    * ``family``: ``AF_INET6``, ``AF_INET`` or the link-layer family (``AF_PACKET``/``AF_LINK``);
    * ``address``: ``IPv6Address`` (link-local ones scoped by index, design rule 5),
      ``IPv4Address``, or the link-layer address as ``bytes`` (``b""`` if it has none);
      text is read as an IP address;
    * ``prefixlen``: from the netmask; ``None`` for link-layer entries, or
      when there is no netmask or it is not contiguous;
    * ``scope_id``: the numeric scope of an IPv6 address that needs one, else 0.
    """

    _fields = ("interface", "index", "flags", "family", "address", "prefixlen", "scope_id")
    __slots__ = tuple(sorted(_fields))
    interface: str
    index: int
    flags: InterfaceFlags
    family: int
    address: Union[IPv6Address, IPv4Address, bytes]
    prefixlen: Optional[int]
    scope_id: int

    def __init__(self, interface: str, index: int, flags: int, family: int,
                 address: Union[IPv6Address, IPv4Address, bytes, str], prefixlen: Optional[int] = None,
                 scope_id: int = 0) -> None:
        if isinstance(address, str):
            address = ip_address(address)
        self._assign((str(interface), int(index), InterfaceFlags(flags), int(family), address,
                      None if prefixlen is None else int(prefixlen), int(scope_id)))


class Interface(_Fields):
    """One interface with everything ``getifaddrs(3)`` reported for it.

    ``addresses`` is a tuple of :class:`InterfaceAddress` (IPv6 and IPv4, in
    libc's order); ``link_address`` the hardware address (``None`` if none).
    """

    _fields = ("name", "index", "flags", "addresses", "link_address")
    __slots__ = tuple(sorted(_fields))
    name: str
    index: int
    flags: InterfaceFlags
    addresses: tuple[InterfaceAddress, ...]
    link_address: Optional[bytes]

    def __init__(self, name: str, index: int, flags: int, addresses: tuple[InterfaceAddress, ...] = (),
                 link_address: Optional[bytes] = None) -> None:
        self._assign((str(name), int(index), InterfaceFlags(flags), tuple(addresses),
                      None if link_address is None else bytes(link_address)))
