"""DHCPv6 options (RFC 8415 section 21; RFC 3646, 4580, 4649, 4704, 6939): code, length, data.

``class X(Option, number=N)`` makes ``X`` the class :func:`parse_options`
uses for option code ``N``.  Each class declares its fields with
:func:`sockapi6._wire.field` in wire order: fixed fields (a ``struct`` code)
must fill exactly the option-len unless a ``"*"`` field keeps the rest
(octets, text, addresses, names or encapsulated options).  Codes without a class parse as
:class:`UnknownOption`, their data kept as octets.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import address, addresses, enum_or_int, flags, octets, sequence_of, u8, u16, u32, u64
from .._wire import REQUIRED, Typed, field
from ..errors import MalformedError
from ._constants import FQDNFlag, MessageType, OptionCode, Status
from ._duid import DUID, parse_duid
from ._fields import decode_domains, deeper, domain, encode_domain, text

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, Callable, ClassVar, Optional

    from ._messages import Message

__all__ = [
    "Option", "ClientIdentifier", "ServerIdentifier", "IANA", "IATA", "IAAddress", "OptionRequest",
    "Preference", "ElapsedTime", "RelayMessageOption", "Authentication", "ServerUnicast", "StatusCode",
    "RapidCommit", "UserClass", "VendorClass", "VendorOption", "VendorSpecificInformation", "InterfaceID",
    "ReconfigureMessage", "ReconfigureAccept", "DNSServers", "DomainList", "IAPD", "IAPrefix",
    "InformationRefreshTime", "RemoteID", "SubscriberID", "ClientFQDN", "ClientLinkLayerAddress",
    "SolMaxRT", "InfMaxRT", "UnknownOption", "parse_options", "OPTIONS",
]

_HEAD = struct.Struct("!HH")
#: the parser of encapsulated messages, set by ``_messages`` (it imports this module)
_parse_message: list[Callable[[bytes, int, int], Message]] = []
#: the base class of the messages, set by ``_messages`` too (this module must not import it: a cycle)
_message_class: list[type[Message]] = []


class Option(Typed):
    """A DHCPv6 option: ``bytes(opt)`` is option-code, option-len and option-data (RFC 8415 21.1)."""

    __slots__ = ()
    _registry: ClassVar[dict[int, type[Any]]] = {}

    @property
    def code(self) -> int:
        """The option-code on the wire."""
        return self.type

    def option_data(self) -> bytes:
        """The option-data field."""
        return self._pack_body()

    def __bytes__(self) -> bytes:
        payload = self.option_data()
        return _HEAD.pack(self.type, len(payload)) + payload

    def _check(self) -> None:
        self._wire_type()  # the family's base has no code of its own: TypeError
        size = len(self.option_data())
        if size > 0xFFFF:
            raise ValueError(f"{type(self).__name__}: option-data of {size} octets exceeds "
                             "option-len's 65535")

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        """The ``_tail`` field from its octets (``offset``: where they start in the message)."""
        return {cls._tail: tail}

    @classmethod
    def _from_data(cls, data: bytes, offset: int, depth: int) -> Option:
        """Build from the option-data ``data`` of the option at ``offset``."""
        size = cls._body.size
        if cls._tail:
            if len(data) < size:
                raise MalformedError(f"{cls.__name__} has option-len {len(data)}, needs at least {size}",
                                     offset)
            return cls(**cls._unpack_body(data, 0), **cls._tail_values(data[size:], offset + 4 + size, depth))
        if len(data) != size:
            raise MalformedError(f"{cls.__name__} has option-len {len(data)}, expected {size}", offset)
        return cls(**cls._unpack_body(data, 0))


def _options(value: Any) -> tuple[Option, ...]:
    return sequence_of(Option, "DHCPv6 options")(value)


class _Encapsulating(Option):
    """An option whose tail is more options (IA_NA, IA_TA, IA_PD, IAADDR, IAPREFIX)."""

    __slots__ = ()
    options: tuple[Option, ...] = field("*", _options, (), "the options encapsulated in this one", quiet=True)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        return {"options": parse_options(tail, offset, deeper(depth, offset))}


def _duid(value: Any) -> DUID:
    if not isinstance(value, DUID):
        raise TypeError(f"expected a DUID (DUIDLLT, DUIDEN, DUIDLL, DUIDUUID, UnknownDUID), "
                        f"not {type(value).__name__}")
    return value


class _Identifier(Option):
    __slots__ = ()
    duid: DUID = field("*", _duid, REQUIRED, "the DUID")

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        return {"duid": parse_duid(tail, offset)}


class ClientIdentifier(_Identifier, number=1):
    """Client Identifier: the client's DUID (RFC 8415 21.2)."""

    __slots__ = ()


