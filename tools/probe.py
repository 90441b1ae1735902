"""ABI conformance probe: check our declarations against a system's real headers.

Design correctness rule 1: every option number and struct layout of a
platform is compared with what that platform's C headers say.  The facts
come from the generated module ``sockapi6._system._abi.<platform>`` (``ffi``,
``CONSTANTS``, ``TYPES``); this module turns them into C and lets a C
compiler answer:

* every constant (``#define`` in ``cdefs/<os>.h`` and ``cdefs/common.h``);
* ``sizeof`` of every struct, union and typedef we declare;
* ``offsetof`` and member size of every field, including the members of
  anonymous unions/structs (cffi flattens them) and, as dotted paths, the
  members of named fields whose type has no tag (``ifa_ifu.ifu_dstaddr``).

Three generated programs:

``discover``
    compiled with ``-fsyntax-only``; one line per item, so a compile error
    on a line means the headers lack that item (a type, a field, or a
    constant that is neither a macro nor an enumerator).  This keeps the
    probe generic: new declarations are picked up without a compile error.
``run``
    (the host: glibc here, also macOS/BSD when the suite runs there) a
    program printing ``NAME value`` / ``NAME absent``, ``sizeof T n``,
    ``offsetof T field n`` and ``fieldsize T field n`` lines.
``assert``
    (every supported (OS, arch) pair through ziglang's headers:
    :func:`zig_command`; also ``musl-gcc`` / ``x86_64-w64-mingw32-gcc`` when
    named) the same facts as ``_Static_assert`` lines, so every mismatch is a
    compile error naming the item and our value.

Our values for a pair come from its generated module, with layouts computed
for its architecture by ``sockapi6/_system/layout.py``; the record's CMSG alignment
is checked through the headers' ``CMSG_LEN(0)`` and ``CMSG_SPACE(1)``.

The rules applied to the answers (:func:`verify`):

* a constant of the OS file must exist in the headers and match;
* a constant of ``common.h`` must match where the headers define it and may
  be absent only if :data:`ABSENT` lists it with a reason;
* a type the headers lack must be listed in :data:`ABSENT` with a reason
  (wire formats of ``common.h`` are then checked against the RFC layout
  table in ``tests/test_conformance.py``);
* a field the headers lack must be mapped or skipped in :data:`FIELD_NAMES`
  with a reason, or be private padding (name starting with ``__``);
* an :data:`ABSENT` entry the headers do define is stale and reported;
* every constant ``reference/platform_abi.json`` names for the platform that
  the headers define must be declared by us (or listed in
  :data:`NOT_DECLARED` with a reason).

Usage: ``python tools/probe.py [PLATFORM] [--arch ARCH] [--zig] [--cc CC]
[--mode run|assert] [--emit discover|run|assert]``; without ``--emit`` it verifies and prints
every mismatch and the counts (exit status 1 on a mismatch).
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from types import ModuleType
    from typing import Any, Optional

    FieldRule = tuple[Optional[str], tuple[str, ...], str]

ROOT = pathlib.Path(__file__).resolve().parent.parent
CDEFS = ROOT / "cdefs"
REFERENCE = pathlib.Path(
    os.environ.get(
        "SOCKAPI6_PLATFORM_ABI",
        str(ROOT / "tests" / "data" / "platform_abi.json"),
    )
)

# --------------------------------------------------------------------- data
#: macros defined before the first #include, per platform
PRELUDE: dict[str, tuple[str, ...]] = {
    "linux_glibc": ("_GNU_SOURCE",),
    "linux_musl": ("_GNU_SOURCE",),
    "darwin": ("__APPLE_USE_RFC_3542", "_GNU_SOURCE"),
    "freebsd": ("_GNU_SOURCE",),
    "netbsd": ("_GNU_SOURCE",),
    "openbsd": ("_GNU_SOURCE",),
    "windows": ("WIN32_LEAN_AND_MEAN", "_WIN32_WINNT 0x0A00"),
}

_POSIX = (
    "sys/types.h", "sys/socket.h", "netinet/in.h", "netinet/ip6.h",
    "netinet/icmp6.h", "net/if.h", "ifaddrs.h",
)
_BSD = (*_POSIX, "net/if_dl.h")

#: headers included by the probe, per platform, in this order
INCLUDES: dict[str, tuple[str, ...]] = {
    "linux_glibc": (*_POSIX, "linux/in6.h", "linux/errqueue.h", "linux/if_packet.h", "linux/if.h",
                    "linux/filter.h", "linux/if_ether.h", "netinet/udp.h", "linux/net_tstamp.h"),
    # musl-gcc sees musl's headers only (no kernel uapi): sockaddr_ll comes
    # from <netpacket/packet.h>; <linux/in6.h> would clash with musl's in6_addr.
    "linux_musl": (*_POSIX, "netpacket/packet.h", "netinet/udp.h"),
    "darwin": _BSD,
    "freebsd": _BSD,
    "netbsd": _BSD,
    "openbsd": (*_BSD, "sys/sysctl.h"),   # CTL_NET for sockapi6.sysctl
    # <netioapi.h> declares if_nametoindex() and IF_NAMESIZE
    "windows": ("winsock2.h", "ws2tcpip.h", "mswsock.h", "netioapi.h"),
}

#: compilers tried for a platform's probe, and the probe's mode there
COMPILERS: dict[str, tuple[tuple[str, ...], str]] = {
    "linux_glibc": (("cc", "gcc", "clang"), "run"),
    "linux_musl": (("musl-gcc",), "assert"),
    "darwin": (("cc", "clang", "gcc"), "run"),
    "freebsd": (("cc", "clang", "gcc"), "run"),
    "netbsd": (("cc", "gcc", "clang"), "run"),
    "openbsd": (("cc", "clang", "gcc"), "run"),
    "windows": (("x86_64-w64-mingw32-gcc",), "assert"),
}

#: a family not listed above (a new Unix OS): its own cc, run mode, POSIX headers
_DEFAULT_COMPILERS: tuple[tuple[str, ...], str] = (("cc", "clang", "gcc"), "run")

#: platform -> key of reference/platform_abi.json "platforms"
REFERENCE_KEY: dict[str, str] = {
    "linux_glibc": "linux", "linux_musl": "linux", "darwin": "darwin",
    "freebsd": "freebsd", "netbsd": "netbsd", "openbsd": "openbsd",
    "windows": "windows",
}

#: Our type name -> the C type the headers spell (a tag, a typedef, or an
#: expression naming a member's untagged type).
_LINUX_TYPES: dict[str, str] = {
    # glibc, musl and KAME declare these unions without a tag; we name them
    "union ip6_ctlun_u": "__typeof__(((struct ip6_hdr *)0)->ip6_ctlun)",
    "union icmp6_dataun_u": "__typeof__(((struct icmp6_hdr *)0)->icmp6_dataun)",
    # Unix has no socket typedef: descriptors are int (Winsock's SOCKET is real)
    "SOCKET": "int",
}
TYPE_NAMES: dict[str, dict[str, str]] = {
    "linux_glibc": _LINUX_TYPES,
    "linux_musl": _LINUX_TYPES,
    "darwin": _LINUX_TYPES,
    "freebsd": _LINUX_TYPES,
    "netbsd": _LINUX_TYPES,
    "openbsd": _LINUX_TYPES,
    "windows": {
        # mingw-w64 <ws2def.h>, <ws2ipdef.h>, <in6addr.h>, <ws2tcpip.h>
        "struct cmsghdr": "WSACMSGHDR",
        "struct msghdr": "WSAMSG",
        "struct iovec": "WSABUF",
        "struct in_addr": "IN_ADDR",
        "struct in6_addr": "IN6_ADDR",
        "struct sockaddr": "SOCKADDR",
        "struct sockaddr_in": "SOCKADDR_IN",
        "struct sockaddr_in6": "SOCKADDR_IN6",
        "struct sockaddr_storage": "SOCKADDR_STORAGE",
        "struct ipv6_mreq": "IPV6_MREQ",
        "struct in6_pktinfo": "IN6_PKTINFO",
        "struct in_pktinfo": "IN_PKTINFO",
        "struct group_req": "GROUP_REQ",
        "struct group_source_req": "GROUP_SOURCE_REQ",
        "struct group_filter": "GROUP_FILTER",
        "struct sockaddr_dl": "SOCKADDR_DL",
        "sa_family_t": "ADDRESS_FAMILY",
        "in_port_t": "USHORT",
    },
}

#: (our type, our field path) -> FieldRule: (the C member designator, or
#: None to skip the field; which of "offsetof", "fieldsize", "signed" are
#: compared; why).  Fields not listed get all three.
_RTHDR0_RESERVED: FieldRule = (
    "ip6r0_reserved", ("offsetof",),
    "RFC 3542 2.2.3 gives uint32_t ip6r0_reserved; glibc/KAME split the same "
    "4 bytes into uint8_t ip6r0_reserved + ip6r0_slmap[3]: same offset",
)
_ALL = ("offsetof", "fieldsize", "signed")
_NOSIGN = ("offsetof", "fieldsize")
_SHORT_FAMILY = (
    "mingw-w64 declares the family `short`, the Microsoft SDK ADDRESS_FAMILY "
    "(USHORT); family numbers are below 32768 either way"
)
_COMMON_FIELDS: dict[tuple[str, str], FieldRule] = {
    ("struct ip6_rthdr0", "ip6r0_reserved32"): _RTHDR0_RESERVED,
}
_KAME_RTHDR0 = ("KAME declares struct ip6_rthdr0 as RFC 2292 did: u_int32_t ip6r0_reserved and no "
                "ip6r0_slmap / ip6r0_addr members (the addresses follow the struct); sizeof and the "
                "offset of the reserved word pin the same 8 bytes")
_KAME_FIELDS: dict[tuple[str, str], FieldRule] = {
    **_COMMON_FIELDS,
    ("struct ip6_rthdr0", "ip6r0_reserved"): ("ip6r0_reserved", ("offsetof",), _KAME_RTHDR0),
    ("struct ip6_rthdr0", "ip6r0_slmap"): (None, (), _KAME_RTHDR0),
    ("struct ip6_rthdr0", "ip6r0_addr"): (None, (), _KAME_RTHDR0),
}
FIELD_NAMES: dict[str, dict[tuple[str, str], FieldRule]] = {
    "linux_glibc": _COMMON_FIELDS,
    "linux_musl": _COMMON_FIELDS,
    "darwin": _COMMON_FIELDS,
    "freebsd": _KAME_FIELDS,
    "netbsd": _KAME_FIELDS,
    "openbsd": _KAME_FIELDS,
    "windows": {
        **_COMMON_FIELDS,
        ("struct in6_addr", "s6_addr16"): (
            "u.Word", _ALL, "IN6_ADDR is union { UCHAR Byte[16]; USHORT Word[8]; } u"),
        ("struct in6_addr", "s6_words"): (
            "u.Word", _ALL, "IN6_ADDR is union { UCHAR Byte[16]; USHORT Word[8]; } u"),
        ("struct in6_addr", "s6_addr32"): (
            None, (), "IN6_ADDR has no 32-bit view; sizeof pins the union"),
        ("struct sockaddr_in", "sin_family"): ("sin_family", _NOSIGN, _SHORT_FAMILY),
        ("struct sockaddr_in6", "sin6_family"): ("sin6_family", _NOSIGN, _SHORT_FAMILY),
        ("struct sockaddr_storage", "ss_family"): ("ss_family", _NOSIGN, _SHORT_FAMILY),
        ("struct group_filter", "gf_fmode"): (
            "gf_fmode", _NOSIGN,
            "MULTICAST_MODE_TYPE is an enum: gcc makes it unsigned, MSVC int; values 0 and 1"),
    },
}

#: Fields whose names start with this are private padding (musl's __pad1,
#: glibc's __ss_padding/__ss_align): compared where the headers spell them
#: the same, skipped by rule where they do not, since sizeof and the offsets
#: of the named fields around them pin the layout.
PRIVATE_PREFIX = "__"

def _reasons(*groups: tuple[str, tuple[str, ...]]) -> dict[str, str]:
    """Expand ``(reason, names)`` groups into ``{name: reason}``."""
    return {name: reason for reason, names in groups for name in names}


_RFC_TABLE = "its wire layout is checked against RFC_LAYOUTS in tests/test_conformance.py"
_LINUX_LIBC_LACKS = (
    ("no libc defines it (platform_abi.md section 1); RFC 4584 section 5.1 names it, "
     "IANA numbers the type 2 routing header",
     ("IPV6_RTHDR_TYPE_2",)),
    ("KAME spelling of the RFC 8200 section 4.2 'may change en route' bit; "
     "glibc and musl spell it IP6OPT_TYPE_MUTABLE (0x20)",
     ("IP6OPT_MUTABLE",)),
    ("no Linux libc has a type 2 routing header struct (RFC 6275 section 6.4); " + _RFC_TABLE,
     ("struct ip6_rthdr2",)),
    ("RFC 4584 section 4 <netinet/ip6mh.h> API: no Linux libc ships it (RFC 6275 "
     "section 6 numbers); " + _RFC_TABLE,
     ("IP6_MH_TYPE_BRR", "IP6_MH_TYPE_HOTI", "IP6_MH_TYPE_COTI", "IP6_MH_TYPE_HOT",
      "IP6_MH_TYPE_COT", "IP6_MH_TYPE_BU", "IP6_MH_TYPE_BACK", "IP6_MH_TYPE_BERROR",
      "IP6_MHOPT_PAD1", "IP6_MHOPT_PADN", "IP6_MHOPT_BREFRESH", "IP6_MHOPT_ALTCOA",
      "IP6_MHOPT_NONCEID", "IP6_MHOPT_BAUTH", "IP6_MH_BA_KEYM", "IP6_MH_BAS_ACCEPTED",
      "IP6_MH_BAS_PRFX_DISCOV", "IP6_MH_BAS_UNSPECIFIED", "IP6_MH_BAS_PROHIBIT",
      "IP6_MH_BAS_INSUFFICIENT", "IP6_MH_BAS_HA_NOT_SUPPORTED", "IP6_MH_BAS_NOT_HOME_SUBNET",
      "IP6_MH_BAS_NOT_HA", "IP6_MH_BAS_DAD_FAILED", "IP6_MH_BAS_SEQNO_BAD",
      "IP6_MH_BAS_HOME_NI_EXPIRED", "IP6_MH_BAS_COA_NI_EXPIRED", "IP6_MH_BAS_NI_EXPIRED",
      "IP6_MH_BAS_REG_NOT_ALLOWED", "IP6_MH_BES_UNKNOWN_HAO", "IP6_MH_BES_UNKNOWN_MH",
      "struct ip6_mh", "struct ip6_mh_binding_request", "struct ip6_mh_home_test_init",
      "struct ip6_mh_careof_test_init", "struct ip6_mh_home_test", "struct ip6_mh_careof_test",
      "struct ip6_mh_binding_update", "struct ip6_mh_binding_ack", "struct ip6_mh_binding_error",
      "struct ip6_mh_opt", "struct ip6_mh_opt_refresh_advice", "struct ip6_mh_opt_altcoa",
      "struct ip6_mh_opt_nonce_index", "struct ip6_mh_opt_auth_data")),
    ("RFC 4584 sections 4.3 and 4.5 (Home Address option, Mobile IPv6 ICMPv6 "
     "messages): not in glibc/musl <netinet/ip6.h> or <netinet/icmp6.h>; " + _RFC_TABLE,
     ("IP6OPT_HOME_ADDRESS", "struct ip6_opt_home_address", "MIP6_HA_DISCOVERY_REQUEST",
      "MIP6_HA_DISCOVERY_REPLY", "MIP6_PREFIX_SOLICIT", "MIP6_PREFIX_ADVERT",
      "struct mip6_dhaad_req", "struct mip6_dhaad_rep", "struct mip6_prefix_solicit",
      "struct mip6_prefix_advert")),
    ("RFC 4584 section 4.6 spelling; glibc and musl spell the same values "
     "ND_RA_FLAG_HOME_AGENT, ND_OPT_PI_FLAG_RADDR, ND_OPT_RTR_ADV_INTERVAL, "
     "ND_OPT_HOME_AGENT_INFO and struct nd_opt_home_agent_info (whose layout is checked)",
     ("ND_RA_FLAG_HOMEAGENT", "ND_OPT_PI_FLAG_ROUTER", "ND_OPT_ADV_INTERVAL",
      "ND_OPT_HA_INFORMATION", "struct nd_opt_homeagent_info")),
    ("RFC 4443 section 3.1 codes 5-6 and RFC 7112 section 5 code 3 postdate the "
     "Linux libc headers",
     ("ICMP6_DST_UNREACH_POLICY", "ICMP6_DST_UNREACH_REJECT",
      "ICMP6_PARAMPROB_FIRSTFRAG_INCOMPLETE_CHAIN")),
    ("KAME <netinet/icmp6.h> names (RFC 4620 node information, RFC 2894 section 3 "
     "router renumbering codes, ND redirect flags); glibc and musl lack them",
     ("ICMP6_NI_QUERY", "ICMP6_NI_REPLY", "ICMP6_ROUTER_RENUMBERING_COMMAND",
      "ICMP6_ROUTER_RENUMBERING_RESULT", "ICMP6_ROUTER_RENUMBERING_SEQNUM_RESET",
      "ND_REDIRECT_ONLINK", "ND_REDIRECT_ROUTER")),
    ("MLDv2, RFC 3810 sections 5.1-5.2 (KAME names): glibc and musl have MLDv1 "
     "only; " + _RFC_TABLE,
     ("MLDV2_LISTENER_REPORT", "MLD_MINLEN", "MLD_V2_QUERY_MINLEN",
      "MLD_RECORD_TYPE_IS_INCLUDE", "MLD_RECORD_TYPE_IS_EXCLUDE", "MLD_RECORD_TYPE_TO_INCLUDE",
      "MLD_RECORD_TYPE_TO_EXCLUDE", "MLD_RECORD_TYPE_ALLOW_NEW", "MLD_RECORD_TYPE_BLOCK_OLD",
      "struct mldv2_query", "struct mldv2_report", "struct mldv2_record")),
    ("RFC 4191 (router preference, route information), RFC 4389 (proxy flag) and "
     "RFC 8106 (RDNSS, DNSSL) postdate the Linux libc headers; " + _RFC_TABLE,
     ("ND_RA_FLAG_PROXY", "ND_RA_FLAG_RTPREF_MASK", "ND_RA_FLAG_RTPREF_HIGH",
      "ND_RA_FLAG_RTPREF_MEDIUM", "ND_RA_FLAG_RTPREF_LOW", "ND_RA_FLAG_RTPREF_RSV",
      "ND_OPT_ROUTE_INFO", "ND_OPT_RDNSS", "ND_OPT_DNSSL", "struct nd_opt_route_info",
      "struct nd_opt_rdnss", "struct nd_opt_dnssl")),
)
_MUSL_LACKS = (
    ("musl ships no kernel uapi headers (<linux/errqueue.h>); the kernel layout is "
     "checked by the glibc run probe",
     ("struct sock_extended_err", "SO_EE_ORIGIN_NONE", "SO_EE_ORIGIN_LOCAL",
      "SO_EE_ORIGIN_ICMP", "SO_EE_ORIGIN_ICMP6", "SO_EE_ORIGIN_TIMESTAMPING", "SCM_TSTAMP_SND",
      "SCM_TSTAMP_SCHED", "SCM_TSTAMP_ACK")),
    ("musl ships no <linux/net_tstamp.h>: the SOF_TIMESTAMPING_* flags are checked by the glibc "
     "run probe",
     ("SOF_TIMESTAMPING_TX_HARDWARE", "SOF_TIMESTAMPING_TX_SOFTWARE", "SOF_TIMESTAMPING_RX_HARDWARE",
      "SOF_TIMESTAMPING_RX_SOFTWARE", "SOF_TIMESTAMPING_SOFTWARE", "SOF_TIMESTAMPING_RAW_HARDWARE",
      "SOF_TIMESTAMPING_OPT_ID", "SOF_TIMESTAMPING_TX_SCHED", "SOF_TIMESTAMPING_OPT_CMSG",
      "SOF_TIMESTAMPING_OPT_TSONLY")),
    ("RFC 8335 section 2 (PROBE) types: musl 1.2.3 predates them; glibc has them",
     ("ICMPV6_EXT_ECHO_REQUEST", "ICMPV6_EXT_ECHO_REPLY")),
    ("kernel uapi only (<linux/in6.h>, <linux/filter.h>, <linux/if_ether.h>): musl's "
     "<netinet/in.h> lacks the flow-label manager and its <sys/socket.h> the filter "
     "structs; the kernel layout is checked by the glibc run probe",
     ("IPV6_FLOWINFO", "IPV6_RECVERR_RFC4884", "IPV6_FLOWLABEL_MGR", "IPV6_FLOWINFO_SEND",
      "IPV6_FLOWINFO_FLOWLABEL", "IPV6_FLOWINFO_PRIORITY", "IPV6_FL_A_GET", "IPV6_FL_A_PUT",
      "IPV6_FL_A_RENEW", "IPV6_FL_F_CREATE", "IPV6_FL_F_EXCL", "IPV6_FL_F_REFLECT",
      "IPV6_FL_F_REMOTE", "IPV6_FL_S_NONE", "IPV6_FL_S_EXCL", "IPV6_FL_S_PROCESS",
      "IPV6_FL_S_USER", "IPV6_FL_S_ANY", "ETH_P_IPV6", "struct in6_flowlabel_req",
      "struct sock_filter", "struct sock_fprog")),
)
_NO_RTHDR_TYPE_2 = _LINUX_LIBC_LACKS[0]

_BSD_NO_MIP6 = ("RFC 4584 section 4 Mobile IPv6 API (<netinet/ip6mh.h>, the Home Address option, the MIP6 "
                "ICMPv6 messages, IPPROTO_MH where missing): the BSDs removed KAME's Mobile IPv6 code; "
                "RFC 6275 numbers them and " + _RFC_TABLE)
_BSD_NO_MIP6_ND = ("RFC 4584 section 4.6 / glibc spellings of the Mobile IPv6 ND flags and options "
                   "(home agent flag, router address flag, advertisement interval, home agent information): "
                   "not in "
                   "this BSD's <netinet/icmp6.h>; RFC 6275 section 7 gives the values")
_BSD_MLD = ("MLDv2 (RFC 3810 sections 5.1-5.2) lives in the kernel-only <netinet6/mld6.h> on this BSD, "
            "not in <netinet/icmp6.h>; " + _RFC_TABLE)
_BSD_NEW_CODES = ("RFC 4443 section 3.1 codes 5-6, RFC 7112 section 5 code 3 and RFC 8335 (PROBE) types "
                  "postdate this BSD's <netinet/icmp6.h>; the RFCs number them")
_BSD_PROXY = ("RFC 4389 section 4.1.3.3 (proxy flag) postdates this BSD's <netinet/icmp6.h>; the RFC "
              "gives the value")
_BSD_RTHDR2 = ("no BSD header declares the type 2 routing header struct (RFC 6275 section 6.4); "
               + _RFC_TABLE)

#: the Mobile IPv6 names (RFC 4584, RFC 6275) no BSD header has; NetBSD and OpenBSD lack IPPROTO_MH too
_BSD_MIP6_NAMES = (
    'IP6OPT_HOME_ADDRESS',
    'IP6_MHOPT_ALTCOA',
    'IP6_MHOPT_BAUTH',
    'IP6_MHOPT_BREFRESH',
    'IP6_MHOPT_NONCEID',
    'IP6_MHOPT_PAD1',
    'IP6_MHOPT_PADN',
    'IP6_MH_BAS_ACCEPTED',
    'IP6_MH_BAS_COA_NI_EXPIRED',
    'IP6_MH_BAS_DAD_FAILED',
    'IP6_MH_BAS_HA_NOT_SUPPORTED',
    'IP6_MH_BAS_HOME_NI_EXPIRED',
    'IP6_MH_BAS_INSUFFICIENT',
    'IP6_MH_BAS_NI_EXPIRED',
    'IP6_MH_BAS_NOT_HA',
    'IP6_MH_BAS_NOT_HOME_SUBNET',
    'IP6_MH_BAS_PRFX_DISCOV',
    'IP6_MH_BAS_PROHIBIT',
    'IP6_MH_BAS_REG_NOT_ALLOWED',
    'IP6_MH_BAS_SEQNO_BAD',
    'IP6_MH_BAS_UNSPECIFIED',
    'IP6_MH_BA_KEYM',
    'IP6_MH_BES_UNKNOWN_HAO',
    'IP6_MH_BES_UNKNOWN_MH',
    'IP6_MH_TYPE_BACK',
    'IP6_MH_TYPE_BERROR',
    'IP6_MH_TYPE_BRR',
    'IP6_MH_TYPE_BU',
    'IP6_MH_TYPE_COT',
    'IP6_MH_TYPE_COTI',
    'IP6_MH_TYPE_HOT',
    'IP6_MH_TYPE_HOTI',
    'MIP6_HA_DISCOVERY_REPLY',
    'MIP6_HA_DISCOVERY_REQUEST',
    'MIP6_PREFIX_ADVERT',
    'MIP6_PREFIX_SOLICIT',
    'struct ip6_mh',
    'struct ip6_mh_binding_ack',
    'struct ip6_mh_binding_error',
    'struct ip6_mh_binding_request',
    'struct ip6_mh_binding_update',
    'struct ip6_mh_careof_test',
    'struct ip6_mh_careof_test_init',
    'struct ip6_mh_home_test',
    'struct ip6_mh_home_test_init',
    'struct ip6_mh_opt',
    'struct ip6_mh_opt_altcoa',
    'struct ip6_mh_opt_auth_data',
    'struct ip6_mh_opt_nonce_index',
    'struct ip6_mh_opt_refresh_advice',
    'struct ip6_opt_home_address',
    'struct mip6_dhaad_rep',
    'struct mip6_dhaad_req',
    'struct mip6_prefix_advert',
    'struct mip6_prefix_solicit',
)

_FREEBSD_LACKS = (
    (_BSD_NEW_CODES, (
        'ICMP6_PARAMPROB_FIRSTFRAG_INCOMPLETE_CHAIN',
        'ICMPV6_EXT_ECHO_REPLY',
        'ICMPV6_EXT_ECHO_REQUEST',
    )),
    (_BSD_NO_MIP6, _BSD_MIP6_NAMES),
    (_BSD_MLD, (
        'MLD_MINLEN',
        'MLD_RECORD_TYPE_ALLOW_NEW',
        'MLD_RECORD_TYPE_BLOCK_OLD',
        'MLD_RECORD_TYPE_IS_EXCLUDE',
        'MLD_RECORD_TYPE_IS_INCLUDE',
        'MLD_RECORD_TYPE_TO_EXCLUDE',
        'MLD_RECORD_TYPE_TO_INCLUDE',
        'MLD_V2_QUERY_MINLEN',
        'struct mldv2_query',
        'struct mldv2_record',
        'struct mldv2_report',
    )),
    (_BSD_NO_MIP6_ND, (
        'ND_OPT_ADV_INTERVAL',
        'ND_OPT_HA_INFORMATION',
        'ND_OPT_HOME_AGENT_INFO',
        'ND_OPT_PI_FLAG_RADDR',
        'ND_OPT_PI_FLAG_ROUTER',
        'ND_OPT_RTR_ADV_INTERVAL',
        'ND_RA_FLAG_HOMEAGENT',
        'ND_RA_FLAG_HOME_AGENT',
        'struct nd_opt_adv_interval',
        'struct nd_opt_home_agent_info',
        'struct nd_opt_homeagent_info',
    )),
    (_BSD_PROXY, (
        'ND_RA_FLAG_PROXY',
    )),
    (_BSD_RTHDR2, (
        'struct ip6_rthdr2',
    )),
)
_NETBSD_LACKS = (
    (_BSD_NEW_CODES, (
        'ICMP6_DST_UNREACH_REJECT',
        'ICMP6_PARAMPROB_FIRSTFRAG_INCOMPLETE_CHAIN',
        'ICMPV6_EXT_ECHO_REPLY',
        'ICMPV6_EXT_ECHO_REQUEST',
    )),
    (_BSD_NO_MIP6, (*_BSD_MIP6_NAMES, 'IPPROTO_MH')),
    (_BSD_MLD, (
        'MLD_RECORD_TYPE_ALLOW_NEW',
        'MLD_RECORD_TYPE_BLOCK_OLD',
        'MLD_RECORD_TYPE_IS_EXCLUDE',
        'MLD_RECORD_TYPE_IS_INCLUDE',
        'MLD_RECORD_TYPE_TO_EXCLUDE',
        'MLD_RECORD_TYPE_TO_INCLUDE',
        'MLD_V2_QUERY_MINLEN',
        'struct mldv2_query',
        'struct mldv2_record',
        'struct mldv2_report',
    )),
    (_BSD_NO_MIP6_ND, (
        'ND_OPT_ADV_INTERVAL',
        'ND_OPT_HA_INFORMATION',
        'ND_OPT_HOME_AGENT_INFO',
        'ND_OPT_PI_FLAG_RADDR',
        'ND_OPT_RTR_ADV_INTERVAL',
        'ND_RA_FLAG_HOMEAGENT',
        'struct nd_opt_adv_interval',
        'struct nd_opt_home_agent_info',
        'struct nd_opt_homeagent_info',
    )),
    (_BSD_RTHDR2, (
        'struct ip6_rthdr2',
    )),
)
_OPENBSD_LACKS = (
    (_BSD_NEW_CODES, (
        'ICMP6_DST_UNREACH_POLICY',
        'ICMP6_DST_UNREACH_REJECT',
        'ICMP6_PARAMPROB_FIRSTFRAG_INCOMPLETE_CHAIN',
        'ICMPV6_EXT_ECHO_REPLY',
        'ICMPV6_EXT_ECHO_REQUEST',
    )),
    (_BSD_NO_MIP6, (*_BSD_MIP6_NAMES, 'IPPROTO_MH')),
    (_BSD_MLD, (
        'MLD_LISTENER_REDUCTION',
        'MLD_MINLEN',
        'MLD_RECORD_TYPE_ALLOW_NEW',
        'MLD_RECORD_TYPE_BLOCK_OLD',
        'MLD_RECORD_TYPE_IS_EXCLUDE',
        'MLD_RECORD_TYPE_IS_INCLUDE',
        'MLD_RECORD_TYPE_TO_EXCLUDE',
        'MLD_RECORD_TYPE_TO_INCLUDE',
        'MLD_V2_QUERY_MINLEN',
        'struct mldv2_query',
        'struct mldv2_record',
        'struct mldv2_report',
    )),
    (_BSD_NO_MIP6_ND, (
        'ND_OPT_ADV_INTERVAL',
        'ND_OPT_HA_INFORMATION',
        'ND_OPT_HOME_AGENT_INFO',
        'ND_OPT_PI_FLAG_RADDR',
        'ND_OPT_PI_FLAG_ROUTER',
        'ND_OPT_RTR_ADV_INTERVAL',
        'ND_RA_FLAG_HOMEAGENT',
        'ND_RA_FLAG_HOME_AGENT',
        'struct nd_opt_adv_interval',
        'struct nd_opt_home_agent_info',
        'struct nd_opt_homeagent_info',
    )),
    (_BSD_PROXY, (
        'ND_RA_FLAG_PROXY',
    )),
    (_BSD_RTHDR2, (
        'struct ip6_rthdr2',
    )),
)

#: Names we declare that a platform's headers do not have, with the reason.
ABSENT: dict[str, dict[str, str]] = {
    "linux_glibc": _reasons(*_LINUX_LIBC_LACKS),
    "linux_musl": _reasons(*_LINUX_LIBC_LACKS, *_MUSL_LACKS),
    "darwin": _reasons(_NO_RTHDR_TYPE_2),
    "freebsd": _reasons(_NO_RTHDR_TYPE_2, *_FREEBSD_LACKS),
    "netbsd": _reasons(_NO_RTHDR_TYPE_2, *_NETBSD_LACKS),
    "openbsd": _reasons(_NO_RTHDR_TYPE_2, *_OPENBSD_LACKS),
    "windows": _reasons((
        "Winsock has no <netinet/icmp6.h>; the OS file declares the RFC 2894 section 3.1 bits so the "
        "router renumbering names exist on every OS (design rule 6)",
        ("ICMP6_RR_PCOUSE_RAFLAGS_ONLINK", "ICMP6_RR_PCOUSE_RAFLAGS_AUTO"))),
}

#: Platforms whose headers carry none of the RFC wire formats: a common.h
#: name they lack is accepted for the reason given (design rule 6 puts RFC
#: and IANA numbers on every OS; the layouts are pinned by the RFC table in
#: tests/test_conformance.py and by the Unix probes).
ABSENT_COMMON: dict[str, str] = {
    "windows": (
        "Winsock has no <netinet/ip6.h> or <netinet/icmp6.h>: no extension header "
        "structs, IP6OPT_*, ICMP6_*/ND_*/MLD_* or IPPROTO_MH; the RFC defines them"
    ),
}

#: What the ziglang package's headers lack beyond what the OS's own headers lack, per family.
_ZIG_DARWIN = (
    "ziglang's macOS headers have <netinet/in.h> but no <netinet/ip6.h> or <netinet/icmp6.h> "
    "(checked instead by the run probe on macOS, the RFC table and the BSD probes)"
)
ABSENT_ZIG: dict[str, dict[str, str]] = {
    "darwin": {name: _ZIG_DARWIN for name in (
        "struct icmp6_filter", "ICMP6_RR_PCOUSE_RAFLAGS_ONLINK", "ICMP6_RR_PCOUSE_RAFLAGS_AUTO")},
}
#: the ABSENT_COMMON reason under ziglang, per family
ABSENT_COMMON_ZIG: dict[str, str] = {"darwin": _ZIG_DARWIN}

#: Constants of platform_abi.json the headers define that we deliberately
#: do not declare, with the reason.
NOT_DECLARED: dict[str, dict[str, str]] = {
    "linux_glibc": {},
    "linux_musl": {},
    "darwin": {"SO_BINDTODEVICE": (
        "recent macOS SDKs (as ziglang ships) define it, older ones do not, and Apple documents no "
        "such option; sockapi6 declares only what every supported macOS SDK has")},
    "freebsd": {},
    "netbsd": {},
    "openbsd": {},
    "windows": {},
}


# -------------------------------------------------------------------- facts
class Check:
    """One fact to verify: a constant, a sizeof, an offsetof or a member size.

    ``key`` is the probe's label (``"IPV6_PKTINFO"``, ``"sizeof struct x"``,
    ``"offsetof struct x f"``, ``"fieldsize struct x f"``), ``expr`` the C
    expression that computes the system's value, ``value`` ours (None for a
    reference-only constant, whose presence alone matters), ``origin`` the
    cdefs file that declares it (or ``"reference"``), ``owner`` the type key
    of a field check.
    """

    __slots__ = ("expr", "key", "kind", "origin", "owner", "value")

    def __init__(self, key: str, kind: str, expr: str, value: Optional[int],
                 origin: str, owner: str = "") -> None:
        self.key = key
        self.kind = kind
        self.expr = expr
        self.value = value
        self.origin = origin
        self.owner = owner

    def __repr__(self) -> str:
        return f"Check({self.key!r}, {self.kind!r}, {self.expr!r}, {self.value!r}, {self.origin!r})"


_DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)", re.M)
_TAG = re.compile(r"^\s*(?:typedef\s+)?(struct|union)\s+(\w+)\s*\{", re.M)
_TYPEDEF = re.compile(r"^\s*typedef\s+[^;{]*?(\w+)\s*;", re.M)


def origins(platform: str) -> dict[str, str]:
    """Map every constant, tag and typedef name to the cdefs file declaring it."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_abi
    finally:
        sys.path.pop(0)
    osfile = gen_abi._platform.OSES[platform].cdefs
    where: dict[str, str] = {}
    for name in ("common.h", osfile):  # the OS file wins for a name in both
        text = (CDEFS / name).read_text()
        for m in _DEFINE.finditer(text):
            where[m.group(1)] = name
        for m in _TAG.finditer(text):
            where[f"{m.group(1)} {m.group(2)}"] = name
        for m in _TYPEDEF.finditer(text):
            where[m.group(1)] = name
    return where


