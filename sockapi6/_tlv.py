"""Type-length-value items and their layout, shared by three families.

Extension-header options (RFC 8200 section 4.2), SRH TLVs (RFC 8754 section
2.1) and Mobility options (RFC 6275 section 6.2) are the same shape: a type
octet, a length octet, that many data octets; type 0 is the one-octet Pad1
and one other type is PadN.  :class:`TLV` is the value object all three
build on (a :class:`~sockapi6._wire.Record` whose fields, declared with
:func:`~sockapi6._wire.field`, are views of its data), :class:`Pad1Mixin`
and :class:`PadNMixin` give each family its padding classes, and a
:class:`TLVFormat` lays a family out and reads it back.

**Equality.**  Within a family two items are equal exactly when their wire
bytes are equal, and they hash alike: a named class (``RouterAlert``,
``HMACTLV``, ``BindingRefreshAdvice``...) is a view of its family's generic
class, so ``Option(5, b"\\0\\0", align=2) == RouterAlert(0)``.  An item's
bytes are the TLV alone: its alignment is an instruction for laying out a
header, which the wire does not record, so it takes no part in equality.
Items of different families never compare equal.

**Alignment notation.**  Every item has an :attr:`TLV.alignment` ``(x, y)``:
the RFCs' "xn+y", the offset of its type octet from the start of the header
must be a multiple of ``x`` plus ``y`` (Router Alert 2n+0, Jumbo Payload
4n+2, Home Address and Alternate Care-of Address 8n+6, HMAC 8n+0, Binding
Authorization Data 8n+2; ``(1, 0)``: none).  A named class states its RFC
requirement in ``ALIGN``; an extension-header :class:`~sockapi6.exthdr.Option`
built with ``align=a`` (RFC 3542 section 10.2: the *end* of the option on a
multiple of ``a``) has ``(a, -(2 + len(data)) % a)``.

**Layout** (building bytes): padding goes in front of each item so that it
meets its alignment, then the header is padded to a multiple of 8 octets;
explicit padding items are written as given.  **Reading** keeps every octet:
:meth:`TLVFormat.read` returns the items with their padding, and, when the
padding is exactly what the layout rule would write, the items without it
(the ``autopad`` form), so that a parsed header re-encodes to the bytes it
came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._convert import int_in, mark, octets, slot_setter
from ._extheader import MAX_HEADER_LEN
from ._wire import Field, Record, _field_wire, field, public_name
from .errors import MalformedError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, Callable, ClassVar, Optional, TypeVar

    _T = TypeVar("_T", bound="TLV")

__all__ = [
    "NO_ALIGNMENT", "PadNMixin", "Pad1Mixin", "TLV", "TLVFormat", "padn_data", "paddings", "public_name",
    "set_align", "set_data", "set_type", "tlv_data", "tlv_type",
]

#: the alignment of an item without a requirement: 1n+0
NO_ALIGNMENT = (1, 0)
#: ``_END[a][n % a]``: the ``(x, y)`` of an item of n data octets whose end falls on a multiple of a
_END = {a: tuple((a, -(2 + r) % a) for r in range(a)) for a in (1, 2, 4, 8)}


def tlv_data(value: object, what: str) -> bytes:
    """Return ``value`` as the data of one TLV: bytes-like, at most 255 octets (the length octet)."""
    data = octets(value, what)
    if len(data) > 255:
        raise ValueError(f"{what} must be at most 255 octets, not {len(data)}")
    return data


def tlv_type(padn: int, kind: str, pads: str) -> Callable[[Any], int]:
    """The converter of a generic item's type: 0..255, but neither Pad1 (0) nor the family's PadN."""

    def conv(value: Any) -> int:
        t = value if value.__class__ is int and 0 <= value <= 255 else int_in(value, 0, 255, "type")
        if t == 0 or t == padn:
            raise ValueError(f"type {t}: {kind} types 0 and {padn} are Pad1 and PadN: use {pads}")
        return t

    return mark(conv, "type")


def _data(value: Any) -> bytes:
    return value if value.__class__ is bytes and len(value) <= 255 else tlv_data(value, "data")


#: the converter of a TLV's data: bytes-like, 0..255 octets
data_field = mark(_data, "data")


def padn_data(value: Any) -> bytes:
    """A PadN's data: ``n`` zero octets for an int ``n``, else the given 0..255 octets."""
    if isinstance(value, int) and not isinstance(value, bool):
        return bytes(int_in(value, 0, 255, "n"))
    return tlv_data(value, "n")


