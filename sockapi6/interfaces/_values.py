"""``getifaddrs(3)`` as values: :class:`InterfaceAddress` (one entry) and :class:`Interface` (grouped).

Both are declared field by field with :func:`sockapi6._wire.field`, which
gives them their real constructor signature, a doc per field, immutability,
hashing and equality by value, a ``repr`` that names every field and
evaluates back, and errors that name the class and the field
(``"interfaces.Interface: index -1 is out of range 0..4294967295"``).  IPv6
addresses that need a scope carry it as a numeric ``scope_id`` (RFC 3493
section 3.3, design rule 5).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import TYPE_CHECKING

from .._convert import flags, int_range, octets, sequence_of, u32
from .._wire import REQUIRED, Record, field
from ._flags import InterfaceFlags

if TYPE_CHECKING:
    from typing import Any, Optional, Union

__all__ = ["InterfaceAddress", "Interface"]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"must be text (str), not {type(value).__name__}")
    return value


def _address(value: Any) -> Union[IPv6Address, IPv4Address, bytes]:
    """An IP address object (text is read as one), or a link-layer address as bytes."""
    if isinstance(value, (IPv6Address, IPv4Address)):
        return value
    if isinstance(value, str):
        return ip_address(value)
    return octets(value)


_prefix = int_range(0, 128, "prefixlen")


def _prefixlen(value: Any) -> Optional[int]:
    return None if value is None else _prefix(value)


def _link(value: Any) -> Optional[bytes]:
    return None if value is None else octets(value)


_index = int_range(0, 0xFFFFFFFF, "index")
_family = int_range(0, 0xFFFF, "family")
_flags = flags(InterfaceFlags, 32)


class InterfaceAddress(Record):
    """One entry of ``getifaddrs(3)``."""

    interface: str = field("", _text, REQUIRED, "the name libc reports (an IPv4 label such as ``eth0:1`` "
                           "included)")
    index: int = field("", _index, REQUIRED, "the interface index (0 if the interface vanished meanwhile)")
    flags: InterfaceFlags = field("", _flags, REQUIRED, "the interface's ``IFF_*`` flags "
                                  "(:class:`InterfaceFlags`)")
    family: int = field("", _family, REQUIRED, "``AF_INET6``, ``AF_INET`` or the link-layer family "
                        "(``AF_PACKET``/``AF_LINK``)")
    address: Union[IPv6Address, IPv4Address, bytes] = field(
        "", _address, REQUIRED, "``IPv6Address`` (link-local ones scoped by index), ``IPv4Address``, or the "
        "link-layer address as bytes (``b''`` if none); text is read as an IP address")
    prefixlen: Optional[int] = field("", _prefixlen, None, "from the netmask; None for link-layer entries, "
                                     "or when there is no netmask or it is not contiguous")
    scope_id: int = field("", u32, 0, "the numeric scope of an IPv6 address that needs one, else 0")


class Interface(Record):
    """One interface with everything ``getifaddrs(3)`` reported for it."""

    name: str = field("", _text, REQUIRED, "the interface name")
    index: int = field("", _index, REQUIRED, "the interface index (0 if it vanished meanwhile)")
    flags: InterfaceFlags = field("", _flags, REQUIRED, "the ``IFF_*`` flags (:class:`InterfaceFlags`)")
    addresses: tuple[InterfaceAddress, ...] = field(
        "", sequence_of(InterfaceAddress, "InterfaceAddress entries"), (),
        "the :class:`InterfaceAddress` entries (IPv6 and IPv4, in libc's order)", quiet=True)
    link_address: Optional[bytes] = field("", _link, None, "the hardware address (None if it has none)")