def reference_constants(platform: str) -> dict[str, object]:
    """Return the constants platform_abi.json lists for ``platform`` (value or None)."""
    if not REFERENCE.exists():
        return {}
    data = json.loads(REFERENCE.read_text())
    entry = data["platforms"].get(REFERENCE_KEY.get(platform, platform), {})
    names: dict[str, object] = dict(entry.get("constants", {}))
    names.update(entry.get("extra_constants", {}))
    return names


def _module(platform: str, arch: Optional[str] = None) -> ModuleType:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from sockapi6._system.binding import abi_module

    return abi_module(platform, default_arch(platform, arch))


def default_arch(platform: str, arch: Optional[str] = None) -> str:
    """Return ``arch``, or the running architecture where ``platform`` supports it, else its first."""
    if arch is not None:
        return arch
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from sockapi6._system.binding import ARCH
    from sockapi6._system.platform import SUPPORTED

    return ARCH if ARCH in SUPPORTED[platform] else SUPPORTED[platform][0]


def _layouts(module: ModuleType, arch: str) -> object:
    from sockapi6._system.layout import Layouts
    from sockapi6._system.platform import ARCHES

    return Layouts(module, ARCHES[arch])


def _walk(ffi: object, ctype: object, prefix: str, base: int) -> Iterator[tuple[str, int, int, bool]]:
    """Yield ``(path, offset, size, open_array)`` for every field of ``ctype``.

    Anonymous members come flattened by cffi; a named member whose type has
    no tag is descended into, giving dotted paths.
    """
    for name, field in getattr(ctype, "fields", None) or ():
        if field.bitsize != -1:
            continue  # no offsetof for bit-fields; sizeof still pins them
        ftype = field.type
        path = prefix + name
        # a trailing [] or [0] array has no size to compare (C99 6.7.2.1)
        open_array = ftype.kind == "array" and not ftype.length
        size = 0 if open_array else ffi.sizeof(ftype)  # type: ignore[attr-defined]
        yield path, base + field.offset, size, open_array
        if ftype.kind in ("struct", "union") and ftype.cname.split(" ", 1)[1].startswith("$"):
            yield from _walk(ffi, ftype, path + ".", base + field.offset)


