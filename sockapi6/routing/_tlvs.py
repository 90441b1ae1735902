"""The TLVs of a Segment Routing Header (RFC 8754 section 2.1)."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import mark, octets, u32
from .._tlv import NO_ALIGNMENT, TLV, Pad1Mixin, PadNMixin, TLVFormat, data_field, paddings, tlv_type
from .._wire import REQUIRED, field

if TYPE_CHECKING:
    from typing import Any

__all__ = ["HMACTLV", "SRHTLV", "SRH_TLVS", "SRHPad1", "SRHPadN"]

_HMAC_HEAD = struct.Struct("!BxI")


def _hmac(value: Any) -> bytes:
    mac = octets(value, "hmac")
    if len(mac) % 8 or len(mac) > 32:
        raise ValueError(f"hmac must be a multiple of 8 octets, at most 32, not {len(mac)}")
    return mac


class SRHTLV(TLV):
    """One TLV of a Segment Routing Header (RFC 8754 section 2.1): ``SRHTLV(type, data)``.

    Types 0 (Pad1) and 4 (PadN) have classes of their own; ``parse`` gives
    :class:`HMACTLV` for a well-formed type 5 and ``SRHTLV`` for the rest.
    ``mutable`` is the type's high-order bit (the data may change en route).
    Equality is by the wire bytes of the TLV: ``SRHTLV(5, bytes(6)) ==
    HMACTLV(0, b"")``.
    """

    __slots__ = ()
    _KIND = "SRH TLV"
    _PADN_TYPE = 4
    _PADS = "SRHPad1() / SRHPadN(n)"
    type: int = field("", tlv_type(4, "SRH TLV", "SRHPad1() / SRHPadN(n)"), REQUIRED,
                      "the 8-bit TLV type (0 and 4 are Pad1 and PadN)")
    data: bytes = field("", data_field, b"", "the 0..255 data octets")

    def _get_type(self) -> int:
        return self._type

    def _get_data(self) -> bytes:
        return self._data

    def _assemble(self, *values: Any) -> None:
        self._set(values[0], values[1], NO_ALIGNMENT)

    @property
    def mutable(self) -> bool:
        """Whether the data may change en route: the type's high-order bit (RFC 8754 section 2.1)."""
        return bool(self._type & 0x80)


class SRHPad1(Pad1Mixin, SRHTLV):
    """The one-octet Pad1 TLV (RFC 8754 section 2.1.1.1).  Linux refuses an SRH holding one."""

    __slots__ = ()


class SRHPadN(PadNMixin, SRHTLV):
    """The PadN TLV (RFC 8754 section 2.1.1.2): ``SRHPadN(n)``, n zero octets (0..5 per the RFC).

    ``SRHPadN(data)`` keeps given octets, as ``parse(..., keep_padding=True)`` does.
    """

    __slots__ = ()


class HMACTLV(SRHTLV):
    """The HMAC TLV, type 5, alignment 8n (RFC 8754 section 2.1.2).

    ``key_id`` is the 32-bit HMAC Key ID, ``hmac`` the HMAC field (a multiple
    of 8 octets, at most 32), ``d_flag`` the D bit (Destination Address
    verification disabled, for a reduced Segment List).  Its length being a
    multiple of 8, aligning its start on 8n aligns its end too.
    """

    __slots__ = ()
    TYPE = 5
    ALIGN = (8, 0)
    key_id: int = field("", u32, REQUIRED, "the 32-bit HMAC Key ID")
    hmac: bytes = field("", mark(_hmac, "hmac"), REQUIRED,
                        "the HMAC field: a multiple of 8 octets, at most 32")
    d_flag: bool = field("", bool, False, "the D bit: Destination Address verification disabled",
                         quiet=True)
    _fields = ("key_id", "hmac", "d_flag")

    def _assemble(self, *values: Any) -> None:
        key_id, mac, d_flag = values
        self._set(5, _HMAC_HEAD.pack(0x80 if d_flag else 0, key_id) + mac, (8, 0))

    @classmethod
    def _accepts(cls, data: bytes) -> bool:
        """Only what this class re-encodes the same: reserved bits clear, an HMAC of 0..32 octets in 8s."""
        n = len(data)
        return 6 <= n <= 38 and (n - 6) % 8 == 0 and data[0] & 0x7F == 0 and data[1] == 0

    def _get_key_id(self) -> int:
        return int(_HMAC_HEAD.unpack_from(self._data)[1])

    def _get_hmac(self) -> bytes:
        return self._data[6:]

    def _get_d_flag(self) -> bool:
        return bool(self._data[0] & 0x80)


#: SRH TLVs: padding by PadN (type 4) only, as Linux refuses Pad1 (RFC 8754 section 2.1.1)
SRH_TLVS = TLVFormat(SRHTLV, SRHPad1, SRHPadN, (HMACTLV,), paddings(4, pad1=False))
