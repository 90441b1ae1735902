"""Flow labels through IPV6_FLOWLABEL_MGR (sockapi6.flowlabel), checked on the wire in a namespace.

The kernel lets any label through until some socket holds an exclusive
one; from then on a socket must hold the label it sends with (EINVAL
otherwise).  A packet socket in the same namespace captures what left, and
the IPv6 header's flow label (RFC 8200 section 3) is read from it.
"""

from __future__ import annotations

import errno
import select
import socket
import sys

import pytest
from netns import netns_unavailable, run_in_netns

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="IPV6_FLOWLABEL_MGR is Linux's")
needs_netns = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))


def _wire_label(capture: socket.socket, payload: bytes) -> int:
    """The flow label of the captured UDP datagram carrying ``payload``."""
    while select.select([capture], [], [], 1.0)[0]:
        packet = capture.recv(4096)
        if packet[6] == socket.IPPROTO_UDP and packet[48:] == payload:
            return int.from_bytes(packet[:4], "big") & 0xFFFFF
    raise AssertionError(f"{payload!r} not seen on the wire")


def _errno_of(call: object) -> int:
    try:
        call()  # type: ignore[operator]
    except OSError as exc:
        return exc.errno or 0
    return 0


def _flowlabels() -> dict[str, object]:
    from sockapi6 import SocketOptions
    from sockapi6.flowlabel import (
        FlowLabelShare,
        flowlabel_info,
        get_flowlabel,
        put_flowlabel,
        renew_flowlabel,
    )

    capture = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x86DD))
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.bind(("::1", 0))
    port = rx.getsockname()[1]
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    SocketOptions(tx).flowinfo_send = True
    facts: dict[str, object] = {}

    # no exclusive label in the namespace yet: any label goes out unregistered
    tx.sendto(b"free", ("::1", port, 0x3333, 0))
    facts["free"] = _wire_label(capture, b"free")

    holder = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    facts["held"] = get_flowlabel(holder, "::1", 0x1111, share=FlowLabelShare.EXCLUSIVE)
    facts["unregistered"] = _errno_of(lambda: tx.sendto(b"refused", ("::1", port, 0x2222, 0)))
    facts["taken"] = _errno_of(lambda: get_flowlabel(tx, "::1", 0x1111))

    facts["got"] = get_flowlabel(tx, "::1", 0x2222, share=FlowLabelShare.EXCLUSIVE)
    tx.sendto(b"registered", ("::1", port, 0x2222, 0))
    facts["wire"] = _wire_label(capture, b"registered")
    facts["unconnected_info"] = flowlabel_info(tx)
    tx.connect(("::1", port, 0x2222, 0))
    facts["info"] = flowlabel_info(tx)
    tx.send(b"connected")
    facts["connected_wire"] = _wire_label(capture, b"connected")
    facts["picked"] = get_flowlabel(tx, "::1", 0, share=FlowLabelShare.EXCLUSIVE)   # the kernel chooses
    renew_flowlabel(tx, 0x2222, linger=6)
    put_flowlabel(tx, 0x2222)
    facts["after_put"] = _errno_of(lambda: tx.sendto(b"late", ("::1", port, 0x2222, 0)))
    facts["put_twice"] = _errno_of(lambda: put_flowlabel(tx, 0x2222))
    with open("/proc/sys/net/ipv6/flowlabel_state_ranges", "w") as f:   # this namespace only
        f.write("1")
    facts["reserved"] = _errno_of(lambda: get_flowlabel(tx, "::1", 0x80001))
    return facts


@linux_only
@needs_netns
def test_exclusive_labels_gate_sends_and_a_held_label_goes_on_the_wire() -> None:
    from sockapi6.flowlabel import FlowLabelShare

    facts = run_in_netns(_flowlabels)
    assert facts["free"] == 0x3333
    assert facts["held"] == 0x1111
    assert facts["unregistered"] == errno.EINVAL
    assert facts["taken"] == errno.EPERM            # someone else holds it exclusively
    assert facts["got"] == 0x2222
    assert facts["wire"] == 0x2222
    assert facts["unconnected_info"] is None
    label, share, _expires, _linger = facts["info"]
    assert (label, share) == (0x2222, FlowLabelShare.EXCLUSIVE)
    assert facts["connected_wire"] == 0x2222
    assert isinstance(facts["picked"], int) and 0 < facts["picked"] <= 0xFFFFF
    assert facts["after_put"] == errno.EINVAL
    assert facts["put_twice"] == errno.ESRCH
    assert facts["reserved"] == errno.ERANGE       # flowlabel_state_ranges=1 keeps 0x80000+ for the kernel


def test_arguments_are_checked_before_any_call() -> None:
    from sockapi6.flowlabel import get_flowlabel

    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        with pytest.raises(ValueError, match="label"):
            get_flowlabel(s, "::1", 0x100000)
        with pytest.raises(ValueError, match="expires"):
            get_flowlabel(s, "::1", 1, expires=-1)
