"""Options of the Hop-by-Hop and Destination Options headers: generic and padding (RFC 8200 section 4.2)."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from .._convert import int_in
from .._tlv import (
    _END,
    TLV,
    Pad1Mixin,
    PadNMixin,
    data_field,
    public_name,
    set_align,
    set_data,
    set_type,
    tlv_type,
)
from .._wire import REQUIRED, _fail, field

if TYPE_CHECKING:
    from typing import Any

__all__ = ["Option", "OptionAction", "Pad1", "PadN"]


class OptionAction(IntEnum):
    """What a node that does not recognise an option does (RFC 8200 section 4.2).

    The value is the option type's two high-order bits.
    """

    SKIP = 0
    DISCARD = 1
    DISCARD_ICMP = 2
    DISCARD_ICMP_NOT_MULTICAST = 3


class Option(TLV):
    """One TLV option of a Hop-by-Hop or Destination Options header (RFC 8200 section 4.2).

    ``type`` is the 8-bit option type (2..255; 0 and 1 are Pad1 and PadN),
    ``data`` its 0..255 data octets, ``align`` (1, 2, 4 or 8, at most
    ``len(data)`` unless 1, RFC 3542 section 10.2) the alignment of the end of
    the option: a header's layout puts the option so that its end falls on a
    multiple of ``align`` from the start of the header (its
    :attr:`~sockapi6._tlv.TLV.alignment` is the RFC's "xn+y" of its start).
    ``action`` and ``mutable`` read the type's high-order bits.  ``parse``
    returns the named subclasses for the option types it knows (with their
    RFC length), and a plain ``Option`` for the others.

    Equality is by the wire bytes of the option alone (its type and data):
    the named classes are views of this one (``Option(5, b"\\0\\0", align=2)
    == RouterAlert(0)``), and ``align`` only tells a header's layout where to
    pad, so ``Option(t, d, align=4) == Option(t, d)``.
    """

    __slots__ = ()
    _KIND = "option"
    _PADN_TYPE = 1
    _PADS = "Pad1() / PadN(n)"
    type: int = field("", tlv_type(1, "option", "Pad1() / PadN(n)"), REQUIRED,
                      "the 8-bit option type (2..255; 0 and 1 are Pad1 and PadN)")
    data: bytes = field("", data_field, b"", "the 0..255 data octets")
    align: int = field("", None, 1, "where a header's layout puts the end of the option: on a multiple "
                       "of 1, 2, 4 or 8 octets (RFC 3542 section 10.2)", quiet=True)

    def _get_type(self) -> int:
        return self._type

    def _get_data(self) -> bytes:
        return self._data

    def _get_align(self) -> int:
        return self._align[0]

    def __init__(self, type: int, data: bytes = b"", align: int = 1) -> None:
        """Make the option (the declared fields' converters, with a fast path: it is built per packet)."""
        if type.__class__ is int and 1 < type <= 255 and data.__class__ is bytes and len(data) <= 255:
            t, d = type, data  # the common case, checked inline; anything else by the fields' converters
        else:
            t = _converted(self, "type", type)
            d = _converted(self, "data", data)
        a = align
        ends = _END.get(a) if a.__class__ is int else None
        if ends is None:
            where = public_name(self.__class__)
            a = int_in(align, 1, 8, f"{where}: align")
            ends = _END.get(a)
            if ends is None:
                raise ValueError(f"{where}: align must be 1, 2, 4 or 8, not {a}")
        if a > 1 and a > len(d):
            raise ValueError(f"{public_name(self.__class__)}: align {a} cannot exceed the data length "
                             f"{len(d)} (RFC 3542 section 10.2)")
        set_type(self, t)
        set_data(self, d)
        set_align(self, ends[len(d) % a])

    @property
    def action(self) -> OptionAction:
        """What a node that does not know this type does: the type's two top bits (RFC 8200 section 4.2)."""
        return OptionAction(self._type >> 6)

    @property
    def mutable(self) -> bool:
        """Whether the option data may change en route: the type's third bit (RFC 8200 section 4.2)."""
        return bool(self._type & 0x20)


def _converted(obj: Option, name: str, value: Any) -> Any:
    """``value`` through field ``name``'s converter, its errors worded by the field framework."""
    conv = obj._convert[name]
    try:
        return conv(value)
    except (TypeError, ValueError) as exc:
        _fail(obj, name, value, exc, conv)


class Pad1(Pad1Mixin, Option):
    """The one-octet Pad1 option (RFC 8200 section 4.2)."""

    __slots__ = ()


class PadN(PadNMixin, Option):
    """The PadN option (RFC 8200 section 4.2): ``PadN(n)`` is n zero data octets (2 + n in all).

    ``PadN(data)`` keeps given data octets, as a parse does for what it
    received (receivers ignore them; Linux drops non-zero ones).
    """

    __slots__ = ()
