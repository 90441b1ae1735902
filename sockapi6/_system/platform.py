"""The platform record: every fact that differs by OS, C library or architecture, in one place.

A platform is a pair (declarations family, architecture): ``("linux_musl",
"mips")``.  The family picks the cdefs OS file (``cdefs/linux.h``) and the C
library; the architecture picks pointer size, byte order, 64-bit integer
alignment and the ``@arch`` blocks of the OS file (Linux MIPS socket numbers,
musl's big-endian ``cmsghdr``, 64-bit ``time_t`` on 32-bit Linux).  What the
rest of the package asks about the running system — CMSG alignment, the
meaning of a set bit in ``icmp6_filter``, KAME scope embedding, which options
and control messages the kernel refuses, where errors are read, libc-private
buffer sizes — is a field of :class:`Platform`, read from :data:`RECORDS`.

Adding an OS is one cdefs file and one :class:`OSFacts` entry in :data:`OSES`
(plus its supported architectures in :data:`SUPPORTED`); ``tools/gen_abi.py``
then generates its declarations and ``tools/probe.py`` checks them against the
OS's headers for every architecture listed.

The running architecture comes from the interpreter, never from ``uname``
alone (a 32-bit userland on a 64-bit kernel reports the kernel's machine):
``sys.implementation._multiarch`` where CPython has it, else the machine name
corrected by the interpreter's pointer size and byte order.
"""

from __future__ import annotations

import errno as _errno
import os
import sys

TYPE_CHECKING = False  # no typing at run time: ``import sockapi6`` loads this module

if TYPE_CHECKING:
    from typing import Optional

__all__ = [
    "ARCHES", "Arch", "OSES", "OSFacts", "Platform", "RECORDS", "Refusal", "SUPPORTED", "detect_arch",
    "record",
]


class Arch:
    """One CPU architecture's data model: what layouts and ``@arch`` blocks depend on.

    ``tags`` are the words ``@arch`` blocks of the cdefs files select on:
    the arch name, ``lp64``/``ilp32``, ``le``/``be`` and family words
    (``mips`` for mips and mipsel, ``ppc`` for ppc64le), ``time64`` on 32-bit
    Linux (64-bit ``time_t``: musl since 1.2, glibc with ``_TIME_BITS=64``).
    """

    __slots__ = ("big_endian", "int64_align", "name", "pointer_size", "tags", "zig")

    def __init__(self, name: str, pointer_size: int, big_endian: bool, int64_align: int,
                 zig: str, extra: tuple[str, ...] = ()) -> None:
        self.name = name
        self.pointer_size = pointer_size
        self.big_endian = big_endian
        self.int64_align = int64_align
        self.zig = zig
        model = "lp64" if pointer_size == 8 else "ilp32"
        self.tags: frozenset[str] = frozenset((name, model, "be" if big_endian else "le", *extra))

    def __repr__(self) -> str:
        return f"Arch({self.name!r})"


#: the architectures sockapi6 knows; ``zig`` is the ziglang target's CPU part
ARCHES: dict[str, Arch] = {a.name: a for a in (
    Arch("x86_64", 8, False, 8, "x86_64"),
    Arch("aarch64", 8, False, 8, "aarch64"),
    Arch("ppc64le", 8, False, 8, "powerpc64le", ("ppc",)),
    Arch("riscv64", 8, False, 8, "riscv64"),
    Arch("s390x", 8, True, 8, "s390x"),
    Arch("arm", 4, False, 8, "arm"),
    Arch("i386", 4, False, 4, "x86"),  # the i386 SysV ABI aligns 64-bit integers in structs to 4
    Arch("mips", 4, True, 8, "mips", ("mips",)),
    Arch("mipsel", 4, False, 8, "mipsel", ("mips",)),
)}


