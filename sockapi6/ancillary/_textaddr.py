"""An :class:`ipaddress.IPv6Address` that keeps its text: ``str()`` in the time of a slot read.

``IPv6Address.__str__`` rebuilds the text on every call (several
microseconds: more than the ``recvmsg`` it follows), and a receive loop
writes ``str(msg.pktinfo.address)`` once per datagram.  The addresses that
received items hand out are interned with the item, so the text is
computed once.  Equal to, hashing as, and printing as a plain
``IPv6Address`` (``repr`` and pickling give the base class).
"""

from __future__ import annotations

from ipaddress import IPv6Address

__all__ = ["with_text"]

_base_str = IPv6Address.__str__


class _IPv6AddressText(IPv6Address):
    """An ``IPv6Address`` whose ``str()`` is computed once (see the module docs)."""

    __slots__ = ("_text",)
    _text: str

    def __str__(self) -> str:
        try:
            return self._text
        except AttributeError:  # made by a copy or a subclass path that did not set it
            text = self._text = _base_str(self)
            return text

    def __repr__(self) -> str:
        return f"IPv6Address({_base_str(self)!r})"

    def __reduce__(self) -> tuple[type, tuple[str]]:
        return IPv6Address, (_base_str(self),)


def with_text(address: IPv6Address) -> IPv6Address:
    """``address`` as an equal ``IPv6Address`` whose ``str()`` is cached."""
    fast = object.__new__(_IPv6AddressText)
    fast._ip = address._ip  # type: ignore[attr-defined]
    fast._scope_id = address._scope_id  # type: ignore[attr-defined]
    fast._text = _base_str(address)
    return fast
