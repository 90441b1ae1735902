"""The upper-layer checksum of IPv6 (RFC 8200 section 8.1, RFC 1071): the package's one implementation.

ICMPv6 (RFC 4443 section 2.3) and the Mobility Header (RFC 6275 section
6.1.1) both sum the IPv6 pseudo-header and the message with its checksum
field taken as zero; :func:`upper_layer_checksum` does that for both.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from ._convert import address, u8
from .errors import MalformedError

if TYPE_CHECKING:
    from ._convert import AddressLike

__all__ = ["internet_checksum", "pseudo_header", "upper_layer_checksum"]


def pseudo_header(src: AddressLike, dst: AddressLike, length: int, next_header: int) -> bytes:
    """The IPv6 pseudo-header of RFC 8200 section 8.1 for an upper-layer packet of ``length`` bytes."""
    if not 0 <= length <= 0xFFFFFFFF:
        raise ValueError(f"upper-layer length {length} out of range")
    return address(src).packed + address(dst).packed + struct.pack("!I3xB", length, u8(next_header))


def internet_checksum(data: bytes) -> int:
    """The 16-bit one's complement of the one's complement sum of ``data`` (RFC 1071)."""
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return int(~total & 0xFFFF)


def upper_layer_checksum(src: AddressLike, dst: AddressLike, data: bytes, next_header: int,
                         field: int) -> int:
    """Checksum of ``data`` (with its 2-byte checksum at ``field`` taken as zero) and the pseudo-header."""
    raw = bytes(data)
    if len(raw) < field + 2:
        raise MalformedError(f"message of {len(raw)} bytes has no checksum field at offset {field}")
    zeroed = raw[:field] + b"\x00\x00" + raw[field + 2:]
    return internet_checksum(pseudo_header(src, dst, len(raw), next_header) + zeroed)
