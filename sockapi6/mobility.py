"""Mobile IPv6 Mobility Header messages and options (RFC 6275 sections 6.1-6.2, RFC 4584).

A class per message (:class:`BindingRefreshRequest`, :class:`HomeTestInit`,
:class:`CareofTestInit`, :class:`HomeTest`, :class:`CareofTest`,
:class:`BindingUpdate`, :class:`BindingAcknowledgement`,
:class:`BindingError`, :class:`UnknownMobilityMessage`) and per option
(:class:`Pad1`, :class:`PadN`, :class:`BindingRefreshAdvice`,
:class:`AlternateCareofAddress`, :class:`NonceIndices`,
:class:`BindingAuthorizationData`, :class:`UnknownMobilityOption`).

``bytes(message)`` gives the wire header: Header Len in 8-octet units and
options aligned as section 6.2 requires (the constructor inserts Pad1/PadN
where an option's alignment or the 8-octet total needs them, unless
``pad=False``).  :func:`parse` reads any message back, keeping unknown types,
padding and the checksum as received, so ``bytes(parse(d)) == d``.
:func:`checksum` computes the checksum with the IPv6 pseudo-header
(section 6.1.1); :func:`open_mh_socket` opens a raw ``IPPROTO_MH`` socket as
RFC 4584 section 6.1 recommends.

Byte order: the enums (:class:`BUFlag`, ...) hold wire (network-order)
values, as read with ``struct``'s ``!``; the C names ``IP6_MH_BU_*`` here
hold the value that compares against the 16-bit field as a C program on
this host reads it without ``ntohs`` (glibc/KAME style).

``IPV6_MIPDSTOPTS`` (RFC 4584 section 5) has no number on any OS: like any
constant an OS lacks it is absent (``AttributeError`` saying why), and
``SocketOptions(sock).mipdstopts`` raises :class:`~sockapi6.errors.NotSupportedError`.
The Home Address option and the type 2 routing header are the extension
header classes (``HomeAddress`` from ``sockapi6.exthdr``, ``RoutingHeader``
from ``sockapi6.routing``), re-exported here and loaded on first use.
"""

from __future__ import annotations

import struct
import sys
from enum import IntEnum, IntFlag
from typing import TYPE_CHECKING

from .errors import MalformedError, NotSupportedError
from .icmp6._base import (
    Value,
    address,
    enum_or_int,
    flags,
    octets,
    sequence_of,
    u8,
    u16,
    u64,
    upper_layer_checksum,
)

if TYPE_CHECKING:
    import socket as _socket
    from ipaddress import IPv6Address
    from typing import Any, ClassVar, Optional

    from .icmp6._base import AddressLike

__all__ = [
    "MH_TYPES", "BUFlag", "BAFlag", "BAStatus", "BEStatus", "MobilityOption", "Pad1", "PadN",
    "BindingRefreshAdvice", "AlternateCareofAddress", "NonceIndices", "BindingAuthorizationData",
    "UnknownMobilityOption", "MobilityMessage", "BindingRefreshRequest", "HomeTestInit",
    "CareofTestInit", "HomeTest", "CareofTest", "BindingUpdate", "BindingAcknowledgement",
    "BindingError", "UnknownMobilityMessage", "parse", "parse_options", "checksum",
    "mh_protocol", "open_mh_socket", "home_address_option", "type2_routing_header",
    "IP6_MH_BU_ACK", "IP6_MH_BU_HOME", "IP6_MH_BU_LLOCAL", "IP6_MH_BU_KEYM",
]

IPPROTO_MH = 135
IPPROTO_NONE = 59
IP6OPT_HOME_ADDRESS = 0xC9


class BUFlag(IntFlag):
    """Binding Update flags, the 16-bit field in network order (RFC 6275 6.1.7)."""

    ACK = 0x8000
    HOME = 0x4000
    LINK_LOCAL = 0x2000
    KEY_MANAGEMENT = 0x1000