def checks(platform: str, arch: Optional[str] = None) -> list[Check]:
    """Return every fact to verify for ``platform`` on ``arch`` (default: the running one).

    Our values come from the generated module of the pair, with layouts
    computed for that architecture (``sockapi6._system.layout``).
    """
    arch = default_arch(platform, arch)
    mod = _module(platform, arch)
    lay: Any = _layouts(mod, arch)
    ffi = mod.ffi
    where = origins(platform)
    type_names = TYPE_NAMES.get(platform, {})
    field_names = FIELD_NAMES.get(platform, {})
    out: list[Check] = []
    for name, value in mod.CONSTANTS.items():
        out.append(Check(name, "constant", name, int(value), where.get(name, "?")))
    for name in reference_constants(platform):
        if name not in mod.CONSTANTS and re.fullmatch(r"[A-Za-z_]\w*", name):
            out.append(Check(name, "reference", name, None, "reference"))
    typedefs = sorted(ffi.list_types()[0])
    for name in typedefs:
        out.append(Check(f"sizeof {name}", "sizeof", type_names.get(name, name), lay.sizeof(name),
                         where.get(name, "?"), owner=name))
    for tkey in mod.TYPES:
        if tkey not in mod.MEMBERS:
            continue  # opaque (declared for pointers only): no layout to check
        cname = type_names.get(tkey, tkey)
        origin = where.get(tkey, "?")
        out.append(Check(f"sizeof {tkey}", "sizeof", cname, lay.sizeof(tkey), origin, owner=tkey))
        for path, offset, size, open_array, tref, count in lay.walk(tkey):
            rule = field_names.get((tkey, path))
            member, kinds = path, _ALL
            if rule is not None:
                if rule[0] is None:
                    continue
                member, kinds = rule[0], rule[1]
            if "offsetof" in kinds:
                out.append(Check(f"offsetof {tkey} {path}", "offsetof",
                                 f"offsetof({cname}, {member})", offset, origin, owner=tkey))
            if "fieldsize" in kinds and not open_array:
                out.append(Check(f"fieldsize {tkey} {path}", "fieldsize",
                                 f"sizeof((({cname} *)0)->{member})", size, origin, owner=tkey))
            signed = None if open_array else lay.is_signed(tref)
            if (signed is not None and "signed" in kinds
                    and not path.split(".")[-1].startswith(PRIVATE_PREFIX)):
                index = "[0]" if count >= 0 else ""
                out.append(Check(
                    f"signed {tkey} {path}", "signed",
                    f"(__typeof__((({cname} *)0)->{member}{index}))-1 < 0",
                    int(signed), origin, owner=tkey))
    for name in typedefs:
        signed = lay.is_signed(name)
        if signed is not None:
            out.append(Check(f"signed {name}", "signed", f"({type_names.get(name, name)})-1 < 0",
                             int(signed), where.get(name, "?"), owner=name))
    out += record_checks(platform, arch, lay)
    return out


