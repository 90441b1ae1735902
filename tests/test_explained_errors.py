"""Errors that explain (issue 10): the kernel's refusal with its known cause in the message, errno kept.

Each refusal is the real kernel's (Linux 6.x), triggered in a network namespace of its own with two
veth pairs: ``d0``/``d1`` up (link-local ``fe80::a`` on d0, ``fe80::b`` on d1, ``2001:db8::a`` on
d0, no DAD) and ``t0`` whose peer is down (its address stays tentative).  The causes and their
wording are the platform record's ``refusal_causes`` table (``sockapi6._system.platform``).  Also here:
the warning for a link-local destination without an interface, ``PacketInfo`` taking its index
from the address's scope, ``sockapi6.IPV6_MIPDSTOPTS`` and ``InterfaceFlags``' names.
"""

from __future__ import annotations

import errno
import socket
import subprocess
import sys
import warnings
from typing import Any, Callable

import pytest
from netns import netns_unavailable, run_in_netns

import sockapi6
from sockapi6 import PacketInfo, SocketOptions, sendmsg
from sockapi6.errors import NotSupportedError, UnscopedDestinationWarning
from sockapi6.routing import RoutingHeader, SegmentRoutingHeader

_skip = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))


def linux_netns(test: Callable[[], None]) -> Callable[[], None]:
    """A test that runs in network namespaces of its own (root, Linux)."""
    return pytest.mark.root(_skip(test))


def _sh(command: str) -> None:
    subprocess.run(command, shell=True, check=True, capture_output=True)


def _links() -> None:
    _sh("ip link add d0 type veth peer name d1 && ip link set d0 up && ip link set d1 up"
        " && ip -6 addr add fe80::a/64 dev d0 nodad && ip -6 addr add fe80::b/64 dev d1 nodad"
        " && ip -6 addr add 2001:db8::a/64 dev d0 nodad"
        " && ip link add t0 type veth peer name t1 && ip link set t0 up"
        " && ip -6 addr add 2001:db8:7::1/64 dev t0")


def _outcome(action: Callable[[], Any]) -> tuple[str, int, str]:
    """``(exception class, errno, message)`` of what ``action`` raised; ``("", 0, "")`` if nothing."""
    try:
        action()
    except OSError as exc:
        return type(exc).__name__, exc.errno or 0, str(exc)
    return "", 0, ""


def _refusals() -> dict[str, tuple[str, int, str]]:
    _links()
    d0, d1 = socket.if_nametoindex("d0"), socket.if_nametoindex("d1")
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    opts = SocketOptions(sock)
    rh0 = RoutingHeader(["2001:db8::1"], type=0)
    rh2 = RoutingHeader(["2001:db8::1"], type=2)
    srh = SegmentRoutingHeader(["2001:db8::1", "2001:db8::2"])
    loop = ("::1", 9)

    def sticky(value: Any) -> Callable[[], None]:
        def run() -> None:
            opts.rthdr = value
        return run

    def send(address: Any, *items: Any) -> Callable[[], int]:
        return lambda: sendmsg(sock, b"x", address, items)

    def nexthop() -> None:
        opts.nexthop = "::1"

    out = {
        "sticky rh0": _outcome(sticky(rh0)),
        "sticky rh2": _outcome(sticky(rh2)),
        "sticky srh": _outcome(sticky(srh)),  # accepted: the control
        "ancillary rh0": _outcome(send(loop, rh0)),
        "ancillary rh2": _outcome(send(loop, rh2)),
        "ancillary srh": _outcome(send(loop, srh)),
        "nexthop": _outcome(nexthop),
        "source elsewhere": _outcome(send(loop, PacketInfo("2001:db8::99"))),
        "source here": _outcome(send(loop, PacketInfo("2001:db8::a"))),  # the control
        "tentative": _outcome(send(loop, PacketInfo("2001:db8:7::1"))),
        "scope disagrees": _outcome(send(("fe80::b", 9, 0, d1), PacketInfo("::", d0))),
        "link-local elsewhere": _outcome(send(("ff02::1", 9, 0, d1), PacketInfo("fe80::a", d1))),
        "link-local here": _outcome(send(("ff02::1", 9, 0, d0), PacketInfo("fe80::a", d0))),
    }
    sock.close()
    return out


