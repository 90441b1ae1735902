"""ICMPv6 messages: the common base, echo and error messages (RFC 4443), and unknown types.

Every message has ``code`` and ``checksum`` fields: ``bytes(msg)`` writes
the checksum as given (0 by default: a raw ICMPv6 socket on Linux fills it
in), :meth:`ICMPv6Message.with_checksum` computes it, and a parsed message
keeps the received one, so ``bytes(parse(d)) == d``.
"""

from __future__ import annotations

import struct
from enum import IntEnum
from typing import TYPE_CHECKING

from ..errors import MalformedError
from ._base import Value, enum_or_int, octets, u8, u16, u32, unpack, upper_layer_checksum
from ._options import parse_options

if TYPE_CHECKING:
    from typing import Any, ClassVar

    from ._base import AddressLike
    from ._options import NDOption

__all__ = [
    "ICMPv6Message", "EchoRequest", "EchoReply", "DestinationUnreachable", "PacketTooBig",
    "TimeExceeded", "ParameterProblem", "UnknownICMPv6Message", "UnreachableCode", "TimeExceededCode",
    "ParameterProblemCode", "register", "MESSAGES", "checksum",
]

IPPROTO_ICMPV6 = 58
_HEADER = struct.Struct("!BBH")


class UnreachableCode(IntEnum):
    """Destination Unreachable codes (RFC 4443 3.1)."""

    NO_ROUTE = 0
    ADMIN_PROHIBITED = 1
    BEYOND_SCOPE = 2
    ADDRESS_UNREACHABLE = 3
    PORT_UNREACHABLE = 4
    SOURCE_POLICY = 5
    REJECT_ROUTE = 6


class TimeExceededCode(IntEnum):
    """Time Exceeded codes (RFC 4443 3.3)."""

    HOP_LIMIT = 0
    REASSEMBLY = 1


class ParameterProblemCode(IntEnum):
    """Parameter Problem codes (RFC 4443 3.4, RFC 7112)."""

    HEADER = 0
    NEXT_HEADER = 1
    OPTION = 2
    INCOMPLETE_CHAIN = 3


def _wire(value: Any) -> Any:
    packed = getattr(value, "packed", None)
    if packed is not None:
        return packed
    return value if isinstance(value, bytes) else int(value)


class ICMPv6Message(Value):
    """An ICMPv6 message (RFC 4443 section 2.1): type, code, checksum, then the message body.

    ``_tail`` names the variable part after the fixed fields: ``"options"``
    (ND options), ``"data"`` (bytes), or ``""``.
    """

    __slots__ = ("checksum", "code")
    TYPE: ClassVar[int] = -1
    _body: ClassVar[struct.Struct] = struct.Struct("!")
    _body_fields: ClassVar[tuple[str, ...]] = ()
    _tail: ClassVar[str] = ""
    code: int
    checksum: int
    options: tuple[NDOption, ...]  # present where _tail == "options"

    @property
    def type(self) -> int:
        """The ICMPv6 type."""
        return self.TYPE

    def _tail_bytes(self) -> bytes:
        if self._tail == "options":
            return b"".join(bytes(o) for o in self.options)
        if self._tail:
            return bytes(getattr(self, self._tail))
        return b""

    def __bytes__(self) -> bytes:
        body = self._body.pack(*(_wire(getattr(self, f)) for f in self._body_fields))
        return _HEADER.pack(self.type, int(self.code), self.checksum) + body + self._tail_bytes()

    def __len__(self) -> int:
        return len(bytes(self))

    def with_checksum(self, src: AddressLike, dst: AddressLike) -> ICMPv6Message:
        """A copy with ``checksum`` computed for a packet from ``src`` to ``dst`` (RFC 4443 2.3)."""
        values = dict(zip(self._fields, self._key()))
        values["checksum"] = checksum(src, dst, bytes(self))
        return type(self)(**values)

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        values: dict[str, Any] = dict(zip(cls._body_fields, unpack(cls._body, raw, 4, cls.__name__)))
        start = 4 + cls._body.size
        values.update(cls._tail_values(raw, start))
        try:
            return cls(**values, code=raw[1], checksum=int.from_bytes(raw[2:4], "big"))
        except ValueError as exc:
            if isinstance(exc, MalformedError):
                raise
            raise MalformedError(f"{cls.__name__}: {exc}") from None

    @classmethod
    def _tail_values(cls, raw: bytes, start: int) -> dict[str, Any]:
        if cls._tail == "options":
            return {"options": parse_options(raw, start)}
        if cls._tail:
            return {cls._tail: raw[start:]}
        if len(raw) > start:
            raise MalformedError(f"{cls.__name__} is {start} octets but {len(raw)} were given", start)
        return {}


MESSAGES: dict[int, type[ICMPv6Message]] = {}