#: the C macros giving a control message's length and space, per family
_CMSG_MACROS = {"windows": ("WSA_CMSG_LEN", "WSA_CMSG_SPACE")}


def record_checks(platform: str, arch: str, lay: Any) -> list[Check]:
    """Return the platform record's checkable facts: CMSG_LEN/CMSG_SPACE from its CMSG alignment."""
    from sockapi6._system.platform import record

    align = record(platform, arch).cmsg_align
    header = (lay.sizeof("struct cmsghdr") + align - 1) // align * align
    length, space = _CMSG_MACROS.get(platform, ("CMSG_LEN", "CMSG_SPACE"))
    return [
        Check("record CMSG_LEN(0)", "record", f"{length}(0)", header, "sockapi6/_system/platform.py"),
        Check("record CMSG_SPACE(1)", "record", f"{space}(1)", header + align,
              "sockapi6/_system/platform.py"),
    ]


# ------------------------------------------------------------------ sources
_OPTIONAL_HEADERS = ("netinet/ip6.h", "netinet/icmp6.h")


def _head(platform: str, comment: str) -> list[str]:
    lines = [f"/* Generated by tools/probe.py for {platform}: {comment}. */"]
    for macro in PRELUDE.get(platform, ()):
        lines.append(f"#define {macro}")
    for header in INCLUDES.get(platform, _POSIX):
        if header in _OPTIONAL_HEADERS:  # ziglang's macOS headers lack them: ABSENT_COMMON_ZIG
            lines += [f"#if __has_include(<{header}>)", f"#include <{header}>", "#endif"]
        else:
            lines.append(f"#include <{header}>")
    lines.append("#include <stddef.h>")
    return lines


