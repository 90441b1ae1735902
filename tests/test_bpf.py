"""Classic BPF socket filters (sockapi6.bpf): value objects, and what the kernel drops on real traffic.

The kernel tests run in a network namespace of their own: echo requests to
``::1`` make the kernel answer with echo replies, so every socket there sees
ICMPv6 types 128 and 129; a filter must leave only the type it accepts.
"""

from __future__ import annotations

import errno
import select
import socket
import struct
import sys

import pytest
from netns import netns_unavailable, run_in_netns

from sockapi6 import bpf
from sockapi6.bpf import (
    BPF_ABS,
    BPF_B,
    BPF_JEQ,
    BPF_JMP,
    BPF_K,
    BPF_LD,
    BPF_RET,
    Instruction,
    Program,
    accept_icmpv6_types,
    jump,
    stmt,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="socket filters are Linux's")
needs_netns = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))


def test_instruction_is_struct_sock_filter_in_host_order() -> None:
    insn = jump(BPF_JMP | BPF_JEQ | BPF_K, 0x86DD, 1, 2)
    assert bytes(insn) == struct.pack("=HBBI", 0x15, 1, 2, 0x86DD)
    assert Instruction.from_bytes(bytes(insn)) == insn
    assert eval(repr(insn), {"Instruction": Instruction}) == insn
    assert hash(insn) == hash(Instruction(0x15, 1, 2, 0x86DD))
    assert stmt(BPF_LD | BPF_B | BPF_ABS, bpf.SKF_AD_OFF).k == 0xFFFFF000   # negative offsets as in C
    with pytest.raises(ValueError, match="jt"):
        Instruction(0x15, 256)
    with pytest.raises(AttributeError):
        insn.k = 1  # type: ignore[misc]


def test_program_checks_what_the_kernel_would_refuse() -> None:
    ret = stmt(BPF_RET | BPF_K, 0)
    with pytest.raises(ValueError, match=r"1\.\.4096"):
        Program([])
    with pytest.raises(ValueError, match="return"):
        Program([stmt(BPF_LD | BPF_B | BPF_ABS, 0)])
    with pytest.raises(ValueError, match="past the end"):
        Program([jump(BPF_JMP | BPF_JEQ | BPF_K, 1, 5, 0), ret])
    with pytest.raises(TypeError):
        Program([b"12345678"])  # type: ignore[list-item]
    program = accept_icmpv6_types(134)
    assert Program.from_bytes(bytes(program)) == program
    assert eval(repr(program), {"Program": Program, "Instruction": Instruction}) == program


def test_builder_layouts_match_odhcpd_and_rdisc6() -> None:
    # odhcpd (packet socket, SOCK_DGRAM): Next Header at 6 must be 58, type at 40
    assert accept_icmpv6_types(135, packet_start="ipv6") == Program([
        stmt(BPF_LD | BPF_B | BPF_ABS, 6), jump(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 2),
        stmt(BPF_LD | BPF_B | BPF_ABS, 40), jump(BPF_JMP | BPF_JEQ | BPF_K, 135, 1, 0),
        stmt(BPF_RET | BPF_K, 0), stmt(BPF_RET | BPF_K, 0xFFFFFFFF)])
    assert len(accept_icmpv6_types(134, 136, packet_start="ethernet")) == 9
    with pytest.raises(ValueError, match="packet_start"):
        accept_icmpv6_types(1, packet_start="udp")
    with pytest.raises(ValueError):
        accept_icmpv6_types()


def _echo(seq: int) -> bytes:
    return struct.pack("!BBHHH", 128, 0, 0, 0x5A5A, seq) + b"bpf"


def _types(sock: socket.socket, offset: int, wait: float = 0.3) -> list[int]:
    seen = []
    while select.select([sock], [], [], wait)[0]:
        data = sock.recv(2048)
        if len(data) > offset:
            seen.append(data[offset])
    return seen


def _raw_icmpv6_filtering() -> dict[str, object]:
    from sockapi6.bpf import accept_icmpv6_types, attach_filter, detach_filter, get_filter, lock_filter

    control = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    rx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    program = accept_icmpv6_types(129)
    attach_filter(rx, program)
    read_back = get_filter(rx)
    tx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    for seq in range(3):
        tx.sendto(_echo(seq), ("::1", 0))
    filtered, unfiltered = _types(rx, 0), _types(control, 0)
    detach_filter(rx)
    tx.sendto(_echo(9), ("::1", 0))
    after_detach = _types(rx, 0)
    try:
        detach_filter(rx)
        second = 0
    except OSError as exc:
        second = exc.errno or 0
    attach_filter(rx, program)
    lock_filter(rx)
    refusals = []
    for call in (lambda: detach_filter(rx), lambda: attach_filter(rx, accept_icmpv6_types(128)),
                 lambda: lock_filter(rx, False)):
        try:
            call()
            refusals.append(0)
        except OSError as exc:
            refusals.append(exc.errno or 0)
    return {"filtered": filtered, "unfiltered": unfiltered, "after_detach": after_detach,
            "second_detach": second, "locked": refusals, "read_back": read_back == program}


@linux_only
@needs_netns
def test_filter_on_a_raw_icmpv6_socket_drops_other_types() -> None:
    got = run_in_netns(_raw_icmpv6_filtering)
    assert sorted(set(got["unfiltered"])) == [128, 129]        # the traffic has both types
    assert got["filtered"] == [129, 129, 129]                  # the filter kept the replies only
    assert sorted(set(got["after_detach"])) == [128, 129]
    assert got["second_detach"] == errno.ENOENT
    assert got["locked"] == [errno.EPERM, errno.EPERM, errno.EPERM]
    assert got["read_back"] is True


def _packet_filtering(packet_start: str) -> tuple[list[int], list[int]]:
    from sockapi6.bpf import accept_icmpv6_types, attach_filter

    kind, offset = {"ipv6": (socket.SOCK_DGRAM, 40), "ethernet": (socket.SOCK_RAW, 54)}[packet_start]
    proto = socket.htons(0x86DD)
    control = socket.socket(socket.AF_PACKET, kind, proto)
    rx = socket.socket(socket.AF_PACKET, kind, proto)
    attach_filter(rx, accept_icmpv6_types(128, packet_start=packet_start))
    udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    udp.sendto(b"not icmpv6", ("::1", 9))                     # Next Header 17: dropped too
    tx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    for seq in range(2):
        tx.sendto(_echo(seq), ("::1", 0))
    return _types(rx, offset), _types(control, offset)


@linux_only
@needs_netns
@pytest.mark.parametrize("packet_start", ["ipv6", "ethernet"])
def test_filter_on_a_packet_socket_drops_other_types(packet_start: str) -> None:
    filtered, unfiltered = run_in_netns(_packet_filtering, packet_start)
    assert {128, 129} <= set(unfiltered)
    assert filtered and set(filtered) == {128}


@linux_only
def test_a_program_the_kernel_refuses_is_einval() -> None:
    bad = Program([Instruction(0xFFFF), stmt(BPF_RET | BPF_K, 0)])  # no such opcode
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s, pytest.raises(OSError) as exc:
        bpf.attach_filter(s, bad)
    assert exc.value.errno == errno.EINVAL


@pytest.mark.skipif(sys.platform.startswith("linux"), reason="the BSDs and macOS have no socket filters")
def test_other_systems_say_they_lack_socket_filters() -> None:
    from sockapi6 import NotSupportedError

    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s, pytest.raises(NotSupportedError):
        bpf.attach_filter(s, accept_icmpv6_types(134))
