"""Kernel and system facts of docs/kernel-facts.md not pinned elsewhere (real kernel, no mocks).

When one of these fails on a new system, the fact changed: update the doc row and the code that relies
on it, not just the expectation.
"""

from __future__ import annotations

import errno
import os
import socket
import sys

import pytest
from netns import netns_unavailable, run_in_netns

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux kernel fact")
needs_netns = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))


@pytest.mark.skipif(not os.path.exists("/etc/protocols"), reason="no /etc/protocols on this system")
def test_protocols_file_names_135_by_its_iana_keyword() -> None:
    # design.md: Debian calls 135 'mobility-header' (IANA), not RFC 4584's 'ipv6-mh'
    from sockapi6.mhsocket import mh_protocol

    names = {}
    with open("/etc/protocols") as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if len(fields) >= 2 and fields[1] == "135":
                names[fields[0]] = fields[2:]
    if not names:
        pytest.skip("/etc/protocols has no entry for 135")
    if "mobility-header" in names:
        assert socket.getprotobyname("mobility-header") == 135
    assert mh_protocol() == 135


def _pathmtu() -> tuple[str, int]:
    from sockapi6 import SocketOptions

    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.connect(("::1", 9))
        info = SocketOptions(s).path_mtu
        return str(info.address), info.mtu


@linux_only
@needs_netns
def test_pathmtu_of_connected_socket_has_unspecified_address() -> None:
    # docs/kernel-facts.md row 23: Linux fills only the MTU of ip6_mtuinfo for getsockopt
    address, mtu = run_in_netns(_pathmtu)
    assert address == "::"
    assert mtu == 65536  # lo's MTU in a fresh namespace


def _filter_after_zero_length_set() -> tuple[bool, bool]:
    from sockapi6 import ICMP6_FILTER, IPPROTO_ICMPV6, ICMP6Filter

    with socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6) as s:
        s.setsockopt(IPPROTO_ICMPV6, ICMP6_FILTER, ICMP6Filter.block_all().to_bytes())
        try:
            s.setsockopt(IPPROTO_ICMPV6, ICMP6_FILTER, b"")
            accepted = True
        except OSError:
            accepted = False
        after = ICMP6Filter.from_bytes(s.getsockopt(IPPROTO_ICMPV6, ICMP6_FILTER, 32))
        return accepted, after == ICMP6Filter.block_all()


@linux_only
@needs_netns
def test_zero_length_icmp6_filter_does_not_reset_it() -> None:
    # docs/kernel-facts.md row 24: RFC 3542 section 3.2 reads as "pass all"; Linux leaves the filter
    accepted, still_blocking = run_in_netns(_filter_after_zero_length_set)
    assert accepted
    assert still_blocking


def _sourcefilter_unjoined() -> int:
    from sockapi6 import FilterMode, setsourcefilter

    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        try:
            setsourcefilter(s, "lo", "ff02::1:3", FilterMode.INCLUDE, ["::1"])
        except OSError as exc:
            return exc.errno or 0
        return 0


@linux_only
@needs_netns
def test_setsourcefilter_on_unjoined_group_is_einval() -> None:
    # docs/kernel-facts.md row 25
    assert run_in_netns(_sourcefilter_unjoined) == errno.EINVAL
