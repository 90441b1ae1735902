"""The socket options IPv6 daemons set (issue 10), on the real kernel, on the socket types that take them.

FRR/BIRD (``minhopcount``), FRR pim6d (``multicast_all``), mcproxy/pim6d
(``router_alert``), FRR bfdd (``hdrincl``), iputils (``mtu``,
``recv_flowinfo``, ``flowinfo_send``), ``recv_err_rfc4884``,
``autoflowlabel``, and anycast membership.  Each is written and read back
with the semantics Linux gives it.
"""

from __future__ import annotations

import errno
import socket
import subprocess
import sys
from ipaddress import IPv6Address

import pytest
from netns import netns_unavailable, run_in_netns

from sockapi6 import FlowInfo, NotSupportedError, SocketOptions, join_anycast, leave_anycast
from sockapi6.ancillary import from_cmsg
from sockapi6.sockopt import TABLE

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux options")
needs_netns = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))

NEW = ("minhopcount", "multicast_all", "router_alert", "hdrincl", "mtu", "recv_err_rfc4884",
       "autoflowlabel", "flowinfo_send", "recv_flowinfo")


def _raw(proto: int) -> socket.socket:
    try:
        return socket.socket(socket.AF_INET6, socket.SOCK_RAW, proto)
    except PermissionError:
        pytest.skip("raw sockets need CAP_NET_RAW")


@linux_only
def test_every_new_option_has_a_row_with_linux_numbers() -> None:
    numbers = {name: TABLE[name].number for name in NEW}
    assert numbers == {"minhopcount": 73, "multicast_all": 29, "router_alert": 22, "hdrincl": 36, "mtu": 24,
                       "recv_err_rfc4884": 31, "autoflowlabel": 70, "flowinfo_send": 33, "recv_flowinfo": 11}
    assert all(TABLE[name].level_name == "IPPROTO_IPV6" for name in NEW)


@linux_only
@pytest.mark.parametrize("name", ["multicast_all", "recv_err_rfc4884", "autoflowlabel", "flowinfo_send",
                                  "recv_flowinfo"])
def test_boolean_options_round_trip_on_udp(name: str) -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        for value in (True, False, True):
            setattr(opts, name, value)
            assert getattr(opts, name) is value


@linux_only
def test_multicast_all_is_on_by_default() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        assert SocketOptions(s).multicast_all is True


@linux_only
def test_minhopcount_round_trips_and_validates_on_tcp() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
        opts = SocketOptions(s)
        assert opts.minhopcount == 0
        opts.minhopcount = 254          # GTSM: RFC 5082 section 3, one hop away
        assert opts.minhopcount == 254
        with pytest.raises(ValueError, match=r"0\.\.255"):
            opts.minhopcount = 256


def _minhopcount_gates_tcp() -> tuple[bool, bool, bool]:
    from sockapi6 import SocketOptions

    server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    server.bind(("::1", 0))
    SocketOptions(server).minhopcount = 255     # GTSM: only a directly connected peer sending 255
    server.listen()

    def connects(hops: int) -> bool:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as c:
            SocketOptions(c).unicast_hops = hops
            c.settimeout(0.5)
            try:
                c.connect(server.getsockname())
            except socket.timeout:  # TimeoutError only from Python 3.10 on
                return False
            return True

    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.bind(("::1", 0))
    rx.settimeout(1)
    SocketOptions(rx).minhopcount = 255
    socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).sendto(b"udp", rx.getsockname())   # hop limit 64
    return connects(64), connects(255), rx.recv(10) == b"udp"


@linux_only
@needs_netns
def test_minhopcount_drops_tcp_segments_below_it() -> None:
    # Linux checks it on TCP only (tcp_v6_rcv): a SYN below it never reaches the listener; UDP still arrives
    assert run_in_netns(_minhopcount_gates_tcp) == (False, True, True)


@linux_only
def test_router_alert_takes_a_selector_on_ipproto_raw_sockets_only() -> None:
    with _raw(socket.IPPROTO_RAW) as s:
        opts = SocketOptions(s)
        opts.router_alert = 0           # RFC 2711 value 0: MLD
        with pytest.raises(OSError) as second:
            opts.router_alert = 0
        assert second.value.errno == errno.EADDRINUSE
        opts.router_alert = -1          # unregister
        with pytest.raises(OSError) as again:
            opts.router_alert = -1      # nothing left to unregister
        assert again.value.errno == errno.ENOBUFS
        opts.router_alert = 5           # may register again, for another value
        assert opts.router_alert == 1   # what Linux reads back: "last value written was non-zero"
    with _raw(socket.IPPROTO_ICMPV6) as s, pytest.raises(NotSupportedError, match="IPPROTO_RAW sockets only"):
        SocketOptions(s).router_alert = 0
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s, pytest.raises(NotSupportedError):
        SocketOptions(s).router_alert = 0