class BAFlag(IntFlag):
    """Binding Acknowledgement flags, one byte (RFC 6275 6.1.8)."""

    KEY_MANAGEMENT = 0x80


class BAStatus(IntEnum):
    """Binding Acknowledgement status codes (RFC 6275 6.1.8, RFC 4584 4.2 ``IP6_MH_BAS_*``)."""

    ACCEPTED = 0
    PREFIX_DISCOVERY = 1
    UNSPECIFIED = 128
    PROHIBITED = 129
    INSUFFICIENT_RESOURCES = 130
    HOME_REGISTRATION_NOT_SUPPORTED = 131
    NOT_HOME_SUBNET = 132
    NOT_HOME_AGENT = 133
    DAD_FAILED = 134
    SEQUENCE_OUT_OF_WINDOW = 135
    HOME_NONCE_EXPIRED = 136
    CAREOF_NONCE_EXPIRED = 137
    NONCES_EXPIRED = 138
    REGISTRATION_TYPE_CHANGE = 139


class BEStatus(IntEnum):
    """Binding Error status codes (RFC 6275 6.1.9, ``IP6_MH_BES_*``)."""

    UNKNOWN_HOME_ADDRESS = 1
    UNKNOWN_MH_TYPE = 2


def _host16(value: int) -> int:
    return int.from_bytes(value.to_bytes(2, "big"), sys.byteorder)


#: C names of the Binding Update flags, valued for a test on the raw field as read on this host
IP6_MH_BU_ACK = _host16(BUFlag.ACK)
IP6_MH_BU_HOME = _host16(BUFlag.HOME)
IP6_MH_BU_LLOCAL = _host16(BUFlag.LINK_LOCAL)
IP6_MH_BU_KEYM = _host16(BUFlag.KEY_MANAGEMENT)


# ---- options (RFC 6275 section 6.2) ------------------------------------------------------------

class MobilityOption(Value):
    """A mobility option: ``bytes(opt)`` is its type-length-value encoding (RFC 6275 6.2.1).

    ``ALIGN = (n, k)`` is the alignment requirement ``n*x + k`` from the start of the header.
    """

    __slots__ = ()
    TYPE: ClassVar[int] = -1
    ALIGN: ClassVar[tuple[int, int]] = (1, 0)
    PADDING: ClassVar[bool] = False

    def data(self) -> bytes:
        """The Option Data field."""
        raise NotImplementedError

    def __bytes__(self) -> bytes:
        payload = self.data()
        return bytes((self.TYPE, len(payload))) + payload

    def __len__(self) -> int:
        return len(bytes(self))

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> MobilityOption:
        raise NotImplementedError


class Pad1(MobilityOption):
    """One octet of padding (RFC 6275 6.2.2)."""

    __slots__ = ()
    TYPE = 0
    PADDING = True

    def __bytes__(self) -> bytes:
        return b"\x00"


class PadN(MobilityOption):
    """Two or more octets of padding; ``padding`` is the Option Data (zeros when sent, RFC 6275 6.2.3)."""

    __slots__ = ("padding",)
    TYPE = 1
    PADDING = True
    _fields = ("padding",)
    _defaults: ClassVar[dict[str, Any]] = {"padding": b""}
    _convert: ClassVar[dict[str, Any]] = {"padding": octets}
    padding: bytes

    def _check(self) -> None:
        if len(self.padding) > 255:
            raise ValueError("PadN carries at most 255 octets")

    def data(self) -> bytes:
        return self.padding

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> MobilityOption:
        return cls(data)


class BindingRefreshAdvice(MobilityOption):
    """Binding Refresh Advice: ``interval`` in units of 4 seconds (RFC 6275 6.2.4, alignment 2n)."""

    __slots__ = ("interval",)
    TYPE = 2
    ALIGN = (2, 0)
    _fields = ("interval",)
    _convert: ClassVar[dict[str, Any]] = {"interval": u16}
    interval: int

    def data(self) -> bytes:
        return struct.pack("!H", self.interval)

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> MobilityOption:
        _expect(cls, data, 2, offset)
        return cls(*struct.unpack("!H", data))


