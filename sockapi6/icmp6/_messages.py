"""ICMPv6 messages: the common base, echo and error messages (RFC 4443), and unknown types.

Every message has ``code`` and ``checksum`` fields: ``bytes(msg)`` writes
the checksum as given (0 by default: a raw ICMPv6 socket on Linux fills it
in), :meth:`ICMPv6Message.with_checksum` computes it, and a parsed message
keeps the received one, so ``bytes(parse(d)) == d``.  ``class X(Base,
number=N)`` makes ``X`` the class :func:`~sockapi6.icmp6.parse` uses for
type ``N``.
"""

from __future__ import annotations

import struct
from enum import IntEnum
from typing import TYPE_CHECKING

from .._checksum import upper_layer_checksum
from .._convert import enum_or_int, octets, u8, u16, u32
from .._wire import Typed
from ..errors import MalformedError

if TYPE_CHECKING:
    from typing import Any, ClassVar

    from .._convert import AddressLike

__all__ = [
    "ICMPv6Message", "EchoRequest", "EchoReply", "DestinationUnreachable", "PacketTooBig",
    "TimeExceeded", "ParameterProblem", "UnknownICMPv6Message", "UnreachableCode", "TimeExceededCode",
    "ParameterProblemCode", "checksum",
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


class ICMPv6Message(Typed):
    """An ICMPv6 message (RFC 4443 section 2.1): type, code, checksum, then the message body.

    The body is the fixed fields (``_body``) and the variable part named by
    ``_tail`` (ND options, the invoking packet, echo data...).
    """

    __slots__ = ("checksum", "code")
    _registry: ClassVar[dict[int, type[Any]]] = {}
    _defaults: ClassVar[dict[str, Any]] = {"code": 0, "checksum": 0}
    _convert: ClassVar[dict[str, Any]] = {"code": u8, "checksum": u16}
    code: int
    checksum: int

    def _header(self) -> bytes:
        return _HEADER.pack(self.type, int(self.code), self.checksum)

    def __bytes__(self) -> bytes:
        return self._header() + self._pack_body()

    def with_checksum(self, src: AddressLike, dst: AddressLike) -> ICMPv6Message:
        """A copy with ``checksum`` computed for a packet from ``src`` to ``dst`` (RFC 4443 2.3)."""
        return self._replace(checksum=checksum(src, dst, bytes(self)))

    @staticmethod
    def _received(raw: bytes) -> dict[str, int]:
        """The code and checksum of the message ``raw``."""
        return {"code": raw[1], "checksum": int.from_bytes(raw[2:4], "big")}

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        values = cls._unpack_body(raw, 4)
        values.update(cls._tail_values(raw, 4 + cls._body.size))
        try:
            return cls(**values, **cls._received(raw))
        except ValueError as exc:
            if isinstance(exc, MalformedError):
                raise
            raise MalformedError(f"{cls.__name__}: {exc}") from None

    @classmethod
    def _tail_values(cls, raw: bytes, start: int) -> dict[str, Any]:
        """The variable part, read from ``raw[start:]``."""
        if cls._tail:
            return {cls._tail: raw[start:]}
        if len(raw) > start:
            raise MalformedError(f"{cls.__name__} is {start} octets but {len(raw)} were given", start)
        return {}


#: type -> class, for parse()
MESSAGES: dict[int, type[ICMPv6Message]] = ICMPv6Message._registry


class _Echo(ICMPv6Message):
    __slots__ = ("data", "identifier", "sequence")
    _body = struct.Struct("!HH")
    _body_fields = ("identifier", "sequence")
    _tail = "data"
    _fields = ("identifier", "sequence", "data", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"identifier": 0, "sequence": 0, "data": b""}
    _convert: ClassVar[dict[str, Any]] = {"identifier": u16, "sequence": u16, "data": octets}
    identifier: int
    sequence: int
    data: bytes


class EchoRequest(_Echo, number=128):
    """Echo Request: identifier, sequence number, data (RFC 4443 4.1)."""

    __slots__ = ()


class EchoReply(_Echo, number=129):
    """Echo Reply (RFC 4443 4.2)."""

    __slots__ = ()


class _ErrorMessage(ICMPv6Message):
    """An error message: one 32-bit field, then as much of the invoking packet as fits (RFC 4443 2.4)."""

    __slots__ = ("packet",)
    _body = struct.Struct("!I")
    _tail = "packet"
    _defaults: ClassVar[dict[str, Any]] = {"packet": b""}
    _convert: ClassVar[dict[str, Any]] = {"packet": octets}
    packet: bytes


class _UnusedField(_ErrorMessage):
    __slots__ = ("unused",)
    _body_fields = ("unused",)
    _fields = ("code", "packet", "unused", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"unused": 0}
    _convert: ClassVar[dict[str, Any]] = {"unused": u32}
    unused: int


class DestinationUnreachable(_UnusedField, number=1):
    """Destination Unreachable: code (:class:`UnreachableCode`) and the invoking packet (RFC 4443 3.1)."""

    __slots__ = ()
    _convert: ClassVar[dict[str, Any]] = {"code": enum_or_int(UnreachableCode, 8)}


class PacketTooBig(_ErrorMessage, number=2):
    """Packet Too Big: the next-hop MTU and the invoking packet (RFC 4443 3.2)."""

    __slots__ = ("mtu",)
    _body_fields = ("mtu",)
    _fields = ("mtu", "packet", "code", "checksum")
    _convert: ClassVar[dict[str, Any]] = {"mtu": u32}
    mtu: int


class TimeExceeded(_UnusedField, number=3):
    """Time Exceeded: code (:class:`TimeExceededCode`) and the invoking packet (RFC 4443 3.3)."""

    __slots__ = ()
    _convert: ClassVar[dict[str, Any]] = {"code": enum_or_int(TimeExceededCode, 8)}


class ParameterProblem(_ErrorMessage, number=4):
    """Parameter Problem: code, pointer to the error, invoking packet (RFC 4443 3.4)."""

    __slots__ = ("pointer",)
    _body_fields = ("pointer",)
    _fields = ("code", "pointer", "packet", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"pointer": 0}
    _convert: ClassVar[dict[str, Any]] = {"code": enum_or_int(ParameterProblemCode, 8), "pointer": u32}
    pointer: int


class UnknownICMPv6Message(ICMPv6Message):
    """A message of a type this module does not decode: ``data`` is everything after the checksum."""

    __slots__ = ("data", "icmp_type")
    _type_field = "icmp_type"
    _tail = "data"
    _fields = ("icmp_type", "code", "data", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"data": b""}
    _convert: ClassVar[dict[str, Any]] = {"icmp_type": u8, "data": octets}
    icmp_type: int
    data: bytes

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        return cls(raw[0], data=raw[4:], **cls._received(raw))


def checksum(src: AddressLike, dst: AddressLike, data: Any) -> int:
    """The ICMPv6 checksum of ``data`` from ``src`` to ``dst`` (RFC 4443 2.3, RFC 8200 8.1).

    The checksum field (offset 2) counts as zero, so the result is the
    value that belongs there; compare it with the received field to verify.
    """
    return upper_layer_checksum(src, dst, octets(data), IPPROTO_ICMPV6, 2)
