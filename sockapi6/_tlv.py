"""Type-length-value items and their layout: options (RFC 8200 section 4.2), SRH TLVs (RFC 8754 section 2.1).

Both families are the same shape: a type octet, a length octet, that many
data octets; type 0 is the one-octet Pad1 and one other type is PadN.
:class:`TLV` is the value object both build on, :class:`Pad1Mixin` and
:class:`PadNMixin` give each family its padding classes, and a
:class:`TLVFormat` lays a family out in a header and reads it back:

* laying out (RFC 3542 section 10.2, RFC 8754 section 2.1): each item
  carries an ``align`` (1, 2, 4 or 8); padding goes in front of it so that
  the **end** of the item falls on a multiple of ``align`` from the start
  of the header (for the SRH's 8n-aligned HMAC TLV, whose length is a
  multiple of 8, that is its start too), then the header is padded to a
  multiple of 8 octets;
* reading: the items one after the other, each checked against the end of
  the header (:class:`~sockapi6.errors.MalformedError` with the offset),
  known types with their RFC length as their named classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._convert import frozen, int_in, octets, slot_setter
from ._extheader import MAX_HEADER_LEN
from ._value import ValueObject
from .errors import MalformedError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, ClassVar, TypeVar

    _T = TypeVar("_T", bound="TLV")

__all__ = [
    "PadNMixin", "Pad1Mixin", "TLV", "TLVFormat", "paddings", "set_align", "set_data", "set_type", "tlv_data",
]


def tlv_data(value: object, what: str) -> bytes:
    """Return ``value`` as the data of one TLV: bytes-like, at most 255 octets (the length octet)."""
    data = octets(value, what)
    if len(data) > 255:
        raise ValueError(f"{what} must be at most 255 octets, not {len(data)}")
    return data


def paddings(padn_type: int, pad1: bool = True) -> tuple[bytes, ...]:
    """The padding runs of 0..7 octets: nothing, Pad1 (type 0) for one, else one PadN of type ``padn_type``.

    Without ``pad1`` (Linux refuses Pad1 in an SRH) one octet becomes nine:
    PadN of 5 data octets and PadN of none, which is 1 modulo 8.
    """
    runs = [b"", b"\x00" if pad1 else bytes((padn_type, 5, 0, 0, 0, 0, 0, padn_type, 0))]
    runs += [bytes((padn_type, n - 2)) + bytes(n - 2) for n in range(2, 8)]
    return tuple(runs)


class TLV(ValueObject):
    """One type-length-value item: ``type`` (8 bits), ``data`` (0..255 octets), ``align`` of its end.

    A family's generic class sets ``_KIND`` (its name in messages),
    ``_PADN_TYPE`` and ``_PADS`` (the names of its padding classes); a named
    class sets ``TYPE``, ``SIZE`` (the data length ``parse`` requires) and
    ``ALIGN`` (the ``align`` it always has).
    """

    __slots__ = ("_align", "_data", "_type")
    __setattr__ = frozen
    __delattr__ = frozen

    _type: int
    _data: bytes
    _align: int

    _KIND: ClassVar[str] = "TLV"
    _PADN_TYPE: ClassVar[int] = 1
    _PADS: ClassVar[str] = "Pad1() / PadN(n)"
    #: the ``align`` of the objects of this class that ``parse`` makes
    ALIGN: ClassVar[int] = 1
    #: the data length of a named class (``parse`` gives the generic class for others)
    SIZE: ClassVar[int] = -1

    def _set(self, type: int, data: bytes, align: int) -> None:
        set_type(self, type)
        set_data(self, data)
        set_align(self, align)

    @classmethod
    def _make(cls: type[_T], type: int, data: bytes, align: int) -> _T:
        """Build without checks (for values parse has already checked)."""
        obj = _new(cls)
        set_type(obj, type)
        set_data(obj, data)
        set_align(obj, align)
        return obj

    @classmethod
    def _checked(cls, type: object, data: object) -> tuple[int, bytes]:
        """The type and data of a generic item: TypeError / ValueError for bad ones or a padding type."""
        t = type if type.__class__ is int and 0 <= type <= 255 else int_in(type, 0, 255, f"{cls._KIND} type")
        if t == 0 or t == cls._PADN_TYPE:
            raise ValueError(f"{cls._KIND} types 0 and {cls._PADN_TYPE} are Pad1 and PadN: use {cls._PADS}")
        if data.__class__ is bytes and len(data) <= 255:
            return t, data
        return t, tlv_data(data, f"{cls._KIND} data")

    @classmethod
    def _accepts(cls, data: bytes) -> bool:
        """Whether ``parse`` may read ``data`` as this named class (by default: its RFC length)."""
        return len(data) == cls.SIZE

    @property
    def type(self) -> int:
        """The 8-bit type."""
        return self._type

    @property
    def data(self) -> bytes:
        """The data octets (without the type and length octets)."""
        return self._data

    def __bytes__(self) -> bytes:
        return bytes((self._type, len(self._data))) + self._data

    def __len__(self) -> int:
        """Octets the item occupies: type, length and data."""
        return 2 + len(self._data)

    def _key(self) -> tuple[Any, ...]:
        return (self._type, self._data)

    def _call_repr(self) -> str:
        return f"{self.__class__.__name__}({', '.join(repr(a) for a in self._args())})"

    __repr__ = _call_repr


#: ``set_type(tlv, t)``, ``set_data(tlv, d)``, ``set_align(tlv, a)``: fill the slots of a new item
set_type = slot_setter(TLV, "_type")
set_data = slot_setter(TLV, "_data")
set_align = slot_setter(TLV, "_align")
_new = object.__new__


class Pad1Mixin(TLV):
    """The one-octet Pad1 (type 0) of a family: ``class Pad1(Pad1Mixin, Family)``."""

    __slots__ = ()

    def __init__(self) -> None:
        self._set(0, b"", 1)

    def __bytes__(self) -> bytes:
        return b"\x00"

    def __len__(self) -> int:
        return 1

    def _args(self) -> tuple[Any, ...]:
        return ()

    __repr__ = TLV._call_repr


class PadNMixin(TLV):
    """The PadN of a family: ``PadN(n)`` is n zero data octets, ``PadN(data)`` keeps given octets.

    Receivers ignore the data (``parse(..., keep_padding=True)`` keeps what
    it read); ``repr`` shows the count when the octets are all zero.
    """

    __slots__ = ()

    def __init__(self, n: int | bytes = 0) -> None:
        if isinstance(n, int) and not isinstance(n, bool):
            data = bytes(int_in(n, 0, 255, "PadN length"))
        else:
            data = tlv_data(n, "PadN data")
        self._set(self._PADN_TYPE, data, 1)

    def _args(self) -> tuple[Any, ...]:
        return (len(self._data) if not any(self._data) else self._data,)

    __repr__ = TLV._call_repr


class TLVFormat:
    """How one family of TLVs is checked, laid out in a header and read back."""

    __slots__ = ("_generic", "_kind", "_named", "_pad1", "_padn", "_pads")

    def __init__(self, generic: type[TLV], pad1: type[TLV], padn: type[TLV], named: Iterable[type[TLV]],
                 pads: Sequence[bytes]) -> None:
        self._generic = generic
        self._pad1 = pad1
        self._padn = padn
        self._named = {cls.TYPE: cls for cls in named}  # type: ignore[attr-defined]
        self._pads = pads
        self._kind = f"{generic._KIND} type"

    def items(self, values: Iterable[Any], what: str) -> tuple[Any, ...]:
        """Return ``values`` as a tuple of this family's objects; TypeError for anything else."""
        generic = self._generic
        if isinstance(values, generic):
            raise TypeError(f"{what} must be an iterable of {generic.__name__} objects; "
                            "wrap a single one in a list")
        items = values if values.__class__ is tuple else tuple(values)
        for x in items:
            if not isinstance(x, generic):
                raise TypeError(f"{what} must be {generic.__name__} objects, not {x.__class__.__name__}")
        return items

    def encode(self, out: bytearray, items: tuple[TLV, ...], autopad: bool, name: str) -> bytearray:
        """Append ``items`` to the header begun in ``out``, pad it to 8n and set its Hdr Ext Len.

        With ``autopad`` each item gets the padding that aligns its end;
        ``ValueError`` when the header would exceed 2048 octets.
        """
        pads = self._pads
        append = out.append
        for o in items:
            t = o._type
            if t:
                data = o._data
                if autopad and o._align > 1:
                    out += pads[-(len(out) + 2 + len(data)) % o._align]
                append(t)
                append(len(data))
                out += data
            else:  # Pad1: the type octet alone
                append(0)
        out += pads[-len(out) % 8]
        if len(out) > MAX_HEADER_LEN:
            raise ValueError(f"{name} needs {len(out)} octets, more than an extension header's "
                             f"{MAX_HEADER_LEN} (RFC 8200 section 4)")
        out[1] = len(out) // 8 - 1
        return out

    def decode(self, buf: bytes, off: int, keep_padding: bool = False, base: int = 0) -> tuple[Any, ...]:
        """Read the items of ``buf[off:]``; padding is dropped unless ``keep_padding``.

        :class:`MalformedError` when an item runs past the end, at its offset
        plus ``base``.
        """
        out: list[TLV] = []
        end = len(buf)
        named = self._named
        generic = self._generic
        padn = self._padn
        pad_type = padn._PADN_TYPE
        new = _new
        while off < end:
            t = buf[off]
            if t == 0:
                if keep_padding:
                    out.append(self._pad1())
                off += 1
                continue
            if off + 1 >= end:
                raise MalformedError(f"{self._kind} {t:#04x} has no length octet", base + off)
            n = buf[off + 1]
            stop = off + 2 + n
            if stop > end:
                raise MalformedError(f"{self._kind} {t:#04x} of {n} data octets runs {stop - end} octets "
                                     "past the header", base + off)
            body = buf[off + 2:stop]
            if t == pad_type:
                if keep_padding:
                    out.append(padn._make(t, body, 1))
            else:
                cls = named.get(t)
                if cls is None or not cls._accepts(body):
                    cls = generic
                item = new(cls)
                set_type(item, t)
                set_data(item, body)
                set_align(item, cls.ALIGN)
                out.append(item)
            off = stop
        return tuple(out)