class AlternateCareofAddress(MobilityOption):
    """Alternate Care-of Address (RFC 6275 6.2.5, alignment 8n+6)."""

    __slots__ = ("address",)
    TYPE = 3
    ALIGN = (8, 6)
    _fields = ("address",)
    _convert: ClassVar[dict[str, Any]] = {"address": address}
    address: IPv6Address

    def data(self) -> bytes:
        return self.address.packed

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> MobilityOption:
        _expect(cls, data, 16, offset)
        return cls(data)


class NonceIndices(MobilityOption):
    """Nonce Indices: the home and care-of nonce indices (RFC 6275 6.2.6, alignment 2n)."""

    __slots__ = ("careof_nonce_index", "home_nonce_index")
    TYPE = 4
    ALIGN = (2, 0)
    _fields = ("home_nonce_index", "careof_nonce_index")
    _convert: ClassVar[dict[str, Any]] = {"home_nonce_index": u16, "careof_nonce_index": u16}
    home_nonce_index: int
    careof_nonce_index: int

    def data(self) -> bytes:
        return struct.pack("!HH", self.home_nonce_index, self.careof_nonce_index)

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> MobilityOption:
        _expect(cls, data, 4, offset)
        return cls(*struct.unpack("!HH", data))


class BindingAuthorizationData(MobilityOption):
    """Binding Authorization Data: the authenticator (RFC 6275 6.2.7, last option, 8n+2)."""

    __slots__ = ("authenticator",)
    TYPE = 5
    ALIGN = (8, 2)
    _fields = ("authenticator",)
    _convert: ClassVar[dict[str, Any]] = {"authenticator": octets}
    authenticator: bytes

    def _check(self) -> None:
        if len(self.authenticator) > 255:
            raise ValueError("an authenticator is at most 255 octets")

    def data(self) -> bytes:
        return self.authenticator

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> MobilityOption:
        return cls(data)


class UnknownMobilityOption(MobilityOption):
    """An option of a type this module does not know, kept as received (RFC 6275 6.2.1)."""

    __slots__ = ("type", "value")
    _fields = ("type", "value")
    _defaults: ClassVar[dict[str, Any]] = {"value": b""}
    _convert: ClassVar[dict[str, Any]] = {"type": u8, "value": octets}
    type: int
    value: bytes

    def _check(self) -> None:
        if self.type in _OPTIONS or self.type == 0:
            raise ValueError(f"option type {self.type} has its own class")
        if len(self.value) > 255:
            raise ValueError("option data is at most 255 octets")

    def data(self) -> bytes:
        return self.value

    def __bytes__(self) -> bytes:
        return bytes((self.type, len(self.value))) + self.value


_OPTIONS: dict[int, type[MobilityOption]] = {
    c.TYPE: c for c in (PadN, BindingRefreshAdvice, AlternateCareofAddress, NonceIndices,
                        BindingAuthorizationData)
}


def _expect(cls: type[MobilityOption], data: bytes, size: int, offset: int) -> None:
    if len(data) != size:
        raise MalformedError(f"{cls.__name__} option has Option Length {len(data)}, expected {size}", offset)


def _padding(size: int) -> MobilityOption:
    return Pad1() if size == 1 else PadN(bytes(size - 2))


def _align(options: tuple[MobilityOption, ...], start: int) -> tuple[MobilityOption, ...]:
    """Insert Pad1/PadN where an option's alignment or the 8-octet total needs them."""
    out: list[MobilityOption] = []
    offset = start
    for opt in options:
        if not opt.PADDING:
            mult, rem = opt.ALIGN
            gap = (rem - offset) % mult
            if gap:
                out.append(_padding(gap))
                offset += gap
        out.append(opt)
        offset += len(opt)
    gap = (-offset) % 8
    if gap:
        out.append(_padding(gap))
    return tuple(out)