def paddings(padn_type: int, pad1: bool = True) -> tuple[bytes, ...]:
    """The padding runs of 0..7 octets: nothing, Pad1 (type 0) for one, else one PadN of type ``padn_type``.

    Without ``pad1`` (Linux refuses Pad1 in an SRH) one octet becomes nine:
    PadN of 5 data octets and PadN of none, which is 1 modulo 8.
    """
    runs = [b"", b"\x00" if pad1 else bytes((padn_type, 5, 0, 0, 0, 0, 0, padn_type, 0))]
    runs += [bytes((padn_type, n - 2)) + bytes(n - 2) for n in range(2, 8)]
    return tuple(runs)


class TLV(Record):
    """One type-length-value item: ``type`` (8 bits), ``data`` (0..255 octets) and its alignment.

    A family's generic class sets ``_KIND`` (the family's name in messages,
    and what makes two items comparable), ``_PADN_TYPE`` and ``_PADS`` (the
    names of its padding classes); a named class sets ``TYPE``, ``SIZE``
    (the data length ``parse`` requires, -1 for any) and ``ALIGN`` (its RFC
    alignment ``(x, y)``).

    Fields are declared with :func:`sockapi6._wire.field` as views of the
    data (``_views``): a named class declares its data's fields in wire
    order (``value: int = field("H", u16, REQUIRED, "...")``), and the
    generated constructor packs them (:meth:`_assemble`); reading a field
    unpacks it from the data, so a decoder sets type, data and alignment
    alone.
    """

    __slots__ = ("_align", "_data", "_type")
    _views = True

    _type: int
    _data: bytes
    _align: tuple[int, int]

    _KIND: ClassVar[str] = "TLV"
    _PADN_TYPE: ClassVar[int] = 1
    _PADS: ClassVar[str] = "Pad1() / PadN(n)"
    #: the type number of a named class
    TYPE: ClassVar[int] = -1
    #: the alignment ``(x, y)`` of a named class: its type octet at xn+y from the start of the header
    ALIGN: ClassVar[tuple[int, int]] = NO_ALIGNMENT
    #: the data length of a named class (``parse`` gives the generic class for others; -1: any length)
    SIZE: ClassVar[int] = -1
    #: whether the class is one of its family's padding items (Pad1, PadN)
    PADDING: ClassVar[bool] = False

    def _assemble(self, *values: Any) -> None:
        """A named class's data from its fields: the fixed ones packed in wire order, then the ``"*"`` one."""
        if self.TYPE < 0:
            raise TypeError(f"{public_name(self.__class__)} is the family of its TLVs: build its generic "
                            "class or a named one")
        vals = dict(zip(self._fields, values))
        data = self._body.pack(*[_field_wire(vals[n]) for n in self._body_fields])
        if self._tail:
            tail = vals[self._tail]
            data += tail if tail.__class__ is bytes else bytes(tail)
        if len(data) > 255:
            raise ValueError(f"{public_name(self.__class__)}: the data would be {len(data)} octets, more "
                             "than the 255 its length octet can say")
        self._set(self.TYPE, data, self.ALIGN)

    @classmethod
    def _view_getter(cls, spec: Field) -> Callable[[Any], Any]:
        """Read field ``spec`` from the data: a fixed field unpacked (through its converter for
        ``"16s"``, which makes the address), the ``"*"`` field as the octets after the fixed ones."""
        name = spec.name
        if spec.fmt == "*":
            def rest(self: TLV) -> Any:
                return self._data[self._body.size:]
            return rest
        conv = spec.convert if spec.fmt.endswith("s") else None

        def get(self: TLV) -> Any:
            value = self._body.unpack_from(self._data)[self._body_fields.index(name)]
            return conv(value) if conv is not None else value
        return get

    def _set(self, type: int, data: bytes, align: tuple[int, int]) -> None:
        set_type(self, type)
        set_data(self, data)
        set_align(self, align)

    @classmethod
    def _make(cls: type[_T], type: int, data: bytes, align: tuple[int, int] = NO_ALIGNMENT) -> _T:
        """Build without checks (for values a decoder has already checked)."""
        obj = _new(cls)
        set_type(obj, type)
        set_data(obj, data)
        set_align(obj, align)
        return obj

    @classmethod
    def _accepts(cls, data: bytes) -> bool:
        """Whether a decoder may read ``data`` as this named class (by default: its RFC length)."""
        return cls.SIZE < 0 or len(data) == cls.SIZE

    @property
    def type(self) -> int:
        """The 8-bit type."""
        return self._type

    @property
    def data(self) -> bytes:
        """The data octets (without the type and length octets)."""
        return self._data

    @property
    def alignment(self) -> tuple[int, int]:
        """``(x, y)``: the layout puts the type octet at xn+y octets from the start of the header."""
        return self._align

    def __bytes__(self) -> bytes:
        return bytes((self._type, len(self._data))) + self._data

    def __len__(self) -> int:
        """Octets the item occupies: type, length and data."""
        return 2 + len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TLV) and other._KIND == self._KIND:
            return self._type == other._type and self._data == other._data
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, TLV) and other._KIND == self._KIND:
            return self._type != other._type or self._data != other._data
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._type, self._data))

    def _key(self) -> tuple[Any, ...]:
        return (self._type, self._data)

    def _call_repr(self) -> str:
        return f"{self.__class__.__name__}({', '.join(repr(a) for a in self._args())})"