class ServerIdentifier(_Identifier, number=2):
    """Server Identifier: the server's DUID (RFC 8415 21.3)."""

    __slots__ = ()


class IANA(_Encapsulating, number=3):
    """Identity Association for Non-temporary Addresses: IAID, T1, T2 in seconds, options (RFC 8415 21.4)."""

    __slots__ = ()
    iaid: int = field("I", u32, REQUIRED, "the identity association's IAID")
    t1: int = field("I", u32, 0, "seconds until the client renews with its server (T1)")
    t2: int = field("I", u32, 0, "seconds until the client rebinds with any server (T2)")
    _fields = ("iaid", "t1", "t2", "options")


class IATA(_Encapsulating, number=4):
    """Identity Association for Temporary Addresses: IAID and options (RFC 8415 21.5)."""

    __slots__ = ()
    iaid: int = field("I", u32, REQUIRED, "the identity association's IAID")
    _fields = ("iaid", "options")


class IAAddress(_Encapsulating, number=5):
    """IA Address: an address, its preferred and valid lifetimes in seconds, options (RFC 8415 21.6)."""

    __slots__ = ()
    address: IPv6Address = field("16s", address, REQUIRED, "the leased address")
    preferred_lifetime: int = field("I", u32, 0, "preferred lifetime in seconds")
    valid_lifetime: int = field("I", u32, 0, "valid lifetime in seconds")
    _fields = ("address", "preferred_lifetime", "valid_lifetime", "options")


_code = enum_or_int(OptionCode, 16)


def _codes(value: Any) -> tuple[int, ...]:
    if isinstance(value, (str, bytes, int)):
        raise TypeError(f"expected a sequence of option codes, not {type(value).__name__}")
    return tuple(_code(v) for v in value)


class OptionRequest(Option, number=6):
    """Option Request (ORO): the option codes the client asks for (RFC 8415 21.7)."""

    __slots__ = ()
    codes: tuple[int, ...] = field("*", _codes, (), "the requested option codes")

    def _tail_bytes(self) -> bytes:
        return struct.pack(f"!{len(self.codes)}H", *self.codes)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        if len(tail) % 2:
            raise MalformedError(f"Option Request of {len(tail)} octets is not a list of 2-octet codes",
                                 offset)
        return {"codes": struct.unpack(f"!{len(tail) // 2}H", tail)}


class Preference(Option, number=7):
    """Preference: 0-255, a server's rank for the client (RFC 8415 21.8)."""

    __slots__ = ()
    preference: int = field("B", u8, REQUIRED, "0-255, higher is preferred")


class ElapsedTime(Option, number=8):
    """Elapsed Time: hundredths of a second since the client began the exchange (RFC 8415 21.9)."""

    __slots__ = ()
    elapsed_time: int = field("H", u16, 0, "hundredths of a second since the exchange began")


def _message(value: Any) -> Message:
    if not isinstance(value, _message_class[0]):
        raise TypeError(f"expected a DHCPv6 message, not {type(value).__name__}")
    return value


class RelayMessageOption(Option, number=9):
    """Relay Message: the DHCPv6 message a relay forwards or a server answers with (RFC 8415 21.10)."""

    __slots__ = ()
    message: Message = field("*", _message, REQUIRED, "the relayed DHCPv6 message")

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        return {"message": _parse_message[0](tail, offset, deeper(depth, offset))}


class Authentication(Option, number=11):
    """Authentication: protocol, algorithm, RDM, replay detection and the authentication information
    (RFC 8415 21.11)."""

    __slots__ = ()
    protocol: int = field("B", u8, REQUIRED, "the authentication protocol")
    algorithm: int = field("B", u8, REQUIRED, "the algorithm of the protocol")
    rdm: int = field("B", u8, REQUIRED, "the replay detection method")
    replay_detection: int = field("Q", u64, REQUIRED, "the 64-bit replay detection value")
    authentication_information: bytes = field("*", octets, b"",
                                              "the protocol's authentication information")