def parse_options(data: bytes, start: int = 0, end: Optional[int] = None) -> tuple[MobilityOption, ...]:
    """Read the mobility options in ``data[start:end]`` (RFC 6275 6.2); offsets in errors count from 0."""
    raw = bytes(data)
    stop = len(raw) if end is None else end
    out: list[MobilityOption] = []
    offset = start
    while offset < stop:
        kind = raw[offset]
        if kind == 0:
            out.append(Pad1())
            offset += 1
            continue
        if offset + 2 > stop:
            raise MalformedError(f"mobility option type {kind} has no room for its Option Length", offset)
        size = raw[offset + 1]
        if offset + 2 + size > stop:
            raise MalformedError(f"mobility option type {kind} with Option Length {size} overruns "
                                 f"the Mobility Header ending at offset {stop}", offset)
        body = raw[offset + 2:offset + 2 + size]
        cls = _OPTIONS.get(kind)
        out.append(cls._from_data(body, offset) if cls is not None else UnknownMobilityOption(kind, body))
        offset += 2 + size
    return tuple(out)


# ---- messages (RFC 6275 section 6.1) -----------------------------------------------------------

_HEADER = struct.Struct("!BBBBH")
_COMMON = ("options", "proto", "reserved", "checksum")
_COMMON_DEFAULTS: dict[str, Any] = {"options": (), "proto": IPPROTO_NONE, "reserved": 0, "checksum": 0}
_COMMON_CONVERT: dict[str, Any] = {
    "options": sequence_of(MobilityOption, "mobility options"), "proto": u8, "reserved": u8,
    "checksum": u16,
}


def _wire(value: Any) -> Any:
    packed = getattr(value, "packed", None)
    if packed is not None:
        return packed
    return value if isinstance(value, bytes) else int(value)


class MobilityMessage(Value):
    """A Mobility Header message (RFC 6275 6.1.1).

    Common fields: ``options`` (a tuple of :class:`MobilityOption`), ``proto``
    (Payload Proto, default 59 = IPPROTO_NONE), ``reserved`` and
    ``checksum`` (sent as given; the kernel fills it on a raw socket with
    IPV6_CHECKSUM 4).  ``pad=True`` (the default) inserts the padding the
    options need; ``pad=False`` keeps the options exactly as given.
    """

    __slots__ = ("checksum", "options", "proto", "reserved")
    TYPE: ClassVar[int] = -1
    _body: ClassVar[struct.Struct] = struct.Struct("!")
    _body_fields: ClassVar[tuple[str, ...]] = ()
    options: tuple[MobilityOption, ...]
    proto: int
    reserved: int
    checksum: int

    def __init__(self, *args: Any, pad: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if pad:
            object.__setattr__(self, "options", _align(self.options, 6 + self._body.size))
        size = self._size()
        if size % 8:
            raise ValueError(f"{type(self).__name__} of {size} octets is not a multiple of 8 octets "
                             "(RFC 6275 6.1.1); leave pad=True to add the padding")
        if size > 2048:
            raise ValueError(f"{type(self).__name__} of {size} octets exceeds Header Len's 2048")

    def _data(self) -> bytes:
        """The Message Data after the checksum: fixed fields, then options."""
        body = self._body.pack(*(_wire(getattr(self, f)) for f in self._body_fields))
        return body + b"".join(bytes(o) for o in self.options)

    def _size(self) -> int:
        return 6 + len(self._data())

    @property
    def type(self) -> int:
        """The MH Type."""
        return self.TYPE

    def __bytes__(self) -> bytes:
        data = self._data()
        hdrlen = (6 + len(data)) // 8 - 1
        return _HEADER.pack(self.proto, hdrlen, self.type, self.reserved, self.checksum) + data

    def __len__(self) -> int:
        return self._size()

    def with_checksum(self, src: AddressLike, dst: AddressLike) -> MobilityMessage:
        """A copy with ``checksum`` computed for a packet from ``src`` to ``dst`` (RFC 6275 6.1.1)."""
        values = dict(zip(self._fields, self._key()))
        values["checksum"] = checksum(src, dst, bytes(self))
        return type(self)(pad=False, **values)

    def __repr__(self) -> str:
        text = super().__repr__()
        if _align(self.options, 6 + self._body.size) != self.options:
            text = text[:-1] + (", " if self._shown() else "") + "pad=False)"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_message, (type(self), self._key()))

    @classmethod
    def _from_wire(cls, raw: bytes, total: int, head: tuple[int, ...]) -> MobilityMessage:
        start = 6 + cls._body.size
        if start > total:
            raise MalformedError(f"{cls.__name__} needs at least {start} octets but Header Len "
                                 f"{head[1]} gives {total}", 1)
        values = dict(zip(cls._body_fields, cls._body.unpack_from(raw, 6)))
        options = parse_options(raw, start, total)
        return cls(**values, options=options, proto=head[0], reserved=head[3], checksum=head[4], pad=False)


