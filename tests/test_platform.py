"""The platform record: one record per (OS, arch), architecture detection, unverified pairs.

Numbers that differ by architecture are pinned here against the values the
real headers give (the ziglang probe in test_conformance.py checks all of
them); an architecture nobody verified is faked by setting
``sys.implementation._multiarch`` before ``import sockapi6``, the one value
the detection reads on CPython.
"""

from __future__ import annotations

import importlib
import json
import socket
import subprocess
import sys
import textwrap

import pytest

from sockapi6._system import binding as _binding
from sockapi6._system import platform as _platform
from sockapi6._system._abi import _pairs
from sockapi6._system.layout import Layouts
from sockapi6.abi import dump


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("libc", ["linux_glibc", "linux_musl"])
@pytest.mark.parametrize("arch", ["mips", "mipsel"])
def test_linux_mips_socket_numbers(libc: str, arch: str) -> None:
    """arch/mips/include/uapi/asm/socket.h: IRIX numbering, and SOCK_DGRAM 1 / SOCK_STREAM 2."""
    c = dump(libc, arch)["constants"]
    assert (c["SOCK_DGRAM"], c["SOCK_STREAM"], c["SOCK_RAW"]) == (1, 2, 3)
    assert c["SOL_SOCKET"] == 0xFFFF
    assert (c["SO_REUSEADDR"], c["SO_BROADCAST"], c["SO_REUSEPORT"]) == (0x0004, 0x0020, 0x0200)
    assert (c["SO_TYPE"], c["SO_ERROR"], c["SO_SNDBUF"], c["SO_RCVBUF"]) == (0x1008, 0x1007, 0x1001, 0x1002)
    assert (c["SO_RCVLOWAT"], c["SO_PASSCRED"]) == (0x1004, 17)
    # the other Linux arches keep the generic numbers
    x86 = dump(libc, "x86_64")["constants"]
    assert (x86["SOCK_DGRAM"], x86["SOL_SOCKET"], x86["SO_BROADCAST"]) == (2, 1, 6)


def test_ppc64le_and_time64_numbers() -> None:
    """powerpc's SO_RCVLOWAT/SO_PASSCRED; 64-bit time_t on every 32-bit Linux (SO_*_NEW)."""
    ppc = dump("linux_glibc", "ppc64le")["constants"]
    assert (ppc["SO_RCVLOWAT"], ppc["SO_PASSCRED"]) == (16, 20)
    for libc in ("linux_glibc", "linux_musl"):
        for arch in ("arm", "i386", "mips", "mipsel"):
            c = dump(libc, arch)["constants"]
            stamps = (c["SO_TIMESTAMP"], c["SO_TIMESTAMPNS"], c["SO_TIMESTAMPING"])
            assert stamps == (63, 64, 65), (libc, arch)
        c = dump(libc, "aarch64")["constants"]
        assert (c["SO_TIMESTAMP"], c["SO_TIMESTAMPNS"], c["SO_TIMESTAMPING"]) == (29, 35, 37)


@pytest.mark.parametrize("family", ["darwin", "freebsd", "netbsd", "openbsd"])
def test_kame_router_renumbering_raflags(family: str) -> None:
    """KAME's <netinet/icmp6.h>: ONLINK 0x80, AUTO 0x40 (RFC 2894 section 3.1); glibc/musl 0x20/0x10."""
    c = dump(family, "x86_64")["constants"]
    assert (c["ICMP6_RR_PCOUSE_RAFLAGS_ONLINK"], c["ICMP6_RR_PCOUSE_RAFLAGS_AUTO"]) == (0x80, 0x40)
    glibc = dump("linux_glibc", "x86_64")["constants"]
    assert (glibc["ICMP6_RR_PCOUSE_RAFLAGS_ONLINK"], glibc["ICMP6_RR_PCOUSE_RAFLAGS_AUTO"]) == (0x20, 0x10)


