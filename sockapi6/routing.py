"""Routing headers as Python values (RFC 8200 section 4.4, RFC 6275 section 6.4, RFC 8754).

* :class:`RoutingHeader`: type 0 (the RFC 2460 source route RFC 3542 section 7
  builds; deprecated by RFC 5095) and type 2 (Mobile IPv6, RFC 6275 section
  6.4: exactly one address, the home address);
* :class:`SegmentRoutingHeader`: type 4 (RFC 8754 section 2), with its TLVs
  :class:`SRHPad1`, :class:`SRHPadN`, :class:`HMACTLV` and the generic
  :class:`SRHTLV`;
* :class:`UnknownRoutingHeader` keeps the bytes of any other type.

``bytes(h)`` gives the wire header (pure Python, the same on every OS),
``Class.parse(data)`` reads one whole header back, and
:func:`parse_routing_header` picks the class by Routing Type.  Bad input
raises :class:`~sockapi6.errors.MalformedError` with the offset of the problem.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .errors import MalformedError
from .exthdr import NO_NEXT_HEADER, _as_address, _as_bytes, _frozen, _int_in, _ipv6

if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv6Address
    from typing import Any, TypeVar, Union

    _T = TypeVar("_T", bound="SRHTLV")
    AddressLike = Union[IPv6Address, str, bytes]
    AnyRoutingHeader = Union["RoutingHeader", "SegmentRoutingHeader", "UnknownRoutingHeader"]

__all__ = [
    "RoutingHeader",
    "SegmentRoutingHeader",
    "UnknownRoutingHeader",
    "SRHTLV",
    "SRHPad1",
    "SRHPadN",
    "HMACTLV",
    "parse_routing_header",
]

MAX_HEADER_LEN = 2048
_HEAD = struct.Struct("!BBBB")
_SRH_HEAD = struct.Struct("!BBBBBBH")


def _check_size(data: object, name: str) -> bytes:
    """Return ``data`` as bytes after checking it is one whole routing header (RFC 8200 section 4.4)."""
    buf = _as_bytes(data, "data")
    if len(buf) < 8:
        raise MalformedError(f"{name} needs at least 8 octets, got {len(buf)}", len(buf))
    size = (buf[1] + 1) * 8
    if len(buf) != size:
        raise MalformedError(f"Hdr Ext Len {buf[1]} means {size} octets, but {len(buf)} were given", 1)
    return buf


def _addresses(values: Iterable[AddressLike], what: str) -> tuple[IPv6Address, ...]:
    if isinstance(values, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"{what} must be an iterable of addresses, not one {values.__class__.__name__}")
    return tuple([_as_address(a, what) for a in values])


def _address_list(raw: bytes) -> tuple[IPv6Address, ...]:
    cls = _ipv6()
    return tuple([cls(raw[i:i + 16]) for i in range(0, len(raw), 16)])


class _RoutingBase:
    """Value-object plumbing shared by the routing header classes."""

    __slots__ = ()
    __setattr__ = _frozen
    __delattr__ = _frozen  # type: ignore[assignment]

    def _key(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self._key()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._key())


# --------------------------------------------------------------------------- types 0 and 2


class RoutingHeader(_RoutingBase):
    """A type 0 or type 2 routing header (RFC 8200 section 4.4; RFC 6275 section 6.4).

    ``addresses`` in wire order (IPv6Address, text or 16 bytes; scopes are
    dropped).  Type 0 holds 0..127 addresses; type 2 exactly one, the home
    address.  ``segments_left`` defaults to ``len(addresses)`` and may not
    exceed it.  The Reserved field is sent as zero and ignored by ``parse``.
    """

    __slots__ = ("_addresses", "_next_header", "_segments_left", "_type")

    _addresses: tuple[IPv6Address, ...]
    _type: int
    _segments_left: int
    _next_header: int

    def __init__(self, addresses: Iterable[AddressLike], type: int = 0, segments_left: int | None = None,
                 next_header: int = NO_NEXT_HEADER) -> None:
        addrs = _addresses(addresses, "addresses")
        t = _int_in(type, 0, 255, "routing type")
        if t == 0:
            if len(addrs) > 127:
                raise ValueError(f"a type 0 routing header holds at most 127 addresses, not {len(addrs)}")
        elif t == 2:
            if len(addrs) != 1:
                raise ValueError(f"a type 2 routing header holds exactly one address, not {len(addrs)} "
                                 "(RFC 6275 section 6.4)")
        else:
            raise ValueError(f"RoutingHeader handles types 0 and 2, not {t}: use SegmentRoutingHeader for "
                             "type 4, UnknownRoutingHeader for others")
        sl = len(addrs) if segments_left is None else _int_in(segments_left, 0, len(addrs), "segments_left")
        self._set(addrs, t, sl, _int_in(next_header, 0, 255, "next_header"))

    def _set(self, addresses: tuple[IPv6Address, ...], type: int, segments_left: int,
             next_header: int) -> None:
        s = object.__setattr__
        s(self, "_addresses", addresses)
        s(self, "_type", type)
        s(self, "_segments_left", segments_left)
        s(self, "_next_header", next_header)

    @property
    def addresses(self) -> tuple[IPv6Address, ...]:
        """The addresses, in wire order."""
        return self._addresses

    @property
    def type(self) -> int:
        """The Routing Type: 0 or 2."""
        return self._type

    @property
    def segments_left(self) -> int:
        """How many listed nodes are still to be visited."""
        return self._segments_left

    @property
    def next_header(self) -> int:
        """The Next Header octet (the kernel overwrites it when sending)."""
        return self._next_header

    def __bytes__(self) -> bytes:
        n = len(self._addresses)
        return (_HEAD.pack(self._next_header, 2 * n, self._type, self._segments_left) + bytes(4)
                + b"".join([a.packed for a in self._addresses]))

    def __len__(self) -> int:
        return 8 + 16 * len(self._addresses)

    @classmethod
    def parse(cls, data: bytes) -> RoutingHeader:
        """Read one whole type 0 or type 2 routing header; :class:`MalformedError` if it is not one."""
        buf = _check_size(data, cls.__name__)
        nh, hlen, t, sl = _HEAD.unpack_from(buf)
        if t == 0:
            if hlen % 2:
                raise MalformedError(f"type 0 routing header with odd Hdr Ext Len {hlen}", 1)
        elif t == 2:
            if hlen != 2:
                raise MalformedError(f"type 2 routing header with Hdr Ext Len {hlen}, not 2", 1)
        else:
            raise MalformedError(f"routing type {t} is not 0 or 2", 2)
        if sl > hlen // 2:
            raise MalformedError(f"Segments Left {sl} exceeds the {hlen // 2} addresses", 3)
        obj = object.__new__(cls)  # every field is checked above: skip the constructor's checks
        obj._set(_address_list(buf[8:]), t, sl, nh)
        return obj

    def _key(self) -> tuple[Any, ...]:
        return (self._addresses, self._type, self._segments_left, self._next_header)

    def __repr__(self) -> str:
        args = [repr([str(a) for a in self._addresses])]
        if self._type:
            args.append(f"type={self._type}")
        if self._segments_left != len(self._addresses):
            args.append(f"segments_left={self._segments_left}")
        if self._next_header != NO_NEXT_HEADER:
            args.append(f"next_header={self._next_header}")
        return f"RoutingHeader({', '.join(args)})"


# --------------------------------------------------------------------------- unknown types


class UnknownRoutingHeader(_RoutingBase):
    """A routing header of a type this module does not decode; keeps its bytes (RFC 8200 section 4.4).

    ``data`` is the type-specific data after the first four octets; its
    length must be 4 more than a multiple of 8 (the header is whole octets of 8).
    """

    __slots__ = ("_data", "_next_header", "_segments_left", "_type")

    _type: int
    _segments_left: int
    _data: bytes
    _next_header: int

    def __init__(self, type: int, segments_left: int, data: bytes = b"\0\0\0\0",
                 next_header: int = NO_NEXT_HEADER) -> None:
        d = _as_bytes(data, "data")
        if len(d) % 8 != 4 or len(d) > MAX_HEADER_LEN - 4:
            raise ValueError(f"routing header data must be 8n + 4 octets (at most {MAX_HEADER_LEN - 4}), "
                             f"not {len(d)}")
        object.__setattr__(self, "_type", _int_in(type, 0, 255, "routing type"))
        object.__setattr__(self, "_segments_left", _int_in(segments_left, 0, 255, "segments_left"))
        object.__setattr__(self, "_data", d)
        object.__setattr__(self, "_next_header", _int_in(next_header, 0, 255, "next_header"))

    type = property(lambda self: self._type, doc="The Routing Type.")
    segments_left = property(lambda self: self._segments_left, doc="The Segments Left octet.")
    data = property(lambda self: self._data, doc="The type-specific data (after the first 4 octets).")
    next_header = property(lambda self: self._next_header, doc="The Next Header octet.")

    def __bytes__(self) -> bytes:
        return _HEAD.pack(self._next_header, (len(self._data) + 4) // 8 - 1, self._type,
                          self._segments_left) + self._data

    def __len__(self) -> int:
        return 4 + len(self._data)

    @classmethod
    def parse(cls, data: bytes) -> UnknownRoutingHeader:
        """Read one whole routing header of any type, keeping its type-specific data as bytes."""
        buf = _check_size(data, cls.__name__)
        return cls(buf[2], buf[3], buf[4:], buf[0])

    def _key(self) -> tuple[Any, ...]:
        return (self._type, self._segments_left, self._data, self._next_header)

    def __repr__(self) -> str:
        extra = f", next_header={self._next_header}" if self._next_header != NO_NEXT_HEADER else ""
        return f"UnknownRoutingHeader({self._type}, {self._segments_left}, {self._data!r}{extra})"


# --------------------------------------------------------------------------- SRH TLVs


class SRHTLV:
    """One TLV of a Segment Routing Header (RFC 8754 section 2.1): ``SRHTLV(type, data)``.

    Types 0 (Pad1) and 4 (PadN) have classes of their own; ``parse`` gives
    :class:`HMACTLV` for a well-formed type 5 and ``SRHTLV`` for the rest.
    ``mutable`` is the type's high-order bit (the data may change en route).
    """

    __slots__ = ("_data", "_type")
    __setattr__ = _frozen
    __delattr__ = _frozen  # type: ignore[assignment]

    #: alignment of the start of the TLV in the SRH (RFC 8754 section 2.1: xn+0)
    ALIGN = 1

    _type: int
    _data: bytes

    def __init__(self, type: int, data: bytes = b"") -> None:
        t = _int_in(type, 0, 255, "TLV type")
        if t in (0, 4):
            raise ValueError("SRH TLV types 0 and 4 are Pad1 and PadN: use SRHPad1() / SRHPadN(n)")
        d = _as_bytes(data, "TLV data")
        if len(d) > 255:
            raise ValueError(f"TLV data must be at most 255 octets, not {len(d)}")
        self._set(t, d)

    def _set(self, type: int, data: bytes) -> None:
        object.__setattr__(self, "_type", type)
        object.__setattr__(self, "_data", data)

    @classmethod
    def _make(cls: type[_T], type: int, data: bytes) -> _T:
        obj = object.__new__(cls)
        obj._set(type, data)
        return obj

    @property
    def type(self) -> int:
        """The 8-bit TLV type."""
        return self._type

    @property
    def data(self) -> bytes:
        """The variable-length data (without type and length octets)."""
        return self._data

    @property
    def mutable(self) -> bool:
        """Whether the data may change en route: the type's high-order bit (RFC 8754 section 2.1)."""
        return bool(self._type & 0x80)

    def __bytes__(self) -> bytes:
        return bytes((self._type, len(self._data))) + self._data

    def __len__(self) -> int:
        return 2 + len(self._data)

    def _args(self) -> tuple[Any, ...]:
        return (self._type, self._data)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._args() == other._args()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self._args()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._args())

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({', '.join(repr(a) for a in self._args())})"


