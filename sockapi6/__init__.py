"""sockapi6: the IPv6 advanced socket API (RFC 3493, 3542, 3678, 4584, 5014) for Python.

Three layers, one package:

* the thin binding: :data:`ffi` and :data:`lib` with every struct and constant
  of the running OS under its C name (constants are also attributes of this
  module, and absent where the OS lacks them, as in C);
* the C-port layer: ``inet6_opt_*``, ``inet6_rth_*``, ``IN6_IS_ADDR_*``,
  ``ICMP6_FILTER_*``, ``CMSG_LEN``/``CMSG_SPACE`` with C's names, argument
  order and return codes;
* the Pythonic layer: addresses, socket options, ancillary data, extension
  headers, multicast; ``sockapi6.icmp6`` and ``sockapi6.mobility`` for messages.

Nothing here compiles: libc is opened at run time through cffi's ABI mode.
Only the binding loads at import; every other name is imported on first use
(PEP 562), which keeps ``import sockapi6`` cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from . import _binding, errors
from ._binding import CONSTANTS as _CONSTANTS
from ._binding import PLATFORM, backend, ffi, lib
from .errors import Error, MalformedError, NotSupportedError

if TYPE_CHECKING:
    from ipaddress import IPv4Address as IPv4Address
    from ipaddress import IPv6Address as IPv6Address
    from typing import Any

    from . import abi as abi
    from . import address as address
    from . import aio as aio
    from . import ancillary as ancillary
    from . import bpf as bpf
    from . import cli as cli
    from . import dhcp6 as dhcp6
    from . import exthdr as exthdr
    from . import flowlabel as flowlabel
    from . import icmp6 as icmp6
    from . import icmp6filter as icmp6filter
    from . import interfaces as interfaces
    from . import messaging as messaging
    from . import mobility as mobility
    from . import multicast as multicast
    from . import packet as packet
    from . import rfc3542 as rfc3542
    from . import routing as routing
    from . import sockopt as sockopt
    from . import sysctl as sysctl
    from .address import *  # noqa: F403
    from .ancillary import *  # noqa: F403
    from .anycast import *  # noqa: F403
    from .bpf import *  # noqa: F403
    from .exthdr import *  # noqa: F403
    from .flowlabel import *  # noqa: F403
    from .icmp6filter import *  # noqa: F403
    from .interfaces import *  # noqa: F403
    from .messaging import *  # noqa: F403
    from .multicast import *  # noqa: F403
    from .rfc2292 import *  # noqa: F403
    from .rfc3542 import *  # noqa: F403
    from .routing import *  # noqa: F403
    from .sockopt import *  # noqa: F403
    from .srcaddr import *  # noqa: F403

globals().update(_CONSTANTS)

__version__ = "0.1.0"

#: submodule -> the public names it contributes at top level, imported on first use
_EXPORTS: dict[str, tuple[str, ...]] = {
    "address": (
        "Address", "to_ipv6", "sockaddr_in6", "parse_sockaddr_in6", "to_sockaddr_tuple",
        "from_sockaddr_tuple", "needs_scope", "IN6_IS_ADDR_UNSPECIFIED", "IN6_IS_ADDR_LOOPBACK",
        "IN6_IS_ADDR_MULTICAST", "IN6_IS_ADDR_LINKLOCAL", "IN6_IS_ADDR_SITELOCAL", "IN6_IS_ADDR_V4MAPPED",
        "IN6_IS_ADDR_V4COMPAT", "IN6_IS_ADDR_MC_NODELOCAL", "IN6_IS_ADDR_MC_LINKLOCAL",
        "IN6_IS_ADDR_MC_SITELOCAL", "IN6_IS_ADDR_MC_ORGLOCAL", "IN6_IS_ADDR_MC_GLOBAL",
        "IN6_ARE_ADDR_EQUAL", "in6addr_any", "in6addr_loopback", "IN6ADDR_ANY_INIT",
        "IN6ADDR_LOOPBACK_INIT", "map_ipv4", "unmap", "is_v4mapped", "has_embedded_scope",
        "strip_embedded_scope", "embed_scope",
    ),
    "interfaces": (
        "if_nametoindex", "if_indextoname", "if_nameindex", "getifaddrs", "list_interfaces",
        "InterfaceAddress", "Interface", "InterfaceFlags", "link_local_address", "hardware_address",
    ),
    "rfc3542": (
        "inet6_opt_init", "inet6_opt_append", "inet6_opt_finish", "inet6_opt_set_val", "inet6_opt_next",
        "inet6_opt_find", "inet6_opt_get_val", "inet6_rth_space", "inet6_rth_init", "inet6_rth_add",
        "inet6_rth_reverse", "inet6_rth_segments", "inet6_rth_getaddr",
    ),
    "ancillary": (
        "CMSG_LEN", "CMSG_SPACE", "AncillaryItem", "PacketInfo", "HopLimit", "TrafficClass", "NextHop",
        "PathMTU", "OriginalDestination", "ExtendedError", "ErrorOrigin", "RoutingDestinationOptions",
        "UnknownControlMessage", "parse_ancillary", "cmsg_name", "FlowInfo", "UDPSegment", "GROSegmentSize",
        "ECN", "Timestamp", "Timestamping", "DropCount",
    ),
    "messaging": (
        "recvmsg", "sendmsg", "ReceivedMessage", "check_hop_limit_255", "ANCILLARY_BUFFER_SIZE",
        "AncillaryTruncatedWarning", "AncillaryWarning", "recvmmsg", "sendmmsg", "BatchReceiver", "MAX_BATCH",
        "send_segments",
    ),
    "exthdr": (
        "Option", "OptionAction", "Pad1", "PadN", "RouterAlert", "RouterAlertValue", "JumboPayload",
        "TunnelEncapsulationLimit", "HomeAddress", "HopByHopOptions", "DestinationOptions", "parse_options",
    ),
    "routing": (
        "RoutingHeader", "SegmentRoutingHeader", "UnknownRoutingHeader", "SRHTLV", "SRHPad1", "SRHPadN",
        "HMACTLV", "parse_routing_header",
    ),
    "sockopt": ("SocketOptions", "OptionSpec", "AddressPreference"),
    "icmp6filter": (
        "ICMP6Filter", "ICMP6_FILTER_SETPASSALL", "ICMP6_FILTER_SETBLOCKALL", "ICMP6_FILTER_SETPASS",
        "ICMP6_FILTER_SETBLOCK", "ICMP6_FILTER_WILLPASS", "ICMP6_FILTER_WILLBLOCK",
    ),
    "multicast": (
        "FilterMode", "join_group", "leave_group", "join_source_group", "leave_source_group",
        "block_source", "unblock_source", "setsourcefilter", "getsourcefilter",
    ),
    "anycast": ("join_anycast", "leave_anycast"),
    "srcaddr": ("inet6_is_srcaddr",),
    "rfc2292": (
        "inet6_option_space", "inet6_option_init", "inet6_option_append", "inet6_option_alloc",
        "inet6_option_next", "inet6_option_find", "inet6_rthdr_space", "inet6_rthdr_init", "inet6_rthdr_add",
        "inet6_rthdr_lasthop", "inet6_rthdr_reverse", "inet6_rthdr_segments", "inet6_rthdr_getaddr",
        "inet6_rthdr_getflags",
    ),
    "flowlabel": ("FlowLabelShare", "get_flowlabel", "put_flowlabel", "renew_flowlabel", "flowlabel_info"),
    "bpf": ("attach_filter", "detach_filter", "lock_filter", "get_filter", "accept_icmpv6_types"),
    # so that every repr evaluates with this package's names alone
    "ipaddress": ("IPv4Address", "IPv6Address"),
}
#: submodules reachable as attributes without an explicit import.  No public name above is also the
#: name of a submodule: importing a submodule sets it as an attribute here, which would change what
#: the name means (tests/test_exports.py holds this)
_SUBMODULES = ("abi", "address", "aio", "ancillary", "cli", "exthdr", "icmp6", "icmp6filter", "interfaces",
               "messaging", "mobility", "multicast", "rfc3542", "routing", "sockopt", "bpf", "flowlabel",
               "sysctl", "packet", "dhcp6")

_LAZY: dict[str, str] = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "PLATFORM",
    "Error",
    "MalformedError",
    "NotSupportedError",
    "backend",
    "errors",
    "ffi",
    "lib",
    *_LAZY,
    *sorted(_CONSTANTS),
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        source = import_module(module if module == "ipaddress" else f"{__name__}.{module}")
        value = getattr(source, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return import_module(f"{__name__}.{name}")
    if name in _binding.UNVERIFIED_NAMES:
        raise _binding.refusal(name)  # an architecture nobody verified: never a silently wrong number
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES})
