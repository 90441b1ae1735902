"""The DNS options of Router Advertisements: RDNSS and DNSSL (RFC 8106 section 5).

Both carry 16 reserved bits, a lifetime in seconds (:data:`INFINITY` by
default) and a list: server addresses, or domain names encoded as in
RFC 1035 section 3.1 without compression.  A name with non-ASCII labels is
kept in its ASCII form (IDNA, RFC 3490, with Python's ``"idna"`` codec):
``DNSSearchList(["bücher.example"]).domains == ("xn--bcher-kva.example",)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import addresses, u32
from .._wire import REQUIRED, field
from ..errors import MalformedError
from ._options import INFINITY, NDOption, _Reserved16

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any

__all__ = ["RecursiveDNSServer", "DNSSearchList"]

#: the most addresses an RDNSS option holds: (2040 - 8) / 16 (RFC 8106 5.1, RFC 4861 4.6)
MAX_SERVERS = 127


class _Lifetime(_Reserved16):
    """RDNSS and DNSSL: reserved bits, a lifetime in seconds, then a list (RFC 8106 5.1-5.2)."""

    lifetime: int = field("I", u32, INFINITY, "seconds the list may be used (:data:`INFINITY`: forever, "
                          "0: stop using it)")


def _servers(value: Any) -> tuple[IPv6Address, ...]:
    found = addresses(value, "servers")
    if not found:
        raise ValueError("an RDNSS option carries at least one address (RFC 8106 5.1)")
    if len(found) > MAX_SERVERS:
        raise ValueError(f"{len(found)} addresses do not fit one option: at most {MAX_SERVERS} "
                         "(RFC 8106 5.1); send several options")
    return found


class RecursiveDNSServer(_Lifetime, number=25):
    """RDNSS: DNS server addresses and their lifetime in seconds (RFC 8106 5.1)."""

    servers: tuple[IPv6Address, ...] = field("*", _servers, REQUIRED, "the DNS servers' addresses, "
                                             f"1 to {MAX_SERVERS}")

    @classmethod
    def _tail_values(cls, tail: bytes, offset: int) -> dict[str, Any]:
        if not tail or len(tail) % 16:
            raise MalformedError(f"RDNSS option has {len(tail)} octets of addresses, not a positive "
                                 "multiple of 16 (Length must be odd and at least 3)", offset)
        return {"servers": [tail[i:i + 16] for i in range(0, len(tail), 16)]}


def _label(label: str, name: str) -> bytes:
    """One label's octets: ASCII as it is, other text through IDNA (RFC 3490 ToASCII)."""
    try:
        raw = label.encode("ascii")
    except UnicodeEncodeError:
        try:
            raw = label.encode("idna")
        except UnicodeError as exc:
            raise ValueError(f"label {label!r} of {name!r} is not ASCII and IDNA cannot encode it "
                             f"({exc})") from None
    if not 1 <= len(raw) <= 63:
        raise ValueError(f"label {label!r} of {name!r} must be 1 to 63 octets (RFC 1035 2.3.4)")
    return raw


def _domain(value: Any) -> str:
    """A domain name as ASCII text without the trailing dot; 255 octets encoded at most (RFC 1035 3.1)."""
    if not isinstance(value, str):
        raise TypeError(f"a domain name is text, not {type(value).__name__}")
    name = value.rstrip(".")
    if not name:
        raise ValueError("a search domain is not empty (RFC 8106 5.2)")
    labels = [_label(label, value) for label in name.split(".")]
    if sum(len(raw) + 1 for raw in labels) + 1 > 255:
        raise ValueError(f"domain name {value!r} is longer than 255 octets (RFC 1035 3.1)")
    return ".".join(raw.decode("ascii") for raw in labels)


def _encode_name(name: str) -> bytes:
    """``name`` (ASCII, checked by :func:`_domain`) as length-prefixed labels and the root label."""
    out = bytearray()
    for label in name.split("."):
        out.append(len(label))
        out += label.encode("ascii")
    out.append(0)
    return bytes(out)


def _domains(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError("expected a sequence of domain names, not one name")
    try:
        items = tuple(value)
    except TypeError:
        raise TypeError(f"expected a sequence of domain names, not {type(value).__name__}") from None
    if not items:
        raise ValueError("a DNSSL option carries at least one domain name (RFC 8106 5.2)")
    return tuple([_domain(v) for v in items])


def _padding(value: Any) -> Any:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"padding is an int or None, not {type(value).__name__}")
    return value


class DNSSearchList(_Lifetime, number=31):
    """DNSSL: search domains and their lifetime in seconds (RFC 8106 5.2).

    ``padding`` is the number of zero octets after the last name; ``None``
    (the default) means the fewest that reach the 8-octet boundary.
    """

    domains: tuple[str, ...] = field("*", _domains, REQUIRED, "the search domains, as ASCII text "
                                     "(non-ASCII labels are IDNA-encoded)")
    padding: int = field("", _padding, None, "zero octets after the last name: None for the fewest "
                         "that reach the 8-octet boundary", quiet=True)
    _fields = ("domains", "lifetime", "reserved", "padding")

    def _check(self) -> None:
        minimal = self._minimal()
        pad = minimal if self.padding is None else self.padding
        if pad < 0 or pad % 8 != minimal:
            raise ValueError(f"padding must be {minimal} plus a multiple of 8, got {pad}")
        _PADDING_SET(self, pad)

    def _names(self) -> bytes:
        return b"".join([_encode_name(d) for d in self.domains])

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
            start = pos
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
            if pos - start > 255:
                raise MalformedError("DNSSL domain name is longer than 255 octets", offset + start)
            names.append(".".join(labels))
        if any(tail[pos:]):
            raise MalformedError("DNSSL padding after the last name is not all zeros", offset + pos)
        if not names:
            raise MalformedError("DNSSL option carries no domain name", offset)
        return {"domains": tuple(names), "padding": len(tail) - pos}

    @classmethod
    def _from_data(cls, data: bytes, offset: int, wire: bytes) -> NDOption:
        try:
            return super()._from_data(data, offset, wire)
        except ValueError as exc:
            if isinstance(exc, MalformedError):
                raise
            raise MalformedError(f"DNSSL option: {exc}", offset) from None


_PADDING_SET = DNSSearchList.padding.__set__  # type: ignore[attr-defined]
