"""DHCPv6 messages (RFC 8415 sections 8 and 9) and :func:`parse`.

Client/server messages (:class:`Solicit` ... :class:`InformationRequest`)
are a msg-type, a 24-bit transaction-id and options (section 8); relay
messages (:class:`RelayForward`, :class:`RelayReply`) are a msg-type, a hop
count, link-address, peer-address and options, one of which, Relay Message,
carries the relayed message (section 9).  Other message types parse as
:class:`UnknownMessage`, their octets after msg-type kept as received.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import address, octets, u8
from .._wire import REQUIRED, Typed, field
from ..errors import MalformedError
from ._constants import MessageType
from ._fields import u24
from ._options import (
    InterfaceID,
    Option,
    RelayMessageOption,
    _message_class,
    _options,
    _parse_message,
    parse_options,
)

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, ClassVar, Optional, TypeVar, Union

    _O = TypeVar("_O", bound=Option)

__all__ = [
    "Message", "ClientServerMessage", "Solicit", "Advertise", "Request", "Confirm", "Renew", "Rebind",
    "Reply", "Release", "Decline", "Reconfigure", "InformationRequest", "RelayMessage", "RelayForward",
    "RelayReply", "UnknownMessage", "MESSAGES", "parse",
]

_CLIENT_SERVER = struct.Struct("!I")
_RELAY = struct.Struct("!BB16s16s")


class Message(Typed):
    """A DHCPv6 message: ``bytes(msg)`` is what a UDP datagram carries (RFC 8415 8-9)."""

    __slots__ = ()
    _registry: ClassVar[dict[int, type[Any]]] = {}
    options: tuple[Option, ...] = ()

    def _check(self) -> None:
        self._wire_type()  # the family's bases have no msg-type of their own: TypeError

    @property
    def msg_type(self) -> int:
        """The msg-type on the wire (a :class:`MessageType` where it has a name)."""
        try:
            return MessageType(self.type)
        except ValueError:
            return self.type

    def option(self, kind: Union[type[_O], int]) -> Optional[_O]:
        """The first option of class ``kind`` (or with option-code ``kind``), or None."""
        for opt in self.options:
            if (opt.code == kind) if isinstance(kind, int) else isinstance(opt, kind):
                return opt  # type: ignore[return-value]
        return None

    def options_of(self, kind: Union[type[_O], int]) -> tuple[_O, ...]:
        """Every option of class ``kind`` (or with option-code ``kind``), in order."""
        return tuple(opt for opt in self.options  # type: ignore[misc]
                     if ((opt.code == kind) if isinstance(kind, int) else isinstance(opt, kind)))


class ClientServerMessage(Message):
    """A client/server message: transaction-id and options (RFC 8415 8)."""

    __slots__ = ()
    transaction_id: int = field("", u24, 0, "the 24-bit transaction-id")
    options: tuple[Option, ...] = field("*", _options, (), "the message's options", quiet=True)

    def __bytes__(self) -> bytes:
        return _CLIENT_SERVER.pack(self.type << 24 | self.transaction_id) + self._tail_bytes()

    @classmethod
    def _from_wire(cls, raw: bytes, base: int, depth: int) -> Message:
        if len(raw) < 4:
            raise MalformedError(f"{cls.__name__} needs 4 octets for msg-type and transaction-id, "
                                 f"got {len(raw)}", base)
        xid = _CLIENT_SERVER.unpack_from(raw)[0] & 0xFFFFFF
        return cls(xid, parse_options(raw[4:], base + 4, depth))


class Solicit(ClientServerMessage, number=1):
    """Solicit: a client looks for servers (RFC 8415 16.2)."""

    __slots__ = ()


class Advertise(ClientServerMessage, number=2):
    """Advertise: a server offers service (RFC 8415 16.3)."""

    __slots__ = ()


class Request(ClientServerMessage, number=3):
    """Request: a client asks one server for leases and configuration (RFC 8415 16.4)."""

    __slots__ = ()


class Confirm(ClientServerMessage, number=4):
    """Confirm: are my addresses still on this link? (RFC 8415 16.5)."""

    __slots__ = ()


class Renew(ClientServerMessage, number=5):
    """Renew: extend leases with the server that gave them (RFC 8415 16.6)."""

    __slots__ = ()


class Rebind(ClientServerMessage, number=6):
    """Rebind: extend leases with any server (RFC 8415 16.7)."""

    __slots__ = ()


class Reply(ClientServerMessage, number=7):
    """Reply: a server's answer with leases, configuration or status (RFC 8415 16.10)."""

    __slots__ = ()