def _rebuild_message(cls: type[MobilityMessage], values: tuple[Any, ...]) -> MobilityMessage:
    return cls(*values, pad=False)


def _message(name: str, mh_type: int, doc: str, fmt: str, wire: tuple[str, ...], fields: tuple[str, ...],
             convert: dict[str, Any], defaults: dict[str, Any]) -> type[MobilityMessage]:
    """Make a message class: ``wire`` orders the fixed fields as on the wire, ``fields`` as arguments."""
    namespace: dict[str, Any] = {
        "__doc__": doc, "__slots__": fields, "__module__": __name__, "TYPE": mh_type,
        "_body": struct.Struct("!" + fmt), "_body_fields": wire, "_fields": fields + _COMMON,
        "_defaults": {**defaults, **_COMMON_DEFAULTS}, "_convert": {**convert, **_COMMON_CONVERT},
    }
    return type(name, (MobilityMessage,), namespace)


if TYPE_CHECKING:
    class BindingRefreshRequest(MobilityMessage):
        reserved2: int

    class HomeTestInit(MobilityMessage):
        cookie: int
        reserved2: int

    class CareofTestInit(MobilityMessage):
        cookie: int
        reserved2: int

    class HomeTest(MobilityMessage):
        nonce_index: int
        cookie: int
        keygen: int

    class CareofTest(MobilityMessage):
        nonce_index: int
        cookie: int
        keygen: int

    class BindingUpdate(MobilityMessage):
        sequence: int
        flags: BUFlag
        lifetime: int

    class BindingAcknowledgement(MobilityMessage):
        status: int
        flags: BAFlag
        sequence: int
        lifetime: int

    class BindingError(MobilityMessage):
        status: int
        reserved2: int
        home_address: IPv6Address
