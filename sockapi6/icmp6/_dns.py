"""The DNS options of Router Advertisements: RDNSS and DNSSL (RFC 8106 section 5).

Both carry 16 reserved bits, a lifetime in seconds (:data:`INFINITY` by
default) and a list: server addresses, or domain names encoded as in
RFC 1035 section 3.1 without compression.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import addresses, u32
from ..errors import MalformedError
from ._options import INFINITY, NDOption, _Reserved16

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, ClassVar

__all__ = ["RecursiveDNSServer", "DNSSearchList"]


class _Lifetime(_Reserved16):
    """RDNSS and DNSSL: reserved bits, a lifetime in seconds, then a list (RFC 8106 5.1-5.2)."""

    __slots__ = ("lifetime",)
    _body_fields = ("reserved", "lifetime")
    _defaults: ClassVar[dict[str, Any]] = {"lifetime": INFINITY}
    _convert: ClassVar[dict[str, Any]] = {"lifetime": u32}
    lifetime: int


class RecursiveDNSServer(_Lifetime, number=25):
    """RDNSS: DNS server addresses and their lifetime in seconds (RFC 8106 5.1)."""

    __slots__ = ("servers",)
    _tail = "servers"
    _fields = ("servers", "lifetime", "reserved")
    _convert: ClassVar[dict[str, Any]] = {"servers": addresses}
    servers: tuple[IPv6Address, ...]

    def _check(self) -> None:
        if not self.servers:
            raise ValueError("an RDNSS option carries at least one address (RFC 8106 5.1)")

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int) -> dict[str, Any]:
        if not tail or len(tail) % 16:
            raise MalformedError(f"RDNSS option has {len(tail)} octets of addresses, not a positive "
                                 "multiple of 16 (Length must be odd and at least 3)", offset)
        return {"servers": [tail[i:i + 16] for i in range(0, len(tail), 16)]}


def _domain(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a domain name is text, got {type(value).__name__}")
    name = value.rstrip(".")
    encoded = _encode_name(name)
    if len(encoded) > 255:
        raise ValueError(f"domain name {value!r} is longer than 255 octets")
    return name


def _encode_name(name: str) -> bytes:
    out = bytearray()
    for label in name.split(".") if name else ():
        raw = label.encode("ascii")
        if not 1 <= len(raw) <= 63:
            raise ValueError(f"label {label!r} of {name!r} must be 1 to 63 octets")
        out.append(len(raw))
        out += raw
    out.append(0)
    return bytes(out)


def _domains(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError("expected a sequence of domain names, not one name")
    return tuple(_domain(v) for v in value)


class DNSSearchList(_Lifetime, number=31):
    """DNSSL: search domains and their lifetime in seconds (RFC 8106 5.2).

    ``padding`` is the number of zero octets after the last name; ``None``
    (the default) means the fewest that reach the 8-octet boundary.
    """

    __slots__ = ("domains", "padding")
    _fields = ("domains", "lifetime", "reserved", "padding")
    _defaults: ClassVar[dict[str, Any]] = {"padding": None}
    _convert: ClassVar[dict[str, Any]] = {"domains": _domains}
    domains: tuple[str, ...]
    padding: int

    def _check(self) -> None:
        if not self.domains:
            raise ValueError("a DNSSL option carries at least one domain name (RFC 8106 5.2)")
        minimal = self._minimal()
        pad = minimal if self.padding is None else self.padding
        if isinstance(pad, bool) or not isinstance(pad, int):
            raise TypeError("padding is an int or None")
        if pad < 0 or pad % 8 != minimal:
            raise ValueError(f"padding must be {minimal} plus a multiple of 8, got {pad}")
        object.__setattr__(self, "padding", pad)

    def _names(self) -> bytes:
        return b"".join(_encode_name(d) for d in self.domains)

    def _minimal(self) -> int:
        return (-len(self._names())) % 8

    def _shown(self) -> tuple[str, ...]:
        shown = super()._shown()
        return tuple(f for f in shown if f != "padding") + (
            ("padding",) if self.padding != self._minimal() else ())

    def _tail_bytes(self) -> bytes:
        return self._names() + bytes(self.padding)

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int) -> dict[str, Any]:
        names: list[str] = []
        pos = 0
        while pos < len(tail) and tail[pos]:
            labels: list[str] = []
            while True:
                if pos >= len(tail):
                    raise MalformedError("DNSSL domain name runs past the end of the option", offset + pos)
                size = tail[pos]
                if size == 0:
                    pos += 1
                    break
                if size > 63:
                    raise MalformedError(f"DNSSL label length {size} is over 63 (compression is not "
                                         "allowed, RFC 8106 5.2)", offset + pos)
                if pos + 1 + size > len(tail):
                    raise MalformedError("DNSSL label runs past the end of the option", offset + pos)
                label = tail[pos + 1:pos + 1 + size]
                if not label.isascii() or b"." in label:
                    raise MalformedError("DNSSL label is not ASCII text without dots", offset + pos)
                labels.append(label.decode("ascii"))
                pos += 1 + size
            names.append(".".join(labels))
        if any(tail[pos:]):
            raise MalformedError("DNSSL padding after the last name is not all zeros", offset + pos)
        if not names:
            raise MalformedError("DNSSL option carries no domain name", offset)
        return {"domains": names, "padding": len(tail) - pos}

    @classmethod
    def _from_data(cls, data: bytes, offset: int) -> NDOption:
        try:
            return super()._from_data(data, offset)
        except ValueError as exc:
            if isinstance(exc, MalformedError):
                raise
            raise MalformedError(f"DNSSL option: {exc}", offset) from None