#: ``set_type(tlv, t)``, ``set_data(tlv, d)``, ``set_align(tlv, a)``: fill the slots of a new item
set_type = slot_setter(TLV, "_type")
set_data = slot_setter(TLV, "_data")
set_align = slot_setter(TLV, "_align")
_new = object.__new__


class Pad1Mixin(TLV):
    """The one-octet Pad1 (type 0) of a family: ``class Pad1(Pad1Mixin, Family)``."""

    __slots__ = ()
    PADDING = True
    TYPE = 0
    _fields = ()

    def __init__(self) -> None:
        self._set(0, b"", NO_ALIGNMENT)

    def __bytes__(self) -> bytes:
        return b"\x00"

    def __len__(self) -> int:
        return 1

    def _args(self) -> tuple[Any, ...]:
        return ()

    __repr__ = TLV._call_repr


class PadNMixin(TLV):
    """The PadN of a family: ``PadN(n)`` is n zero data octets, ``PadN(data)`` keeps given octets.

    Receivers ignore the data (a parse keeps what it read); ``repr`` shows
    the count when the octets are all zero.
    """

    __slots__ = ()
    PADDING = True
    n: int | bytes = field("", padn_data, 0, "how many zero octets of data, or the data octets themselves")

    def _assemble(self, *values: Any) -> None:
        self._set(self._PADN_TYPE, values[0], NO_ALIGNMENT)

    def _get_n(self) -> int | bytes:
        return len(self._data) if not any(self._data) else self._data

    def _args(self) -> tuple[Any, ...]:
        return (len(self._data) if not any(self._data) else self._data,)

    __repr__ = TLV._call_repr


