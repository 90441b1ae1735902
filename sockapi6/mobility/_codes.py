"""Mobility Header numbers: protocol, flags and status codes (RFC 6275 sections 6.1.7-6.1.9, RFC 4584 4.2).

The enums hold wire (network-order) values, as read with ``struct``'s
``!``; the C names ``IP6_MH_BU_*`` hold the value that compares against the
16-bit field as a C program on this host reads it without ``ntohs``
(glibc/KAME style).
"""

from __future__ import annotations

import sys
from enum import IntEnum, IntFlag

# the Mobility Header's protocol number (RFC 6275 6.1); Payload Proto of a Mobility Header that carries
# no payload (RFC 6275 6.1.1); the Home Address destination option (RFC 6275 6.3): from cdefs/common.h
from .._numbers import IP6OPT_HOME_ADDRESS as IP6OPT_HOME_ADDRESS
from .._numbers import IPPROTO_MH as IPPROTO_MH
from .._numbers import IPPROTO_NONE as IPPROTO_NONE

__all__ = [
    "BUFlag", "BAFlag", "BAStatus", "BEStatus", "IP6_MH_BU_ACK", "IP6_MH_BU_HOME", "IP6_MH_BU_LLOCAL",
    "IP6_MH_BU_KEYM",
]


class BUFlag(IntFlag):
    """Binding Update flags, the 16-bit field in network order (RFC 6275 6.1.7)."""

    ACK = 0x8000
    HOME = 0x4000
    LINK_LOCAL = 0x2000
    KEY_MANAGEMENT = 0x1000


class BAFlag(IntFlag):
    """Binding Acknowledgement flags, one byte (RFC 6275 6.1.8)."""

    KEY_MANAGEMENT = 0x80


class BAStatus(IntEnum):
    """Binding Acknowledgement status codes (RFC 6275 6.1.8, RFC 4584 4.2 ``IP6_MH_BAS_*``)."""

    ACCEPTED = 0
    PREFIX_DISCOVERY = 1
    UNSPECIFIED = 128
    PROHIBITED = 129
    INSUFFICIENT_RESOURCES = 130
    HOME_REGISTRATION_NOT_SUPPORTED = 131
    NOT_HOME_SUBNET = 132
    NOT_HOME_AGENT = 133
    DAD_FAILED = 134
    SEQUENCE_OUT_OF_WINDOW = 135
    HOME_NONCE_EXPIRED = 136
    CAREOF_NONCE_EXPIRED = 137
    NONCES_EXPIRED = 138
    REGISTRATION_TYPE_CHANGE = 139


class BEStatus(IntEnum):
    """Binding Error status codes (RFC 6275 6.1.9, ``IP6_MH_BES_*``)."""

    UNKNOWN_HOME_ADDRESS = 1
    UNKNOWN_MH_TYPE = 2


def _host16(value: int) -> int:
    return int.from_bytes(value.to_bytes(2, "big"), sys.byteorder)


#: C names of the Binding Update flags, valued for a test on the raw field as read on this host
IP6_MH_BU_ACK = _host16(BUFlag.ACK)
IP6_MH_BU_HOME = _host16(BUFlag.HOME)
IP6_MH_BU_LLOCAL = _host16(BUFlag.LINK_LOCAL)
IP6_MH_BU_KEYM = _host16(BUFlag.KEY_MANAGEMENT)
