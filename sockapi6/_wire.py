"""Wire-format value objects: the machinery ``sockapi6.icmp6`` and ``sockapi6.mobility`` share.

* :class:`Value`: a :class:`~sockapi6._value.ValueObject` whose fields are
  named in ``_fields``, converted by ``_convert`` and defaulted from
  ``_defaults`` (a subclass's entries add to its parent's); its fixed wire fields are packed by one ``struct``
  (``_body``/``_body_fields``) and followed by an optional variable part
  (``_tail``); its ``repr`` omits reserved fields left at their default.
* :class:`Typed`: a :class:`Value` that is one member of a family told apart
  by a type number (ICMPv6 type, ND option type, MH Type, mobility option
  type); ``class X(Base, number=N)`` sets ``X.TYPE`` and registers ``X``
  for the family's parser.
* wire helpers raising :class:`~sockapi6.errors.MalformedError`.

The field converters live in :mod:`sockapi6._convert` and the checksum of
RFC 8200 section 8.1 in :mod:`sockapi6._checksum`.
"""

from __future__ import annotations

import struct
from ipaddress import IPv6Address
from typing import TYPE_CHECKING

from ._value import ValueObject
from .errors import MalformedError

if TYPE_CHECKING:
    from typing import Any, Callable, ClassVar, Optional, TypeVar

    _T = TypeVar("_T", bound="Value")

__all__ = ["Typed", "Value", "need", "show", "split_addresses", "unpack"]

_NO_FIELDS = struct.Struct("!")


class Value(ValueObject):
    """Base of the wire value objects: fields named in ``_fields``, defaults in ``_defaults``.

    Subclasses list converters in ``_convert`` (field -> callable) applied by
    the constructor; a converter raises ``TypeError`` or ``ValueError``.
    ``_body`` packs the fixed fields named in ``_body_fields`` (in wire
    order); ``_tail`` names the variable-length field written after them.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _convert: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    _body: ClassVar[struct.Struct] = _NO_FIELDS
    _body_fields: ClassVar[tuple[str, ...]] = ()
    _tail: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A subclass's ``_defaults`` and ``_convert`` add to (and override) its parent's."""
        super().__init_subclass__(**kwargs)
        for name in ("_defaults", "_convert"):
            own = cls.__dict__.get(name)
            if own is not None:
                setattr(cls, name, {**getattr(super(cls, cls), name), **own})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        name = type(self).__name__
        if len(args) > len(self._fields):
            raise TypeError(f"{name}() takes at most {len(self._fields)} positional arguments")
        values = dict(zip(self._fields, args))
        for key, val in kwargs.items():
            if key not in self._fields:
                raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"{name}() got multiple values for argument {key!r}")
            values[key] = val
        for field in self._fields:
            if field in values:
                val = values[field]
            elif field in self._defaults:
                val = self._defaults[field]
            else:
                raise TypeError(f"{name}() missing required argument {field!r}")
            conv = self._convert.get(field)
            object.__setattr__(self, field, conv(val) if conv is not None else val)
        self._check()

    def _check(self) -> None:
        """Hook for checks across fields (raise ``ValueError``)."""

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def _replace(self: _T, **changes: Any) -> _T:
        """A copy with the fields in ``changes`` replaced."""
        return type(self)(**{**dict(zip(self._fields, self._key())), **changes})

    def _shown(self) -> tuple[str, ...]:
        """The fields ``repr`` shows: all but reserved fields, checksum, padding... left at their default."""
        return tuple(f for f in self._fields
                     if f not in _QUIET or f not in self._defaults
                     or getattr(self, f) != self._convert_default(f))

    def _convert_default(self, field: str) -> Any:
        conv = self._convert.get(field)
        val = self._defaults[field]
        return conv(val) if conv is not None else val

    def __repr__(self) -> str:
        parts = [f"{f}={show(getattr(self, f))}" for f in self._shown()]
        return f"{type(self).__name__}({', '.join(parts)})"

    def __bytes__(self) -> bytes:
        """The wire form; every message and option class defines it (abstract here)."""
        raise NotImplementedError(f"{type(self).__name__} must define __bytes__()")

    def __len__(self) -> int:
        return len(bytes(self))

    def _pack_body(self) -> bytes:
        """The fixed fields packed by ``_body``, then the ``_tail`` field."""
        fixed = self._body.pack(*(_field_wire(getattr(self, f)) for f in self._body_fields))
        return fixed + self._tail_bytes()

    def _tail_bytes(self) -> bytes:
        """The ``_tail`` field on the wire: bytes as they are, a tuple's items back to back."""
        if not self._tail:
            return b""
        value = getattr(self, self._tail)
        if isinstance(value, tuple):
            return b"".join(v.packed if isinstance(v, IPv6Address) else bytes(v) for v in value)
        return bytes(value)

    @classmethod
    def _unpack_body(cls, data: bytes, offset: int) -> dict[str, Any]:
        """The fixed fields read from ``data[offset:]``; :class:`MalformedError` when it is too short."""
        return dict(zip(cls._body_fields, unpack(cls._body, data, offset, cls.__name__)))


