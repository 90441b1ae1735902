"""Neighbor Discovery options (RFC 4861 section 4.6, RFC 6275 7.2-7.4); the DNS ones are in ``_dns``.

Every option is a type, a length in units of 8 octets (never 0) and data;
``bytes(option)`` pads the data to the 8-octet boundary where the format
allows it.  :func:`parse_options` reads a run of options, keeping unknown
ones as :class:`UnknownNDOption`.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag
from typing import TYPE_CHECKING

from .._checks import check_span
from .._convert import address, fixed_octets, octets, s16, sequence_of, u8, u16, u32
from .._convert import flags as flag_bits
from .._wire import REQUIRED, Family, Typed, field
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


class NDOption(Family, Typed, family=True):
    """A Neighbor Discovery option: ``bytes(opt)`` is its wire form (RFC 4861 4.6).

    ``class X(NDOption, number=N)`` makes ``X`` the class :func:`parse_options`
    uses for option type ``N``.  Two options are equal when their bytes are:
    ``UnknownNDOption(5, bytes(6))`` equals ``MTU(0)``.
    """

    _registry: ClassVar[dict[int, type[Any]]] = {}

    def _build(self) -> bytes:
        body = self._pack_body()
        size = 2 + len(body)
        if size % 8:
            body += bytes(8 - size % 8)
            size = 2 + len(body)
        if size > 255 * 8:
            what = self._tail or "option"
            raise ValueError(f"{what} makes the option {size} octets, over the 2040 an ND option holds "
                             "(RFC 4861 4.6)")
        return bytes((self._wire_type(), size // 8)) + body

    @classmethod
    def _from_data(cls, data: bytes, offset: int, wire: bytes) -> NDOption:
        """Build from the option's bytes after type and length (``offset``: where the option starts)."""
        values = cls._unpack_body(data, 0)
        tail = data[cls._body.size:]
        values.update(cls._tail_values(tail, offset + 2 + cls._body.size))
        return cls._decoded_wire(wire, values)

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
    address: str = field("*", _link_address, REQUIRED, "the link-layer address as text like "
                         "'02:00:00:00:00:0a' (or its octets), zero-padded to the 8-octet boundary")

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

    prefix_length: int = field("B", u8, 64, "the number of leading bits of ``prefix`` that count")
    flags: PIFlag = field("B", flag_bits(PIFlag, 8), PIFlag.ON_LINK | PIFlag.AUTONOMOUS,
                          "the L, A, R bits and the reserved ones (:class:`PIFlag`)")
    valid_lifetime: int = field("I", u32, 2592000, "seconds the prefix is valid for on-link "
                                "determination (:data:`INFINITY`: forever)")
    preferred_lifetime: int = field("I", u32, 604800, "seconds addresses made from it stay preferred")
    reserved2: int = field("I", u32, 0, "32 reserved bits, zero when sent", quiet=True)
    prefix: IPv6Address = field("16s", address, REQUIRED, "the prefix (bits past ``prefix_length`` sent "
                                "as given)")
    _fields = ("prefix", "prefix_length", "flags", "valid_lifetime", "preferred_lifetime", "reserved2")


class RedirectedHeader(NDOption, number=4):
    """Redirected Header: the start of the redirected packet, zero-padded (RFC 4861 4.6.3)."""

    reserved: bytes = field("6s", fixed_octets(6), bytes(6), "6 reserved octets, zero when sent", quiet=True)
    packet: bytes = field("*", octets, REQUIRED, "the start of the redirected packet; zero-padded to the "
                          "8-octet boundary")
    _fields = ("packet", "reserved")

    def _check(self) -> None:
        pad = (-len(self.packet)) % 8
        if pad:
            _PACKET_SET(self, self.packet + bytes(pad))


_PACKET_SET = RedirectedHeader.packet.__set__  # type: ignore[attr-defined]


class _Reserved16(NDOption):
    """The options whose data starts with 16 reserved bits; most follow them with 32 (RFC 4861 4.6.4)."""

    reserved: int = field("H", u16, 0, "16 reserved bits, zero when sent", quiet=True)


class MTU(_Reserved16, number=5):
    """MTU option (RFC 4861 4.6.4)."""

    mtu: int = field("I", u32, REQUIRED, "the link MTU to use, in octets")


class AdvertisementInterval(_Reserved16, number=7):
    """Advertisement Interval: milliseconds between unsolicited RAs (RFC 6275 7.3)."""

    interval: int = field("I", u32, REQUIRED, "the longest time between unsolicited RAs, in milliseconds")


class HomeAgentInformation(_Reserved16, number=8):
    """Home Agent Information: signed preference, lifetime in seconds (RFC 6275 7.4)."""

    preference: int = field("h", s16, 0, "the home agent's preference, signed; higher is better")
    lifetime: int = field("H", u16, 1800, "seconds the router serves as a home agent")


class UnknownNDOption(NDOption):
    """Any ND option as its type and data (RFC 4861 4.6).

    :func:`parse_options` gives this class for the types this module does
    not decode; built by hand it may carry any type, and it equals the named
    option with the same octets.
    """

    option_type: int = field("", u8, REQUIRED, "the option's Type")
    data: bytes = field("*", octets, REQUIRED, "the octets after Type and Length: 6, 14, 22... of them")
    _type_field = "option_type"

    def _check(self) -> None:
        if (2 + len(self.data)) % 8:
            raise ValueError(f"data of {len(self.data)} octets does not end the option on an 8-octet "
                             "boundary (RFC 4861 4.6)")


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
        wire = data[offset:offset + size]
        cls = OPTIONS.get(kind)
        if cls is None:
            out.append(_unknown(wire, {"option_type": kind, "data": wire[2:]}))
        else:
            out.append(cls._from_data(wire[2:], offset, wire))
        offset += size
    return tuple(out)


_unknown = UnknownNDOption._decoded_wire

#: converter: a tuple of :class:`NDOption`
options_of = sequence_of(NDOption, "ND options")
