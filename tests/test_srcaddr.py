"""RFC 5014 section 6 ``inet6_is_srcaddr()`` on real addresses: public, temporary, home, link-local.

A namespace gets a public address with ``mngtmpaddr`` and ``use_tempaddr=2``
(the kernel then makes an RFC 8981 temporary address beside it), and later
a Mobile IPv6 home address (``ip addr add ... home``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from ipaddress import IPv6Address

import pytest
from netns import netns_unavailable, run_in_netns

from sockapi6 import inet6_is_srcaddr, sockaddr_in6
from sockapi6.sockopt import AddressPreference as P

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux address flags")
needs_netns = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))


def _sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


def _answers() -> dict[str, object]:
    import socket

    from sockapi6 import inet6_is_srcaddr
    from sockapi6.interfaces import getifaddrs
    from sockapi6.sockopt import AddressPreference as P

    _sh("ip", "link", "add", "sa0", "type", "veth", "peer", "name", "sa1")
    _sh("sysctl", "-qw", "net.ipv6.conf.sa0.accept_dad=0", "net.ipv6.conf.sa0.use_tempaddr=2")
    _sh("ip", "link", "set", "sa0", "up")
    _sh("ip", "link", "set", "sa1", "up")
    _sh("ip", "addr", "add", "2001:db8:7::1/64", "dev", "sa0", "mngtmpaddr", "nodad")
    index = socket.if_nametoindex("sa0")
    temporary = None
    for _ in range(50):
        temporary = next((e.address for e in getifaddrs()
                          if e.index == index and isinstance(e.address, IPv6Address)
                          and e.address.packed[:8] == IPv6Address("2001:db8:7::").packed[:8]
                          and e.address != IPv6Address("2001:db8:7::1")), None)
        if temporary is not None:
            break
        time.sleep(0.1)
    public = "2001:db8:7::1"
    a: dict[str, object] = {
        "public": [inet6_is_srcaddr(public, f) for f in (P.PUBLIC, P.TMP, P.HOME, P.COA, P.NONCGA, P.CGA, 0)],
        "temporary": [inet6_is_srcaddr(temporary, f) for f in (P.TMP, P.PUBLIC, P.TMP | P.HOME)],
        "contradiction": inet6_is_srcaddr(public, P.TMP | P.PUBLIC),
        "absent": inet6_is_srcaddr("2001:db8:9::9", P.PUBLIC),
        "bad_flags": inet6_is_srcaddr(public, 0x10000),
        "loopback": inet6_is_srcaddr("::1", P.PUBLIC | P.HOME),
    }
    _sh("ip", "addr", "add", "2001:db8:8::1/64", "dev", "sa0", "home", "nodad")
    a["home"] = [inet6_is_srcaddr("2001:db8:8::1", f) for f in (P.HOME, P.COA)]
    a["now_coa"] = [inet6_is_srcaddr(public, f) for f in (P.HOME, P.COA)]
    lladdr = next(e.address for e in getifaddrs()
                  if e.index == index and isinstance(e.address, IPv6Address) and e.address.is_link_local)
    bare = IPv6Address(lladdr.packed)
    a["link_local"] = [inet6_is_srcaddr(lladdr, P.PUBLIC),
                       inet6_is_srcaddr(bare, P.PUBLIC),                        # no scope
                       inet6_is_srcaddr(IPv6Address(f"{bare}%1"), P.PUBLIC)]   # the wrong scope
    return a


@linux_only
@needs_netns
def test_answers_follow_the_kernel_address_flags() -> None:
    a = run_in_netns(_answers)
    assert a["public"] == [1, 0, 1, 0, 1, 0, 1]
    assert a["temporary"] == [1, 0, 1]
    assert a["contradiction"] == 0
    assert a["absent"] == -1
    assert a["bad_flags"] == -1
    assert a["loopback"] == 1
    assert a["home"] == [1, 0]
    assert a["now_coa"] == [0, 1]      # once the node has a home address, the others are care-of
    assert a["link_local"] == [1, -1, -1]


@linux_only
def test_takes_a_sockaddr_in6_as_in_c() -> None:
    assert inet6_is_srcaddr(sockaddr_in6("::1"), P.PUBLIC) == 1
    assert inet6_is_srcaddr(sockaddr_in6("2001:db8:ffff::1"), P.PUBLIC) == -1
    with pytest.raises(TypeError):
        inet6_is_srcaddr("::1", "PUBLIC")  # type: ignore[arg-type]
