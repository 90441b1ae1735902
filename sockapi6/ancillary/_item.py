"""The base of the ancillary items, and :class:`UnknownControlMessage` (RFC 3542 section 20).

An item is an immutable value (a :class:`~sockapi6._wire.Record`): its
fields are declared with :func:`~sockapi6._wire.field` (or, for the
hand-tuned :class:`~sockapi6.ancillary.PacketInfo`, written as slots and an
``__init__``), public slots that only its constructor (or a decoder) writes;
any other assignment raises ``AttributeError``.  Slot descriptors are the
cheapest attribute reads Python has, which is what the receive path wants.
The declaration gives the constructor's signature, the field docs and the
errors (``"ancillary.HopLimit: value 300 is out of range -1..255"``);
pickling and ``repr`` (positional) follow from ``_fields``.

Equality follows the rule of every wire family (:mod:`sockapi6._wire`):
two items are equal exactly when their control messages are, level, type
and data (:meth:`AncillaryItem.to_cmsg`), and they hash alike, so a named
item equals the :class:`UnknownControlMessage` with the same message.  An
item the running OS has no control message for (``to_cmsg`` raises
``NotSupportedError``) compares by its class and fields instead.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .._convert import int_range, octets
from .._wire import REQUIRED, Record, field
from ..errors import NotSupportedError
from ._registry import DECODERS, OWNERS

if TYPE_CHECKING:
    from typing import Any

    from ._wire import Cmsg

__all__ = ["AncillaryItem", "UnknownControlMessage"]


class AncillaryItem(Record):
    """Base of the ancillary items: equal when their control messages are, read-only fields, the wire form."""

    __slots__ = ()

    def _args(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def _key(self) -> tuple[Any, ...]:
        return self._args()

    def _wire_key(self) -> tuple[Any, ...]:
        """What equality and the hash compare: the control message, or the fields where the OS has none."""
        try:
            return self.to_cmsg()
        except NotSupportedError:
            return (type(self).__name__, self._key())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AncillaryItem):
            return NotImplemented
        return self._wire_key() == other._wire_key()

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, AncillaryItem):
            return NotImplemented
        return self._wire_key() != other._wire_key()

    def __hash__(self) -> int:
        return hash(self._wire_key())

    def __repr__(self) -> str:
        # addresses as text, so that the repr evaluates with the package's names alone
        args = (repr(str(v)) if isinstance(v, (IPv6Address, IPv4Address)) else repr(v) for v in self._args())
        return f"{type(self).__name__}({', '.join(args)})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable (cannot delete {name!r})")

    def to_cmsg(self) -> Cmsg:
        """Return ``(level, type, data)`` for :meth:`socket.socket.sendmsg` (every item class defines it)."""
        raise NotImplementedError(f"{type(self).__name__} must define to_cmsg()")

    @classmethod
    def from_cmsg(cls, level: int, type: int, data: bytes) -> Any:
        """Decode one control message of this class (``MalformedError`` for bad data)."""
        decoder = DECODERS.get((level, type))
        if decoder is None or OWNERS.get((level, type)) is not cls:
            raise ValueError(f"level {level} type {type} is not a {cls.__name__} control message")
        return decoder(level, type, bytes(data))


_C_INT = int_range(-0x80000000, 0x7FFFFFFF, "C int")


class UnknownControlMessage(AncillaryItem):
    """A control message this package does not decode, kept as it came (RFC 3542 section 20).

    Built by hand it may carry any level and type: it equals the named item
    with the same message (``UnknownControlMessage(*HopLimit(5).to_cmsg()) == HopLimit(5)``).
    """

    level: int = field("", _C_INT, REQUIRED, "``cmsg_level``.")
    type: int = field("", _C_INT, REQUIRED, "``cmsg_type``.")
    data: bytes = field("", octets, REQUIRED, "The data bytes.")

    def to_cmsg(self) -> Cmsg:
        """The message as it came."""
        return self.level, self.type, self.data

    @classmethod
    def from_cmsg(cls, level: int, type: int, data: bytes) -> UnknownControlMessage:
        """Keep any message as it is."""
        return cls(level, type, data)