@linux_only
def test_hdrincl_is_for_raw_sockets() -> None:
    with _raw(socket.IPPROTO_RAW) as s:
        assert SocketOptions(s).hdrincl is True     # IPPROTO_RAW always includes the header
    with _raw(253) as s:
        opts = SocketOptions(s)
        assert opts.hdrincl is False
        opts.hdrincl = True
        assert opts.hdrincl is True
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s, \
            pytest.raises(NotSupportedError, match="raw sockets only"):
        SocketOptions(s).hdrincl = True


def _mtu_semantics() -> tuple[int, int]:
    from sockapi6 import SocketOptions

    subprocess.run(["ip", "link", "set", "lo", "mtu", "1400"], check=True)
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        opts = SocketOptions(s)
        try:
            print(opts.mtu)
        except OSError as exc:
            unconnected = exc.errno
        opts.mtu = 1280                 # the fragment size; not what reading gives
        s.connect(("::1", 9))
        return unconnected, opts.mtu


@linux_only
@needs_netns
def test_mtu_needs_a_connected_socket_and_reads_the_path_mtu() -> None:
    unconnected, read = run_in_netns(_mtu_semantics)
    assert unconnected == errno.ENOTCONN
    assert read == 1400


@linux_only
def test_mtu_below_the_ipv6_minimum_is_refused_by_the_kernel() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        with pytest.raises(OSError) as exc:
            SocketOptions(s).mtu = 1279
        assert exc.value.errno == errno.EINVAL


def _flowinfo_received() -> list[object]:
    from sockapi6 import SocketOptions, recvmsg

    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.bind(("::1", 0))
    SocketOptions(rx).recv_flowinfo = True
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    opts = SocketOptions(tx)
    opts.autoflowlabel = False
    opts.tclass = 0x28
    tx.sendto(b"x", rx.getsockname())
    return list(recvmsg(rx).ancillary)


@linux_only
@needs_netns
def test_recv_flowinfo_delivers_a_flowinfo_item() -> None:
    items = run_in_netns(_flowinfo_received)
    assert items == [FlowInfo(0, 0x28)]


def test_flowinfo_item_wire_form() -> None:
    item = FlowInfo(0x12345, 0xB8)
    level, kind, data = item.to_cmsg()
    assert data == bytes([0x0B, 0x81, 0x23, 0x45])
    assert item.flowinfo == 0xB812345
    assert from_cmsg(level, kind, data) == item
    assert eval(repr(item), {"FlowInfo": FlowInfo}) == item
    with pytest.raises(ValueError, match="flow_label"):
        FlowInfo(1 << 20)


def _anycast(ifindex_name: str) -> tuple[bool, bool, bool]:
    from sockapi6 import join_anycast, leave_anycast

    subprocess.run(["ip", "link", "add", ifindex_name, "type", "veth", "peer", "name", ifindex_name + "p"],
                   check=True)
    subprocess.run(["ip", "link", "set", ifindex_name, "up"], check=True)
    subprocess.run(["ip", "addr", "add", "2001:db8:5::1/64", "dev", ifindex_name, "nodad"], check=True)

    def listed() -> bool:
        with open("/proc/net/anycast6") as f:
            return "20010db8000500000000000000000055" in f.read()

    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        join_anycast(s, "2001:db8:5::55", ifindex_name)
        joined = listed()
        leave_anycast(s, IPv6Address("2001:db8:5::55"), ifindex_name)
        left = not listed()
        join_anycast(s, "2001:db8:5::55", 0)     # the kernel picks the interface of its route
        picked = listed()
    return joined, left, picked


@linux_only
@needs_netns
def test_anycast_join_and_leave_show_in_proc() -> None:
    assert run_in_netns(_anycast, "any0") == (True, True, True)


@linux_only
def test_anycast_refuses_multicast_before_any_call() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s, pytest.raises(ValueError, match="multicast"):
        join_anycast(s, "ff02::1", 1)
    with pytest.raises(TypeError):
        leave_anycast(object(), "2001:db8::1", 0)


def test_info_lists_the_new_options() -> None:
    from sockapi6.cli.info import report

    options = report()["kernel_options"]
    assert isinstance(options, dict)
    names = {TABLE[n].option_name for n in NEW if n in TABLE}
    assert names <= set(options)
    if sys.platform.startswith("linux"):
        assert all(options[name].startswith("accepted") for name in names), options