def test_layouts_per_architecture() -> None:
    """32-bit pointers and size_t on arm/i386/mips; musl's s390x cmsghdr puts its pad first."""
    s390x = dump("linux_musl", "s390x")["structs"]
    assert s390x["cmsghdr"]["fields"]["cmsg_len"] == 4
    assert s390x["msghdr"]["fields"]["msg_controllen"] == 44
    for arch in ("arm", "i386", "mips", "mipsel"):
        structs = dump("linux_glibc", arch)["structs"]
        assert structs["cmsghdr"]["size"] == 12 and structs["msghdr"]["size"] == 28, arch
        assert structs["ifaddrs"]["fields"]["ifa_data"] == 24, arch
        assert structs["group_req"]["fields"]["gr_group"] == 4, arch
    assert dump("linux_glibc", "x86_64")["structs"]["group_req"]["fields"]["gr_group"] == 8
    # i386 aligns 64-bit integers in structs to 4: the time64 timespec is 12 + 4 of padding
    assert dump("linux_musl", "i386")["structs"]["timespec"]["align"] == 4
    assert dump("linux_musl", "arm")["structs"]["timespec"]["align"] == 8


def test_layout_calculator_matches_cffi_on_this_interpreter() -> None:
    """sockapi6._system.layout, fed this interpreter's architecture, gives what cffi computes: every type."""
    checked = 0
    for module_name in sorted(set().union(*(a.values() for a in _pairs.MODULES.values()))):
        module = importlib.import_module(f"sockapi6._system._abi.{module_name}")
        layouts = Layouts(module, _binding.RECORD.arch)
        for decl in module.TYPES:
            if decl not in module.MEMBERS:
                continue
            ctype = module.ffi.typeof(decl)
            fields = {name: f.offset for name, f in (ctype.fields or ())}
            want = {"size": module.ffi.sizeof(ctype), "align": module.ffi.alignof(ctype), "fields": fields}
            assert layouts.table(decl) == want, (module_name, decl)
            checked += 1
    assert checked > 1000


def test_cmsg_alignment_of_the_records() -> None:
    """macOS rounds to 4 everywhere, NetBSD aarch64 to 16, the rest to the pointer size."""
    records = _platform.RECORDS
    assert records["darwin", "aarch64"].cmsg_align == 4
    assert records["netbsd", "aarch64"].cmsg_align == 16
    assert records["netbsd", "x86_64"].cmsg_align == 8
    assert records["linux_musl", "mips"].cmsg_align == 4
    assert records["windows", "x86_64"].cmsg_align == 8


def test_every_supported_pair_has_a_generated_module() -> None:
    for (family, arch), rec in _platform.RECORDS.items():
        assert rec.verified
        module = _pairs.MODULES[family][arch]
        assert importlib.import_module(f"sockapi6._system._abi.{module}").CONSTANTS


@pytest.mark.parametrize(("multiarch", "pointer", "big", "machine", "expected"), [
    ("x86_64-linux-gnu", 8, False, None, "x86_64"),
    ("i386-linux-gnu", 4, False, None, "i386"),
    ("mipsel-linux-gnu", 4, False, None, "mipsel"),
    ("mips-linux-gnu", 4, True, None, "mips"),
    ("arm-linux-gnueabihf", 4, False, None, "arm"),
    ("powerpc64le-linux-gnu", 8, False, None, "ppc64le"),
    ("s390x-linux-gnu", 8, True, None, "s390x"),
    ("", 4, False, "x86_64", "i386"),      # a 32-bit userland on a 64-bit kernel: uname is not enough
    ("", 4, False, "aarch64", "arm"),
    ("", 8, False, "amd64", "x86_64"),     # FreeBSD / OpenBSD spelling
    ("", 8, False, "arm64", "aarch64"),    # macOS spelling
    ("", 8, False, "evbarm", "aarch64"),   # NetBSD's machine name
    ("", 8, False, "m68k", "m68k"),
    ("x86_64-linux-gnux32", 4, False, None, "x86_64-32le"),   # x32 is not i386: unverified
    ("mips64el-linux-gnuabi64", 8, False, None, "mipsel-64le"),  # n64 is not o32: unverified
])
def test_detect_arch(multiarch: str, pointer: int, big: bool, machine: str | None, expected: str) -> None:
    assert _platform.detect_arch(multiarch, machine, pointer, big) == expected


def test_running_record_matches_the_interpreter() -> None:
    rec = _binding.RECORD
    assert rec.verified, rec
    assert rec.arch.pointer_size == (8 if sys.maxsize > 2**32 else 4)
    assert rec.arch.big_endian == (sys.byteorder == "big")


def test_numbers_agree_with_cpythons_socket_module() -> None:
    """Where the standard library exposes a number, the running platform's declaration has the same."""
    checked = 0
    for name, value in _binding.CONSTANTS.items():
        theirs = getattr(socket, name, None)
        if isinstance(theirs, int) and name.isupper():
            assert int(theirs) == value, f"{name}: socket says {int(theirs)}, declarations {value}"
            checked += 1
    assert checked > 30


