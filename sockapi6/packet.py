"""Packet helpers: the IPv6 header as a value, the extension header chain, MLDv2 timer codes.

* :class:`IPv6Header` is the fixed header of RFC 8200 section 3 (what an
  ``IPPROTO_RAW`` or ``IPV6_HDRINCL`` socket sends, what an ICMPv6 error
  quotes, what a pcap holds): ``bytes(h)`` and ``IPv6Header.parse(data)``.
* :func:`walk` follows the Next Header chain (RFC 8200 section 4.1)
  through Hop-by-Hop, Routing, Fragment, Destination Options, AH, Mobility,
  HIP and Shim6 headers to the upper layer; :func:`build_chain` links
  headers the other way, setting each Next Header byte.
* :func:`encode_max_resp_code` / :func:`decode_max_resp_code` and
  :func:`encode_qqic` / :func:`decode_qqic`: the floating-point codes of
  RFC 3810 sections 5.1.3 and 5.1.9.

Wire formats only: nothing here touches the binding or a socket.
"""

from __future__ import annotations

import struct
from ipaddress import IPv6Address
from typing import TYPE_CHECKING

from ._checks import check_int
from ._convert import octets
from ._value import ValueObject
from .errors import MalformedError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Optional, Union

    AddressLike = Union[IPv6Address, str, bytes]

__all__ = [
    "IPv6Header", "ChainEntry", "HeaderChain", "walk", "build_chain", "EXTENSION_HEADERS",
    "encode_max_resp_code", "decode_max_resp_code", "encode_qqic", "decode_qqic",
]

_HEADER = struct.Struct("!IHBB16s16s")
_HOPOPTS, _ROUTING, _FRAGMENT, _ESP, _AH, _NONE, _DSTOPTS, _MH, _HIP, _SHIM6 = (
    0, 43, 44, 50, 51, 59, 60, 135, 139, 140)
#: the extension headers :func:`walk` follows (IANA "IPv6 Extension Header Types"); ESP is opaque: the
#: chain stops there, as at the upper layer
EXTENSION_HEADERS = frozenset({_HOPOPTS, _ROUTING, _FRAGMENT, _AH, _DSTOPTS, _MH, _HIP, _SHIM6})


def _address(value: Any, what: str) -> IPv6Address:
    if isinstance(value, IPv6Address):
        return IPv6Address(value.packed)
    if isinstance(value, str):
        return IPv6Address(value.split("%", 1)[0])
    if isinstance(value, (bytes, bytearray, memoryview)):
        if len(value) != 16:
            raise ValueError(f"{what} must be 16 bytes, not {len(value)}")
        return IPv6Address(bytes(value))
    raise TypeError(f"{what} must be an IPv6Address, text or 16 bytes, not {type(value).__name__}")


class IPv6Header(ValueObject):
    """The fixed IPv6 header (RFC 8200 section 3), 40 octets.

    Addresses have no scope on the wire, so they are kept without one.
    """

    __slots__ = ("_fields",)
    _fields: tuple[Any, ...]
    _NAMES = ("source", "destination", "next_header", "payload_length", "hop_limit", "traffic_class",
              "flow_label")

    def __init__(self, source: AddressLike, destination: AddressLike, next_header: int,
                 payload_length: int = 0, hop_limit: int = 64, traffic_class: int = 0,
                 flow_label: int = 0) -> None:
        object.__setattr__(self, "_fields", (
            _address(source, "source"), _address(destination, "destination"),
            check_int(next_header, 0, 255, "next_header"),
            check_int(payload_length, 0, 0xFFFF, "payload_length"),
            check_int(hop_limit, 0, 255, "hop_limit"), check_int(traffic_class, 0, 255, "traffic_class"),
            check_int(flow_label, 0, 0xFFFFF, "flow_label")))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("IPv6Header is immutable")

    source = property(lambda self: self._fields[0], doc="Source Address.")
    destination = property(lambda self: self._fields[1], doc="Destination Address.")
    next_header = property(lambda self: self._fields[2], doc="Next Header (first extension or upper layer).")
    payload_length = property(lambda self: self._fields[3], doc="Payload Length: octets after this header.")
    hop_limit = property(lambda self: self._fields[4], doc="Hop Limit.")
    traffic_class = property(lambda self: self._fields[5], doc="Traffic Class (DSCP << 2 | ECN).")
    flow_label = property(lambda self: self._fields[6], doc="Flow Label (RFC 6437), 20 bits.")

    def _key(self) -> tuple[Any, ...]:
        return self._fields

    def __repr__(self) -> str:
        s = self._fields
        return (f"IPv6Header({str(s[0])!r}, {str(s[1])!r}, {s[2]}, payload_length={s[3]}, hop_limit={s[4]}, "
                f"traffic_class={s[5]}, flow_label={s[6]:#x})")

    def __bytes__(self) -> bytes:
        s = self._fields
        return _HEADER.pack(6 << 28 | s[5] << 20 | s[6], s[3], s[2], s[4], s[0].packed, s[1].packed)

    def replace(self, **changes: Any) -> IPv6Header:
        """A copy with the named fields changed (``payload_length=len(payload)``, ...)."""
        unknown = set(changes) - set(self._NAMES)
        if unknown:
            raise TypeError(f"IPv6Header has no field {sorted(unknown)[0]!r}")
        values = dict(zip(self._NAMES, self._fields))
        values.update(changes)
        return IPv6Header(**values)

    @classmethod
    def parse(cls, data: bytes) -> IPv6Header:
        """The header at the start of ``data`` (the rest is ignored); MalformedError if it is not one."""
        raw = octets(data, "packet.IPv6Header.parse: data")[:40]
        if len(raw) < 40:
            raise MalformedError(f"an IPv6 header is 40 octets, got {len(raw)}", offset=len(raw))
        word, length, nxt, hops, src, dst = _HEADER.unpack(raw)
        if word >> 28 != 6:
            raise MalformedError(f"IP version {word >> 28}, not 6", offset=0)
        return cls(IPv6Address(src), IPv6Address(dst), nxt, length, hops, word >> 20 & 0xFF, word & 0xFFFFF)


