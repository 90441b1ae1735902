"""The one base class of sockapi6's value objects (addresses aside, which are ``ipaddress``'s).

A value object names its identity in :meth:`ValueObject._key` and its
constructor arguments in :meth:`ValueObject._args`; this class derives from
them equality by value (``NotImplemented`` for other types), hashing,
``copy``/``deepcopy`` (the object itself: it is immutable) and pickling.
Pickling sends addresses as text, because Python 3.9 and 3.10 drop
``IPv6Address.scope_id`` when pickling and copying.

Subclasses keep their state in ``__slots__`` behind read-only properties and
write their own ``__repr__``, which must evaluate back to an equal object with
the names ``sockapi6`` exports.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, TypeVar

    _V = TypeVar("_V", bound="ValueObject")

__all__ = ["ValueObject"]


class ValueObject:
    """Equality, hashing, copying and pickling from :meth:`_key` and :meth:`_args`."""

    __slots__ = ()

    def _key(self) -> tuple[Any, ...]:
        """The values that decide equality and the hash (every subclass defines it)."""
        raise NotImplementedError(f"{type(self).__name__} must define _key()")

    def _args(self) -> tuple[Any, ...]:
        """The positional arguments that rebuild an equal object (default: :meth:`_key`)."""
        return self._key()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, ValueObject)
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, ValueObject)
        return self._key() != other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __copy__(self: _V) -> _V:
        return self

    def __deepcopy__(self: _V, memo: object) -> _V:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        args = tuple(str(a) if isinstance(a, (IPv4Address, IPv6Address)) else a for a in self._args())
        return (type(self), args)