@linux_netns
def test_kernel_refusals_say_their_known_cause() -> None:
    got = run_in_netns(_refusals)
    for control in ("sticky srh", "source here", "link-local here"):
        assert got[control] == ("", 0, ""), control
    einval = {name: message for name, (cls, err, message) in got.items() if err == errno.EINVAL}
    assert set(einval) == set(got) - {"sticky srh", "source here", "link-local here", "nexthop"}
    # the routing types: the kernel's EINVAL, as a plain OSError naming the cause
    for name in ("sticky rh0", "ancillary rh0"):
        assert got[name][0] == "OSError"
        assert "every Linux kernel refuses a type 0 routing header" in got[name][2]
    for name in ("sticky rh2", "ancillary rh2"):
        assert "only when built with CONFIG_IPV6_MIP6" in got[name][2]
    assert "Invalid argument: setsockopt(IPPROTO_IPV6, IPV6_RTHDR)" in got["sticky rh0"][2]
    assert "Invalid argument: sendmsg" in got["ancillary rh0"][2]
    assert "only as the sticky IPV6_RTHDR option, not as ancillary data" in got["ancillary srh"][2]
    # IPV6_NEXTHOP: not supported, with the way around it
    cls, err, message = got["nexthop"]
    assert cls == "NotSupportedError" and err in (errno.ENOPROTOOPT, errno.EINVAL)
    assert "IPV6_NEXTHOP is not supported on linux" in message and "PacketInfo(ifindex=...)" in message
    # PacketInfo: which of the kernel's checks failed
    assert "source address 2001:db8::99 is not an address of this host" in einval["source elsewhere"]
    assert "2001:db8:7::1 is still tentative" in einval["tentative"]
    assert "disagrees with the destination's scope" in einval["scope disagrees"]
    assert "fe80::a is link-local but not assigned to interface" in einval["link-local elsewhere"]


def test_explain_keeps_other_errors_and_errnos() -> None:
    from sockapi6._system.oserror import explain

    error = OSError(errno.EAGAIN, "busy")
    assert explain(error, "rthdr_type0") is error  # the row lists EINVAL only
    assert explain(error, None) is error
    explained = explain(OSError(errno.EINVAL, "x"), "pktinfo_source", "sendmsg", address="2001:db8::1",
                        ifindex=0)
    assert explained.errno == errno.EINVAL and type(explained) is OSError
    assert str(explained).startswith("[Errno 22] Invalid argument: sendmsg: the PacketInfo source")
    nexthop = explain(OSError(errno.ENOPROTOOPT, "x"), "nexthop")
    assert isinstance(nexthop, NotSupportedError) and nexthop.errno == errno.ENOPROTOOPT


def test_refusal_table_rows_are_complete() -> None:
    from sockapi6._system.platform import OSES

    linux = OSES["linux_glibc"].refusal_causes
    assert {"rthdr_type0", "rthdr_type2", "srh_ancillary", "nexthop", "pktinfo_scope", "pktinfo_source",
            "pktinfo_link", "pktinfo_tentative"} <= set(linux)
    for key, row in linux.items():
        assert row.errnos and row.reason, key
    assert OSES["linux_musl"].refusal_causes is linux


# ---------------------------------------------------------------------------
# a link-local destination without an interface
# ---------------------------------------------------------------------------