def render_discover(platform: str, items: Sequence[Check]) -> tuple[str, dict[int, str]]:
    """Return the discovery source and a map line number -> check key.

    A line that fails to compile names an item the headers lack.  Constants
    are tried only when they are not macros, so a line that compiles for a
    non-macro name marks an enumerator.
    """
    lines = _head(platform, "discovery, compiled with -fsyntax-only")
    lines.append("void sockapi6_probe_discover(void);")
    lines.append("void sockapi6_probe_discover(void) {")
    where: dict[int, str] = {}
    for check in items:
        if check.kind in ("constant", "reference"):
            lines.append(f"#ifndef {check.expr}")
            lines.append(f"    (void)({check.expr});")
            where[len(lines)] = check.key
            lines.append("#endif")
        elif check.kind == "sizeof":
            lines.append(f"    (void)sizeof({check.expr});")
            where[len(lines)] = check.key
        else:
            lines.append(f"    (void)({check.expr});")
            where[len(lines)] = check.key
    lines.append("}")
    return "\n".join(lines) + "\n", where


def _value_expr(check: Check) -> str:
    return f"sizeof({check.expr})" if check.kind == "sizeof" else f"({check.expr})"


def render_run(platform: str, items: Sequence[Check], absent: set[str]) -> str:
    """Return a C program printing the header's value of every item."""
    lines = _head(platform, "run mode")
    lines += ["#include <stdio.h>", "", "int main(void) {"]
    for check in items:
        if check.key in absent:
            lines.append(f'    puts("{check.key} absent");')
            continue
        show = f'    printf("%s %lld\\n", "{check.key}", (long long){_value_expr(check)});'
        if check.kind in ("constant", "reference"):
            lines += [f"#if defined({check.expr}) || SOCKAPI6_ENUM_{check.expr}", show,
                      "#else", f'    puts("{check.key} absent");', "#endif"]
        else:
            lines.append(show)
    lines += ["    return 0;", "}"]
    return "\n".join(lines) + "\n"