class ServerUnicast(Option, number=12):
    """Server Unicast: the address clients may unicast to (RFC 8415 21.12; obsoleted by RFC 9915)."""

    __slots__ = ()
    address: IPv6Address = field("16s", address, REQUIRED, "the server's unicast address")


class StatusCode(Option, number=13):
    """Status Code: a :class:`Status` and a UTF-8 message for people (RFC 8415 21.13)."""

    __slots__ = ()
    status: int = field("H", enum_or_int(Status, 16), REQUIRED,
                        "the status code (a Status where it has a name)")
    message: str = field("*", text, "", "a UTF-8 message for people")

    def _tail_bytes(self) -> bytes:
        return self.message.encode("utf-8", "surrogateescape")

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        return {"message": tail.decode("utf-8", "surrogateescape")}


class _Empty(Option):
    __slots__ = ()


class RapidCommit(_Empty, number=14):
    """Rapid Commit: the two-message exchange (RFC 8415 21.14); no data."""

    __slots__ = ()


def _opaque_list(value: Any) -> tuple[bytes, ...]:
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"expected a sequence of bytes-like items, not one {type(value).__name__}")
    items = tuple(octets(v, "item") for v in value)
    for item in items:
        if len(item) > 0xFFFF:
            raise ValueError(f"an item of {len(item)} octets exceeds its 16-bit length")
    return items


def _pack_opaque(items: tuple[bytes, ...]) -> bytes:
    return b"".join(len(i).to_bytes(2, "big") + i for i in items)


def _unpack_opaque(data: bytes, offset: int, what: str) -> list[bytes]:
    items: list[bytes] = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise MalformedError(f"{what} has no room for an item's 2-octet length", offset + pos)
        size = int.from_bytes(data[pos:pos + 2], "big")
        if pos + 2 + size > len(data):
            raise MalformedError(f"{what} item of {size} octets runs past the option's end", offset + pos)
        items.append(data[pos + 2:pos + 2 + size])
        pos += 2 + size
    return items


class UserClass(Option, number=15):
    """User Class: opaque user-class-data items, each with a 2-octet length (RFC 8415 21.15)."""

    __slots__ = ()
    user_classes: tuple[bytes, ...] = field("*", _opaque_list, (), "the opaque user-class-data items")

    def _tail_bytes(self) -> bytes:
        return _pack_opaque(self.user_classes)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        return {"user_classes": _unpack_opaque(tail, offset, cls.__name__)}


class VendorClass(Option, number=16):
    """Vendor Class: an enterprise number and opaque vendor-class-data items (RFC 8415 21.16)."""

    __slots__ = ()
    enterprise_number: int = field("I", u32, REQUIRED, "the vendor's IANA private enterprise number")
    vendor_classes: tuple[bytes, ...] = field("*", _opaque_list, (), "the opaque vendor-class-data items")

    def _tail_bytes(self) -> bytes:
        return _pack_opaque(self.vendor_classes)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        return {"vendor_classes": _unpack_opaque(tail, offset, cls.__name__)}


class VendorOption(Typed):
    """One option inside Vendor-specific Information: code, length, data, as the vendor defines them
    (RFC 8415 21.17)."""

    __slots__ = ()
    code: int = field("", u16, REQUIRED, "the vendor's option code")
    data: bytes = field("*", octets, b"", "the option-data", quiet=True)
    _registry: ClassVar[dict[int, type[Any]]] = {}

    def _check(self) -> None:
        if len(self.data) > 0xFFFF:
            raise ValueError(f"data: {len(self.data)} octets exceed option-len's 65535")

    def __bytes__(self) -> bytes:
        return _HEAD.pack(self.code, len(self.data)) + self.data


class VendorSpecificInformation(Option, number=17):
    """Vendor-specific Information: an enterprise number and :class:`VendorOption` items (RFC 8415 21.17)."""

    __slots__ = ()
    enterprise_number: int = field("I", u32, REQUIRED, "the vendor's IANA private enterprise number")
    options: tuple[VendorOption, ...] = field("*", sequence_of(VendorOption, "VendorOption items"), (),
                                              "the vendor's options", quiet=True)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        items: list[VendorOption] = []
        pos = 0
        while pos < len(tail):
            if pos + 4 > len(tail):
                raise MalformedError("vendor option header runs past the option's end", offset + pos)
            code, size = _HEAD.unpack_from(tail, pos)
            if pos + 4 + size > len(tail):
                raise MalformedError(f"vendor option {code} of {size} octets runs past the option's end",
                                     offset + pos)
            items.append(VendorOption(code, tail[pos + 4:pos + 4 + size]))
            pos += 4 + size
        return {"options": items}


