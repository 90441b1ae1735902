"""The TLVs of a Segment Routing Header (RFC 8754 section 2.1)."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import int_in, octets
from .._tlv import NO_ALIGNMENT, TLV, Pad1Mixin, PadNMixin, TLVFormat, paddings

if TYPE_CHECKING:
    from typing import Any

__all__ = ["HMACTLV", "SRHTLV", "SRH_TLVS", "SRHPad1", "SRHPadN"]

_HMAC_HEAD = struct.Struct("!BxI")


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

    def __init__(self, type: int, data: bytes = b"") -> None:
        t, d = self._checked(type, data)
        self._set(t, d, NO_ALIGNMENT)

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

    def __init__(self, key_id: int, hmac: bytes, d_flag: bool = False) -> None:
        kid = int_in(key_id, 0, 0xFFFFFFFF, "routing.HMACTLV: key_id")
        mac = octets(hmac, "routing.HMACTLV: hmac")
        if len(mac) % 8 or len(mac) > 32:
            raise ValueError(f"routing.HMACTLV: hmac must be a multiple of 8 octets, at most 32, "
                             f"not {len(mac)}")
        self._set(5, _HMAC_HEAD.pack(0x80 if d_flag else 0, kid) + mac, (8, 0))

    @classmethod
    def _accepts(cls, data: bytes) -> bool:
        """Only what this class re-encodes the same: reserved bits clear, an HMAC of 0..32 octets in 8s."""
        n = len(data)
        return 6 <= n <= 38 and (n - 6) % 8 == 0 and data[0] & 0x7F == 0 and data[1] == 0

    @property
    def key_id(self) -> int:
        """The HMAC Key ID."""
        return int(_HMAC_HEAD.unpack_from(self._data)[1])

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


#: SRH TLVs: padding by PadN (type 4) only, as Linux refuses Pad1 (RFC 8754 section 2.1.1)
SRH_TLVS = TLVFormat(SRHTLV, SRHPad1, SRHPadN, (HMACTLV,), paddings(4, pad1=False))
