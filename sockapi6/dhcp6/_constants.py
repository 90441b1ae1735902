"""DHCPv6 numbers with their RFC names: ports, groups, message types, option codes, status codes.

RFC 8415 section 7 (addresses, ports, message types, status codes,
transmission constants) and the IANA "Dynamic Host Configuration Protocol
for IPv6 (DHCPv6)" registries (RFC 8415 section 24) for option codes, DUID
types and the Client FQDN flags of RFC 4704 section 4.1.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag
from ipaddress import IPv6Address

__all__ = [
    "CLIENT_PORT", "SERVER_PORT", "ALL_DHCP_RELAY_AGENTS_AND_SERVERS", "ALL_DHCP_SERVERS",
    "HOP_COUNT_LIMIT", "MessageType", "OptionCode", "Status", "DUIDType", "FQDNFlag",
    "INFINITY", "HARDWARE_ETHERNET",
]

#: UDP port clients listen on (RFC 8415 7.2)
CLIENT_PORT = 546
#: UDP port servers and relay agents listen on (RFC 8415 7.2)
SERVER_PORT = 547
#: link-scoped group of every relay agent and server (RFC 8415 7.1)
ALL_DHCP_RELAY_AGENTS_AND_SERVERS = IPv6Address("ff02::1:2")
#: site-scoped group of every server, where relays send (RFC 8415 7.1)
ALL_DHCP_SERVERS = IPv6Address("ff05::1:3")
#: the most relay agents a message may cross (RFC 8415 7.6)
HOP_COUNT_LIMIT = 8
#: the lifetime and T1/T2 value meaning "infinity" (RFC 8415 7.7)
INFINITY = 0xFFFFFFFF
#: hardware type 1 (Ethernet) of DUID-LLT/DUID-LL and the Client Link-Layer Address (RFC 826, IANA)
HARDWARE_ETHERNET = 1


class MessageType(IntEnum):
    """DHCPv6 message types (RFC 8415 7.3), named as the RFC names them."""

    SOLICIT = 1
    ADVERTISE = 2
    REQUEST = 3
    CONFIRM = 4
    RENEW = 5
    REBIND = 6
    REPLY = 7
    RELEASE = 8
    DECLINE = 9
    RECONFIGURE = 10
    INFORMATION_REQUEST = 11
    RELAY_FORW = 12
    RELAY_REPL = 13


class OptionCode(IntEnum):
    """Option codes of the options this package knows (RFC 8415 21 and 24; the RFCs noted)."""

    OPTION_CLIENTID = 1
    OPTION_SERVERID = 2
    OPTION_IA_NA = 3
    OPTION_IA_TA = 4
    OPTION_IAADDR = 5
    OPTION_ORO = 6
    OPTION_PREFERENCE = 7
    OPTION_ELAPSED_TIME = 8
    OPTION_RELAY_MSG = 9
    OPTION_AUTH = 11
    OPTION_UNICAST = 12
    OPTION_STATUS_CODE = 13
    OPTION_RAPID_COMMIT = 14
    OPTION_USER_CLASS = 15
    OPTION_VENDOR_CLASS = 16
    OPTION_VENDOR_OPTS = 17
    OPTION_INTERFACE_ID = 18
    OPTION_RECONF_MSG = 19
    OPTION_RECONF_ACCEPT = 20
    OPTION_DNS_SERVERS = 23  # RFC 3646
    OPTION_DOMAIN_LIST = 24  # RFC 3646
    OPTION_IA_PD = 25
    OPTION_IAPREFIX = 26
    OPTION_INFORMATION_REFRESH_TIME = 32
    OPTION_REMOTE_ID = 37  # RFC 4649
    OPTION_SUBSCRIBER_ID = 38  # RFC 4580
    OPTION_CLIENT_FQDN = 39  # RFC 4704
    OPTION_CLIENT_LINKLAYER_ADDR = 79  # RFC 6939
    OPTION_SOL_MAX_RT = 82
    OPTION_INF_MAX_RT = 83


class Status(IntEnum):
    """Status Code values (RFC 8415 7.5), with the RFC's names."""

    Success = 0
    UnspecFail = 1
    NoAddrsAvail = 2
    NoBinding = 3
    NotOnLink = 4
    UseMulticast = 5
    NoPrefixAvail = 6


class DUIDType(IntEnum):
    """DUID types (RFC 8415 11.1; DUID-UUID from RFC 6355)."""

    LLT = 1
    EN = 2
    LL = 3
    UUID = 4


class FQDNFlag(IntFlag):
    """Client FQDN flags (RFC 4704 4.1): S, O and N."""

    S = 0x01
    O = 0x02  # noqa: E741
    N = 0x04
