"""Neighbor Discovery options (RFC 4861 section 4.6, RFC 6275 7.2-7.4); the DNS ones are in ``_dns``.

Every option is a type, a length in units of 8 octets (never 0) and data;
``bytes(option)`` pads the data to the 8-octet boundary where the format
allows it.  :func:`parse_options` reads a run of options, keeping unknown
ones as :class:`UnknownNDOption`.
"""

from __future__ import annotations

import struct
from enum import IntEnum, IntFlag
from typing import TYPE_CHECKING

from .._checks import check_span
from .._convert import address, fixed_octets, flags, octets, s16, sequence_of, u8, u16, u32
from .._wire import Typed
from ..errors import MalformedError

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, ClassVar, Optional

__all__ = [
    "NDOption", "SourceLinkLayerAddress", "TargetLinkLayerAddress", "PrefixInformation", "PIFlag",
    "RedirectedHeader", "MTU", "AdvertisementInterval", "HomeAgentInformation", "UnknownNDOption",
    "NDOptionType", "parse_options", "INFINITY",
]

#: the all-ones lifetime: "infinity" (RFC 4861 4.6.2, RFC 8106 5.1)
INFINITY = 0xFFFFFFFF


class NDOptionType(IntEnum):
    """Neighbor Discovery option types (IANA "IPv6 Neighbor Discovery Option Formats")."""

    SOURCE_LINKADDR = 1
    TARGET_LINKADDR = 2
    PREFIX_INFORMATION = 3
    REDIRECTED_HEADER = 4
    MTU = 5
    ADV_INTERVAL = 7
    HOME_AGENT_INFO = 8
    ROUTE_INFO = 24
    RDNSS = 25
    DNSSL = 31


class PIFlag(IntFlag):
    """Prefix Information flags (RFC 4861 4.6.2; R from RFC 6275 7.2)."""

    ON_LINK = 0x80
    AUTONOMOUS = 0x40
    ROUTER = 0x20