class ChainEntry(ValueObject):
    """One extension header found by :func:`walk`: its ``protocol`` number, ``offset`` and ``length``."""

    __slots__ = ("length", "offset", "protocol")
    protocol: int
    offset: int
    length: int

    def __init__(self, protocol: int, offset: int, length: int) -> None:
        object.__setattr__(self, "protocol", check_int(protocol, 0, 255, "protocol"))
        object.__setattr__(self, "offset", check_int(offset, 0, 2 ** 31, "offset"))
        object.__setattr__(self, "length", check_int(length, 0, 2 ** 31, "length"))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ChainEntry is immutable")

    def _key(self) -> tuple[Any, ...]:
        return (self.protocol, self.offset, self.length)

    def __repr__(self) -> str:
        return f"ChainEntry({self.protocol}, {self.offset}, {self.length})"


class HeaderChain(ValueObject):
    """What :func:`walk` found: the extension ``headers`` in order, the upper layer, and fragmentation.

    ``upper_protocol``/``upper_offset``: the protocol after the last
    extension header and where it starts.  ``fragment_offset`` is the
    Fragment header's offset field in octets (None without one); past the
    first fragment the upper layer is not in this packet.
    """

    __slots__ = ("fragment_offset", "headers", "upper_offset", "upper_protocol")
    headers: tuple[ChainEntry, ...]
    upper_protocol: int
    upper_offset: int
    fragment_offset: Optional[int]

    def __init__(self, headers: Iterable[ChainEntry], upper_protocol: int, upper_offset: int,
                 fragment_offset: Optional[int] = None) -> None:
        object.__setattr__(self, "headers", tuple(headers))
        object.__setattr__(self, "upper_protocol", check_int(upper_protocol, 0, 255, "upper_protocol"))
        object.__setattr__(self, "upper_offset", check_int(upper_offset, 0, 2 ** 31, "upper_offset"))
        object.__setattr__(self, "fragment_offset", fragment_offset)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("HeaderChain is immutable")

    def _key(self) -> tuple[Any, ...]:
        return (self.headers, self.upper_protocol, self.upper_offset, self.fragment_offset)

    def __repr__(self) -> str:
        return (f"HeaderChain({list(self.headers)!r}, {self.upper_protocol}, {self.upper_offset}, "
                f"{self.fragment_offset!r})")

    def find(self, protocol: int) -> Optional[ChainEntry]:
        """The first extension header of ``protocol``, or None."""
        return next((h for h in self.headers if h.protocol == protocol), None)


def _length(protocol: int, data: bytes, at: int) -> int:
    if protocol == _FRAGMENT:
        return 8
    if protocol == _AH:
        return (data[at + 1] + 2) * 4          # RFC 4302 section 2.2: 32-bit words, minus 2
    return (data[at + 1] + 1) * 8              # RFC 8200 section 4.3-4.6 and the headers like them


