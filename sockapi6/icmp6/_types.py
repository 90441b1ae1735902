"""ICMPv6 message types as an enum, and which code enum goes with each (RFC 4443 section 2.1; IANA).

Used where a number arrives without its message: the ``type``/``code`` of a
queued error (``ancillary.ExtendedError``), a filter, a log line.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from ._messages import ParameterProblemCode, TimeExceededCode, UnreachableCode

if TYPE_CHECKING:
    from typing import Optional, Union

__all__ = ["ICMPv6Type", "code_enum"]


class ICMPv6Type(IntEnum):
    """ICMPv6 message types (IANA "ICMPv6 Parameters"; RFC 4443, 4861, 2710, 3810, 6275, 8335)."""

    DESTINATION_UNREACHABLE = 1
    PACKET_TOO_BIG = 2
    TIME_EXCEEDED = 3
    PARAMETER_PROBLEM = 4
    ECHO_REQUEST = 128
    ECHO_REPLY = 129
    MLD_QUERY = 130
    MLD_REPORT = 131
    MLD_DONE = 132
    ROUTER_SOLICITATION = 133
    ROUTER_ADVERTISEMENT = 134
    NEIGHBOR_SOLICITATION = 135
    NEIGHBOR_ADVERTISEMENT = 136
    REDIRECT = 137
    ROUTER_RENUMBERING = 138
    NODE_INFORMATION_QUERY = 139
    NODE_INFORMATION_REPLY = 140
    INVERSE_NEIGHBOR_SOLICITATION = 141
    INVERSE_NEIGHBOR_ADVERTISEMENT = 142
    MLDV2_REPORT = 143
    HOME_AGENT_DISCOVERY_REQUEST = 144
    HOME_AGENT_DISCOVERY_REPLY = 145
    MOBILE_PREFIX_SOLICITATION = 146
    MOBILE_PREFIX_ADVERTISEMENT = 147
    CERTIFICATION_PATH_SOLICITATION = 148
    CERTIFICATION_PATH_ADVERTISEMENT = 149
    MULTICAST_ROUTER_ADVERTISEMENT = 151
    MULTICAST_ROUTER_SOLICITATION = 152
    MULTICAST_ROUTER_TERMINATION = 153
    RPL_CONTROL = 155
    EXTENDED_ECHO_REQUEST = 160
    EXTENDED_ECHO_REPLY = 161


#: the code enum of each error type (RFC 4443 sections 3.1, 3.3, 3.4)
_CODES: dict[int, type[IntEnum]] = {
    ICMPv6Type.DESTINATION_UNREACHABLE: UnreachableCode,
    ICMPv6Type.TIME_EXCEEDED: TimeExceededCode,
    ICMPv6Type.PARAMETER_PROBLEM: ParameterProblemCode,
}


def code_enum(icmp_type: int) -> Optional[type[IntEnum]]:
    """The enum of ``icmp_type``'s codes (``UnreachableCode`` for 1, ...), or None where codes are unnamed."""
    return _CODES.get(icmp_type)


def typed(icmp_type: int, code: int) -> tuple[Union[ICMPv6Type, int], Union[IntEnum, int]]:
    """``(type, code)`` as enum members where they have names, plain ints otherwise."""
    try:
        kind: Union[ICMPv6Type, int] = ICMPv6Type(icmp_type)
    except ValueError:
        kind = icmp_type
    codes = _CODES.get(icmp_type)
    if codes is not None:
        try:
            return kind, codes(code)
        except ValueError:
            pass
    return kind, code