def render_assert(platform: str, items: Sequence[Check], absent: set[str]) -> str:
    """Return a translation unit whose every mismatch is a ``_Static_assert`` failure."""
    lines = _head(platform, "assert mode, compile only")
    for check in items:
        if check.key in absent or check.value is None:
            continue
        test = f"{_value_expr(check)} == {check.value}"
        message = f"{check.key}: declared {check.value}"
        assertion = f'_Static_assert({test}, "{message}");'
        if check.kind == "constant":
            lines += [f"#if defined({check.expr}) || SOCKAPI6_ENUM_{check.expr}", assertion, "#endif"]
        else:
            lines.append(assertion)
    lines.append("typedef int sockapi6_probe_nonempty;")
    return "\n".join(lines) + "\n"


def _enum_macros(enums: set[str]) -> str:
    return "".join(f" -DSOCKAPI6_ENUM_{name}=1" for name in sorted(enums))


# ----------------------------------------------------------------- compiling
class ProbeError(RuntimeError):
    """The probe could not be compiled or run for a reason other than a mismatch."""


def find_compiler(platform: str, cc: Optional[str] = None) -> Optional[list[str]]:
    """Return the compiler command for ``platform``'s probe, or None when absent.

    ``cc`` (or ``$CC`` for a run-mode platform) overrides the default list.
    """
    names, mode = COMPILERS.get(platform, _DEFAULT_COMPILERS)
    if cc is None and mode == "run":
        cc = os.environ.get("CC")
    if cc is not None:
        argv = shlex.split(cc)
        return argv if argv and shutil.which(argv[0]) else None
    for name in names:
        if shutil.which(name):
            return [name]
    return None


def _compile(cc: Sequence[str], source: str, args: Sequence[str], tmp: pathlib.Path,
             name: str) -> subprocess.CompletedProcess[str]:
    path = tmp / name
    path.write_text(source)
    return subprocess.run([*cc, *args, "-w", str(path)], cwd=tmp, capture_output=True,
                          text=True, timeout=300)


_DIAG = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?:\d+:)? (?P<sev>fatal error|error|note|warning)")