class Refusal:
    """One known cause of a kernel refusal: the ``errno`` values it comes with and what it means.

    ``what`` names the feature the OS lacks (the refusal then reads as a
    :class:`~sockapi6.errors.NotSupportedError`); empty for a refusal of
    this call's values, which stays a plain ``OSError``.  ``reason`` is the
    explanation; ``{name}`` fields in it are filled in from what the
    diagnosis found (the address, the interface index, ...).
    """

    __slots__ = ("errnos", "reason", "what")

    def __init__(self, errnos: tuple[int, ...], what: str, reason: str) -> None:
        self.errnos = errnos
        self.what = what
        self.reason = reason

    def __repr__(self) -> str:
        return f"Refusal({self.errnos!r}, {self.what!r}, {self.reason!r})"


class OSFacts:
    """What one declarations family (an OS and its C library) does, independent of the CPU.

    ``cmsg_align`` is None where CMSG_ALIGN rounds to the pointer size
    (Linux, the BSDs, Windows on 64-bit), else the fixed rounding (macOS: 4).
    ``sys_platform`` is the ``sys.platform`` prefix of the OS (default: ``os``),
    ``library`` what ``dlopen`` opens (None: the C library itself).
    """

    __slots__ = (
        "address_flags_file",
        "aliases",
        "cdefs",
        "checksum_on_icmpv6",
        "cmsg_align",
        "embeds_scope",
        "error_source",
        "icmp6_filter_set_bit",
        "libc",
        "library",
        "name",
        "os",
        "refusal_causes",
        "refused_cmsgs",
        "refused_options",
        "sll_addr_room",
        "sys_platform",
        "sysctl_access",
        "tos_receive_type",
        "tos_send_size",
        "zig_os",
    )

    def __init__(self, name: str, os_: str, libc: Optional[str], cdefs: str, zig_os: str, *,
                 cmsg_align: Optional[int] = None, icmp6_filter_set_bit: Optional[str],
                 embeds_scope: bool, error_source: str = "errno",
                 refused_options: Optional[dict[str, tuple[int, ...]]] = None,
                 refused_cmsgs: tuple[str, ...] = (), checksum_on_icmpv6: str = "",
                 refusal_causes: Optional[dict[str, Refusal]] = None,
                 sll_addr_room: Optional[int] = None, aliases: tuple[str, ...] = (),
                 sys_platform: str = "", library: Optional[str] = None,
                 tos_receive_type: str = "IP_TOS", tos_send_size: int = 4,
                 sysctl_access: str = "sysctlbyname", address_flags_file: Optional[str] = None) -> None:
        self.name = name
        self.sys_platform = sys_platform or os_
        self.library = library
        self.aliases = aliases
        self.os = os_
        self.libc = libc
        self.cdefs = cdefs
        self.zig_os = zig_os
        self.cmsg_align = cmsg_align
        self.icmp6_filter_set_bit = icmp6_filter_set_bit
        self.embeds_scope = embeds_scope
        self.error_source = error_source
        self.refused_options = refused_options or {}
        self.refused_cmsgs = refused_cmsgs
        self.refusal_causes = refusal_causes or {}
        self.checksum_on_icmpv6 = checksum_on_icmpv6
        self.sll_addr_room = sll_addr_room
        #: the cmsg type an IPv4 datagram's TOS octet arrives with (one byte everywhere): Linux uses the
        #: option's own number, IP_TOS; FreeBSD and macOS deliver it as IP_RECVTOS
        self.tos_receive_type = tos_receive_type
        #: octets of an IP_TOS control message on send: FreeBSD wants a u_char and refuses an int;
        #: Linux and macOS take an int
        self.tos_send_size = tos_send_size
        #: how sockapi6.sysctl reaches the kernel's knobs: "procfs" (/proc/sys), "sysctlbyname" (3),
        #: "mib" (sysctl(2) with MIB numbers: OpenBSD has no sysctlbyname), "" (none)
        self.sysctl_access = sysctl_access
        #: where the kernel lists its addresses' IFA_F_* flags (temporary, home, ...), None if nowhere
        self.address_flags_file = address_flags_file

    def __repr__(self) -> str:
        return f"OSFacts({self.name!r})"


_LINUX_CHECKSUM = ("Linux refuses IPV6_CHECKSUM at level IPPROTO_IPV6 on ICMPv6 raw sockets because "
                   "the kernel always computes and verifies the ICMPv6 checksum itself (offset 2, "
                   "RFC 3542 section 3.1); the SOL_RAW-level option (raw_checksum, as odhcpd sets it) "
                   "is accepted")