class Typed(Value):
    """A :class:`Value` of a family told apart by a type number.

    The family's base sets ``_registry`` (type -> class); ``class X(Base,
    number=N)`` sets ``X.TYPE = N`` and registers ``X``.  A class for the
    types nobody registered names the field that holds the number in
    ``_type_field``.
    """

    __slots__ = ()
    TYPE: ClassVar[int] = -1
    _registry: ClassVar[dict[int, type[Any]]] = {}
    _type_field: ClassVar[str] = ""

    def __init_subclass__(cls, number: Optional[int] = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if number is not None:
            cls.TYPE = number
            cls._registry[number] = cls

    @property
    def type(self) -> int:
        """The type number on the wire."""
        return int(getattr(self, self._type_field)) if self._type_field else self.TYPE

    def _check_unregistered(self, what: str) -> None:
        """Raise ``ValueError`` when this object's type number has a class of its own."""
        if self.type in self._registry:
            raise ValueError(f"{what} {self.type} has its own class")


#: fields ``repr`` leaves out while they hold their default
_QUIET = frozenset(("reserved", "reserved2", "resv", "unused", "code", "checksum", "proto", "options", "data",
                    "packet", "sources", "aux_data", "addresses", "records", "padding", "value"))


def _field_wire(value: Any) -> Any:
    """A fixed field as ``struct`` packs it: an address as its 16 bytes, bytes as given, else an int."""
    packed = getattr(value, "packed", None)
    if packed is not None:
        return packed
    return value if isinstance(value, bytes) else int(value)


def show(value: Any) -> str:
    """``repr`` of a field value that evaluates with the package's names (enums, flags, tuples)."""
    from enum import Enum, Flag

    if isinstance(value, Flag):
        flag_type = type(value)
        known = [m for m in flag_type if m.value and (m.value & value.value) == m.value
                 and bin(m.value).count("1") == 1]
        rest = value.value
        for m in known:
            rest &= ~m.value
        words = [f"{flag_type.__name__}.{m.name}" for m in known]
        if rest or not words:
            words.append(f"{flag_type.__name__}({rest:#x})")
        return "|".join(words)
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, tuple):
        inner = ", ".join(show(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, IPv6Address):
        return f"IPv6Address({str(value)!r})"
    return repr(value)


def need(data: bytes, offset: int, size: int, what: str) -> None:
    """Raise :class:`MalformedError` unless ``size`` bytes of ``what`` start at ``offset``."""
    if offset + size > len(data):
        raise MalformedError(f"{what} needs {size} bytes but only {max(len(data) - offset, 0)} remain",
                             offset)


def unpack(fmt: struct.Struct, data: bytes, offset: int, what: str) -> tuple[Any, ...]:
    """``fmt.unpack_from`` with a :class:`MalformedError` when the data is too short."""
    need(data, offset, fmt.size, what)
    return fmt.unpack_from(data, offset)


def split_addresses(data: bytes, offset: int, what: str) -> list[bytes]:
    """``data`` cut into 16-byte addresses; :class:`MalformedError` (at ``offset``) if it does not divide."""
    if len(data) % 16:
        raise MalformedError(f"{len(data)} octets of {what} is not a multiple of 16", offset)
    return [data[i:i + 16] for i in range(0, len(data), 16)]