class TLVFormat:
    """How one family of TLVs is checked, laid out and read back.

    ``strict``: a named type with a length its class does not accept is
    malformed (Mobility options, RFC 6275 section 6.2) rather than kept as
    a generic item (options, SRH TLVs).  ``infer_align``: a generic item
    read after padding is given the ``align`` (2, 4 or 8, RFC 3542 style)
    that explains that padding, when one does.
    """

    __slots__ = ("_generic", "_infer", "_kind", "_named", "_pad1", "_pad_items", "_padn", "_pads", "_strict")

    def __init__(self, generic: type[TLV], pad1: type[TLV], padn: type[TLV], named: Iterable[type[TLV]],
                 pads: Sequence[bytes], strict: bool = False, infer_align: bool = False) -> None:
        self._generic = generic
        self._pad1 = pad1
        self._padn = padn
        self._named = {cls.TYPE: cls for cls in named}
        self._pads = tuple(pads)
        self._kind = generic._KIND
        self._strict = strict
        self._infer = infer_align
        self._pad_items = tuple(self.read(p, 0, lean=False)[0] for p in self._pads)

    def items(self, values: Iterable[Any], what: str) -> tuple[Any, ...]:
        """Return ``values`` as a tuple of this family's objects; TypeError for anything else."""
        generic = self._generic
        if isinstance(values, TLV) or isinstance(values, (str, bytes, bytearray, memoryview)):
            raise TypeError(f"{what} must be an iterable of {generic.__name__} objects, not one "
                            f"{values.__class__.__name__}; wrap a single one in a list")
        try:
            items = values if values.__class__ is tuple else tuple(values)
        except TypeError:
            raise TypeError(f"{what} must be an iterable of {generic.__name__} objects, "
                            f"not {values.__class__.__name__}") from None
        for x in items:
            if not isinstance(x, TLV) or x._KIND != self._kind:
                raise TypeError(f"{what} must be {generic.__name__} objects, not {x.__class__.__name__}")
        return items

    def encode(self, out: bytearray, items: tuple[TLV, ...], autopad: bool, where: str) -> bytearray:
        """Append ``items`` to the header begun in ``out``, pad it to 8n and set its Hdr Ext Len.

        With ``autopad`` each item gets the padding that meets its alignment
        (counted from the start of ``out``); ``ValueError`` when the header
        would exceed 2048 octets.
        """
        pads = self._pads
        append = out.append
        for o in items:
            t = o._type
            if t:
                data = o._data
                if autopad:
                    x, y = o._align
                    if x > 1:
                        out += pads[(y - len(out)) % x]
                append(t)
                append(len(data))
                out += data
            else:  # Pad1: the type octet alone
                append(0)
        out += pads[-len(out) % 8]
        if len(out) > MAX_HEADER_LEN:
            raise ValueError(f"{where}: the header needs {len(out)} octets, more than an extension "
                             f"header's {MAX_HEADER_LEN} (RFC 8200 section 4)")
        out[1] = len(out) // 8 - 1
        return out

    def layout(self, items: Iterable[TLV], start: int) -> tuple[Any, ...]:
        """``items`` with the padding items the layout rule inserts, for an area starting at ``start``.

        Padding items are kept where they are given; the result ends on a
        multiple of 8 octets from the start of the header.
        """
        out: list[TLV] = []
        pads = self._pad_items
        off = start
        for o in items:
            if not o.PADDING:
                x, y = o._align
                gap = (y - off) % x
                if gap:
                    out += pads[gap]
                    off += len(self._pads[gap])
            out.append(o)
            off += len(o)
        out += pads[-off % 8]
        return tuple(out)

    def read(self, buf: bytes, off: int, end: Optional[int] = None, base: int = 0,
             lean: bool = True) -> tuple[tuple[Any, ...], Optional[tuple[Any, ...]]]:
        """Read the items of ``buf[off:end]``: ``(items with padding, items without padding or None)``.

        The second is the ``autopad`` form: the items without their padding
        when every padding run is the one the layout rule writes (offsets
        count from ``buf[0]``, the start of the header), else None; not
        computed unless ``lean``.  Known types with a length their class
        accepts are read as that class.  :class:`MalformedError` when an item
        runs past ``end``, at its offset plus ``base``.
        """
        full: list[TLV] = []
        thin: Optional[list[TLV]] = [] if lean else None
        stop_at = len(buf) if end is None else end
        named = self._named
        generic = self._generic
        pad1 = self._pad1
        padn = self._padn
        pad_type = padn._PADN_TYPE
        pads = self._pads
        infer = self._infer
        gap_start = off
        new = _new
        while off < stop_at:
            t = buf[off]
            if t == 0:
                item = new(pad1)
                set_type(item, 0)
                set_data(item, b"")
                set_align(item, NO_ALIGNMENT)
                full.append(item)
                off += 1
                continue
            if off + 1 >= stop_at:
                raise MalformedError(f"{self._kind} type {t:#04x} has no room for its length octet",
                                     base + off)
            n = buf[off + 1]
            stop = off + 2 + n
            if stop > stop_at:
                raise MalformedError(f"{self._kind} type {t:#04x} of {n} data octets overruns the header by "
                                     f"{stop - stop_at} octets", base + off)
            body = buf[off + 2:stop]
            if t == pad_type:
                item = new(padn)
                align = NO_ALIGNMENT
            else:
                cls = named.get(t)
                if cls is None:
                    cls = generic
                elif not cls._accepts(body):
                    if self._strict:
                        raise MalformedError(f"{cls.__name__} option has Option Length {n}, expected "
                                             f"{cls.SIZE}", base + off)
                    cls = generic
                item = new(cls)
                align = cls.ALIGN
                if thin is not None:
                    x, y = align
                    run = buf[gap_start:off]
                    if run != pads[(y - gap_start) % x]:
                        found = _inferred(run, pads, gap_start, n) if infer and cls is generic else None
                        if found is None:
                            thin = None
                        else:
                            align = found
                            thin.append(item)
                    else:
                        thin.append(item)
                gap_start = stop
            set_type(item, t)
            set_data(item, body)
            set_align(item, align)
            full.append(item)
            off = stop
        if thin is not None and buf[gap_start:stop_at] != pads[-gap_start % 8]:
            thin = None
        return tuple(full), (None if thin is None else tuple(thin))

    def decode(self, buf: bytes, off: int, keep_padding: bool = False, base: int = 0) -> tuple[Any, ...]:
        """The items of ``buf[off:]``, padding dropped unless ``keep_padding`` (see :meth:`read`)."""
        full = self.read(buf, off, None, base, lean=False)[0]
        return full if keep_padding else tuple(o for o in full if not o.PADDING)


def _inferred(run: bytes, pads: tuple[bytes, ...], start: int, size: int) -> Optional[tuple[int, int]]:
    """The end alignment (2, 4 or 8) explaining the padding ``run`` at ``start`` before an item, or None."""
    for a in (2, 4, 8):
        if a > size:
            break
        align = _END[a][size % a]
        if run == pads[(align[1] - start) % a]:
            return align
    return None