else:
    BindingRefreshRequest = _message(
        "BindingRefreshRequest", 0, "Binding Refresh Request (RFC 6275 6.1.2).",
        "H", ("reserved2",), ("reserved2",), {"reserved2": u16}, {"reserved2": 0})
    HomeTestInit = _message(
        "HomeTestInit", 1, "Home Test Init: the 64-bit Home Init Cookie (RFC 6275 6.1.3).",
        "HQ", ("reserved2", "cookie"), ("cookie", "reserved2"), {"reserved2": u16, "cookie": u64},
        {"reserved2": 0})
    CareofTestInit = _message(
        "CareofTestInit", 2, "Care-of Test Init: the 64-bit Care-of Init Cookie (RFC 6275 6.1.4).",
        "HQ", ("reserved2", "cookie"), ("cookie", "reserved2"), {"reserved2": u16, "cookie": u64},
        {"reserved2": 0})
    HomeTest = _message(
        "HomeTest", 3, "Home Test: nonce index, cookie, keygen token (RFC 6275 6.1.5).",
        "HQQ", ("nonce_index", "cookie", "keygen"), ("nonce_index", "cookie", "keygen"),
        {"nonce_index": u16, "cookie": u64, "keygen": u64}, {})
    CareofTest = _message(
        "CareofTest", 4, "Care-of Test: nonce index, cookie, keygen token (RFC 6275 6.1.6).",
        "HQQ", ("nonce_index", "cookie", "keygen"), ("nonce_index", "cookie", "keygen"),
        {"nonce_index": u16, "cookie": u64, "keygen": u64}, {})
    BindingUpdate = _message(
        "BindingUpdate", 5, "Binding Update: sequence, flags (:class:`BUFlag`, the whole 16-bit field), "
        "lifetime in units of 4 s (RFC 6275 6.1.7).",
        "HHH", ("sequence", "flags", "lifetime"), ("sequence", "flags", "lifetime"),
        {"sequence": u16, "flags": flags(BUFlag, 16), "lifetime": u16}, {"flags": 0, "lifetime": 0})
    BindingAcknowledgement = _message(
        "BindingAcknowledgement", 6, "Binding Acknowledgement: status (:class:`BAStatus`), flags, "
        "sequence, lifetime in units of 4 s (RFC 6275 6.1.8).",
        "BBHH", ("status", "flags", "sequence", "lifetime"), ("status", "sequence", "lifetime", "flags"),
        {"status": enum_or_int(BAStatus, 8), "flags": flags(BAFlag, 8), "sequence": u16, "lifetime": u16},
        {"flags": 0, "lifetime": 0})
    BindingError = _message(
        "BindingError", 7, "Binding Error: status (:class:`BEStatus`) and home address (RFC 6275 6.1.9).",
        "BB16s", ("status", "reserved2", "home_address"), ("status", "home_address", "reserved2"),
        {"status": enum_or_int(BEStatus, 8), "reserved2": u8, "home_address": address}, {"reserved2": 0})