def test_unverified_pair_refuses_arch_names_only() -> None:
    """An unverified architecture: per-arch names raise NotSupportedError naming the pair; the rest works."""
    result = _run("""
        import sys
        sys.implementation._multiarch = "m68k-linux-gnu"
        import sockapi6
        from sockapi6 import NotSupportedError
        record = sockapi6._system.binding.RECORD
        out = {"pair": record.pair, "verified": record.verified}
        for where in ("top", "lib"):
            try:
                (sockapi6 if where == "top" else sockapi6.lib).SOL_SOCKET
            except NotSupportedError as exc:
                out[where] = str(exc)
        out["pktinfo"] = sockapi6.IPV6_RECVPKTINFO
        out["lo"] = sockapi6.lib.if_nametoindex(b"lo")
        out["opt"] = bytes(sockapi6.HopByHopOptions([sockapi6.Option(0x1e, b"ab")])).hex()
        out["absent"] = "SOL_SOCKET" in sockapi6._system.binding.CONSTANTS
        import json
        print(json.dumps(out))
    """)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    family = _binding.PLATFORM
    assert out["pair"] == f"{family}/m68k" and out["verified"] is False
    if family.startswith("linux"):
        for where in ("top", "lib"):
            assert out[where].startswith(f"SOL_SOCKET is not supported on {family}/m68k"), out
            assert "differs by architecture" in out[where]
        assert out["absent"] is False
    assert out["pktinfo"] == _binding.CONSTANTS["IPV6_RECVPKTINFO"]
    assert out["lo"] >= 1
    assert out["opt"] == "3b001e0261620100"  # wire formats do not depend on the architecture


def test_unverified_32_bit_userland_gets_32_bit_layouts() -> None:
    """x32 (x86_64 with 32-bit pointers) is unverified and gets 32-bit layouts, never the i386 record."""
    model = _platform.Arch("x86_64-32le", 4, False, 8, "x86_64-32le")
    assert _binding.module_for("linux_glibc", "x86_64-32le", model) == "linux_glibc_arm"
    assert not _platform.running("linux_glibc", "x86_64-32le").verified


def test_abi_cli_arch(tmp_path: object) -> None:
    result = subprocess.run([sys.executable, "-m", "sockapi6", "abi", "--platform", "musl", "--arch", "mips",
                             "--json"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    assert (table["platform"], table["arch"]) == ("linux_musl", "mips")
    assert table["constants"]["SOL_SOCKET"] == 0xFFFF
    assert table["structs"]["cmsghdr"]["size"] == 12
    bad = subprocess.run([sys.executable, "-m", "sockapi6", "abi", "--platform", "darwin", "--arch", "mips"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "choose from: x86_64, aarch64" in bad.stderr and bad.stdout == ""


def test_platform_alone_answers_for_the_running_arch() -> None:
    running = _binding.ARCH if _binding.ARCH in _platform.SUPPORTED["linux_glibc"] else "x86_64"
    assert dump("linux_glibc")["arch"] == running
    assert dump("windows")["arch"] == "x86_64"


def test_ipv4_tos_control_messages_are_record_facts() -> None:
    # how an IPv4 datagram's TOS octet (and so its ECN bits) travels in control messages, per OS
    facts = _platform.OSES
    assert (facts["linux_glibc"].tos_receive_type, facts["linux_glibc"].tos_send_size) == ("IP_TOS", 4)
    assert (facts["freebsd"].tos_receive_type, facts["freebsd"].tos_send_size) == ("IP_RECVTOS", 1)
    assert (facts["darwin"].tos_receive_type, facts["darwin"].tos_send_size) == ("IP_RECVTOS", 4)
    from sockapi6.ancillary import _ecn

    running = _binding.RECORD.facts
    assert (_ecn.TOS_RECEIVE_TYPE, _ecn.TOS_SEND_SIZE) == (running.tos_receive_type, running.tos_send_size)


def test_sysctl_and_address_flag_sources_are_record_facts() -> None:
    facts = _platform.OSES
    assert facts["linux_musl"].sysctl_access == "procfs" and facts["openbsd"].sysctl_access == "mib"
    assert facts["freebsd"].sysctl_access == facts["darwin"].sysctl_access == "sysctlbyname"
    assert facts["windows"].sysctl_access == ""
    assert facts["linux_glibc"].address_flags_file == "/proc/net/if_inet6"
    assert facts["netbsd"].address_flags_file is None
