"""Mobility Header messages (RFC 6275 section 6.1) and :func:`parse`.

Each message is a :class:`MobilityMessage`: its fixed fields (declared with
:func:`~sockapi6._wire.field`), then mobility options, padded to a multiple
of 8 octets (section 6.1.1) unless ``pad=False``.  Other MH Types parse as
:class:`UnknownMobilityMessage`.  Messages are equal when their bytes are.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import address, enum_or_int, octets, sequence_of, u8, u16, u64
from .._convert import flags as flag_bits
from .._wire import REQUIRED, Family, Typed, field, public_name
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
#: the longest Mobility Header: Header Len is 8 bits of 8-octet units (RFC 6275 6.1.1)
MAX_LENGTH = 2048


def _option_tuple(value: Any) -> tuple[MobilityOption, ...]:
    return _options_of(value)


_options_of = sequence_of(MobilityOption, "mobility options")


class MobilityMessage(Family, Typed, family=True):
    """A Mobility Header message (RFC 6275 6.1.1).

    Common fields: ``options`` (a tuple of :class:`MobilityOption`), ``proto``
    (Payload Proto, default 59 = IPPROTO_NONE), ``reserved`` and
    ``checksum`` (sent as given; the kernel fills it on a raw socket with
    IPV6_CHECKSUM 4).  ``pad=True`` (the default) inserts the padding the
    options need; ``pad=False`` keeps the options exactly as given.  Two
    messages are equal when their bytes are (``UnknownMobilityMessage(5,
    data)`` equals the ``BindingUpdate`` with the same octets).
    """

    _registry: ClassVar[dict[int, type[Any]]] = {}
    options: tuple[MobilityOption, ...] = field("*", _option_tuple, (), "the mobility options in order "
                                                "(RFC 6275 6.2), padding included once built", quiet=True,
                                                decode=False)
    proto: int = field("", u8, IPPROTO_NONE, "Payload Proto: 59 (no next header) unless a payload follows",
                       quiet=True)
    reserved: int = field("", u8, 0, "the reserved octet, zero when sent", quiet=True)
    checksum: int = field("", u16, 0, "the Checksum as sent; 0 lets a raw socket with IPV6_CHECKSUM 4 "
                          "fill it in (RFC 6275 6.1.1)", quiet=True)
    _init_extra: ClassVar[dict[str, Any]] = {"pad": True}
    _init_docs: ClassVar[dict[str, str]] = {"pad": "whether to insert the padding the options need "
                                                   "(False: the options are kept exactly as given)"}
    #: whether ``pad=True`` applies (the options are aligned after the fixed fields)
    _padded: ClassVar[bool] = True

    def _finish(self, pad: bool = True) -> None:
        """Align the options (``pad``), then check the length and keep the bytes (RFC 6275 6.1.1)."""
        if pad and self._padded:
            _OPTIONS_SET(self, align(self.options, 6 + self._body.size))
        super()._finish()
        size = len(self._wire)
        if size % 8:
            raise ValueError(f"{public_name(type(self))}: options leave the message at {size} octets, not "
                             "a multiple of 8 (RFC 6275 6.1.1); leave pad=True to add the padding")
        if size > MAX_LENGTH:
            raise ValueError(f"{public_name(type(self))}: options make the message {size} octets, over the "
                             f"{MAX_LENGTH} Header Len allows (RFC 6275 6.1.1)")

    def _build(self) -> bytes:
        data = self._pack_body()
        hdrlen = (6 + len(data)) // 8 - 1
        number = self._wire_type()
        if not 0 <= hdrlen <= 255:  # refused by _finish, with the reason
            return _HEADER.pack(self.proto, 0, number, self.reserved, self.checksum) + data
        return _HEADER.pack(self.proto, hdrlen, number, self.reserved, self.checksum) + data

    def with_checksum(self, src: AddressLike, dst: AddressLike, home_address: Any = None) -> MobilityMessage:
        """A copy with ``checksum`` computed for a packet from ``src`` to ``dst`` (RFC 6275 6.1.1); with a
        Home Address option, ``home_address`` replaces ``src`` in the pseudo-header
        (:func:`~sockapi6.mobility.with_checksum`)."""
        return self._replace(checksum=checksum(src, dst, bytes(self), home_address), pad=False)

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
        values = cls._unpack_body(raw, 6)
        values["options"] = parse_options(raw, start, total)
        values["proto"] = head[0]
        values["reserved"] = head[3]
        values["checksum"] = head[4]
        return cls._decoded_wire(raw, values)


_OPTIONS_SET = MobilityMessage.options.__set__  # type: ignore[attr-defined]


def _unpadded(cls: type[MobilityMessage], args: tuple[Any, ...]) -> MobilityMessage:
    return cls(*args, pad=False)


class BindingRefreshRequest(MobilityMessage, number=0):
    """Binding Refresh Request (RFC 6275 6.1.2)."""

    reserved2: int = field("H", u16, 0, "16 reserved bits, zero when sent", quiet=True)


class HomeTestInit(MobilityMessage, number=1):
    """Home Test Init: the 64-bit Home Init Cookie (RFC 6275 6.1.3)."""

    reserved2: int = field("H", u16, 0, "16 reserved bits, zero when sent", quiet=True)
    cookie: int = field("Q", u64, REQUIRED, "the Home Init Cookie, returned in the Home Test")
    _fields = ("cookie", "reserved2", "options", "proto", "reserved", "checksum")


class CareofTestInit(MobilityMessage, number=2):
    """Care-of Test Init: the 64-bit Care-of Init Cookie (RFC 6275 6.1.4)."""

    reserved2: int = field("H", u16, 0, "16 reserved bits, zero when sent", quiet=True)
    cookie: int = field("Q", u64, REQUIRED, "the Care-of Init Cookie, returned in the Care-of Test")
    _fields = ("cookie", "reserved2", "options", "proto", "reserved", "checksum")


class HomeTest(MobilityMessage, number=3):
    """Home Test: nonce index, cookie, keygen token (RFC 6275 6.1.5)."""

    nonce_index: int = field("H", u16, REQUIRED, "Home Nonce Index, echoed in the Binding Update")
    cookie: int = field("Q", u64, REQUIRED, "the Home Init Cookie of the Home Test Init answered")
    keygen: int = field("Q", u64, REQUIRED, "the Home Keygen Token")


class CareofTest(MobilityMessage, number=4):
    """Care-of Test: nonce index, cookie, keygen token (RFC 6275 6.1.6)."""

    nonce_index: int = field("H", u16, REQUIRED, "Care-of Nonce Index, echoed in the Binding Update")
    cookie: int = field("Q", u64, REQUIRED, "the Care-of Init Cookie of the Care-of Test Init answered")
    keygen: int = field("Q", u64, REQUIRED, "the Care-of Keygen Token")


class BindingUpdate(MobilityMessage, number=5):
    """Binding Update: sequence, flags (:class:`BUFlag`, the whole 16-bit field), lifetime in units of 4 s
    (RFC 6275 6.1.7)."""

    sequence: int = field("H", u16, REQUIRED, "Sequence #, ordering Binding Updates")
    flags: BUFlag = field("H", flag_bits(BUFlag, 16), 0, "A, H, L, K and the reserved bits: the whole "
                          "16-bit field (:class:`BUFlag`)")
    lifetime: int = field("H", u16, 0, "the binding's lifetime in units of 4 seconds")


class BindingAcknowledgement(MobilityMessage, number=6):
    """Binding Acknowledgement: status (:class:`BAStatus`), flags, sequence, lifetime in units of 4 s
    (RFC 6275 6.1.8)."""

    status: int = field("B", enum_or_int(BAStatus, 8), REQUIRED, "the Status (:class:`BAStatus`); "
                        "under 128 means accepted")
    flags: BAFlag = field("B", flag_bits(BAFlag, 8), 0, "K and the reserved bits (:class:`BAFlag`)")
    sequence: int = field("H", u16, REQUIRED, "the Sequence # of the Binding Update answered")
    lifetime: int = field("H", u16, 0, "the granted lifetime in units of 4 seconds")
    _fields = ("status", "sequence", "lifetime", "flags", "options", "proto", "reserved", "checksum")


class BindingError(MobilityMessage, number=7):
    """Binding Error: status (:class:`BEStatus`) and home address (RFC 6275 6.1.9)."""

    status: int = field("B", enum_or_int(BEStatus, 8), REQUIRED, "the Status (:class:`BEStatus`)")
    reserved2: int = field("B", u8, 0, "8 reserved bits, zero when sent", quiet=True)
    home_address: IPv6Address = field("16s", address, REQUIRED, "the home address of the packet in error")
    _fields = ("status", "home_address", "reserved2", "options", "proto", "reserved", "checksum")


class UnknownMobilityMessage(MobilityMessage):
    """Any Mobility Header message as its MH Type and Message Data (RFC 6275 6.1.1).

    :func:`parse` gives this class for the MH Types this module does not
    know; built by hand it may carry any MH Type, and it equals the named
    message with the same octets.  ``data`` starts right after the Checksum.
    """

    mh_type: int = field("", u8, REQUIRED, "the MH Type")
    data: bytes = field("*", octets, b"\x00\x00", "the Message Data after the Checksum, as on the wire",
                        quiet=True)
    _type_field = "mh_type"
    _padded = False
    _fields = ("mh_type", "data", "proto", "reserved", "checksum")
    options: tuple[MobilityOption, ...] = ()

    @classmethod
    def _from_wire(cls, raw: bytes, total: int, head: tuple[int, ...]) -> MobilityMessage:
        return cls._decoded_wire(raw, {"mh_type": head[2], "data": raw[6:total], "proto": head[0],
                                       "reserved": head[3], "checksum": head[4]})


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
