"""Mobility options (RFC 6275 section 6.2): type-length-value items after a message's fixed fields.

``class X(MobilityOption, number=N)`` makes ``X`` the class
:func:`parse_options` uses for option type ``N``.  An option with a fixed
layout names its fields in ``_body``/``_body_fields`` and must have exactly
that Option Length; a variable one keeps its Option Data in the ``_tail``
field.  :func:`align` inserts the Pad1/PadN that section 6.2 requires.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._checks import check_span
from .._convert import address, octets, u8, u16
from .._wire import Typed
from ..errors import MalformedError

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, ClassVar, Optional

__all__ = [
    "MobilityOption", "Pad1", "PadN", "BindingRefreshAdvice", "AlternateCareofAddress", "NonceIndices",
    "BindingAuthorizationData", "UnknownMobilityOption", "parse_options",
]


class MobilityOption(Typed):
    """A mobility option: ``bytes(opt)`` is its type-length-value encoding (RFC 6275 6.2.1).

    ``ALIGN = (n, k)`` is the alignment requirement ``n*x + k`` from the start of the header.
    """

    __slots__ = ()
    _registry: ClassVar[dict[int, type[Any]]] = {}
    ALIGN: ClassVar[tuple[int, int]] = (1, 0)
    PADDING: ClassVar[bool] = False

    def _check(self) -> None:
        if len(self.data()) > 255:
            raise ValueError(f"{type(self).__name__} option data is at most 255 octets")

    def data(self) -> bytes:
        """The Option Data field."""
        return self._pack_body()

    def __bytes__(self) -> bytes:
        payload = self.data()
        return bytes((self.type, len(payload))) + payload

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> MobilityOption:
        """Build from the Option Data ``data`` of the option at ``offset``."""
        if cls._tail:
            return cls(**cls._unpack_body(data, 0), **{cls._tail: data[cls._body.size:]})
        if len(data) != cls._body.size:
            raise MalformedError(f"{cls.__name__} option has Option Length {len(data)}, expected "
                                 f"{cls._body.size}", offset)
        return cls(**cls._unpack_body(data, 0))


class Pad1(MobilityOption, number=0):
    """One octet of padding (RFC 6275 6.2.2)."""

    __slots__ = ()
    PADDING = True

    def __bytes__(self) -> bytes:
        return b"\x00"


class PadN(MobilityOption, number=1):
    """Two or more octets of padding; ``padding`` is the Option Data (zeros when sent, RFC 6275 6.2.3)."""

    __slots__ = ("padding",)
    PADDING = True
    _tail = "padding"
    _fields = ("padding",)
    _defaults: ClassVar[dict[str, Any]] = {"padding": b""}
    _convert: ClassVar[dict[str, Any]] = {"padding": octets}
    padding: bytes


class BindingRefreshAdvice(MobilityOption, number=2):
    """Binding Refresh Advice: ``interval`` in units of 4 seconds (RFC 6275 6.2.4, alignment 2n)."""

    __slots__ = ("interval",)
    ALIGN = (2, 0)
    _body = struct.Struct("!H")
    _body_fields = _fields = ("interval",)
    _convert: ClassVar[dict[str, Any]] = {"interval": u16}
    interval: int


class AlternateCareofAddress(MobilityOption, number=3):
    """Alternate Care-of Address (RFC 6275 6.2.5, alignment 8n+6)."""

    __slots__ = ("address",)
    ALIGN = (8, 6)
    _body = struct.Struct("!16s")
    _body_fields = _fields = ("address",)
    _convert: ClassVar[dict[str, Any]] = {"address": address}
    address: IPv6Address


class NonceIndices(MobilityOption, number=4):
    """Nonce Indices: the home and care-of nonce indices (RFC 6275 6.2.6, alignment 2n)."""

    __slots__ = ("careof_nonce_index", "home_nonce_index")
    ALIGN = (2, 0)
    _body = struct.Struct("!HH")
    _body_fields = _fields = ("home_nonce_index", "careof_nonce_index")
    _convert: ClassVar[dict[str, Any]] = {"home_nonce_index": u16, "careof_nonce_index": u16}
    home_nonce_index: int
    careof_nonce_index: int


class BindingAuthorizationData(MobilityOption, number=5):
    """Binding Authorization Data: the authenticator (RFC 6275 6.2.7, last option, 8n+2)."""

    __slots__ = ("authenticator",)
    ALIGN = (8, 2)
    _tail = "authenticator"
    _fields = ("authenticator",)
    _convert: ClassVar[dict[str, Any]] = {"authenticator": octets}
    authenticator: bytes


class UnknownMobilityOption(MobilityOption):
    """An option of a type this module does not know, kept as received (RFC 6275 6.2.1)."""

    __slots__ = ("type", "value")
    _tail = "value"
    _fields = ("type", "value")
    _defaults: ClassVar[dict[str, Any]] = {"value": b""}
    _convert: ClassVar[dict[str, Any]] = {"type": u8, "value": octets}
    type: int
    value: bytes

    def _check(self) -> None:
        self._check_unregistered("option type")
        super()._check()


def _padding(size: int) -> MobilityOption:
    return Pad1() if size == 1 else PadN(bytes(size - 2))


def align(options: tuple[MobilityOption, ...], start: int) -> tuple[MobilityOption, ...]:
    """Insert Pad1/PadN where an option's alignment or the 8-octet total needs them (RFC 6275 6.2)."""
    out: list[MobilityOption] = []
    offset = start
    for opt in options:
        if not opt.PADDING:
            mult, rem = opt.ALIGN
            gap = (rem - offset) % mult
            if gap:
                out.append(_padding(gap))
                offset += gap
        out.append(opt)
        offset += len(opt)
    gap = (-offset) % 8
    if gap:
        out.append(_padding(gap))
    return tuple(out)


def parse_options(data: bytes, start: int = 0, end: Optional[int] = None) -> tuple[MobilityOption, ...]:
    """Read the mobility options in ``data[start:end]`` (RFC 6275 6.2); offsets in errors count from 0."""
    raw, start, stop = check_span(data, start, end)
    out: list[MobilityOption] = []
    offset = start
    while offset < stop:
        kind = raw[offset]
        if kind == 0:
            out.append(Pad1())
            offset += 1
            continue
        if offset + 2 > stop:
            raise MalformedError(f"mobility option type {kind} has no room for its Option Length", offset)
        size = raw[offset + 1]
        if offset + 2 + size > stop:
            raise MalformedError(f"mobility option type {kind} with Option Length {size} overruns "
                                 f"the Mobility Header ending at offset {stop}", offset)
        body = raw[offset + 2:offset + 2 + size]
        cls = MobilityOption._registry.get(kind)
        out.append(cls._from_data(body, offset) if cls is not None else UnknownMobilityOption(kind, body))
        offset += 2 + size
    return tuple(out)
