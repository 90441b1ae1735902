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

from . import errors
from ._system import binding as _binding
from ._system.binding import CONSTANTS as _CONSTANTS
from ._system.binding import PLATFORM, backend, ffi, lib
from .errors import Error, MalformedError, NotSupportedError

TYPE_CHECKING = False  # typing costs more than the rest of ``import sockapi6``: annotations only
if TYPE_CHECKING:
    from ipaddress import IPv4Address as IPv4Address
    from ipaddress import IPv6Address as IPv6Address
    from typing import Any, Callable

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
    from . import mhsocket as mhsocket
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

# Lazy loading (PEP 562), by explicit imports only: each function below imports one submodule, or the
# public names one submodule contributes here, with an import statement that import-linter, mypy and
# ruff see.  Its local variables are exactly what it imports, so ``__code__.co_varnames`` lists the
# names it provides without running it; ``__getattr__`` runs it on first use of one of them.
# No public name is also the name of a submodule: importing a submodule sets it as an attribute
# here, which would change what the name means (tests/test_exports.py holds this).


def _names_address() -> dict[str, Any]:
    from .address import (
        IN6_ARE_ADDR_EQUAL,
        IN6_IS_ADDR_LINKLOCAL,
        IN6_IS_ADDR_LOOPBACK,
        IN6_IS_ADDR_MC_GLOBAL,
        IN6_IS_ADDR_MC_LINKLOCAL,
        IN6_IS_ADDR_MC_NODELOCAL,
        IN6_IS_ADDR_MC_ORGLOCAL,
        IN6_IS_ADDR_MC_SITELOCAL,
        IN6_IS_ADDR_MULTICAST,
        IN6_IS_ADDR_SITELOCAL,
        IN6_IS_ADDR_UNSPECIFIED,
        IN6_IS_ADDR_V4COMPAT,
        IN6_IS_ADDR_V4MAPPED,
        IN6ADDR_ANY_INIT,
        IN6ADDR_LOOPBACK_INIT,
        Address,
        embed_scope,
        from_sockaddr_tuple,
        has_embedded_scope,
        in6addr_any,
        in6addr_loopback,
        is_v4mapped,
        map_ipv4,
        needs_scope,
        parse_sockaddr_in6,
        sockaddr_in6,
        strip_embedded_scope,
        to_ipv6,
        to_sockaddr_tuple,
        unmap,
    )

    return locals()


def _names_interfaces() -> dict[str, Any]:
    from .interfaces import (
        Interface,
        InterfaceAddress,
        InterfaceFlags,
        getifaddrs,
        hardware_address,
        if_indextoname,
        if_nameindex,
        if_nametoindex,
        link_local_address,
        list_interfaces,
    )

    return locals()


def _names_rfc3542() -> dict[str, Any]:
    from .rfc3542 import (
        inet6_opt_append,
        inet6_opt_find,
        inet6_opt_finish,
        inet6_opt_get_val,
        inet6_opt_init,
        inet6_opt_next,
        inet6_opt_set_val,
        inet6_rth_add,
        inet6_rth_getaddr,
        inet6_rth_init,
        inet6_rth_reverse,
        inet6_rth_segments,
        inet6_rth_space,
    )

    return locals()


def _names_ancillary() -> dict[str, Any]:
    from .ancillary import (
        CMSG_LEN,
        CMSG_SPACE,
        ECN,
        AncillaryItem,
        DropCount,
        ErrorOrigin,
        ExtendedError,
        FlowInfo,
        GROSegmentSize,
        HopLimit,
        NextHop,
        OriginalDestination,
        PacketInfo,
        PathMTU,
        RoutingDestinationOptions,
        Timestamp,
        Timestamping,
        TrafficClass,
        UDPSegment,
        UnknownControlMessage,
        cmsg_name,
        parse_ancillary,
    )

    return locals()


def _names_messaging() -> dict[str, Any]:
    from .messaging import (
        ANCILLARY_BUFFER_SIZE,
        MAX_BATCH,
        AncillaryTruncatedWarning,
        AncillaryWarning,
        BatchReceiver,
        ReceivedMessage,
        check_hop_limit_255,
        recvmmsg,
        recvmsg,
        send_segments,
        sendmmsg,
        sendmsg,
    )

    return locals()


def _names_exthdr() -> dict[str, Any]:
    from .exthdr import (
        DestinationOptions,
        HomeAddress,
        HopByHopOptions,
        JumboPayload,
        Option,
        OptionAction,
        Pad1,
        PadN,
        RouterAlert,
        RouterAlertValue,
        TunnelEncapsulationLimit,
        parse_options,
    )

    return locals()


def _names_routing() -> dict[str, Any]:
    from .routing import (
        HMACTLV,
        SRHTLV,
        RoutingHeader,
        SegmentRoutingHeader,
        SRHPad1,
        SRHPadN,
        UnknownRoutingHeader,
        parse_routing_header,
    )

    return locals()


def _names_sockopt() -> dict[str, Any]:
    from .sockopt import (
        AddressPreference,
        OptionSpec,
        SocketOptions,
    )

    return locals()


def _names_icmp6filter() -> dict[str, Any]:
    from .icmp6filter import (
        ICMP6_FILTER_SETBLOCK,
        ICMP6_FILTER_SETBLOCKALL,
        ICMP6_FILTER_SETPASS,
        ICMP6_FILTER_SETPASSALL,
        ICMP6_FILTER_WILLBLOCK,
        ICMP6_FILTER_WILLPASS,
        ICMP6Filter,
    )

    return locals()


def _names_multicast() -> dict[str, Any]:
    from .multicast import (
        FilterMode,
        block_source,
        getsourcefilter,
        join_group,
        join_source_group,
        leave_group,
        leave_source_group,
        setsourcefilter,
        unblock_source,
    )

    return locals()


