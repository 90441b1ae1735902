"""DHCP Unique Identifiers (RFC 8415 section 11; DUID-UUID from RFC 6355).

A DUID is a 2-octet type and up to 128 octets of identifier (RFC 8415
11.1).  :class:`DUIDLLT` (type 1), :class:`DUIDEN` (2), :class:`DUIDLL` (3)
and :class:`DUIDUUID` (4) name their fields; other types are kept as
:class:`UnknownDUID`.  :func:`parse_duid` reads one back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import fixed_octets, octets, u16, u32
from .._wire import REQUIRED, Typed, field
from ..errors import MalformedError

if TYPE_CHECKING:
    from typing import Any, ClassVar

__all__ = ["DUID", "DUIDLLT", "DUIDEN", "DUIDLL", "DUIDUUID", "UnknownDUID", "parse_duid", "MAX_DUID"]

#: the longest DUID, type included (RFC 8415 11.1: up to 128 octets after the type)
MAX_DUID = 130


class DUID(Typed):
    """A DUID: ``bytes(duid)`` is its type then its fields (RFC 8415 11.1)."""

    __slots__ = ()
    _registry: ClassVar[dict[int, type[Any]]] = {}

    def __bytes__(self) -> bytes:
        return self.type.to_bytes(2, "big") + self._pack_body()

    def _check(self) -> None:
        self._wire_type()  # the family's base has no type of its own: TypeError
        if len(self._pack_body()) > MAX_DUID - 2:
            raise ValueError(f"{type(self).__name__}: a DUID holds at most 128 octets after its type "
                             "(RFC 8415 11.1)")

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> DUID:
        """Build from the octets after the DUID type (``offset``: where the DUID starts)."""
        if cls._tail:
            if len(data) < cls._body.size:
                raise MalformedError(f"{cls.__name__} needs at least {2 + cls._body.size} octets, "
                                     f"got {2 + len(data)}", offset)
            return cls(**cls._unpack_body(data, 0), **{cls._tail: data[cls._body.size:]})
        if len(data) != cls._body.size:
            raise MalformedError(f"{cls.__name__} is {2 + cls._body.size} octets, got {2 + len(data)}",
                                 offset)
        return cls(**cls._unpack_body(data, 0))


class DUIDLLT(DUID, number=1):
    """DUID-LLT: hardware type, time (seconds since 2000-01-01 UTC, mod 2**32), link-layer address
    (RFC 8415 11.2)."""

    __slots__ = ()
    hardware_type: int = field("H", u16, REQUIRED, "the IANA hardware type of the link-layer address")
    time: int = field("I", u32, REQUIRED, "seconds since 2000-01-01 00:00 UTC, modulo 2**32")
    link_layer_address: bytes = field("*", octets, REQUIRED, "the link-layer address")


class DUIDEN(DUID, number=2):
    """DUID-EN: a vendor's enterprise number and its identifier (RFC 8415 11.3)."""

    __slots__ = ()
    enterprise_number: int = field("I", u32, REQUIRED, "the vendor's IANA private enterprise number")
    identifier: bytes = field("*", octets, REQUIRED, "the vendor's identifier")


class DUIDLL(DUID, number=3):
    """DUID-LL: hardware type and link-layer address (RFC 8415 11.4)."""

    __slots__ = ()
    hardware_type: int = field("H", u16, REQUIRED, "the IANA hardware type of the link-layer address")
    link_layer_address: bytes = field("*", octets, REQUIRED, "the link-layer address")


class DUIDUUID(DUID, number=4):
    """DUID-UUID: a 16-octet UUID (RFC 6355 4)."""

    __slots__ = ()
    uuid: bytes = field("16s", fixed_octets(16), REQUIRED, "the 16 octets of the UUID")


class UnknownDUID(DUID):
    """A DUID of a type this module does not name, its identifier kept as octets."""

    __slots__ = ()
    _type_field = "duid_type"
    duid_type: int = field("", u16, REQUIRED, "the 2-octet DUID type")
    identifier: bytes = field("*", octets, b"", "the octets after the type")

    def _check(self) -> None:
        if self.type in self._registry:
            raise ValueError(f"duid_type: DUID type {self.type} has its own class")
        super()._check()


def parse_duid(data: Any, offset: int = 0) -> DUID:
    """Read one DUID that fills ``data`` (RFC 8415 11.1); ``offset`` places errors in a message."""
    raw = octets(data)
    if len(raw) < 2:
        raise MalformedError(f"a DUID is at least 2 octets, got {len(raw)}", offset)
    if len(raw) > MAX_DUID:
        raise MalformedError(f"a DUID is at most {MAX_DUID} octets, got {len(raw)} (RFC 8415 11.1)", offset)
    kind = int.from_bytes(raw[:2], "big")
    cls = DUID._registry.get(kind)
    if cls is None:
        return UnknownDUID(kind, raw[2:])
    return cls._from_data(raw[2:], offset)  # type: ignore[no-any-return]
