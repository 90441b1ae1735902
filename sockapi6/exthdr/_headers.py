"""The Hop-by-Hop and Destination Options headers (RFC 8200 sections 4.3 and 4.6; RFC 3542 sections 8-10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import int_in, octets, slot_setter, u8
from .._extheader import NO_NEXT_HEADER, ExtensionHeader, set_wire, whole_header
from .._tlv import TLVFormat, paddings
from .._wire import field
from ._named import NAMED
from ._options import Option, Pad1, PadN

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any, ClassVar, TypeVar

    _H = TypeVar("_H", bound="_OptionsHeader")

__all__ = ["DestinationOptions", "HopByHopOptions", "parse_options"]

#: options: Pad1 for one octet of padding, PadN (type 1) for more (RFC 8200 section 4.2)
OPTIONS = TLVFormat(Option, Pad1, PadN, NAMED, paddings(1), infer_align=True)


def parse_options(data: bytes, keep_padding: bool = False, base: int = 0) -> tuple[Option, ...]:
    """Parse the options area of a Hop-by-Hop or Destination Options header (RFC 8200 section 4.2).

    ``data`` is the area after the Next Header and Hdr Ext Len octets.  Known
    types with their RFC length become named classes, the rest :class:`Option`.
    Pad1/PadN are dropped unless ``keep_padding``.
    :class:`MalformedError` when an option runs past the end; its offset
    counts from ``base`` (2 when called on a whole header).
    """
    return OPTIONS.decode(octets(data, "data"), 0, keep_padding, base)


class _OptionsHeader(ExtensionHeader):
    """Common part of the two options headers (RFC 8200 sections 4.3 and 4.6).

    Two headers of the same class are equal exactly when their wire bytes
    are (whatever options, alignments and ``autopad`` built them).
    """

    __slots__ = ("_autopad", "_options")

    _options: tuple[Option, ...]
    _autopad: bool
    #: how errors name the class (``exthdr.HopByHopOptions``)
    _WHERE: ClassVar[str] = "exthdr"
    options: tuple[Option, ...] = field("", None, (), "the options in order (Pad1/PadN only where given, or "
                                        "kept by parse() with autopad=False)")
    next_header: int = field("", u8, NO_NEXT_HEADER, "the Next Header octet (the kernel sets it when "
                             "sending)", quiet=True)
    autopad: bool = field("", bool, True, "whether bytes() pads each option to its alignment "
                          "(False: the options are the whole layout)", quiet=True)

    def __init__(self, options: Iterable[Option] = (), next_header: int = NO_NEXT_HEADER,
                 autopad: bool = True) -> None:
        where = self._WHERE
        opts = OPTIONS.items(options, where + ": options")
        nh = (next_header if next_header.__class__ is int and 0 <= next_header <= 255
              else int_in(next_header, 0, 255, where + ": next_header"))
        pad = autopad if autopad.__class__ is bool else bool(autopad)
        set_wire(self, bytes(OPTIONS.encode(bytearray((nh, 0)), opts, pad, where)))
        _set_options(self, opts)
        _set_autopad(self, pad)

    def _get_options(self) -> tuple[Option, ...]:
        return self._options

    def _get_autopad(self) -> bool:
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

        The header keeps the bytes it was read from: ``bytes(Class.parse(d))
        == d`` for every well-formed ``d`` (up to 2048 octets).  Its options
        leave out the padding when the padding is what the layout rule would
        write (a generic option gets the ``align`` that explains the padding
        in front of it); otherwise, or with ``keep_padding``, they are every
        item on the wire, Pad1/PadN included, with ``autopad=False``.  Either
        way ``Class(h.options, h.next_header, autopad=h.autopad) == h``.
        Raises :class:`MalformedError` (with the offset) for a truncated
        header, a length octet that disagrees with the data, or an option
        that overruns.
        """
        buf = whole_header(data, cls.__name__, 2, 0)
        full, lean = OPTIONS.read(buf, 2, None, 0, not keep_padding)
        obj = object.__new__(cls)  # every item is checked by the decoder: skip the constructor's checks
        set_wire(obj, buf)
        if lean is None:
            _set_options(obj, full)
            _set_autopad(obj, False)
        else:
            _set_options(obj, lean)
            _set_autopad(obj, True)
        return obj

    def _args(self) -> tuple[Any, ...]:
        return (self._options, self._wire[0], self._autopad)


_set_options = slot_setter(_OptionsHeader, "_options")
_set_autopad = slot_setter(_OptionsHeader, "_autopad")


class HopByHopOptions(_OptionsHeader):
    """A Hop-by-Hop Options header (RFC 8200 section 4.3), sent with ``IPV6_HOPOPTS`` (RFC 3542 section 8).

    ``HopByHopOptions([RouterAlert(0)])``; ``bytes(h)`` gives the wire header,
    ``HopByHopOptions.parse(data)`` reads one back.
    """

    __slots__ = ()
    _FAMILY = "HopByHopOptions"
    _WHERE = "exthdr.HopByHopOptions"


class DestinationOptions(_OptionsHeader):
    """A Destination Options header (RFC 8200 section 4.6), sent with ``IPV6_DSTOPTS`` or
    ``IPV6_RTHDRDSTOPTS`` (RFC 3542 section 9).

    ``DestinationOptions([TunnelEncapsulationLimit(4)])``; ``bytes(h)`` gives
    the wire header, ``DestinationOptions.parse(data)`` reads one back.
    """

    __slots__ = ()
    _FAMILY = "DestinationOptions"
    _WHERE = "exthdr.DestinationOptions"
