"""Neighbor Discovery options (RFC 4861 section 4.6, RFC 6275 7.2-7.4, RFC 8106 section 5).

Every option is a type, a length in units of 8 octets (never 0) and data;
``bytes(option)`` pads the data to the 8-octet boundary where the format
allows it.  :func:`parse_options` reads a run of options, keeping unknown
ones as :class:`UnknownNDOption`.
"""

from __future__ import annotations

import struct
from enum import IntEnum, IntFlag
from typing import TYPE_CHECKING

from ..errors import MalformedError
from ._base import Value, address, addresses, flags, octets, s16, u8, u16, u32, unpack

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, ClassVar, Optional

__all__ = [
    "NDOption", "SourceLinkLayerAddress", "TargetLinkLayerAddress", "PrefixInformation", "PIFlag",
    "RedirectedHeader", "MTU", "AdvertisementInterval", "HomeAgentInformation", "RecursiveDNSServer",
    "DNSSearchList", "UnknownNDOption", "NDOptionType", "parse_options", "INFINITY",
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


class NDOption(Value):
    """A Neighbor Discovery option: ``bytes(opt)`` is its wire form (RFC 4861 4.6)."""

    __slots__ = ()
    TYPE: ClassVar[int] = -1
    _body: ClassVar[struct.Struct] = struct.Struct("!")
    _body_fields: ClassVar[tuple[str, ...]] = ()

    def _tail(self) -> bytes:
        """Data after the fixed fields."""
        return b""

    @property
    def type(self) -> int:
        """The option type."""
        return self.TYPE

    def __bytes__(self) -> bytes:
        body = self._body.pack(*(_wire(getattr(self, f)) for f in self._body_fields)) + self._tail()
        size = 2 + len(body)
        if size % 8:
            body += bytes(8 - size % 8)
            size = 2 + len(body)
        if size > 255 * 8:
            raise ValueError(f"{type(self).__name__} of {size} octets exceeds the 2040-octet maximum")
        return bytes((self.type, size // 8)) + body

    def __len__(self) -> int:
        return len(bytes(self))

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> NDOption:
        """Build from the option's bytes after type and length (``offset``: where the option starts)."""
        values = dict(zip(cls._body_fields, unpack(cls._body, data, 0, cls.__name__)))
        tail = data[cls._body.size:]
        return cls(**values, **cls._tail_values(tail, offset + 2 + cls._body.size))

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int) -> dict[str, Any]:
        if any(tail):
            raise MalformedError(f"{cls.__name__} option has {len(tail)} unexpected octets", offset)
        if len(tail) >= 8:
            raise MalformedError(f"{cls.__name__} option is {len(tail)} octets too long", offset)
        return {}


def _wire(value: Any) -> Any:
    packed = getattr(value, "packed", None)
    if packed is not None:
        return packed
    return value if isinstance(value, bytes) else int(value)


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
    _fields = ("address",)
    _convert: ClassVar[dict[str, Any]] = {"address": _link_address}
    address: str

    @property
    def packed(self) -> bytes:
        """The link-layer address octets (with any padding the option carries)."""
        return bytes(int(p, 16) for p in self.address.split(":"))

    def _tail(self) -> bytes:
        return self.packed

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int) -> dict[str, Any]:
        return {"address": tail}


class SourceLinkLayerAddress(_LinkLayer):
    """Source Link-Layer Address: text like ``'02:00:00:00:00:0a'`` or bytes (RFC 4861 4.6.1)."""

    __slots__ = ()
    TYPE = 1


class TargetLinkLayerAddress(_LinkLayer):
    """Target Link-Layer Address (RFC 4861 4.6.1)."""

    __slots__ = ()
    TYPE = 2


class PrefixInformation(NDOption):
    """Prefix Information: prefix, length, flags (:class:`PIFlag`), lifetimes in seconds (RFC 4861 4.6.2)."""

    __slots__ = ("flags", "preferred_lifetime", "prefix", "prefix_length", "reserved2", "valid_lifetime")
    TYPE = 3
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


class RedirectedHeader(NDOption):
    """Redirected Header: the start of the redirected packet, zero-padded (RFC 4861 4.6.3)."""

    __slots__ = ("packet", "reserved")
    TYPE = 4
    _body = struct.Struct("!6s")
    _body_fields = ("reserved",)
    _fields = ("packet", "reserved")
    _defaults: ClassVar[dict[str, Any]] = {"reserved": bytes(6)}
    _convert: ClassVar[dict[str, Any]] = {"packet": octets, "reserved": octets}
    packet: bytes
    reserved: bytes

    def _check(self) -> None:
        if len(self.reserved) != 6:
            raise ValueError("the reserved field is 6 octets")
        pad = (-len(self.packet)) % 8
        object.__setattr__(self, "packet", self.packet + bytes(pad))

    def _tail(self) -> bytes:
        return self.packet

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int) -> dict[str, Any]:
        return {"packet": tail}