class Release(ClientServerMessage, number=8):
    """Release: a client gives leases back (RFC 8415 16.8)."""

    __slots__ = ()


class Decline(ClientServerMessage, number=9):
    """Decline: addresses the client found in use (RFC 8415 16.9)."""

    __slots__ = ()


class Reconfigure(ClientServerMessage, number=10):
    """Reconfigure: a server tells a client to renew or refresh (RFC 8415 16.11)."""

    __slots__ = ()


class InformationRequest(ClientServerMessage, number=11):
    """Information-request: configuration without leases (RFC 8415 16.12)."""

    __slots__ = ()


class RelayMessage(Message):
    """A relay agent message: hop-count, link-address, peer-address and options (RFC 8415 9).

    :attr:`relay_message` is the message inside the Relay Message option;
    :attr:`interface_id` the Interface-Id option's octets.
    """

    __slots__ = ()
    hop_count: int = field("B", u8, REQUIRED, "how many relays have relayed this message")
    link_address: IPv6Address = field("16s", address, REQUIRED, "an address of the link the client is on "
                                      "(or :: when the relay cannot tell)")
    peer_address: IPv6Address = field("16s", address, REQUIRED, "the address of the client or relay "
                                      "the message came from")
    options: tuple[Option, ...] = field("*", _options, (), "the options, Relay Message among them",
                                        quiet=True)

    def __bytes__(self) -> bytes:
        return bytes((self.type,)) + self._pack_body()

    @property
    def relay_message(self) -> Optional[Message]:
        """The relayed message (the Relay Message option's), parsed; None without that option."""
        opt = self.option(RelayMessageOption)
        return opt.message if opt is not None else None

    @property
    def interface_id(self) -> Optional[bytes]:
        """The Interface-Id option's octets (RFC 8415 21.18), or None without one."""
        opt = self.option(InterfaceID)
        return opt.interface_id if opt is not None else None

    @classmethod
    def _from_wire(cls, raw: bytes, base: int, depth: int) -> Message:
        if len(raw) < _RELAY.size:
            raise MalformedError(f"{cls.__name__} needs {_RELAY.size} octets before its options, "
                                 f"got {len(raw)}", base)
        _, hops, link, peer = _RELAY.unpack_from(raw)
        return cls(hops, link, peer, parse_options(raw[_RELAY.size:], base + _RELAY.size, depth))


class RelayForward(RelayMessage, number=12):
    """Relay-forward: a relay passes a client's (or relay's) message towards servers (RFC 8415 9.1)."""

    __slots__ = ()


class RelayReply(RelayMessage, number=13):
    """Relay-reply: a server's answer for a relay to pass on (RFC 8415 9.2)."""

    __slots__ = ()


class UnknownMessage(Message):
    """A message of a msg-type this module has no class for: ``data`` is every octet after msg-type."""

    __slots__ = ()
    _type_field = "message_type"
    message_type: int = field("", u8, REQUIRED, "the msg-type octet")
    data: bytes = field("*", octets, b"", "every octet after msg-type, as received", quiet=True)

    def _check(self) -> None:
        if self.message_type in self._registry:
            raise ValueError(f"message_type: msg-type {self.message_type} has its own class "
                             f"({self._registry[self.message_type].__name__})")

    def __bytes__(self) -> bytes:
        return bytes((self.message_type,)) + self.data

    @classmethod
    def _from_wire(cls, raw: bytes, base: int, depth: int) -> Message:
        return cls(raw[0], raw[1:])


#: msg-type -> class, for parse()
MESSAGES: dict[int, type[Message]] = Message._registry


def _parse(raw: bytes, base: int, depth: int) -> Message:
    if not raw:
        raise MalformedError("a DHCPv6 message is at least 1 octet (msg-type), got none", base)
    cls = MESSAGES.get(raw[0], UnknownMessage)
    try:
        return cls._from_wire(raw, base, depth)  # type: ignore[attr-defined, no-any-return]
    except MalformedError:
        raise
    except ValueError as exc:
        raise MalformedError(f"{cls.__name__}: {exc}", base) from None


_parse_message.append(_parse)
_message_class.append(Message)


def parse(data: Any) -> Message:
    """Read one DHCPv6 message, relayed messages inside it included (RFC 8415 8-9).

    ``data`` is a UDP payload; ``bytes(parse(data)) == data`` for every
    message that parses.  Raises :class:`~sockapi6.errors.MalformedError`
    for truncated input or lengths that overrun it, ``TypeError`` for
    anything not bytes-like.
    """
    return _parse(octets(data, "data"), 0, 0)
