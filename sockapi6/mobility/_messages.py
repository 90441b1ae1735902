"""Mobility Header messages (RFC 6275 section 6.1) and :func:`parse`.

Each message is a :class:`MobilityMessage`: its fixed fields, then mobility
options, padded to a multiple of 8 octets (section 6.1.1) unless
``pad=False``.  The eight messages of section 6.1 are made by
:func:`_message` from their layouts; other MH Types parse as
:class:`UnknownMobilityMessage`.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import address, enum_or_int, flags, octets, sequence_of, u8, u16, u64
from .._wire import Typed
from ..errors import MalformedError
from ._codes import IPPROTO_NONE, BAFlag, BAStatus, BEStatus, BUFlag
from ._ipv6 import checksum
from ._options import MobilityOption, align, parse_options

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, ClassVar

    from .._convert import AddressLike

__all__ = [
    "MH_TYPES", "MobilityMessage", "BindingRefreshRequest", "HomeTestInit", "CareofTestInit", "HomeTest",
    "CareofTest", "BindingUpdate", "BindingAcknowledgement", "BindingError", "UnknownMobilityMessage",
    "parse",
]

_HEADER = struct.Struct("!BBBBH")
#: the fields every message ends with
_COMMON = ("options", "proto", "reserved", "checksum")


class MobilityMessage(Typed):
    """A Mobility Header message (RFC 6275 6.1.1).

    Common fields: ``options`` (a tuple of :class:`MobilityOption`), ``proto``
    (Payload Proto, default 59 = IPPROTO_NONE), ``reserved`` and
    ``checksum`` (sent as given; the kernel fills it on a raw socket with
    IPV6_CHECKSUM 4).  ``pad=True`` (the default) inserts the padding the
    options need; ``pad=False`` keeps the options exactly as given.
    """

    __slots__ = ("checksum", "options", "proto", "reserved")
    _registry: ClassVar[dict[int, type[Any]]] = {}
    _tail = "options"
    _defaults: ClassVar[dict[str, Any]] = {"options": (), "proto": IPPROTO_NONE, "reserved": 0, "checksum": 0}
    _convert: ClassVar[dict[str, Any]] = {
        "options": sequence_of(MobilityOption, "mobility options"), "proto": u8, "reserved": u8,
        "checksum": u16,
    }
    #: whether ``pad=True`` applies (the options are aligned after the fixed fields)
    _padded: ClassVar[bool] = True
    options: tuple[MobilityOption, ...]
    proto: int
    reserved: int
    checksum: int

    def __init__(self, *args: Any, pad: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if pad and self._padded:
            object.__setattr__(self, "options", align(self.options, 6 + self._body.size))
        size = len(self)
        if size % 8:
            raise ValueError(f"{type(self).__name__} of {size} octets is not a multiple of 8 octets "
                             "(RFC 6275 6.1.1); leave pad=True to add the padding")
        if size > 2048:
            raise ValueError(f"{type(self).__name__} of {size} octets exceeds Header Len's 2048")

    def __bytes__(self) -> bytes:
        data = self._pack_body()
        hdrlen = (6 + len(data)) // 8 - 1
        return _HEADER.pack(self.proto, hdrlen, self.type, self.reserved, self.checksum) + data

    def __len__(self) -> int:
        return 6 + len(self._pack_body())

    def with_checksum(self, src: AddressLike, dst: AddressLike) -> MobilityMessage:
        """A copy with ``checksum`` computed for a packet from ``src`` to ``dst`` (RFC 6275 6.1.1)."""
        return self._replace(checksum=checksum(src, dst, bytes(self)), pad=False)

    def __repr__(self) -> str:
        text = super().__repr__()
        if self._padded and align(self.options, 6 + self._body.size) != self.options:
            text = text[:-1] + (", " if self._shown() else "") + "pad=False)"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpadded, super().__reduce__())

    @classmethod
    def _from_wire(cls, raw: bytes, total: int, head: tuple[int, ...]) -> MobilityMessage:
        start = 6 + cls._body.size
        if start > total:
            raise MalformedError(f"{cls.__name__} needs at least {start} octets but Header Len "
                                 f"{head[1]} gives {total}", 1)
        options = parse_options(raw, start, total)
        return cls(**cls._unpack_body(raw, 6), options=options, proto=head[0], reserved=head[3],
                   checksum=head[4], pad=False)


def _unpadded(cls: type[MobilityMessage], args: tuple[Any, ...]) -> MobilityMessage:
    return cls(*args, pad=False)


def _message(name: str, mh_type: int, doc: str, fmt: str, wire: tuple[str, ...], fields: tuple[str, ...],
             convert: dict[str, Any], defaults: dict[str, Any]) -> type[MobilityMessage]:
    """Make a message class: ``wire`` orders the fixed fields as on the wire, ``fields`` as arguments."""
    namespace: dict[str, Any] = {
        "__doc__": doc, "__slots__": fields, "__module__": __name__, "_body": struct.Struct("!" + fmt),
        "_body_fields": wire, "_fields": fields + _COMMON, "_defaults": defaults, "_convert": convert,
    }
    return type(name, (MobilityMessage,), namespace, number=mh_type)


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
    _type_field = "mh_type"
    _tail = "data"
    _padded = False
    _fields = ("mh_type", "data", "proto", "reserved", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"data": b"\x00\x00"}
    _convert: ClassVar[dict[str, Any]] = {"mh_type": u8, "data": octets}
    mh_type: int
    data: bytes
    options: tuple[MobilityOption, ...] = ()

    def _check(self) -> None:
        self._check_unregistered("MH Type")

    @classmethod
    def _from_wire(cls, raw: bytes, total: int, head: tuple[int, ...]) -> MobilityMessage:
        return cls(head[2], raw[6:total], proto=head[0], reserved=head[3], checksum=head[4])


#: MH Type -> class, for parse()
MH_TYPES: dict[int, type[MobilityMessage]] = MobilityMessage._registry


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
    cls = MH_TYPES.get(head[2], UnknownMobilityMessage)
    return cls._from_wire(raw, total, head)
