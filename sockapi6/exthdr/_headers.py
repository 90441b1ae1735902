"""The Hop-by-Hop and Destination Options headers (RFC 8200 sections 4.3 and 4.6; RFC 3542 sections 8-10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import int_in, octets, slot_setter
from .._extheader import NO_NEXT_HEADER, ExtensionHeader, call_repr, set_wire, whole_header
from .._tlv import TLVFormat, paddings
from ._named import NAMED
from ._options import Option, Pad1, PadN

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any, TypeVar

    _H = TypeVar("_H", bound="_OptionsHeader")

__all__ = ["DestinationOptions", "HopByHopOptions", "parse_options"]

#: options: Pad1 for one octet of padding, PadN (type 1) for more (RFC 8200 section 4.2)
OPTIONS = TLVFormat(Option, Pad1, PadN, NAMED, paddings(1))


def parse_options(data: bytes, keep_padding: bool = False, base: int = 0) -> tuple[Option, ...]:
    """Parse the options area of a Hop-by-Hop or Destination Options header (RFC 8200 section 4.2).

    ``data`` is the area after the Next Header and Hdr Ext Len octets.  Known
    types with their RFC length become named classes, the rest :class:`Option`
    with ``align=1``.  Pad1/PadN are dropped unless ``keep_padding``.
    :class:`MalformedError` when an option runs past the end; its offset
    counts from ``base`` (2 when called on a whole header).
    """
    return OPTIONS.decode(octets(data, "data"), 0, keep_padding, base)


class _OptionsHeader(ExtensionHeader):
    """Common part of the two options headers (RFC 8200 sections 4.3 and 4.6)."""

    __slots__ = ("_autopad", "_options")

    _options: tuple[Option, ...]
    _autopad: bool

    def __init__(self, options: Iterable[Option] = (), next_header: int = NO_NEXT_HEADER,
                 autopad: bool = True) -> None:
        opts = OPTIONS.items(options, "options")
        nh = int_in(next_header, 0, 255, "next_header")
        pad = bool(autopad)
        self._fill(OPTIONS.encode(bytearray((nh, 0)), opts, pad, self.__class__.__name__), opts, pad)

    def _fill(self, wire: bytearray, options: tuple[Option, ...], autopad: bool) -> None:
        set_wire(self, bytes(wire))
        _set_options(self, options)
        _set_autopad(self, autopad)

    @property
    def options(self) -> tuple[Option, ...]:
        """The options, in order (padding only when given or parsed with ``keep_padding``)."""
        return self._options

    @property
    def autopad(self) -> bool:
        """Whether ``bytes()`` inserts padding to align each option (False: the caller's layout)."""
        return self._autopad

    def __iter__(self) -> Iterator[Option]:
        return iter(self._options)

    def find(self, type: int) -> Option | None:
        """Return the first option of this type, or None."""
        for o in self._options:
            if o._type == type:
                return o
        return None

    @classmethod
    def parse(cls: type[_H], data: bytes, keep_padding: bool = False) -> _H:
        """Read one whole header (Next Header and Hdr Ext Len included), as the kernel delivers it.

        Padding is dropped unless ``keep_padding``, which returns the options
        with their padding and ``autopad=False``, so that
        ``bytes(Class.parse(data, keep_padding=True)) == data``.  Raises
        :class:`MalformedError` (with the offset) for a truncated header, a
        length octet that disagrees with the data, or an option that overruns.
        """
        buf = whole_header(data, cls.__name__, 2, 0)
        opts = OPTIONS.decode(buf, 2, keep_padding)
        obj = object.__new__(cls)  # the options and Next Header are checked: skip the constructor's checks
        obj._fill(OPTIONS.encode(bytearray((buf[0], 0)), opts, not keep_padding, cls.__name__), opts,
                  not keep_padding)
        return obj

    def _key(self) -> tuple[Any, ...]:
        return (self._wire[0], self._options, self._autopad)

    def _args(self) -> tuple[Any, ...]:
        return (self._options, self._wire[0], self._autopad)

    def __repr__(self) -> str:
        return call_repr(self.__class__.__name__, [repr(list(self._options))],
                         ("next_header", self._wire[0], NO_NEXT_HEADER), ("autopad", self._autopad, True))


_set_options = slot_setter(_OptionsHeader, "_options")
_set_autopad = slot_setter(_OptionsHeader, "_autopad")


class HopByHopOptions(_OptionsHeader):
    """A Hop-by-Hop Options header (RFC 8200 section 4.3), sent with ``IPV6_HOPOPTS`` (RFC 3542 section 8).

    ``HopByHopOptions([RouterAlert(0)])``; ``bytes(h)`` gives the wire header,
    ``HopByHopOptions.parse(data)`` reads one back.
    """

    __slots__ = ()


class DestinationOptions(_OptionsHeader):
    """A Destination Options header (RFC 8200 section 4.6), sent with ``IPV6_DSTOPTS`` or
    ``IPV6_RTHDRDSTOPTS`` (RFC 3542 section 9).

    ``DestinationOptions([TunnelEncapsulationLimit(4)])``; ``bytes(h)`` gives
    the wire header, ``DestinationOptions.parse(data)`` reads one back.
    """

    __slots__ = ()