def _unscoped_warnings() -> dict[str, list[str]]:
    _links()
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    out: dict[str, list[str]] = {}

    def record(name: str, address: Any, *items: Any) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                sendmsg(sock, b"x", address, items)
            except OSError:
                pass  # the warning comes before the send; where the kernel sent it does not matter here
        out[name] = [str(w.message) for w in caught if issubclass(w.category, UnscopedDestinationWarning)]

    record("unicast, no scope", ("fe80::b", 9))
    record("multicast, no scope", "[ff02::1]:9")
    record("scope", "[fe80::b%d1]:9")
    record("scope id", ("fe80::b", 9, 0, socket.if_nametoindex("d1")))
    record("pktinfo interface", ("fe80::b", 9), PacketInfo(ifindex="d1"))
    record("pktinfo without interface", ("fe80::b", 9), PacketInfo())
    record("global", ("2001:db8::b", 9))
    SocketOptions(sock).multicast_if = "d0"
    record("multicast, multicast_if", ("ff02::1", 9))
    record("unicast, multicast_if", ("fe80::b", 9))
    sock.close()
    return out


@linux_netns
def test_link_local_destination_without_interface_warns() -> None:
    got = run_in_netns(_unscoped_warnings)
    warned = {name for name, messages in got.items() if messages}
    assert warned == {"unicast, no scope", "multicast, no scope", "pktinfo without interface",
                      "unicast, multicast_if"}
    assert "fe80::b is link-local but has no scope" in got["unicast, no scope"][0]
    assert len(got["unicast, no scope"]) == 1


def test_warning_points_at_the_caller() -> None:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                sendmsg(sock, b"x", ("fe80::1", 9))
            except OSError:
                pass
    finally:
        sock.close()
    mine = [w for w in caught if issubclass(w.category, UnscopedDestinationWarning)]
    assert mine and mine[0].filename == __file__
    assert issubclass(UnscopedDestinationWarning, UserWarning)


# ---------------------------------------------------------------------------
# PacketInfo scopes, IPV6_MIPDSTOPTS, InterfaceFlags
# ---------------------------------------------------------------------------


def test_packetinfo_takes_its_interface_from_the_scope() -> None:
    lo = socket.if_nametoindex("lo")
    item = PacketInfo("fe80::1%lo")
    assert item.ifindex == lo and str(item.address) == f"fe80::1%{lo}"
    assert item == PacketInfo("fe80::1", lo) == PacketInfo("fe80::1%lo", "lo")
    assert item == PacketInfo(f"fe80::1%{lo}", lo)
    assert eval(repr(item), {"PacketInfo": PacketInfo}) == item
    assert item.to_cmsg()[2][16:] == lo.to_bytes(4, sys.byteorder)
    with pytest.raises(ValueError, match="disagrees with the address's scope"):
        PacketInfo("fe80::1%lo", lo + 1000)
    assert PacketInfo("fe80::1").ifindex == 0


def test_ipv6_mipdstopts_explains_itself_everywhere() -> None:
    from sockapi6 import mobility

    assert not hasattr(sockapi6, "IPV6_MIPDSTOPTS") and not hasattr(mobility, "IPV6_MIPDSTOPTS")
    messages = []
    for module in (sockapi6, mobility):
        with pytest.raises(AttributeError) as info:
            module.IPV6_MIPDSTOPTS  # noqa: B018
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert "no OS assigns it a number" in messages[0] and "IPV6_DSTOPTS" in messages[0]


def test_interface_flags_print_their_names() -> None:
    from sockapi6.interfaces import InterfaceFlags

    up, loop = InterfaceFlags.IFF_UP, InterfaceFlags.IFF_LOOPBACK
    both = up | loop
    assert str(both) == f"{both}" == "IFF_LOOPBACK|IFF_UP"
    assert repr(both) == "InterfaceFlags.IFF_LOOPBACK|InterfaceFlags.IFF_UP"
    assert eval(repr(both), {"InterfaceFlags": InterfaceFlags}) == both
    odd = InterfaceFlags(int(up) | 1 << 30)
    assert "0x40000000" in str(odd) and eval(repr(odd), {"InterfaceFlags": InterfaceFlags}) == odd
    assert str(InterfaceFlags(0)) == "0" and f"{both:d}" == str(int(both))
