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
from .._numbers import IPPROTO_ICMPV6
from .._wire import REQUIRED, Family, Typed, field
from ..errors import MalformedError

if TYPE_CHECKING:
    from typing import Any, ClassVar

    from .._convert import AddressLike

__all__ = [
    "ICMPv6Message", "EchoRequest", "EchoReply", "DestinationUnreachable", "PacketTooBig",
    "TimeExceeded", "ParameterProblem", "UnknownICMPv6Message", "UnreachableCode", "TimeExceededCode",
    "ParameterProblemCode", "checksum",
]

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


class ICMPv6Message(Family, Typed, family=True):
    """An ICMPv6 message (RFC 4443 section 2.1): type, code, checksum, then the message body.

    The body is the fixed fields (``_body``) and the variable part named by
    ``_tail`` (ND options, the invoking packet, echo data...).  Two messages
    are equal when their bytes are: ``UnknownICMPv6Message(128, data=...)``
    equals the ``EchoRequest`` with the same octets.
    """

    _registry: ClassVar[dict[int, type[Any]]] = {}
    code: int = field("", u8, 0, "the Code field: 0 unless the type defines codes (RFC 4443 2.1)", quiet=True)
    checksum: int = field("", u16, 0, "the Checksum as sent; 0 lets a raw socket fill it in (RFC 4443 2.3)",
                          quiet=True)

    def _header(self) -> bytes:
        return _HEADER.pack(self._wire_type(), int(self.code), self.checksum)

    def _build(self) -> bytes:
        return self._header() + self._pack_body()

    def with_checksum(self, src: AddressLike, dst: AddressLike) -> ICMPv6Message:
        """A copy with ``checksum`` computed for a packet from ``src`` to ``dst`` (RFC 4443 2.3)."""
        return self._replace(checksum=checksum(src, dst, bytes(self)))

    @staticmethod
    def _received(raw: bytes) -> dict[str, int]:
        """The code and checksum of the message ``raw``."""
        return {"code": raw[1], "checksum": (raw[2] << 8) | raw[3]}

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        values = cls._unpack_body(raw, 4)
        values.update(cls._tail_values(raw, 4 + cls._body.size))
        values["code"] = raw[1]
        values["checksum"] = (raw[2] << 8) | raw[3]
        return cls._decoded_wire(raw, values)

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
    identifier: int = field("H", u16, 0, "matches replies to requests (RFC 4443 4.1)")
    sequence: int = field("H", u16, 0, "the sequence number (RFC 4443 4.1)")
    data: bytes = field("*", octets, b"", "the echo data, returned in the reply (RFC 4443 4.1)", quiet=True)


class EchoRequest(_Echo, number=128):
    """Echo Request: identifier, sequence number, data (RFC 4443 4.1)."""

    __slots__ = ()


class EchoReply(_Echo, number=129):
    """Echo Reply (RFC 4443 4.2)."""

    __slots__ = ()


class _ErrorMessage(ICMPv6Message):
    """An error message: one 32-bit field, then as much of the invoking packet as fits (RFC 4443 2.4)."""

    packet: bytes = field("*", octets, b"", "as much of the invoking packet as fits the minimum MTU "
                          "(RFC 4443 2.4)", quiet=True)


class _UnusedField(_ErrorMessage):
    unused: int = field("I", u32, 0, "32 unused bits, zero when sent (RFC 4443 3.1)", quiet=True)
    _fields = ("code", "packet", "unused", "checksum")


class DestinationUnreachable(_UnusedField, number=1):
    """Destination Unreachable: code (:class:`UnreachableCode`) and the invoking packet (RFC 4443 3.1)."""

    code: int = field("", enum_or_int(UnreachableCode, 8), 0, "why: an :class:`UnreachableCode` "
                      "(RFC 4443 3.1)")


class PacketTooBig(_ErrorMessage, number=2):
    """Packet Too Big: the next-hop MTU and the invoking packet (RFC 4443 3.2)."""

    mtu: int = field("I", u32, REQUIRED, "the MTU of the next-hop link (RFC 4443 3.2)")
    _fields = ("mtu", "packet", "code", "checksum")


class TimeExceeded(_UnusedField, number=3):
    """Time Exceeded: code (:class:`TimeExceededCode`) and the invoking packet (RFC 4443 3.3)."""

    code: int = field("", enum_or_int(TimeExceededCode, 8), 0, "a :class:`TimeExceededCode` (RFC 4443 3.3)")


class ParameterProblem(_ErrorMessage, number=4):
    """Parameter Problem: code, pointer to the error, invoking packet (RFC 4443 3.4)."""

    code: int = field("", enum_or_int(ParameterProblemCode, 8), 0,
                      "a :class:`ParameterProblemCode` (RFC 4443 3.4)")
    pointer: int = field("I", u32, 0, "the octet offset of the error in the invoking packet (RFC 4443 3.4)")
    _fields = ("code", "pointer", "packet", "checksum")


class UnknownICMPv6Message(ICMPv6Message):
    """Any ICMPv6 message as type, code, checksum and ``data`` (everything after the checksum).

    :func:`~sockapi6.icmp6.parse` gives this class for the types this module
    does not decode; built by hand it may carry any type, and it equals the
    named message with the same octets (RFC 4443 2.1).
    """

    icmp_type: int = field("", u8, REQUIRED, "the Type field (RFC 4443 2.1)")
    data: bytes = field("*", octets, b"", "the message body after the checksum (RFC 4443 2.1)", quiet=True)
    _type_field = "icmp_type"
    _fields = ("icmp_type", "code", "data", "checksum")

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        return cls._decoded_wire(raw, {"icmp_type": raw[0], "code": raw[1],
                                       "checksum": (raw[2] << 8) | raw[3], "data": raw[4:]})


def checksum(src: AddressLike, dst: AddressLike, data: Any) -> int:
    """The ICMPv6 checksum of ``data`` from ``src`` to ``dst`` (RFC 4443 2.3, RFC 8200 8.1).

    The checksum field (offset 2) counts as zero, so the result is the
    value that belongs there; compare it with the received field to verify.
    """
    return upper_layer_checksum(src, dst, octets(data), IPPROTO_ICMPV6, 2)