class SRHPad1(SRHTLV):
    """The one-octet Pad1 TLV (RFC 8754 section 2.1.1.1).  Linux refuses an SRH holding one."""

    __slots__ = ()

    def __init__(self) -> None:
        self._set(0, b"")

    def __bytes__(self) -> bytes:
        return b"\x00"

    def __len__(self) -> int:
        return 1

    def _args(self) -> tuple[Any, ...]:
        return ()


class SRHPadN(SRHTLV):
    """The PadN TLV (RFC 8754 section 2.1.1.2): ``SRHPadN(n)``, n zero octets (0..5 per the RFC).

    ``SRHPadN(data)`` keeps given octets, as ``parse(..., keep_padding=True)`` does.
    """

    __slots__ = ()

    def __init__(self, n: int | bytes = 0) -> None:
        if isinstance(n, int) and not isinstance(n, bool):
            data = bytes(_int_in(n, 0, 255, "PadN length"))
        else:
            data = _as_bytes(n, "PadN data")
            if len(data) > 255:
                raise ValueError(f"PadN data must be at most 255 octets, not {len(data)}")
        self._set(4, data)

    def _args(self) -> tuple[Any, ...]:
        return (len(self._data) if not any(self._data) else self._data,)


class HMACTLV(SRHTLV):
    """The HMAC TLV, type 5, alignment 8n (RFC 8754 section 2.1.2).

    ``key_id`` is the 32-bit HMAC Key ID, ``hmac`` the HMAC field (a multiple
    of 8 octets, at most 32), ``d_flag`` the D bit (Destination Address
    verification disabled, for a reduced Segment List).
    """

    __slots__ = ()
    ALIGN = 8

    def __init__(self, key_id: int, hmac: bytes, d_flag: bool = False) -> None:
        kid = _int_in(key_id, 0, 0xFFFFFFFF, "HMAC Key ID")
        mac = _as_bytes(hmac, "hmac")
        if len(mac) % 8 or len(mac) > 32:
            raise ValueError(f"the HMAC field must be a multiple of 8 octets, at most 32, not {len(mac)}")
        self._set(5, struct.pack("!BxI", 0x80 if d_flag else 0, kid) + mac)

    @property
    def key_id(self) -> int:
        """The HMAC Key ID."""
        return int(struct.unpack_from("!I", self._data, 2)[0])

    @property
    def hmac(self) -> bytes:
        """The HMAC field."""
        return self._data[6:]

    @property
    def d_flag(self) -> bool:
        """The D bit."""
        return bool(self._data[0] & 0x80)

    def _args(self) -> tuple[Any, ...]:
        return (self.key_id, self.hmac, self.d_flag)

    def __repr__(self) -> str:
        extra = ", d_flag=True" if self.d_flag else ""
        return f"HMACTLV({self.key_id:#x}, {self.hmac!r}{extra})"


