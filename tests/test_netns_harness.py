"""The namespace harness itself: isolation is real, and results/errors come back."""

from __future__ import annotations

import socket

import pytest
from netns import VethPair, netns_unavailable, run_in_netns

pytestmark = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))


def _interfaces() -> list[str]:
    return [name for _, name in socket.if_nameindex()]


def _boom() -> None:
    raise ValueError("raised inside the namespace")


def _echo_over_link(port: int) -> bytes:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.bind(("2001:db8::b", port))
        s.settimeout(10)
        return s.recv(100)


def _send(port: int) -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.sendto(b"over the veth", ("2001:db8::b", port))


def test_fresh_namespace_has_only_loopback() -> None:
    assert run_in_netns(_interfaces) == ["lo"]


def test_exception_crosses_back() -> None:
    with pytest.raises(ValueError, match="inside the namespace"):
        run_in_netns(_boom)


def test_veth_pair_carries_a_datagram() -> None:
    with VethPair() as pair:
        receiver = pair.start("b", _echo_over_link, 4242)
        import time

        time.sleep(0.3)
        pair.run("a", _send, 4242)
        assert receiver.result(15) == b"over the veth"
        assert pair.ifindex("a") > 1