class InterfaceID(Option, number=18):
    """Interface-Id: the relay's opaque name of the link a message came from (RFC 8415 21.18)."""

    __slots__ = ()
    interface_id: bytes = field("*", octets, REQUIRED, "the relay's opaque name of the link")


class ReconfigureMessage(Option, number=19):
    """Reconfigure Message: the message type the client is to send: Renew, Rebind or
    Information-request (RFC 8415 21.19)."""

    __slots__ = ()
    msg_type: int = field("B", enum_or_int(MessageType, 8), REQUIRED,
                          "the message type to send: Renew, Rebind or Information-request")


class ReconfigureAccept(_Empty, number=20):
    """Reconfigure Accept: the client accepts Reconfigure messages (RFC 8415 21.20); no data."""

    __slots__ = ()


class DNSServers(Option, number=23):
    """DNS Recursive Name Server: server addresses in order of preference (RFC 3646 3)."""

    __slots__ = ()
    servers: tuple[IPv6Address, ...] = field("*", addresses, (), "server addresses, most preferred first")

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        if len(tail) % 16:
            raise MalformedError(f"DNSServers of {len(tail)} octets is not a list of 16-octet addresses",
                                 offset)
        return {"servers": [tail[i:i + 16] for i in range(0, len(tail), 16)]}


def _qualified(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError("expected a sequence of domain names, not one name")
    names = []
    for name in value:
        name = domain(name)
        names.append(name if name.endswith(".") else name + ".")
    for name in names:
        encode_domain(name)
    return tuple(names)


class DomainList(Option, number=24):
    """Domain Search List: fully qualified names, each kept with its trailing ``.`` (RFC 3646 4)."""

    __slots__ = ()
    domains: tuple[str, ...] = field("*", _qualified, (), "fully qualified names, each with its trailing dot")

    def _tail_bytes(self) -> bytes:
        return b"".join(encode_domain(d) for d in self.domains)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        return {"domains": decode_domains(tail, offset, partial_last=False)}


class IAPD(_Encapsulating, number=25):
    """Identity Association for Prefix Delegation: IAID, T1, T2 in seconds, options (RFC 8415 21.21)."""

    __slots__ = ()
    iaid: int = field("I", u32, REQUIRED, "the identity association's IAID")
    t1: int = field("I", u32, 0, "seconds until the client renews with its server (T1)")
    t2: int = field("I", u32, 0, "seconds until the client rebinds with any server (T2)")
    _fields = ("iaid", "t1", "t2", "options")


class IAPrefix(_Encapsulating, number=26):
    """IA Prefix: lifetimes in seconds, prefix length and prefix, options (RFC 8415 21.22).

    ``prefix`` is kept as sent (bits past ``prefix_length`` included);
    :attr:`network` gives the ``IPv6Network`` they denote.
    """

    __slots__ = ()
    preferred_lifetime: int = field("I", u32, 0, "preferred lifetime in seconds")
    valid_lifetime: int = field("I", u32, 0, "valid lifetime in seconds")
    prefix_length: int = field("B", u8, REQUIRED, "the prefix length in bits")
    prefix: IPv6Address = field("16s", address, REQUIRED, "the prefix as sent (bits past prefix_length kept)")
    _fields = ("prefix", "prefix_length", "preferred_lifetime", "valid_lifetime", "options")

    @property
    def network(self) -> Any:
        """The prefix as an ``IPv6Network`` (host bits cleared)."""
        from ipaddress import IPv6Network

        return IPv6Network((self.prefix, min(self.prefix_length, 128)), strict=False)


class InformationRefreshTime(Option, number=32):
    """Information Refresh Time: seconds until the client refreshes its configuration (RFC 8415 21.23)."""

    __slots__ = ()
    refresh_time: int = field("I", u32, REQUIRED, "seconds until the client refreshes")


class RemoteID(Option, number=37):
    """Relay Agent Remote-ID: the relay's enterprise number and its name of the remote host (RFC 4649 3)."""

    __slots__ = ()
    enterprise_number: int = field("I", u32, REQUIRED, "the relay vendor's IANA private enterprise number")
    remote_id: bytes = field("*", octets, REQUIRED, "the relay's opaque name of the remote host")


class SubscriberID(Option, number=38):
    """Relay Agent Subscriber-ID: the relay's opaque subscriber name (RFC 4580 2)."""

    __slots__ = ()
    subscriber_id: bytes = field("*", octets, REQUIRED, "the relay's opaque subscriber name")


class ClientFQDN(Option, number=39):
    """Client FQDN: :class:`FQDNFlag` bits and a domain name, partial unless it ends with ``.``
    (RFC 4704 4)."""

    __slots__ = ()
    flags: FQDNFlag = field("B", flags(FQDNFlag, 8), REQUIRED, "the S, O and N bits (FQDNFlag)")
    name: str = field("*", domain, "", "the domain name, partial unless it ends with a dot")

    def _tail_bytes(self) -> bytes:
        return encode_domain(self.name)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int, depth: int) -> dict[str, Any]:
        names = decode_domains(tail, offset, partial_last=True)
        if len(names) > 1:
            raise MalformedError("Client FQDN carries more than one domain name", offset)
        return {"name": names[0] if names else ""}