def _error_lines(stderr: str, filename: str) -> tuple[set[int], list[str]]:
    """Group diagnostics by error; return our line numbers and errors elsewhere.

    An error inside a macro expansion (``s6_addr`` -> ``__in6_u.__u6_addr8``)
    is reported at the header and names our line in the notes that follow.
    """
    ours: set[int] = set()
    stray: list[str] = []
    block: list[tuple[str, int, str]] = []

    def flush() -> None:
        mine = {ln for f, ln, _s in block if pathlib.Path(f).name == filename}
        if mine:
            ours.update(mine)
        elif block:
            stray.append(f"{block[0][0]}:{block[0][1]}: {block[0][2]}")

    for text in stderr.splitlines():
        m = _DIAG.match(text)
        if m is None:
            continue
        sev = m.group("sev")
        if sev in ("error", "fatal error"):
            flush()
            block = [(m.group("file"), int(m.group("line")), text)]
        elif block and sev == "note":
            block.append((m.group("file"), int(m.group("line")), text))
    flush()
    return ours, stray


class Discovery:
    """What the headers lack (``absent`` keys) and which constants are enumerators."""

    __slots__ = ("absent", "enums")

    def __init__(self, absent: set[str], enums: set[str]) -> None:
        self.absent = absent
        self.enums = enums


def discover(platform: str, cc: Sequence[str], items: Sequence[Check],
             tmp: pathlib.Path) -> Discovery:
    """Compile the discovery source until it is clean; return what is absent.

    Compilers that stop after N errors (clang stops at 20) take several
    rounds; each round drops the lines that failed.
    """
    absent: set[str] = set()
    remaining = list(items)
    for _round in range(50):
        source, where = render_discover(platform, remaining)
        result = _compile(cc, source, _syntax_only(cc), tmp, "discover.c")
        if result.returncode == 0:
            break
        bad, stray = _error_lines(result.stderr, "discover.c")
        failed = {where[ln] for ln in bad if ln in where}
        if stray or not failed:
            raise ProbeError(f"{platform}: the headers do not compile with {' '.join(cc)}:\n"
                             + "\n".join(stray or result.stderr.splitlines()[:40]))
        absent |= failed
        remaining = [c for c in remaining if c.key not in failed]
    else:  # pragma: no cover - 50 rounds of 20 errors is more than we declare
        raise ProbeError(f"{platform}: discovery did not converge")
    # an item of a type the headers lack is absent with it
    gone_types = {c.owner for c in items if c.kind == "sizeof" and c.key in absent}
    absent |= {c.key for c in items if c.owner in gone_types}
    # which present constants are not macros: ask the preprocessor
    names = [c for c in items if c.kind in ("constant", "reference") and c.key not in absent]
    lines = _head(platform, "macro test")
    for c in names:
        lines += [f"#ifndef {c.expr}", f"sockapi6_enum {c.expr}", "#endif"]
    pre = _compile(cc, "\n".join(lines) + "\n", ["-E", "-P"], tmp, "macros.c")
    if pre.returncode != 0:
        raise ProbeError(f"{platform}: preprocessing failed:\n{pre.stderr[:4000]}")
    enums = set(re.findall(r"sockapi6_enum\s+(?:\(\s*)?(\w+)", pre.stdout))
    return Discovery(absent, enums)


class Report:
    """The outcome of :func:`verify`: every mismatch and what was verified."""

    __slots__ = ("absent", "arch", "compiler", "counts", "enums", "mismatches", "mode", "platform", "zig")

    def __init__(self, platform: str, compiler: str, mode: str, arch: str = "", zig: bool = False) -> None:
        self.platform = platform
        self.arch = arch
        self.zig = zig
        self.compiler = compiler
        self.mode = mode
        self.mismatches: list[str] = []
        self.counts: dict[str, int] = {
            "constants": 0, "sizes": 0, "offsets": 0, "fieldsizes": 0, "signedness": 0,
            "reference": 0, "aliases": 0, "record": 0,
        }
        self.absent: set[str] = set()
        self.enums: set[str] = set()

    def summary(self) -> str:
        c = self.counts
        return (f"{self.platform}/{self.arch} ({self.compiler}, {self.mode} mode): "
                f"{c['constants']} constants, "
                f"{c['sizes']} sizes, {c['offsets']} offsets, {c['fieldsizes']} member sizes, "
                f"{c['signedness']} signednesses verified ({c['aliases']} members through an "
                f"alias spelling); {c['reference']} reference constants present and declared; "
                f"{c['record']} platform-record facts (CMSG); {len(self.mismatches)} mismatches")

    def total(self) -> int:
        """Return the number of values compared with the headers (and found equal)."""
        c = self.counts
        return (c["constants"] + c["sizes"] + c["offsets"] + c["fieldsizes"] + c["signedness"]
                + c["record"])


_COUNTER = {"constant": "constants", "sizeof": "sizes", "offsetof": "offsets", "record": "record",
            "fieldsize": "fieldsizes", "signed": "signedness"}


def _apply_rules(report: Report, items: Sequence[Check], absent: set[str]) -> list[Check]:
    """Check absences against the lists; return the items still to compare."""
    listed = dict(ABSENT.get(report.platform, {}))
    common_reason = ABSENT_COMMON.get(report.platform)
    if report.zig:
        listed.update(ABSENT_ZIG.get(report.platform, {}))
        common_reason = ABSENT_COMMON_ZIG.get(report.platform, common_reason)
    common_ok = common_reason is not None
    listed.update({c.key if c.kind == "constant" else c.owner: common_reason
                   for c in items if common_ok and c.origin == "common.h"
                   and c.kind in ("constant", "sizeof") and c.key in absent})
    refuse = NOT_DECLARED.get(report.platform, {})
    compare: list[Check] = []
    type_absent = {c.owner for c in items if c.kind == "sizeof" and c.key in absent}
    aliases = _aliases(items, absent)
    for c in items:
        gone = c.key in absent
        if c.kind == "reference":
            if not gone and c.key not in refuse:
                report.mismatches.append(
                    f"{c.key}: the headers define it (platform_abi.json lists it) but we do not "
                    f"declare it; declare it in cdefs or list it in probe.NOT_DECLARED")
            continue
        name = c.key if c.kind == "constant" else c.owner
        if c.kind == "record" and gone:
            report.mismatches.append(f"{c.key}: the headers have no {c.expr}")
            continue
        if c.kind == "constant" and gone:
            if name not in listed:
                rule = ("an OS-file constant must exist in the headers"
                        if c.origin != "common.h" else "a common.h constant may be absent only if listed")
                report.mismatches.append(f"{c.key}: absent from the headers ({c.origin}); {rule} "
                                         f"(probe.ABSENT[{report.platform!r}] with a reason)")
            continue
        if c.kind == "sizeof" and gone:
            if name not in listed:
                report.mismatches.append(f"{c.owner}: the headers have no such type ({c.origin}); "
                                         f"list it in probe.ABSENT[{report.platform!r}] with a reason")
            continue
        if c.kind in ("offsetof", "fieldsize", "signed") and gone:
            path = c.key.split(" ")[-1]
            if c.owner in type_absent or path.split(".")[-1].startswith(PRIVATE_PREFIX):
                continue
            if (c.owner, path) in aliases:
                report.counts["aliases"] += c.kind == "offsetof"
                continue
            if c.kind == "offsetof":
                report.mismatches.append(
                    f"{c.key}: the headers' {c.owner} has no member {path}; map or skip it in "
                    f"probe.FIELD_NAMES[{report.platform!r}] with a reason")
            elif f"offsetof {c.owner} {path}" not in absent:
                report.mismatches.append(f"{c.key}: the probe expression does not compile "
                                         f"({c.expr}); fix tools/probe.py")
            continue
        if name in listed and c.kind in ("constant", "sizeof"):
            report.mismatches.append(f"{name}: listed in probe.ABSENT[{report.platform!r}] but the "
                                     "headers define it; remove the entry")
        compare.append(c)
    return compare