class NDOption(Typed):
    """A Neighbor Discovery option: ``bytes(opt)`` is its wire form (RFC 4861 4.6).

    ``class X(NDOption, number=N)`` makes ``X`` the class :func:`parse_options`
    uses for option type ``N``.
    """

    __slots__ = ()
    _registry: ClassVar[dict[int, type[Any]]] = {}

    def __bytes__(self) -> bytes:
        body = self._pack_body()
        size = 2 + len(body)
        if size % 8:
            body += bytes(8 - size % 8)
            size = 2 + len(body)
        if size > 255 * 8:
            raise ValueError(f"{type(self).__name__} of {size} octets exceeds the 2040-octet maximum")
        return bytes((self.type, size // 8)) + body

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> NDOption:
        """Build from the option's bytes after type and length (``offset``: where the option starts)."""
        values = cls._unpack_body(data, 0)
        tail = data[cls._body.size:]
        return cls(**values, **cls._tail_values(tail, offset + 2 + cls._body.size))

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int) -> dict[str, Any]:
        """The variable part from ``tail`` (what follows the fixed fields, padding included)."""
        if cls._tail:
            return {cls._tail: tail}
        if any(tail):
            raise MalformedError(f"{cls.__name__} option has {len(tail)} unexpected octets", offset)
        if len(tail) >= 8:
            raise MalformedError(f"{cls.__name__} option is {len(tail)} octets too long", offset)
        return {}


def _link_address(value: Any) -> str:
    if isinstance(value, str):
        try:
            raw = bytes(int(part, 16) for part in value.replace("-", ":").split(":"))
        except ValueError:
            raise ValueError(f"{value!r} is not a link-layer address like '02:00:5e:00:53:01'") from None
    else:
        raw = octets(value)
    if not raw:
        raise ValueError("a link-layer address needs at least one octet")
    pad = (-(2 + len(raw))) % 8
    return ":".join(f"{b:02x}" for b in raw + bytes(pad))


class _LinkLayer(NDOption):
    __slots__ = ("address",)
    _tail = "address"
    _fields = ("address",)
    _convert: ClassVar[dict[str, Any]] = {"address": _link_address}
    address: str

    @property
    def packed(self) -> bytes:
        """The link-layer address octets (with any padding the option carries)."""
        return bytes(int(p, 16) for p in self.address.split(":"))

    def _tail_bytes(self) -> bytes:
        return self.packed


class SourceLinkLayerAddress(_LinkLayer, number=1):
    """Source Link-Layer Address: text like ``'02:00:00:00:00:0a'`` or bytes (RFC 4861 4.6.1)."""

    __slots__ = ()


class TargetLinkLayerAddress(_LinkLayer, number=2):
    """Target Link-Layer Address (RFC 4861 4.6.1)."""

    __slots__ = ()


class PrefixInformation(NDOption, number=3):
    """Prefix Information: prefix, length, flags (:class:`PIFlag`), lifetimes in seconds (RFC 4861 4.6.2)."""

    __slots__ = ("flags", "preferred_lifetime", "prefix", "prefix_length", "reserved2", "valid_lifetime")
    _body = struct.Struct("!BBIII16s")
    _body_fields = ("prefix_length", "flags", "valid_lifetime", "preferred_lifetime", "reserved2", "prefix")
    _fields = ("prefix", "prefix_length", "flags", "valid_lifetime", "preferred_lifetime", "reserved2")
    _defaults: ClassVar[dict[str, Any]] = {"prefix_length": 64, "flags": PIFlag.ON_LINK | PIFlag.AUTONOMOUS,
                 "valid_lifetime": 2592000, "preferred_lifetime": 604800, "reserved2": 0}
    _convert: ClassVar[dict[str, Any]] = {
        "prefix": address, "prefix_length": u8, "flags": flags(PIFlag, 8), "valid_lifetime": u32,
                "preferred_lifetime": u32, "reserved2": u32}
    prefix: IPv6Address
    prefix_length: int
    flags: PIFlag
    valid_lifetime: int
    preferred_lifetime: int
    reserved2: int


class RedirectedHeader(NDOption, number=4):
    """Redirected Header: the start of the redirected packet, zero-padded (RFC 4861 4.6.3)."""

    __slots__ = ("packet", "reserved")
    _body = struct.Struct("!6s")
    _body_fields = ("reserved",)
    _tail = "packet"
    _fields = ("packet", "reserved")
    _defaults: ClassVar[dict[str, Any]] = {"reserved": bytes(6)}
    _convert: ClassVar[dict[str, Any]] = {"packet": octets, "reserved": fixed_octets(6)}
    packet: bytes
    reserved: bytes

    def _check(self) -> None:
        pad = (-len(self.packet)) % 8
        object.__setattr__(self, "packet", self.packet + bytes(pad))


class _Reserved16(NDOption):
    """The options whose data starts with 16 reserved bits; most follow them with 32 (RFC 4861 4.6.4)."""

    __slots__ = ("reserved",)
    _body = struct.Struct("!HI")
    _defaults: ClassVar[dict[str, Any]] = {"reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"reserved": u16}
    reserved: int


class MTU(_Reserved16, number=5):
    """MTU option (RFC 4861 4.6.4)."""

    __slots__ = ("mtu",)
    _body_fields = ("reserved", "mtu")
    _fields = ("mtu", "reserved")
    _convert: ClassVar[dict[str, Any]] = {"mtu": u32}
    mtu: int


class AdvertisementInterval(_Reserved16, number=7):
    """Advertisement Interval: milliseconds between unsolicited RAs (RFC 6275 7.3)."""

    __slots__ = ("interval",)
    _body_fields = ("reserved", "interval")
    _fields = ("interval", "reserved")
    _convert: ClassVar[dict[str, Any]] = {"interval": u32}
    interval: int


class HomeAgentInformation(_Reserved16, number=8):
    """Home Agent Information: signed preference, lifetime in seconds (RFC 6275 7.4)."""

    __slots__ = ("lifetime", "preference")
    _body = struct.Struct("!HhH")
    _body_fields = ("reserved", "preference", "lifetime")
    _fields = ("preference", "lifetime", "reserved")
    _defaults: ClassVar[dict[str, Any]] = {"preference": 0, "lifetime": 1800}
    _convert: ClassVar[dict[str, Any]] = {"preference": s16, "lifetime": u16}
    preference: int
    lifetime: int


class UnknownNDOption(NDOption):
    """An option of a type this module does not decode, kept as received (RFC 4861 4.6)."""

    __slots__ = ("data", "option_type")
    _type_field = "option_type"
    _tail = "data"
    _fields = ("option_type", "data")
    _convert: ClassVar[dict[str, Any]] = {"option_type": u8, "data": octets}
    option_type: int
    data: bytes

    def _check(self) -> None:
        if (2 + len(self.data)) % 8:
            raise ValueError(f"option data of {len(self.data)} octets does not end on an 8-octet boundary")
        self._check_unregistered("option type")


#: option type -> class, for parse_options()
OPTIONS: dict[int, type[NDOption]] = NDOption._registry


def parse_options(data: bytes, start: int = 0, end: Optional[int] = None) -> tuple[NDOption, ...]:
    """Read the ND options in ``data[start:end]``; offsets in errors count from the start of ``data``."""
    data, start, stop = check_span(data, start, end)
    out: list[NDOption] = []
    offset = start
    while offset < stop:
        if offset + 2 > stop:
            raise MalformedError("ND option has no room for its type and length", offset)
        kind, units = data[offset], data[offset + 1]
        if units == 0:
            raise MalformedError(f"ND option type {kind} has length 0 (RFC 4861 4.6)", offset)
        size = units * 8
        if offset + size > stop:
            raise MalformedError(f"ND option type {kind} of {size} octets overruns the message "
                                 f"ending at offset {stop}", offset)
        body = data[offset + 2:offset + size]
        cls = OPTIONS.get(kind)
        out.append(cls._from_data(body, offset) if cls is not None else UnknownNDOption(kind, body))
        offset += size
    return tuple(out)



#: converter: a tuple of :class:`NDOption`
options_of = sequence_of(NDOption, "ND options")