def _srh_padding(n: int) -> bytes:
    """``n`` octets of SRH padding made of PadN TLVs only (Linux refuses Pad1): 1 octet becomes 9."""
    if n == 0:
        return b""
    if n == 1:
        return b"\x04\x05" + bytes(5) + b"\x04\x00"
    return bytes((4, n - 2)) + bytes(n - 2)


def _parse_tlvs(buf: bytes, off: int, keep_padding: bool) -> tuple[SRHTLV, ...]:
    out: list[SRHTLV] = []
    end = len(buf)
    while off < end:
        t = buf[off]
        if t == 0:
            if keep_padding:
                out.append(SRHPad1())
            off += 1
            continue
        if off + 1 >= end:
            raise MalformedError(f"SRH TLV type {t} has no length octet", off)
        n = buf[off + 1]
        stop = off + 2 + n
        if stop > end:
            raise MalformedError(f"SRH TLV type {t} of {n} data octets runs {stop - end} octets past the "
                                 "header", off)
        body = buf[off + 2:stop]
        if t == 4:
            if keep_padding:
                out.append(SRHPadN._make(4, body))
        elif t == 5 and n >= 6 and (n - 6) % 8 == 0 and n <= 38 and body[0] & 0x7F == 0 and body[1] == 0:
            out.append(HMACTLV._make(5, body))
        else:
            out.append(SRHTLV._make(t, body))
        off = stop
    return tuple(out)