class UnknownMobilityMessage(MobilityMessage):
    """A message of an MH Type this module does not know: ``data`` is the Message Data as received."""

    __slots__ = ("data", "mh_type")
    _fields = ("mh_type", "data", "proto", "reserved", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {
        "data": b"\x00\x00", "proto": IPPROTO_NONE, "reserved": 0, "checksum": 0,
    }
    _convert: ClassVar[dict[str, Any]] = {
        "mh_type": u8, "data": octets, "proto": u8, "reserved": u8, "checksum": u16,
    }
    mh_type: int
    data: bytes
    options: tuple[MobilityOption, ...] = ()

    def __init__(self, *args: Any, pad: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, pad=False, **kwargs)
        if self.mh_type in _MESSAGES:
            raise ValueError(f"MH Type {self.mh_type} has its own class")

    @property
    def type(self) -> int:
        return self.mh_type

    def _data(self) -> bytes:
        return self.data

    def __repr__(self) -> str:
        return Value.__repr__(self)

    @classmethod
    def _from_wire(cls, raw: bytes, total: int, head: tuple[int, ...]) -> MobilityMessage:
        return cls(head[2], raw[6:total], proto=head[0], reserved=head[3], checksum=head[4])


MH_TYPES: dict[int, type[MobilityMessage]] = {
    c.TYPE: c for c in (BindingRefreshRequest, HomeTestInit, CareofTestInit, HomeTest, CareofTest,
                        BindingUpdate, BindingAcknowledgement, BindingError)
}
_MESSAGES = MH_TYPES


def parse(data: Any) -> MobilityMessage:
    """Read one Mobility Header message (RFC 6275 6.1); raise :class:`MalformedError` if it does not parse.

    ``data`` must hold exactly the header (what a raw ``IPPROTO_MH`` socket
    delivers): its length must be what Header Len says.
    """
    raw = octets(data)
    if len(raw) < 8:
        raise MalformedError(f"a Mobility Header is at least 8 octets, got {len(raw)}")
    head = _HEADER.unpack_from(raw)
    total = (head[1] + 1) * 8
    if len(raw) < total:
        raise MalformedError(f"Header Len {head[1]} means {total} octets but only {len(raw)} were given", 1)
    if len(raw) > total:
        raise MalformedError(f"{len(raw) - total} octets follow the {total}-octet Mobility Header "
                             f"(Header Len {head[1]})", total)
    cls = _MESSAGES.get(head[2], UnknownMobilityMessage)
    return cls._from_wire(raw, total, head)


# ---- checksum, Home Address option, type 2 routing header -------------------------------------

def _home_address_of(value: Any) -> Any:
    """The home address in ``value``: an address, a HomeAddress option, or destination options holding one."""
    if value is None or isinstance(value, (str, bytes, bytearray)):
        return value
    found = getattr(value, "address", None)
    if found is not None:
        return found
    for opt in getattr(value, "options", ()) or ():
        if getattr(opt, "type", None) == IP6OPT_HOME_ADDRESS:
            inner = getattr(opt, "address", None)
            return inner if inner is not None else bytes(opt.data)[:16]
    return value


def checksum(src: AddressLike, dst: AddressLike, data: Any, home_address: Any = None) -> int:
    """The Mobility Header checksum of ``data`` sent from ``src`` to ``dst`` (RFC 6275 6.1.1).

    The checksum field in ``data`` (offset 4) counts as zero.  With a Home
    Address option (``home_address``: an address, a ``HomeAddress`` option
    or destination options carrying one) the home address replaces the
    source in the pseudo-header.
    """
    source = _home_address_of(home_address)
    return upper_layer_checksum(src if source is None else source, dst, octets(data), IPPROTO_MH, 4)


def home_address_option(home_address: AddressLike) -> Any:
    """A Home Address destination option (RFC 6275 6.3): ``sockapi6.exthdr.HomeAddress``."""
    from .exthdr import HomeAddress

    return HomeAddress(address(home_address))


def type2_routing_header(home_address: AddressLike) -> Any:
    """A type 2 routing header carrying ``home_address`` (RFC 6275 6.4): a ``routing.RoutingHeader``."""
    from .routing import RoutingHeader

    return RoutingHeader([address(home_address)], type=2)


# ---- sockets ------------------------------------------------------------------------------------

def mh_protocol() -> int:
    """The Mobility Header protocol number: ``ipv6-mh`` (RFC 4584 7), ``mobility-header`` (IANA), or 135."""
    import socket

    for name in ("ipv6-mh", "mobility-header"):
        try:
            return socket.getprotobyname(name)
        except OSError:
            continue
    return IPPROTO_MH


def open_mh_socket() -> _socket.socket:
    """A raw ``IPPROTO_MH`` socket with ``IPV6_CHECKSUM`` at offset 4 (RFC 4584 6.1).

    Needs CAP_NET_RAW; raises ``PermissionError`` otherwise.
    """
    import socket

    from ._binding import CONSTANTS

    option = CONSTANTS.get("IPV6_CHECKSUM")
    if option is None:
        raise NotSupportedError("IPV6_CHECKSUM", reason="needed for the Mobility Header checksum")
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, mh_protocol())
    try:
        sock.setsockopt(socket.IPPROTO_IPV6, option, 4)
    except BaseException:
        sock.close()
        raise
    return sock


_LAZY = {"HomeAddress": ("exthdr", "HomeAddress"), "RoutingHeader": ("routing", "RoutingHeader")}


def __getattr__(name: str) -> Any:
    if name == "IPV6_MIPDSTOPTS":  # absent as in C, so hasattr() answers False
        raise AttributeError("IPV6_MIPDSTOPTS: RFC 4584 section 5 names it but no OS assigns it a "
                             "number; send the Home Address option in IPV6_DSTOPTS")
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        return getattr(import_module(f"{__package__}.{module}"), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