def register(cls: type[ICMPv6Message]) -> type[ICMPv6Message]:
    """Class decorator: ``parse`` reads messages of ``cls.TYPE`` with ``cls``."""
    MESSAGES[cls.TYPE] = cls
    return cls


class _Echo(ICMPv6Message):
    __slots__ = ("data", "identifier", "sequence")
    _body = struct.Struct("!HH")
    _body_fields = ("identifier", "sequence")
    _tail = "data"
    _fields = ("identifier", "sequence", "data", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {
        "identifier": 0, "sequence": 0, "data": b"", "code": 0, "checksum": 0,
    }
    _convert: ClassVar[dict[str, Any]] = {
        "identifier": u16, "sequence": u16, "data": octets, "code": u8, "checksum": u16,
    }
    identifier: int
    sequence: int
    data: bytes


@register
class EchoRequest(_Echo):
    """Echo Request: identifier, sequence number, data (RFC 4443 4.1)."""

    __slots__ = ()
    TYPE = 128


@register
class EchoReply(_Echo):
    """Echo Reply (RFC 4443 4.2)."""

    __slots__ = ()
    TYPE = 129


@register
class DestinationUnreachable(ICMPv6Message):
    """Destination Unreachable: code (:class:`UnreachableCode`) and the invoking packet (RFC 4443 3.1)."""

    __slots__ = ("packet", "unused")
    TYPE = 1
    _body = struct.Struct("!I")
    _body_fields = ("unused",)
    _tail = "packet"
    _fields = ("code", "packet", "unused", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"code": 0, "packet": b"", "unused": 0, "checksum": 0}
    _convert: ClassVar[dict[str, Any]] = {
        "code": enum_or_int(UnreachableCode, 8), "packet": octets, "unused": u32, "checksum": u16,
    }
    packet: bytes
    unused: int


@register
class PacketTooBig(ICMPv6Message):
    """Packet Too Big: the next-hop MTU and the invoking packet (RFC 4443 3.2)."""

    __slots__ = ("mtu", "packet")
    TYPE = 2
    _body = struct.Struct("!I")
    _body_fields = ("mtu",)
    _tail = "packet"
    _fields = ("mtu", "packet", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"packet": b"", "code": 0, "checksum": 0}
    _convert: ClassVar[dict[str, Any]] = {"mtu": u32, "packet": octets, "code": u8, "checksum": u16}
    mtu: int
    packet: bytes


@register
class TimeExceeded(ICMPv6Message):
    """Time Exceeded: code (:class:`TimeExceededCode`) and the invoking packet (RFC 4443 3.3)."""

    __slots__ = ("packet", "unused")
    TYPE = 3
    _body = struct.Struct("!I")
    _body_fields = ("unused",)
    _tail = "packet"
    _fields = ("code", "packet", "unused", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"code": 0, "packet": b"", "unused": 0, "checksum": 0}
    _convert: ClassVar[dict[str, Any]] = {
        "code": enum_or_int(TimeExceededCode, 8), "packet": octets, "unused": u32, "checksum": u16,
    }
    packet: bytes
    unused: int


@register
class ParameterProblem(ICMPv6Message):
    """Parameter Problem: code, pointer to the error, invoking packet (RFC 4443 3.4)."""

    __slots__ = ("packet", "pointer")
    TYPE = 4
    _body = struct.Struct("!I")
    _body_fields = ("pointer",)
    _tail = "packet"
    _fields = ("code", "pointer", "packet", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"code": 0, "pointer": 0, "packet": b"", "checksum": 0}
    _convert: ClassVar[dict[str, Any]] = {
        "code": enum_or_int(ParameterProblemCode, 8), "pointer": u32, "packet": octets,
                "checksum": u16}
    pointer: int
    packet: bytes


class UnknownICMPv6Message(ICMPv6Message):
    """A message of a type this module does not decode: ``data`` is everything after the checksum."""

    __slots__ = ("data", "icmp_type")
    _tail = "data"
    _fields = ("icmp_type", "code", "data", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"code": 0, "data": b"", "checksum": 0}
    _convert: ClassVar[dict[str, Any]] = {"icmp_type": u8, "code": u8, "data": octets, "checksum": u16}
    icmp_type: int
    data: bytes

    @property
    def type(self) -> int:
        return self.icmp_type

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        return cls(raw[0], raw[1], raw[4:], int.from_bytes(raw[2:4], "big"))


def checksum(src: AddressLike, dst: AddressLike, data: Any) -> int:
    """The ICMPv6 checksum of ``data`` from ``src`` to ``dst`` (RFC 4443 2.3, RFC 8200 8.1).

    The checksum field (offset 2) counts as zero, so the result is the
    value that belongs there; compare it with the received field to verify.
    """
    return upper_layer_checksum(src, dst, octets(data), IPPROTO_ICMPV6, 2)