_EINVAL = (_errno.EINVAL,)
#: why Linux refuses what it refuses (docs/kernel-facts.md rows 8, 13, 17; ip6_datagram_send_ctl and
#: ipv6_set_opt_hdr in the kernel): cause -> Refusal, applied by sockapi6._system.oserror.explain
_LINUX_REFUSALS = {
    "rthdr_type0": Refusal(_EINVAL, "", (
        "every Linux kernel refuses a type 0 routing header, as the sticky IPV6_RTHDR option and as "
        "ancillary data (RFC 5095 deprecated type 0)")),
    "rthdr_type2": Refusal(_EINVAL, "", (
        "Linux takes a type 2 routing header only when built with CONFIG_IPV6_MIP6 (this kernel refused "
        "it), and then only with one address and Segments Left 1 (RFC 6275 section 6.4)")),
    "srh_ancillary": Refusal(_EINVAL, "", (
        "Linux takes a Segment Routing Header (routing type 4, RFC 8754) only as the sticky IPV6_RTHDR "
        "option, not as ancillary data: set SocketOptions(sock).rthdr instead")),
    "nexthop": Refusal((_errno.EINVAL, _errno.ENOPROTOOPT), "IPV6_NEXTHOP", (
        "Linux defines it but implements it neither as a socket option nor as ancillary data; "
        "choose the outgoing interface with PacketInfo(ifindex=...) or add a route")),
    "pktinfo_scope": Refusal(_EINVAL, "", (
        "the PacketInfo interface {ifindex} disagrees with {where} {scope}: the kernel "
        "sends on one interface, so they must agree (or leave one of them 0)")),
    "pktinfo_source": Refusal(_EINVAL, "", (
        "the PacketInfo source address {address} is not an address of this host (the kernel takes "
        "only local addresses unless IPV6_TRANSPARENT, IPV6_FREEBIND or net.ipv6.ip_nonlocal_bind "
        "allows others)")),
    "pktinfo_tentative": Refusal(_EINVAL, "", (
        "the PacketInfo source address {address} is still tentative (Duplicate Address Detection, "
        "RFC 4862 section 5.4, has not finished): the kernel refuses it as a source until then")),
    "pktinfo_link": Refusal(_EINVAL, "", (
        "the PacketInfo source address {address} is link-local but not assigned to interface "
        "{ifindex}: a link-local source must belong to the outgoing interface (RFC 4007 section 6)")),
}
_LINUX = {
    # Linux's glibc/musl/bionic ICMP6_FILTER_* macros block on a set bit; KAME stacks pass on it
    "icmp6_filter_set_bit": "block",
    "embeds_scope": False,
    # design.md kernel facts: IPV6_NEXTHOP is defined but refused (EINVAL as a sticky option)
    "refused_options": {"nexthop": (_errno.EINVAL,)},
    "refused_cmsgs": ("IPV6_NEXTHOP",),
    "checksum_on_icmpv6": _LINUX_CHECKSUM,
    "refusal_causes": _LINUX_REFUSALS,
    "sysctl_access": "procfs",
    "address_flags_file": "/proc/net/if_inet6",
    # glibc keeps the link address in a sockaddr_ll_max, musl in a sockaddr_ll_hack: 24 bytes each
    "sll_addr_room": 24,
}
#: KAME-derived stacks: a set filter bit passes; link-local addresses carry the scope in bytes 2-3
_KAME = {"icmp6_filter_set_bit": "pass", "embeds_scope": True}

