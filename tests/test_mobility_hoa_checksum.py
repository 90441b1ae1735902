"""The Home Address option checksum trap (docs/kernel-facts.md), pinned on the real kernel in a namespace.

A mobile node away from home sends its Binding Update from the care-of address with a Home Address
option (RFC 6275 sections 6.3, 11.7.1).  RFC 6275 section 6.1.1 computes the Mobility Header checksum
over a pseudo-header whose source is the **home** address.  A raw ``IPPROTO_MH`` socket with
``IPV6_CHECKSUM`` 4 (RFC 4584 section 6.1) makes Linux checksum with the packet's source, the
**care-of** address.  Captured on ``lo`` with a packet socket: the kernel's value equals
``checksum(coa, dst, mh)``, not ``checksum(coa, dst, mh, home_address=hoa)``; ``with_checksum`` with
the home address sent from a socket whose ``IPV6_CHECKSUM`` is -1 goes out as computed.
"""

from __future__ import annotations

import socket
import subprocess
import time
from ipaddress import IPv6Address

import pytest
from netns import netns_unavailable, run_in_netns

from sockapi6 import SocketOptions, mhsocket, mobility
from sockapi6.exthdr import DestinationOptions, HomeAddress

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(netns_unavailable() is not None or not hasattr(socket, "AF_PACKET"),
                       reason=str(netns_unavailable() or "no AF_PACKET")),
]

HOA = IPv6Address("2001:db8:1::1")
COA = IPv6Address("2001:db8:2::2")
DST = IPv6Address("2001:db8:3::3")
ETH_P_IPV6 = 0x86DD
DSTOPTS, MH = 60, 135


def _binding_update() -> mobility.BindingUpdate:
    return mobility.BindingUpdate(7, mobility.BUFlag.ACK | mobility.BUFlag.HOME, 100)


def _mh_of(packet: bytes) -> tuple[IPv6Address, bytes, bytes] | None:
    """(source, destination options, Mobility Header) of an IPv6 packet from COA with options then MH."""
    if len(packet) < 48 or packet[6] != DSTOPTS or packet[40] != MH:
        return None
    end = 40 + (packet[41] + 1) * 8
    return IPv6Address(packet[8:24]), packet[40:end], packet[end:]


def _capture(sender: socket.socket, payload: bytes) -> tuple[IPv6Address, bytes, bytes]:
    sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IPV6))
    sniffer.bind(("lo", ETH_P_IPV6))
    sniffer.settimeout(5)
    try:
        sender.sendto(payload, (str(DST), 0))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            found = _mh_of(sniffer.recv(4096))
            if found is not None:
                return found
        raise AssertionError("the Mobility Header packet was not seen on lo")
    finally:
        sniffer.close()


def _send_both_ways() -> list[tuple[IPv6Address, bytes, bytes]]:
    for address in (COA, DST):
        subprocess.run(["ip", "-6", "addr", "add", f"{address}/128", "dev", "lo", "nodad"], check=True)
    hao = DestinationOptions([HomeAddress(HOA)])
    out = []
    kernel = mhsocket.open_mh_socket()  # IPV6_CHECKSUM 4: the kernel fills the checksum
    plain = socket.socket(socket.AF_INET6, socket.SOCK_RAW, mhsocket.mh_protocol())
    try:
        for sock in (kernel, plain):
            sock.bind((str(COA), 0))
            SocketOptions(sock).dstopts = hao  # after any routing header, where RFC 6275 6.3 puts it
        SocketOptions(plain).checksum = -1  # off: the message goes out as built
        out.append(_capture(kernel, bytes(_binding_update())))
        out.append(_capture(plain, bytes(mobility.with_checksum(_binding_update(), COA, DST, HOA))))
    finally:
        kernel.close()
        plain.close()
    return out


def test_kernel_checksums_with_the_care_of_address_not_the_home_address() -> None:
    (src1, opts1, by_kernel), (src2, opts2, by_us) = run_in_netns(_send_both_ways)
    assert src1 == src2 == COA
    assert opts1 == opts2 and DestinationOptions.parse(opts1).options[0] == HomeAddress(HOA)
    kernel_value = int.from_bytes(by_kernel[4:6], "big")
    rfc_value = mobility.checksum(COA, DST, by_kernel, home_address=HOA)
    assert kernel_value == mobility.checksum(COA, DST, by_kernel)  # the packet's source: the care-of address
    assert kernel_value != rfc_value  # ... which RFC 6275 6.1.1 does not want
    assert int.from_bytes(by_us[4:6], "big") == rfc_value  # with_checksum(home_address=) on the wire
    assert by_us[:4] + by_us[6:] == by_kernel[:4] + by_kernel[6:]


def test_with_checksum_takes_messages_bytes_and_home_address_forms() -> None:
    msg = _binding_update()
    expected = mobility.checksum(COA, DST, bytes(msg), home_address=HOA)
    fixed = mobility.with_checksum(msg, COA, DST, home_address=HOA)
    assert isinstance(fixed, mobility.BindingUpdate) and fixed.checksum == expected
    assert fixed == msg.with_checksum(COA, DST, HOA)
    raw = mobility.with_checksum(bytes(msg), str(COA), str(DST), HomeAddress(HOA))
    assert isinstance(raw, bytes) and raw == bytes(fixed)
    assert mobility.with_checksum(msg, COA, DST, DestinationOptions([HomeAddress(HOA)])) == fixed
    assert mobility.with_checksum(msg, COA, DST).checksum == mobility.checksum(COA, DST, bytes(msg))
    assert mobility.checksum(HOA, DST, bytes(fixed)) == expected  # = the home address as the source
    with pytest.raises(ValueError):
        mobility.with_checksum(b"\0" * 4, COA, DST)
    with pytest.raises(TypeError):
        mobility.with_checksum("not bytes", COA, DST)
