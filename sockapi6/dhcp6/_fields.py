"""The field converters only DHCPv6 needs (24-bit ints, text, domain names), and the nesting limit.

The classes declare their fields with :func:`sockapi6._wire.field`, which
names class and field in errors (``dhcp6.IANA: iaid ...``).  Domain names
are encoded as RFC 1035 section 3.1 says, without compression
(RFC 8415 10): a name ending in ``.`` is fully qualified (its last label is
the zero-length root), one without is partial (RFC 4704 4.1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import int_in
from ..errors import MalformedError

if TYPE_CHECKING:
    from typing import Any

__all__ = ["u24", "text", "domain", "encode_domain", "decode_domains", "MAX_DEPTH", "deeper"]

#: how deeply options and relayed messages may nest before parsing gives up (RFC 8415 allows 8 relays)
MAX_DEPTH = 32


def deeper(depth: int, offset: int) -> int:
    """``depth + 1``; :class:`MalformedError` when that passes :data:`MAX_DEPTH`."""
    if depth >= MAX_DEPTH:
        raise MalformedError(f"options or relayed messages nest more than {MAX_DEPTH} deep", offset)
    return depth + 1


def u24(value: Any) -> int:
    """A 24-bit unsigned field (the transaction-id, RFC 8415 8)."""
    return int_in(value, 0, 0xFFFFFF, "24-bit field")


def text(value: Any) -> str:
    """UTF-8 text kept as ``str``; undecodable octets survive as surrogate escapes (PEP 383).

    The value is returned in its canonical form (encoded and decoded once),
    so two texts are equal exactly when their octets are.
    """
    if not isinstance(value, str):
        raise TypeError(f"expected text (str), not {type(value).__name__}")
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")
    except UnicodeEncodeError as exc:
        raise ValueError(f"text cannot be encoded as UTF-8: {exc.reason}") from None


def domain(value: Any) -> str:
    """A domain name as text: ASCII labels of 1 to 63 octets, 255 octets encoded at most.

    A trailing ``.`` marks a fully qualified name; ``""`` is the empty
    (partial) name and ``"."`` the root.
    """
    if not isinstance(value, str):
        raise TypeError(f"a domain name is text, not {type(value).__name__}")
    encode_domain(value)
    return value


def encode_domain(name: str) -> bytes:
    """RFC 1035 3.1 wire form of ``name``: a trailing ``.`` (fully qualified) adds the root label."""
    if name == ".":
        return b"\x00"
    qualified = name.endswith(".")
    body = name[:-1] if qualified else name
    out = bytearray()
    for label in body.split(".") if body else ():
        try:
            raw = label.encode("ascii")
        except UnicodeEncodeError:
            raise ValueError(f"label {label!r} of {name!r} is not ASCII") from None
        if not 1 <= len(raw) <= 63:
            raise ValueError(f"label {label!r} of {name!r} must be 1 to 63 octets")
        out.append(len(raw))
        out += raw
    if qualified:
        out.append(0)
    if len(out) > 255:
        raise ValueError(f"domain name {name!r} is longer than 255 octets")
    return bytes(out)


def decode_domains(data: bytes, offset: int, partial_last: bool) -> list[str]:
    """The names in ``data`` back to back (RFC 1035 3.1, no compression); ``offset`` places errors.

    Each name must end with the root label unless ``partial_last`` allows the
    last one not to (RFC 4704 4.1).
    """
    names: list[str] = []
    pos = 0
    while pos < len(data):
        labels: list[str] = []
        start = pos
        qualified = False
        while pos < len(data):
            size = data[pos]
            if size == 0:
                pos += 1
                qualified = True
                break
            if size > 63:
                raise MalformedError(f"label length {size} is over 63 (no compression in DHCPv6, "
                                     "RFC 8415 10)", offset + pos)
            if pos + 1 + size > len(data):
                raise MalformedError("a domain name label runs past the end of its option", offset + pos)
            label = data[pos + 1:pos + 1 + size]
            if not label.isascii() or b"." in label:
                raise MalformedError("a domain name label is not ASCII text without dots", offset + pos)
            labels.append(label.decode("ascii"))
            pos += 1 + size
        if not qualified and not partial_last:
            raise MalformedError("a domain name does not end with the root label", offset + start)
        if pos - start > 255:
            raise MalformedError("a domain name is longer than 255 octets", offset + start)
        name = ".".join(labels)
        names.append(name + "." if qualified else name)
    return names