#: every declarations family, keyed by the name ``sockapi6.PLATFORM`` reports
OSES: dict[str, OSFacts] = {f.name: f for f in (
    OSFacts("linux_glibc", "linux", "glibc", "linux.h", "linux-gnu", aliases=("linux", "glibc"),
            **_LINUX),  # type: ignore[arg-type]
    OSFacts("linux_musl", "linux", "musl", "linux.h", "linux-musl", aliases=("musl",),
            **_LINUX),  # type: ignore[arg-type]
    # macOS rounds control messages to 4 bytes even on 64-bit (__DARWIN_ALIGN32)
    OSFacts("darwin", "darwin", None, "darwin.h", "macos", cmsg_align=4, aliases=("macos",),
            tos_receive_type="IP_RECVTOS", **_KAME),  # type: ignore[arg-type]
    OSFacts("freebsd", "freebsd", None, "freebsd.h", "freebsd", tos_receive_type="IP_RECVTOS",
            tos_send_size=1, **_KAME),  # type: ignore[arg-type]
    OSFacts("netbsd", "netbsd", None, "netbsd.h", "netbsd", **_KAME),  # type: ignore[arg-type]
    OSFacts("openbsd", "openbsd", None, "openbsd.h", "openbsd", sysctl_access="mib",
            **_KAME),  # type: ignore[arg-type]
    # Winsock reports through WSAGetLastError(); it has no ICMPv6 type filter
    OSFacts("windows", "windows", None, "windows.h", "windows-gnu", icmp6_filter_set_bit=None,
            embeds_scope=False, error_source="winsock", sys_platform="win32", library="ws2_32.dll",
            sysctl_access=""),
)}

_LINUX_ARCHES = ("x86_64", "aarch64", "arm", "i386", "mips", "mipsel", "ppc64le", "riscv64", "s390x")
#: the (family, arch) pairs whose declarations are checked against that pair's real headers
SUPPORTED: dict[str, tuple[str, ...]] = {
    "linux_glibc": _LINUX_ARCHES,
    "linux_musl": _LINUX_ARCHES,
    "darwin": ("x86_64", "aarch64"),
    "freebsd": ("x86_64", "aarch64"),
    "netbsd": ("x86_64", "aarch64"),
    "openbsd": ("x86_64", "aarch64"),
    "windows": ("x86_64",),
}


class Platform:
    """The record of one (family, arch) pair: every per-platform fact the package reads.

    ``verified`` is False for a pair outside :data:`SUPPORTED`; its
    architecture-dependent names are then refused (``sockapi6._system.binding``).
    """

    __slots__ = ("arch", "facts", "verified")

    def __init__(self, facts: OSFacts, arch: Arch, verified: bool) -> None:
        self.facts = facts
        self.arch = arch
        self.verified = verified

    @property
    def name(self) -> str:
        """The declarations family (``linux_glibc``)."""
        return self.facts.name

    @property
    def pair(self) -> str:
        """``family/arch``, as messages and ``abi --arch`` name it (``linux_musl/mips``)."""
        return f"{self.facts.name}/{self.arch.name}"

    @property
    def tags(self) -> frozenset[str]:
        """The words ``@arch`` blocks select on: the arch's, the C library, ``time64``."""
        extra = {self.facts.libc} if self.facts.libc else set()
        if self.facts.os == "linux" and self.arch.pointer_size == 4:
            extra.add("time64")  # 32-bit Linux: 64-bit time_t (musl >= 1.2, glibc _TIME_BITS=64)
        return self.arch.tags | extra

    @property
    def cmsg_align(self) -> int:
        """Bytes to which CMSG_ALIGN rounds (RFC 3542 section 20; platform_abi.md section 4).

        The pointer size, except macOS (4 everywhere) and NetBSD on aarch64
        (16: its ``__ALIGNBYTES`` is ``sizeof(__int128_t) - 1``).
        """
        if self.facts.name == "netbsd" and self.arch.name == "aarch64":
            return 16
        return self.facts.cmsg_align or self.arch.pointer_size

    @property
    def zig_target(self) -> str:
        """The ``ziglang cc -target`` triple whose headers the probe compiles against."""
        os_ = self.facts.zig_os
        if self.facts.os == "linux" and self.arch.name in ("arm", "mips", "mipsel"):
            os_ += "eabihf"
        return f"{self.arch.zig}-{os_}"

    def __repr__(self) -> str:
        return f"record({self.facts.name!r}, {self.arch.name!r})"