def _names_anycast() -> dict[str, Any]:
    from .anycast import (
        join_anycast,
        leave_anycast,
    )

    return locals()


def _names_srcaddr() -> dict[str, Any]:
    from .srcaddr import (
        inet6_is_srcaddr,
    )

    return locals()


def _names_rfc2292() -> dict[str, Any]:
    from .rfc2292 import (
        inet6_option_alloc,
        inet6_option_append,
        inet6_option_find,
        inet6_option_init,
        inet6_option_next,
        inet6_option_space,
        inet6_rthdr_add,
        inet6_rthdr_getaddr,
        inet6_rthdr_getflags,
        inet6_rthdr_init,
        inet6_rthdr_lasthop,
        inet6_rthdr_reverse,
        inet6_rthdr_segments,
        inet6_rthdr_space,
    )

    return locals()


def _names_flowlabel() -> dict[str, Any]:
    from .flowlabel import (
        FlowLabelShare,
        flowlabel_info,
        get_flowlabel,
        put_flowlabel,
        renew_flowlabel,
    )

    return locals()


def _names_bpf() -> dict[str, Any]:
    from .bpf import (
        accept_icmpv6_types,
        attach_filter,
        detach_filter,
        get_filter,
        lock_filter,
    )

    return locals()


def _names_ipaddress() -> dict[str, Any]:
    # so that every repr evaluates with this package's names alone
    from ipaddress import (
        IPv4Address,
        IPv6Address,
    )

    return locals()


def _module_abi() -> dict[str, Any]:
    import sockapi6.abi as abi  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_address() -> dict[str, Any]:
    import sockapi6.address as address  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_aio() -> dict[str, Any]:
    import sockapi6.aio as aio  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_ancillary() -> dict[str, Any]:
    import sockapi6.ancillary as ancillary  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_cli() -> dict[str, Any]:
    import sockapi6.cli as cli  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_exthdr() -> dict[str, Any]:
    import sockapi6.exthdr as exthdr  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_icmp6() -> dict[str, Any]:
    import sockapi6.icmp6 as icmp6  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_icmp6filter() -> dict[str, Any]:
    import sockapi6.icmp6filter as icmp6filter  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_interfaces() -> dict[str, Any]:
    import sockapi6.interfaces as interfaces  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_messaging() -> dict[str, Any]:
    import sockapi6.messaging as messaging  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_mobility() -> dict[str, Any]:
    import sockapi6.mobility as mobility  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_multicast() -> dict[str, Any]:
    import sockapi6.multicast as multicast  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_rfc3542() -> dict[str, Any]:
    import sockapi6.rfc3542 as rfc3542  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_routing() -> dict[str, Any]:
    import sockapi6.routing as routing  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_sockopt() -> dict[str, Any]:
    import sockapi6.sockopt as sockopt  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_bpf() -> dict[str, Any]:
    import sockapi6.bpf as bpf  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_flowlabel() -> dict[str, Any]:
    import sockapi6.flowlabel as flowlabel  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_sysctl() -> dict[str, Any]:
    import sockapi6.sysctl as sysctl  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_packet() -> dict[str, Any]:
    import sockapi6.packet as packet  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_dhcp6() -> dict[str, Any]:
    import sockapi6.dhcp6 as dhcp6  # not `from . import`: that asks __getattr__ first

    return locals()


def _module_mhsocket() -> dict[str, Any]:
    import sockapi6.mhsocket as mhsocket  # not `from . import`: that asks __getattr__ first

    return locals()


#: the public names contributed by submodules -> the function importing them
_NAME_LOADERS = (
    _names_address,
    _names_interfaces,
    _names_rfc3542,
    _names_ancillary,
    _names_messaging,
    _names_exthdr,
    _names_routing,
    _names_sockopt,
    _names_icmp6filter,
    _names_multicast,
    _names_anycast,
    _names_srcaddr,
    _names_rfc2292,
    _names_flowlabel,
    _names_bpf,
    _names_ipaddress,
)
#: submodules reachable as attributes without an explicit import -> the function importing each
_MODULE_LOADERS = (
    _module_abi,
    _module_address,
    _module_aio,
    _module_ancillary,
    _module_cli,
    _module_exthdr,
    _module_icmp6,
    _module_icmp6filter,
    _module_interfaces,
    _module_messaging,
    _module_mobility,
    _module_multicast,
    _module_rfc3542,
    _module_routing,
    _module_sockopt,
    _module_bpf,
    _module_flowlabel,
    _module_sysctl,
    _module_packet,
    _module_dhcp6,
    _module_mhsocket,
)
_LAZY: dict[str, Callable[[], dict[str, Any]]] = {
    name: load for load in _NAME_LOADERS for name in load.__code__.co_varnames}
_SUBMODULES: dict[str, Callable[[], dict[str, Any]]] = {
    load.__code__.co_varnames[0]: load for load in _MODULE_LOADERS}

#: constants an RFC names that no OS defines: absent as in C (hasattr() is False), the AttributeError says why
_UNASSIGNED: dict[str, str] = {
    "IPV6_MIPDSTOPTS": "RFC 4584 section 5 names it but no OS assigns it a number; send the Home Address "
                       "option in IPV6_DSTOPTS",
}

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
    load = _LAZY.get(name) or _SUBMODULES.get(name)
    if load is not None:
        value = load()[name]
        globals()[name] = value
        return value
    if name in _UNASSIGNED:
        raise AttributeError(f"{name}: {_UNASSIGNED[name]}")
    if name in _binding.UNVERIFIED_NAMES:
        raise _binding.refusal(name)  # an architecture nobody verified: never a silently wrong number
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBMODULES})