# --------------------------------------------------------------------------- type 4


class SegmentRoutingHeader(_RoutingBase):
    """A Segment Routing Header, routing type 4 (RFC 8754 section 2).

    ``segments`` is the Segment List **in wire order**: ``segments[0]`` is
    the last segment of the path, ``segments[-1]`` the first (RFC 8754
    section 4.1).  ``segments_left`` defaults to ``len(segments) - 1`` and
    may be up to ``len(segments)`` (a reduced SRH); Last Entry is always
    ``len(segments) - 1`` (the ``last_entry`` argument, if given, must say
    so).  ``flags`` (8 bits) and ``tag`` (16 bits) are sent as given.
    ``tlvs`` follow the Segment List; with ``autopad`` each is aligned as
    its type requires (HMAC 8n) and the header padded to 8 octets with PadN
    TLVs only (Linux refuses Pad1); with ``autopad=False`` the TLVs are
    written as given and only the final padding is added.
    """

    __slots__ = (
        "_autopad",
        "_flags",
        "_next_header",
        "_segments",
        "_segments_left",
        "_tag",
        "_tlvs",
        "_wire",
    )

    _segments: tuple[IPv6Address, ...]
    _segments_left: int
    _flags: int
    _tag: int
    _tlvs: tuple[SRHTLV, ...]
    _next_header: int
    _autopad: bool
    _wire: bytes

    TYPE = 4

    def __init__(self, segments: Iterable[AddressLike], segments_left: int | None = None,
                 last_entry: int | None = None, flags: int = 0, tag: int = 0, tlvs: Iterable[SRHTLV] = (),
                 next_header: int = NO_NEXT_HEADER, autopad: bool = True) -> None:
        segs = _addresses(segments, "segments")
        if not 1 <= len(segs) <= 127:
            raise ValueError(f"an SRH holds 1..127 segments, not {len(segs)}")
        le = len(segs) - 1
        if last_entry is not None and _int_in(last_entry, 0, 255, "last_entry") != le:
            raise ValueError(f"last_entry must be len(segments) - 1 = {le}, not {last_entry}")
        sl = le if segments_left is None else _int_in(segments_left, 0, le + 1, "segments_left")
        if isinstance(tlvs, SRHTLV):
            raise TypeError("tlvs must be an iterable of SRHTLV objects; wrap a single one in a list")
        tl = tuple(tlvs)
        for x in tl:
            if not isinstance(x, SRHTLV):
                raise TypeError(f"tlvs must be SRHTLV objects, not {x.__class__.__name__}")
        s = object.__setattr__
        s(self, "_segments", segs)
        s(self, "_segments_left", sl)
        s(self, "_flags", _int_in(flags, 0, 255, "flags"))
        s(self, "_tag", _int_in(tag, 0, 0xFFFF, "tag"))
        s(self, "_tlvs", tl)
        s(self, "_next_header", _int_in(next_header, 0, 255, "next_header"))
        s(self, "_autopad", bool(autopad))
        s(self, "_wire", self._encode())

    def _encode(self) -> bytes:
        out = bytearray(8)
        for a in self._segments:
            out += a.packed
        for x in self._tlvs:
            if self._autopad and x.ALIGN > 1:
                out += _srh_padding(-len(out) % x.ALIGN)
            out += bytes(x)
        out += _srh_padding(-len(out) % 8)
        if len(out) > MAX_HEADER_LEN:
            raise ValueError(f"the SRH needs {len(out)} octets, more than an extension header's "
                             f"{MAX_HEADER_LEN} (RFC 8200 section 4.4)")
        _SRH_HEAD.pack_into(out, 0, self._next_header, len(out) // 8 - 1, 4, self._segments_left,
                            len(self._segments) - 1, self._flags, self._tag)
        return bytes(out)

    @property
    def segments(self) -> tuple[IPv6Address, ...]:
        """The Segment List in wire order: ``segments[0]`` is the last segment."""
        return self._segments

    @property
    def type(self) -> int:
        """The Routing Type: 4."""
        return 4

    @property
    def segments_left(self) -> int:
        """Index of the active segment in :attr:`segments`."""
        return self._segments_left

    @property
    def last_entry(self) -> int:
        """Index of the last element of the Segment List: ``len(segments) - 1``."""
        return len(self._segments) - 1

    @property
    def flags(self) -> int:
        """The 8-bit Flags field (all unused in RFC 8754; Linux drops packets with 0x08 set)."""
        return self._flags

    @property
    def tag(self) -> int:
        """The 16-bit Tag."""
        return self._tag

    @property
    def tlvs(self) -> tuple[SRHTLV, ...]:
        """The TLVs after the Segment List (padding only when given or kept by ``parse``)."""
        return self._tlvs

    @property
    def next_header(self) -> int:
        """The Next Header octet (the kernel overwrites it when sending)."""
        return self._next_header

    @property
    def autopad(self) -> bool:
        """Whether ``bytes()`` aligns the TLVs itself (False: the caller's layout)."""
        return self._autopad

    def __bytes__(self) -> bytes:
        return self._wire

    def __len__(self) -> int:
        return len(self._wire)

    @classmethod
    def parse(cls, data: bytes, keep_padding: bool = False) -> SegmentRoutingHeader:
        """Read one whole SRH.  Padding TLVs are dropped unless ``keep_padding``
        (then ``bytes(SegmentRoutingHeader.parse(data, keep_padding=True)) == data``).

        :class:`MalformedError` for a wrong routing type, a Last Entry or
        Segments Left beyond the Segment List (RFC 8754 section 4.3.1.1), or a
        TLV running past the header (section 2.1).
        """
        buf = _check_size(data, cls.__name__)
        nh, _, t, sl, le, flags, tag = _SRH_HEAD.unpack_from(buf)
        if t != 4:
            raise MalformedError(f"routing type {t} is not 4 (SRH)", 2)
        tlv_start = 8 + 16 * (le + 1)
        if tlv_start > len(buf):
            raise MalformedError(f"Last Entry {le} needs {tlv_start} octets, the header has {len(buf)}", 4)
        if sl > le + 1:
            raise MalformedError(f"Segments Left {sl} exceeds Last Entry + 1 = {le + 1}", 3)
        tlvs = _parse_tlvs(buf, tlv_start, keep_padding)
        return cls(_address_list(buf[8:tlv_start]), sl, None, flags, tag, tlvs, nh, not keep_padding)

    def _key(self) -> tuple[Any, ...]:
        return (self._segments, self._segments_left, None, self._flags, self._tag, self._tlvs,
                self._next_header, self._autopad)

    def __repr__(self) -> str:
        args = [repr([str(a) for a in self._segments])]
        if self._segments_left != len(self._segments) - 1:
            args.append(f"segments_left={self._segments_left}")
        if self._flags:
            args.append(f"flags={self._flags:#04x}")
        if self._tag:
            args.append(f"tag={self._tag}")
        if self._tlvs:
            args.append(f"tlvs={list(self._tlvs)!r}")
        if self._next_header != NO_NEXT_HEADER:
            args.append(f"next_header={self._next_header}")
        if not self._autopad:
            args.append("autopad=False")
        return f"SegmentRoutingHeader({', '.join(args)})"


_PARSERS: dict[int, Any] = {0: RoutingHeader.parse, 2: RoutingHeader.parse, 4: SegmentRoutingHeader.parse}


def parse_routing_header(data: bytes) -> AnyRoutingHeader:
    """Read one whole routing header and return the class its Routing Type calls for.

    Types 0 and 2 give :class:`RoutingHeader`, 4 :class:`SegmentRoutingHeader`
    (padding TLVs dropped), any other :class:`UnknownRoutingHeader`.
    :class:`MalformedError` for bytes that are not a routing header.
    """
    buf = _as_bytes(data, "data")
    if len(buf) < 3:
        raise MalformedError(f"a routing header needs at least 8 octets, got {len(buf)}", len(buf))
    return _PARSERS.get(buf[2], UnknownRoutingHeader.parse)(buf)  # type: ignore[no-any-return]