def record(family: str, arch: str) -> Platform:
    """Return the record of ``(family, arch)``; ValueError naming the choices if either is unknown."""
    if family not in OSES:
        raise ValueError(f"unknown platform {family!r}; choose from {', '.join(OSES)}")
    if arch not in ARCHES:
        raise ValueError(f"unknown architecture {arch!r}; choose from {', '.join(ARCHES)}")
    return Platform(OSES[family], ARCHES[arch], arch in SUPPORTED[family])


#: every supported pair's record
RECORDS: dict[tuple[str, str], Platform] = {
    (family, arch): record(family, arch) for family, arches in SUPPORTED.items() for arch in arches
}

#: machine and multiarch spellings -> our arch names (64-bit spelling; 32-bit fallbacks below)
_MACHINES = {
    "x86_64": "x86_64", "amd64": "x86_64", "x64": "x86_64", "i386": "i386", "i486": "i386",
    "i586": "i386", "i686": "i386", "x86": "i386", "aarch64": "aarch64", "arm64": "aarch64",
    "evbarm": "aarch64", "armv7l": "arm", "armv6l": "arm", "armv8l": "arm", "arm": "arm",
    "ppc64le": "ppc64le", "powerpc64le": "ppc64le", "riscv64": "riscv64", "s390x": "s390x",
    "mips": "mips", "mipsel": "mipsel", "mips64": "mips", "mips64el": "mipsel",
}
#: a 64-bit machine running a 32-bit interpreter
_NARROW = {"x86_64": "i386", "aarch64": "arm"}


def detect_arch(multiarch: Optional[str] = None, machine: Optional[str] = None,
                pointer_size: Optional[int] = None, big_endian: Optional[bool] = None) -> str:
    """Return the running interpreter's architecture name (not necessarily in :data:`ARCHES`).

    Reads ``sys.implementation._multiarch`` (``"mipsel-linux-gnu"``), else the
    machine name; the interpreter's pointer size and byte order correct a
    64-bit kernel's name for a 32-bit userland.  The arguments replace what is
    read from the running interpreter (tests fake other systems with them).
    """
    if pointer_size is None:
        pointer_size = 8 if sys.maxsize > 2**32 else 4
    if big_endian is None:
        big_endian = sys.byteorder == "big"
    if multiarch is None:
        multiarch = getattr(sys.implementation, "_multiarch", "") or ""
    cpu = multiarch.split("-", 1)[0] if "-" in multiarch else ""
    from_multiarch = bool(cpu)
    if not cpu:
        if machine is None:
            if hasattr(os, "uname"):
                machine = os.uname().machine
            else:  # Windows
                env = os.environ
                machine = env.get("PROCESSOR_ARCHITEW6432") or env.get("PROCESSOR_ARCHITECTURE", "")
        cpu = machine.lower()
    name = _MACHINES.get(cpu, cpu)
    if pointer_size == 4 and not from_multiarch:
        # the kernel's machine name; the multiarch tuple names the userland itself (x86_64 with
        # 32-bit pointers there is x32, not i386, and stays unverified below)
        name = _NARROW.get(name, name)
    if name in ("mips", "mipsel"):
        name = "mips" if big_endian else "mipsel"
    known = ARCHES.get(name)
    if known is not None and (known.pointer_size, known.big_endian) != (pointer_size, big_endian):
        # the name disagrees with the interpreter's data model: an architecture we do not know
        return f"{name}-{8 * pointer_size}{'be' if big_endian else 'le'}"
    return name


def running(family: str, arch: Optional[str] = None) -> Platform:
    """Return the record of the running system (``arch``: override the detected architecture).

    A pair outside :data:`SUPPORTED` gets an unverified record: the family's
    facts on the nearest known data model (same pointer size and byte order).
    """
    name = detect_arch() if arch is None else arch
    found = RECORDS.get((family, name))
    if found is not None:
        return found
    # an architecture we do not know: the interpreter's own data model
    model = ARCHES.get(name) or Arch(name, 8 if sys.maxsize > 2**32 else 4, sys.byteorder == "big", 8, name)
    return Platform(OSES[family], model, False)