class ClientLinkLayerAddress(Option, number=79):
    """Client Link-Layer Address, added by the first relay: hardware type and address (RFC 6939 4)."""

    __slots__ = ()
    link_layer_type: int = field("H", u16, REQUIRED, "the IANA hardware type")
    link_layer_address: bytes = field("*", octets, REQUIRED, "the client's link-layer address")


class SolMaxRT(Option, number=82):
    """SOL_MAX_RT: the server's bound on Solicit retransmission time, seconds (RFC 8415 21.24)."""

    __slots__ = ()
    sol_max_rt: int = field("I", u32, REQUIRED, "the Solicit retransmission bound in seconds")


class InfMaxRT(Option, number=83):
    """INF_MAX_RT: the bound on Information-request retransmission time, seconds (RFC 8415 21.25)."""

    __slots__ = ()
    inf_max_rt: int = field("I", u32, REQUIRED, "the Information-request retransmission bound in seconds")


class UnknownOption(Option):
    """An option of a code this module has no class for, its option-data kept as received."""

    __slots__ = ()
    code: int = field("", u16, REQUIRED, "the option-code")
    data: bytes = field("*", octets, b"", "the option-data as received", quiet=True)
    _type_field = "code"

    def _check(self) -> None:
        if self.code in self._registry:
            raise ValueError(f"code: option code {self.code} has its own class "
                             f"({self._registry[self.code].__name__})")
        if len(self.data) > 0xFFFF:
            raise ValueError(f"data: {len(self.data)} octets exceed option-len's 65535")

    def option_data(self) -> bytes:
        return self.data

    def __bytes__(self) -> bytes:
        return _HEAD.pack(self.code, len(self.data)) + self.data


#: option code -> class, for parse_options()
OPTIONS: dict[int, type[Option]] = Option._registry


def parse_options(data: Any, base: int = 0, depth: int = 0) -> tuple[Option, ...]:
    """Read the options that fill ``data`` (RFC 8415 21.1); offsets in errors are ``base`` plus the position.

    Raises :class:`~sockapi6.errors.MalformedError` when an option header or
    its option-data runs past the end, or known option-data does not parse.
    """
    raw = octets(data)
    out: list[Option] = []
    offset = 0
    end = len(raw)
    while offset < end:
        if offset + 4 > end:
            raise MalformedError(f"{end - offset} octets left, too few for an option header", base + offset)
        code, size = _HEAD.unpack_from(raw, offset)
        if offset + 4 + size > end:
            raise MalformedError(f"option {code} with option-len {size} runs past the end "
                                 f"({end - offset - 4} octets left)", base + offset)
        body = raw[offset + 4:offset + 4 + size]
        cls: Optional[type[Option]] = OPTIONS.get(code)
        try:
            out.append(cls._from_data(body, base + offset, depth) if cls is not None
                       else UnknownOption(code, body))
        except MalformedError:
            raise
        except ValueError as exc:
            raise MalformedError(f"option {code}: {exc}", base + offset) from None
        offset += 4 + size
    return tuple(out)
