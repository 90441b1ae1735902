"""The base of the ancillary items, and :class:`UnknownControlMessage` (RFC 3542 section 20).

An item is an immutable value (:class:`~sockapi6._value.ValueObject`): its
fields are public slots that only its constructor (or a decoder) writes,
through ``object.__setattr__``; any other assignment raises
``AttributeError``.  Slot descriptors are the cheapest attribute reads
Python has, which is what the receive path wants.  A class names its
constructor's fields in ``_fields``; pickling and ``repr`` follow from them
unless the class says otherwise.

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

from .._checks import check_int
from .._value import ValueObject
from ..errors import NotSupportedError
from ._wire import _set

if TYPE_CHECKING:
    from typing import Any

    from ._wire import Cmsg

__all__ = ["AncillaryItem", "UnknownControlMessage"]


class AncillaryItem(ValueObject):
    """Base of the ancillary items: value semantics from ``_key()``, read-only fields, the wire form."""

    __slots__ = ()
    #: the constructor's positional parameters, which are also the public slots
    _fields: tuple[str, ...] = ()

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
        from ._table import _DECODERS, _OWNERS

        decoder = _DECODERS.get((level, type))
        if decoder is None or _OWNERS.get((level, type)) is not cls:
            raise ValueError(f"level {level} type {type} is not a {cls.__name__} control message")
        return decoder(level, type, bytes(data))


class UnknownControlMessage(AncillaryItem):
    """A control message this package does not decode, kept as it came (RFC 3542 section 20)."""

    __slots__ = {"data": "The data bytes.", "level": "``cmsg_level``.", "type": "``cmsg_type``."}
    _fields = ("level", "type", "data")
    level: int
    type: int
    data: bytes

    def __init__(self, level: int, type: int, data: bytes) -> None:
        _set(self, "level", check_int(level, -0x80000000, 0x7FFFFFFF, "level"))
        _set(self, "type", check_int(type, -0x80000000, 0x7FFFFFFF, "type"))
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes-like, got {data.__class__.__name__}")
        _set(self, "data", bytes(data))

    def to_cmsg(self) -> Cmsg:
        """The message as it came."""
        return self.level, self.type, self.data

    @classmethod
    def from_cmsg(cls, level: int, type: int, data: bytes) -> UnknownControlMessage:
        """Keep any message as it is."""
        return cls(level, type, data)