class MTU(NDOption):
    """MTU option (RFC 4861 4.6.4)."""

    __slots__ = ("mtu", "reserved")
    TYPE = 5
    _body = struct.Struct("!HI")
    _body_fields = ("reserved", "mtu")
    _fields = ("mtu", "reserved")
    _defaults: ClassVar[dict[str, Any]] = {"reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"mtu": u32, "reserved": u16}
    mtu: int
    reserved: int


class AdvertisementInterval(NDOption):
    """Advertisement Interval: milliseconds between unsolicited RAs (RFC 6275 7.3)."""

    __slots__ = ("interval", "reserved")
    TYPE = 7
    _body = struct.Struct("!HI")
    _body_fields = ("reserved", "interval")
    _fields = ("interval", "reserved")
    _defaults: ClassVar[dict[str, Any]] = {"reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"interval": u32, "reserved": u16}
    interval: int
    reserved: int


class HomeAgentInformation(NDOption):
    """Home Agent Information: signed preference, lifetime in seconds (RFC 6275 7.4)."""

    __slots__ = ("lifetime", "preference", "reserved")
    TYPE = 8
    _body = struct.Struct("!HhH")
    _body_fields = ("reserved", "preference", "lifetime")
    _fields = ("preference", "lifetime", "reserved")
    _defaults: ClassVar[dict[str, Any]] = {"preference": 0, "lifetime": 1800, "reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"preference": s16, "lifetime": u16, "reserved": u16}
    preference: int
    lifetime: int
    reserved: int


class RecursiveDNSServer(NDOption):
    """RDNSS: DNS server addresses and their lifetime in seconds (RFC 8106 5.1)."""

    __slots__ = ("lifetime", "reserved", "servers")
    TYPE = 25
    _body = struct.Struct("!HI")
    _body_fields = ("reserved", "lifetime")
    _fields = ("servers", "lifetime", "reserved")
    _defaults: ClassVar[dict[str, Any]] = {"lifetime": INFINITY, "reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"servers": addresses, "lifetime": u32, "reserved": u16}
    servers: tuple[IPv6Address, ...]
    lifetime: int
    reserved: int

    def _check(self) -> None:
        if not self.servers:
            raise ValueError("an RDNSS option carries at least one address (RFC 8106 5.1)")

    def _tail(self) -> bytes:
        return b"".join(a.packed for a in self.servers)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int) -> dict[str, Any]:
        if not tail or len(tail) % 16:
            raise MalformedError(f"RDNSS option has {len(tail)} octets of addresses, not a positive "
                                 "multiple of 16 (Length must be odd and at least 3)", offset)
        return {"servers": [tail[i:i + 16] for i in range(0, len(tail), 16)]}


def _domain(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a domain name is text, got {type(value).__name__}")
    name = value.rstrip(".")
    encoded = _encode_name(name)
    if len(encoded) > 255:
        raise ValueError(f"domain name {value!r} is longer than 255 octets")
    return name


def _encode_name(name: str) -> bytes:
    out = bytearray()
    for label in name.split(".") if name else ():
        raw = label.encode("ascii")
        if not 1 <= len(raw) <= 63:
            raise ValueError(f"label {label!r} of {name!r} must be 1 to 63 octets")
        out.append(len(raw))
        out += raw
    out.append(0)
    return bytes(out)


def _domains(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError("expected a sequence of domain names, not one name")
    return tuple(_domain(v) for v in value)


class DNSSearchList(NDOption):
    """DNSSL: search domains and their lifetime in seconds (RFC 8106 5.2).

    ``padding`` is the number of zero octets after the last name; ``None``
    (the default) means the fewest that reach the 8-octet boundary.
    """

    __slots__ = ("domains", "lifetime", "padding", "reserved")
    TYPE = 31
    _body = struct.Struct("!HI")
    _body_fields = ("reserved", "lifetime")
    _fields = ("domains", "lifetime", "reserved", "padding")
    _defaults: ClassVar[dict[str, Any]] = {"lifetime": INFINITY, "reserved": 0, "padding": None}
    _convert: ClassVar[dict[str, Any]] = {"domains": _domains, "lifetime": u32, "reserved": u16}
    domains: tuple[str, ...]
    lifetime: int
    reserved: int
    padding: int

    def _check(self) -> None:
        if not self.domains:
            raise ValueError("a DNSSL option carries at least one domain name (RFC 8106 5.2)")
        minimal = self._minimal()
        pad = minimal if self.padding is None else self.padding
        if isinstance(pad, bool) or not isinstance(pad, int):
            raise TypeError("padding is an int or None")
        if pad < 0 or pad % 8 != minimal:
            raise ValueError(f"padding must be {minimal} plus a multiple of 8, got {pad}")
        object.__setattr__(self, "padding", pad)

    def _names(self) -> bytes:
        return b"".join(_encode_name(d) for d in self.domains)

    def _minimal(self) -> int:
        return (-len(self._names())) % 8

    def _shown(self) -> tuple[str, ...]:
        shown = super()._shown()
        return tuple(f for f in shown if f != "padding") + (
            ("padding",) if self.padding != self._minimal() else ())

    def _tail(self) -> bytes:
        return self._names() + bytes(self.padding)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int) -> dict[str, Any]:
        names: list[str] = []
        pos = 0
        while pos < len(tail) and tail[pos]:
            labels: list[str] = []
            while True:
                if pos >= len(tail):
                    raise MalformedError("DNSSL domain name runs past the end of the option", offset + pos)
                size = tail[pos]
                if size == 0:
                    pos += 1
                    break
                if size > 63:
                    raise MalformedError(f"DNSSL label length {size} is over 63 (compression is not "
                                         "allowed, RFC 8106 5.2)", offset + pos)
                if pos + 1 + size > len(tail):
                    raise MalformedError("DNSSL label runs past the end of the option", offset + pos)
                label = tail[pos + 1:pos + 1 + size]
                if not label.isascii() or b"." in label:
                    raise MalformedError("DNSSL label is not ASCII text without dots", offset + pos)
                labels.append(label.decode("ascii"))
                pos += 1 + size
            names.append(".".join(labels))
        if any(tail[pos:]):
            raise MalformedError("DNSSL padding after the last name is not all zeros", offset + pos)
        if not names:
            raise MalformedError("DNSSL option carries no domain name", offset)
        return {"domains": names, "padding": len(tail) - pos}

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> NDOption:
        try:
            return super()._from_data(data, offset)
        except ValueError as exc:
            if isinstance(exc, MalformedError):
                raise
            raise MalformedError(f"DNSSL option: {exc}", offset) from None


class UnknownNDOption(NDOption):
    """An option of a type this module does not decode, kept as received (RFC 4861 4.6)."""

    __slots__ = ("data", "option_type")
    _fields = ("option_type", "data")
    _convert: ClassVar[dict[str, Any]] = {"option_type": u8, "data": octets}
    option_type: int
    data: bytes

    def _check(self) -> None:
        if (2 + len(self.data)) % 8:
            raise ValueError(f"option data of {len(self.data)} octets does not end on an 8-octet boundary")
        if self.option_type in OPTIONS:
            raise ValueError(f"option type {self.option_type} has its own class")

    @property
    def type(self) -> int:
        return self.option_type

    def _tail(self) -> bytes:
        return self.data


OPTIONS: dict[int, type[NDOption]] = {
    c.TYPE: c for c in (SourceLinkLayerAddress, TargetLinkLayerAddress, PrefixInformation, RedirectedHeader,
                        MTU, AdvertisementInterval, HomeAgentInformation, RecursiveDNSServer, DNSSearchList)
}


def parse_options(data: bytes, start: int = 0, end: Optional[int] = None) -> tuple[NDOption, ...]:
    """Read the ND options in ``data[start:end]``; offsets in errors count from the start of ``data``."""
    stop = len(data) if end is None else end
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


def options_of(value: Any) -> tuple[NDOption, ...]:
    """Converter: a tuple of :class:`NDOption`."""
    if isinstance(value, (str, bytes, NDOption)):
        raise TypeError("expected a sequence of ND options")
    items = tuple(value)
    for item in items:
        if not isinstance(item, NDOption):
            raise TypeError(f"expected an ND option, got {type(item).__name__}")
    return items