def walk(data: bytes, next_header: Optional[int] = None, offset: int = 0) -> HeaderChain:
    """Follow the extension header chain of ``data`` (RFC 8200 section 4.1).

    With ``next_header`` None, ``data`` starts with the IPv6 header (at
    ``offset``); otherwise ``data[offset:]`` is the header ``next_header``
    names (an ICMPv6 error's quoted packet, a raw socket's payload).
    MalformedError, naming the offset, for a header cut short.
    """
    buf = octets(data, "packet.walk: data")  # an int would be that many zero bytes: TypeError
    at = check_int(offset, 0, len(buf), "offset")
    if next_header is None:
        protocol = IPv6Header.parse(buf[at:]).next_header
        at += 40
    else:
        protocol = check_int(next_header, 0, 255, "next_header")
    headers: list[ChainEntry] = []
    fragment: Optional[int] = None
    while protocol in EXTENSION_HEADERS:
        if at + 2 > len(buf):
            raise MalformedError(f"extension header {protocol} cut short at octet {at}", offset=at)
        size = _length(protocol, buf, at)
        if at + size > len(buf):
            raise MalformedError(f"extension header {protocol} at octet {at} says {size} octets, "
                                 f"{len(buf) - at} left", offset=at + 1)
        headers.append(ChainEntry(protocol, at, size))
        following = buf[at]
        if protocol == _FRAGMENT:
            fragment = struct.unpack_from("!H", buf, at + 2)[0] & ~7
            at += size
            protocol = following
            if fragment:
                break                            # a later fragment: the rest is not a header
            continue
        at += size
        protocol = following
    return HeaderChain(headers, protocol, at, fragment)


def build_chain(headers: Iterable[tuple[int, Any]], upper_protocol: int) -> tuple[int, bytes]:
    """Link ``(protocol, header)`` pairs into one chain ending in ``upper_protocol``.

    Each header is bytes-like or has ``bytes()`` (``HopByHopOptions``,
    ``RoutingHeader``, ...); its Next Header byte is set to the protocol
    that follows.  Returns ``(the first protocol, the chain's bytes)``: the
    first goes into the IPv6 header's Next Header.
    """
    items = [(check_int(p, 0, 255, "protocol"), bytearray(bytes(h))) for p, h in headers]
    following = check_int(upper_protocol, 0, 255, "upper_protocol")
    for protocol, raw in reversed(items):
        if len(raw) < 2 or len(raw) != _length(protocol, bytes(raw), 0):
            raise ValueError(f"header {protocol} of {len(raw)} octets does not match its length field")
        raw[0] = following
        following = protocol
    return following, b"".join(bytes(raw) for _p, raw in items)


# ---- RFC 3810 section 5.1.3 and 5.1.9: MLDv2 floating-point codes

_MRC_MAX = (0xFFF | 0x1000) << (7 + 3)
_QQIC_MAX = (0xF | 0x10) << (7 + 3)


def decode_max_resp_code(code: int) -> int:
    """Maximum Response Delay in milliseconds for a Max Resp Code (RFC 3810 section 5.1.3)."""
    code = check_int(code, 0, 0xFFFF, "code")
    if code < 0x8000:
        return code
    exp, mant = code >> 12 & 7, code & 0xFFF
    return (mant | 0x1000) << (exp + 3)


def encode_max_resp_code(milliseconds: int) -> int:
    """The Max Resp Code for a delay, rounded down to a value the code can express (RFC 3810 5.1.3)."""
    ms = check_int(milliseconds, 0, _MRC_MAX, "milliseconds")
    if ms < 0x8000:
        return ms
    exp = ms.bit_length() - 13 - 3
    return 0x8000 | exp << 12 | ((ms >> (exp + 3)) & 0xFFF)


def decode_qqic(code: int) -> int:
    """Querier's Query Interval in seconds for a QQIC (RFC 3810 section 5.1.9)."""
    code = check_int(code, 0, 0xFF, "code")
    if code < 0x80:
        return code
    exp, mant = code >> 4 & 7, code & 0xF
    return (mant | 0x10) << (exp + 3)


def encode_qqic(seconds: int) -> int:
    """The QQIC for a query interval, rounded down to a value the code can express (RFC 3810 5.1.9)."""
    s = check_int(seconds, 0, _QQIC_MAX, "seconds")
    if s < 0x80:
        return s
    exp = s.bit_length() - 5 - 3
    return 0x80 | exp << 4 | ((s >> (exp + 3)) & 0xF)