def _aliases(items: Sequence[Check], absent: set[str]) -> set[tuple[str, str]]:
    """Return the (type, path) of absent members that overlay a present one.

    An anonymous union offering two spellings of the same bytes (RFC 4584's
    ``nd_opt_ai_*`` and glibc's ``nd_opt_adv_interval_*``) is verified through
    the spelling the headers have: same offset and same size.
    """
    place: dict[tuple[str, str], list[int]] = {}
    for c in items:
        if c.kind in ("offsetof", "fieldsize") and c.value is not None:
            place.setdefault((c.owner, c.key.split(" ")[-1]), []).append(c.value)
    present = {(owner, tuple(v)) for (owner, path), v in place.items()
               if f"offsetof {owner} {path}" not in absent and len(v) == 2}
    return {(owner, path) for (owner, path), v in place.items()
            if f"offsetof {owner} {path}" in absent and (owner, tuple(v)) in present}


def _run_mode(report: Report, cc: Sequence[str], items: Sequence[Check], disc: Discovery,
              tmp: pathlib.Path) -> None:
    source = render_run(report.platform, items, disc.absent)
    exe = tmp / "probe.exe"
    result = _compile(cc, source, [*shlex.split(_enum_macros(disc.enums)), "-o", str(exe)],
                      tmp, "probe.c")
    if result.returncode != 0:
        raise ProbeError(f"{report.platform}: run probe did not compile:\n{result.stderr[:4000]}")
    out = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60, check=True)
    found: dict[str, Optional[int]] = {}
    for line in out.stdout.splitlines():
        key, _, value = line.rpartition(" ")
        found[key] = None if value == "absent" else int(value)
    for c in items:
        if c.key in disc.absent or c.kind == "reference":
            continue
        got = found.get(c.key)
        if got is None:
            report.mismatches.append(f"{c.key}: the run probe reported it absent")
        elif got != c.value:
            report.mismatches.append(f"{c.key}: headers say {got}, we declare {c.value} ({c.origin})")
        else:
            report.counts[_COUNTER[c.kind]] += 1


# gcc: static assertion failed: "KEY: declared N"; clang: ... due to requirement '...': KEY: declared N
_ASSERT_MSG = re.compile(
    r"""static assertion failed(?: due to requirement '.*')?: "?(.*?: declared -?\d+)"?\s*$""", re.M)


def _assert_mode(report: Report, cc: Sequence[str], items: Sequence[Check], disc: Discovery,
                 tmp: pathlib.Path) -> None:
    source = render_assert(report.platform, items, disc.absent)
    result = _compile(cc, source, [*shlex.split(_enum_macros(disc.enums)), *_syntax_only(cc)],
                      tmp, "asserts.c")
    failed = set()
    if result.returncode != 0:
        messages = _ASSERT_MSG.findall(result.stderr)
        if not messages:
            raise ProbeError(f"{report.platform}: assert probe did not compile:\n{result.stderr[:4000]}")
        for message in messages:
            key, _, declared = message.rpartition(": declared ")
            failed.add(key)
            origin = next((c.origin for c in items if c.key == key), "?")
            report.mismatches.append(f"{key}: the headers disagree with our {declared} ({origin})")
    for c in items:
        if c.key not in disc.absent and c.kind != "reference" and c.key not in failed:
            report.counts[_COUNTER[c.kind]] += 1


def verify(platform: str, cc: Optional[Sequence[str]] = None, mode: Optional[str] = None,
           items: Optional[Sequence[Check]] = None, arch: Optional[str] = None) -> Report:
    """Compile (and in run mode run) the probe for ``platform`` on ``arch``; return the report.

    ``items`` replaces :func:`checks` (the test suite feeds wrong values to
    prove that every kind of mismatch is caught).  A ziglang compiler
    (:func:`zig_command`) applies :data:`ABSENT_ZIG` too.
    """
    names, default_mode = COMPILERS.get(platform, _DEFAULT_COMPILERS)
    compiler = list(cc) if cc is not None else find_compiler(platform)
    if not compiler:
        raise ProbeError(f"{platform}: no compiler ({', '.join(names)})")
    mode = mode or default_mode
    arch = default_arch(platform, arch)
    zig = _is_zig(compiler)
    report = Report(platform, " ".join(compiler), mode, arch, zig)
    items = list(items) if items is not None else checks(platform, arch)
    with tempfile.TemporaryDirectory(prefix="sockapi6-probe-") as name:
        tmp = pathlib.Path(name)
        disc = discover(platform, compiler, items, tmp)
        report.absent, report.enums = disc.absent, disc.enums
        compare = _apply_rules(report, items, disc.absent)
        if mode == "run":
            _run_mode(report, compiler, compare, disc, tmp)
        else:
            _assert_mode(report, compiler, compare, disc, tmp)
    declared = {c.key for c in items if c.kind == "constant" and c.key not in disc.absent}
    report.counts["reference"] = len(declared & set(reference_constants(platform)))
    return report


# ------------------------------------------------------------------ ziglang
#: the ziglang release whose headers the pairs were checked against (tox.ini pins the same)
ZIG_VERSION = "0.17.1"


def zig_available() -> bool:
    """Return whether the ``ziglang`` package is importable by this interpreter."""
    import importlib.util

    return importlib.util.find_spec("ziglang") is not None


def zig_command(platform: str, arch: str) -> list[str]:
    """Return the ``python -m ziglang cc`` command compiling for the pair's real headers.

    32-bit glibc gets ``_TIME_BITS=64`` (and the ``_FILE_OFFSET_BITS=64`` it
    requires): the record's time64 dimension, as musl has by default.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from sockapi6._system.platform import record

    rec = record(platform, arch)
    argv = [sys.executable, "-m", "ziglang", "cc", "-target", rec.zig_target, "-ferror-limit=0"]
    if rec.facts.libc == "glibc" and rec.arch.pointer_size == 4:
        argv += ["-D_TIME_BITS=64", "-D_FILE_OFFSET_BITS=64"]
    return argv


def _is_zig(cc: Sequence[str]) -> bool:
    return "ziglang" in cc


def _syntax_only(cc: Sequence[str]) -> list[str]:
    # zig's -fsyntax-only trips over a cache rename; compiling to nothing checks the same
    return ["-c", "-o", os.devnull] if _is_zig(cc) else ["-fsyntax-only"]


def main(argv: Optional[list[str]] = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("platform", nargs="?", help="default: the running platform")
    parser.add_argument("--arch", help="architecture (default: the running one, else the platform's first)")
    parser.add_argument("--zig", action="store_true", help="compile against ziglang's headers of the pair")
    parser.add_argument("--cc", help="compiler command (default: per platform, or $CC)")
    parser.add_argument("--mode", choices=("run", "assert"))
    parser.add_argument("--emit", choices=("discover", "run", "assert"),
                        help="print a generated source instead of verifying")
    args = parser.parse_args(argv)
    platform = args.platform or _module_platform()
    arch = default_arch(platform, args.arch)
    cc = zig_command(platform, arch) if args.zig else find_compiler(platform, args.cc)
    if args.zig and args.mode is None:
        args.mode = "assert"
    items = checks(platform, arch)
    if args.emit == "discover":
        sys.stdout.write(render_discover(platform, items)[0])
        return 0
    if cc is None:
        print(f"no compiler for {platform}", file=sys.stderr)
        return 2
    if args.emit:
        with tempfile.TemporaryDirectory(prefix="sockapi6-probe-") as name:
            disc = discover(platform, cc, items, pathlib.Path(name))
        render = render_run if args.emit == "run" else render_assert
        sys.stdout.write(f"/* build with:{_enum_macros(disc.enums)} */\n")
        sys.stdout.write(render(platform, items, disc.absent))
        return 0
    report = verify(platform, cc, args.mode, arch=arch)
    for line in report.mismatches:
        print(line)
    print(report.summary())
    return 1 if report.mismatches else 0


def _module_platform() -> str:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from sockapi6._system.binding import PLATFORM

    return PLATFORM


if __name__ == "__main__":
    sys.exit(main())
