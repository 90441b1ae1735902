"""sockapi6.interfaces on the real kernel: name/index functions, getifaddrs, and a veth pair.

getifaddrs is compared with ``ip -json address`` and ``/sys/class/net`` (the
independent truth), inside network namespaces of its own so the results are
deterministic; a datagram to a link-local address on the veth checks that the
scope these functions produce is the one the kernel routes by.
"""

from __future__ import annotations

import copy
import ctypes
import errno
import json
import os
import pickle
import socket
import subprocess
import sys
import time
from ipaddress import IPv4Address, IPv6Address
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from netns import VethPair, netns_unavailable, run_in_netns

import sockapi6._system.ifnames as names_module
import sockapi6.interfaces._decoders as decoders_module  # the private modules whose internals are tested
from sockapi6 import lib
from sockapi6.address import (
    IN6_IS_ADDR_LINKLOCAL,
    from_sockaddr_tuple,
    parse_sockaddr_in6,
    sockaddr_in6,
    to_ipv6,
    to_sockaddr_tuple,
)
from sockapi6.interfaces import (
    Interface,
    InterfaceAddress,
    InterfaceFlags,
    getifaddrs,
    hardware_address,
    if_indextoname,
    if_nameindex,
    if_nametoindex,
    link_local_address,
    list_interfaces,
)

NETNS = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
AF_PACKET = getattr(socket, "AF_PACKET", -1)


# ---------------------------------------------------------------------------
# RFC 3493 section 4
# ---------------------------------------------------------------------------


def test_loopback_index_and_name() -> None:
    index = socket.if_nametoindex("lo")
    assert if_nametoindex("lo") == if_nametoindex(b"lo") == index
    assert if_indextoname(index) == "lo"


def test_if_nameindex_matches_the_standard_library() -> None:
    assert if_nameindex() == [(i, n) for i, n in socket.if_nameindex()]
    for index, name in if_nameindex():
        assert if_nametoindex(name) == index and if_indextoname(index) == name


def test_both_implementations_of_the_table_agree() -> None:
    """The libc functions and the standard-library stand-ins (used where libc lacks them) agree."""
    for name, (through_libc, stand_in) in names_module._CHOICES.items():
        assert hasattr(lib, name), f"glibc/musl have {name}"
        arg = {"if_nametoindex": (b"lo",), "if_indextoname": (socket.if_nametoindex("lo"),),
               "if_nameindex": ()}[name]
        assert through_libc(*arg) == stand_in(*arg)
    for fn in (names_module._libc_nametoindex, names_module._stdlib_nametoindex):
        with pytest.raises(OSError) as info:
            fn(b"nosuch0")
        assert info.value.errno == errno.ENODEV and "nosuch0" in str(info.value)
    for to_name in (names_module._libc_indextoname, names_module._stdlib_indextoname):
        with pytest.raises(OSError) as info:
            to_name(0x7FFFFFF0)
        assert info.value.errno == errno.ENXIO


def test_errors() -> None:
    for name in ("no-such-if0", "", "x" * 16, "x" * 200):
        with pytest.raises(OSError) as info:
            if_nametoindex(name)
        assert info.value.errno == errno.ENODEV and repr(name) in str(info.value)
    with pytest.raises(ValueError, match="NUL"):
        if_nametoindex("lo\x00")
    for index in (0, 0x7FFFFFF0, 0xFFFFFFFF):
        with pytest.raises(OSError) as info:
            if_indextoname(index)
        assert info.value.errno == errno.ENXIO
    for bad_index in (-1, 1 << 32):
        with pytest.raises(ValueError):
            if_indextoname(bad_index)
    for bad in (None, 1.0, True, ["lo"]):
        with pytest.raises(TypeError):
            if_indextoname(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        if_nametoindex(1)  # type: ignore[arg-type]
    with pytest.raises(OSError):
        link_local_address("no-such-if0")
    with pytest.raises(OSError):
        hardware_address(0x7FFFFFF0)


@given(st.text(max_size=20) | st.binary(max_size=20))
def test_random_names_never_crash(name: str | bytes) -> None:
    try:
        index = if_nametoindex(name)
    except (OSError, ValueError):
        return
    assert if_indextoname(index).encode() == (name if isinstance(name, bytes) else name.encode())


# ---------------------------------------------------------------------------
# value objects
# ---------------------------------------------------------------------------


def test_value_objects_are_immutable_hashable_and_repr_round_trips() -> None:
    entries = getifaddrs()
    assert entries
    namespace = {
        "InterfaceAddress": InterfaceAddress, "Interface": Interface, "InterfaceFlags": InterfaceFlags,
        "IPv6Address": IPv6Address, "IPv4Address": IPv4Address,
    }
    for obj in [*entries, *list_interfaces()]:
        assert eval(repr(obj), namespace) == obj
        assert hash(eval(repr(obj), namespace)) == hash(obj)
        assert pickle.loads(pickle.dumps(obj)) == obj  # scopes included, on every Python
        assert copy.deepcopy(obj) == obj
        with pytest.raises(AttributeError):
            obj.index = 5
    assert len(set(entries)) == len(entries)
    assert InterfaceFlags.IFF_UP == lib.IFF_UP and InterfaceFlags.IFF_MULTICAST == lib.IFF_MULTICAST
    assert isinstance(entries[0].flags, InterfaceFlags)


# ---------------------------------------------------------------------------
# getifaddrs in namespaces of its own
# ---------------------------------------------------------------------------


def _fresh_namespace_view() -> tuple[list[InterfaceAddress], int, int, list[tuple[int, str]]]:
    return getifaddrs(), socket.if_nametoindex("lo"), 0, if_nameindex()


@NETNS
def test_getifaddrs_in_a_fresh_namespace() -> None:
    entries, lo, _, names = run_in_netns(_fresh_namespace_view)
    assert names == [(lo, "lo")]
    by_family = {e.family: e for e in entries}
    assert set(by_family) == {socket.AF_INET, socket.AF_INET6, AF_PACKET}
    assert by_family[socket.AF_INET6].address == IPv6Address("::1")
    assert by_family[socket.AF_INET6].prefixlen == 128 and by_family[socket.AF_INET6].scope_id == 0
    assert by_family[socket.AF_INET].address == IPv4Address("127.0.0.1")
    assert by_family[socket.AF_INET].prefixlen == 8
    assert by_family[AF_PACKET].address == bytes(6) and by_family[AF_PACKET].prefixlen is None
    for entry in entries:
        assert entry.interface == "lo" and entry.index == lo
        assert entry.flags & InterfaceFlags.IFF_UP and entry.flags & InterfaceFlags.IFF_LOOPBACK


def _veth_view(ifname: str) -> dict[str, Any]:
    return {
        "entries": getifaddrs(),
        "interfaces": list_interfaces(),
        "index": if_nametoindex(ifname),
        # as text: Python < 3.11 pickles an IPv6Address without its scope (and the harness pickles)
        "link_local": str(link_local_address(ifname)),
        "link_local_by_index": str(link_local_address(if_nametoindex(ifname))),
        "hardware": hardware_address(ifname),
        "scoped": str(to_ipv6(f"fe80::b%{ifname}")),
    }


def _ip_json(ns: str) -> list[dict[str, object]]:
    out = subprocess.run(["ip", "-n", ns, "-json", "address", "show"], check=True, capture_output=True,
                         text=True).stdout
    result: list[dict[str, object]] = json.loads(out)
    return result


def _sys_mac(ns: str, ifname: str) -> bytes:
    # `ip netns exec` remounts /sys for the namespace, so this is the veth's own sysfs entry
    out = subprocess.run(["ip", "netns", "exec", ns, "cat", f"/sys/class/net/{ifname}/address"],
                         check=True, capture_output=True, text=True).stdout
    return bytes.fromhex(out.strip().replace(":", ""))


@NETNS
def test_getifaddrs_on_a_veth_pair() -> None:
    with VethPair() as pair:
        ifname, ns = pair.ifname["a"], pair.ns["a"]
        view = pair.run("a", _veth_view, ifname)
        index = view["index"]
        assert index == pair.ifindex("a")
        entries: list[InterfaceAddress] = view["entries"]
        mine = [e for e in entries if e.interface == ifname]
        assert {e.index for e in mine} == {index}
        assert all(e.flags & InterfaceFlags.IFF_UP and e.flags & InterfaceFlags.IFF_MULTICAST for e in mine)

        # the link-local address: prefix length 64 from the netmask, scope = the index (design rule 5)
        link_locals = {
            e.address: e for e in mine if e.family == socket.AF_INET6 and IN6_IS_ADDR_LINKLOCAL(e.address)
        }
        wanted = IPv6Address(f"{pair.lladdr['a']}%{index}")
        assert wanted in link_locals
        assert link_locals[wanted].prefixlen == 64 and link_locals[wanted].scope_id == index
        assert IPv6Address(view["link_local"]) in link_locals
        assert view["link_local_by_index"] == view["link_local"]
        documentation = [e for e in mine if e.address == pair.addr["a"]]
        assert len(documentation) == 1 and documentation[0].prefixlen == 64 and documentation[0].scope_id == 0

        # the MAC, as sysfs and VethPair have it
        mac = _sys_mac(ns, ifname)
        assert mac == bytes.fromhex(pair.mac["a"].replace(":", ""))
        assert view["hardware"] == mac
        assert [e.address for e in mine if e.family == AF_PACKET] == [mac]

        # list_interfaces(): one Interface with everything
        (iface,) = [i for i in view["interfaces"] if i.name == ifname]
        assert iface.index == index and iface.link_address == mac
        assert {a.address for a in iface.addresses} >= {wanted, pair.addr["a"]}
        assert view["scoped"] == f"fe80::b%{index}"

        # every address `ip` reports, getifaddrs reports with the same prefix length and index
        truth = {
            (to_ipv6(f"{a['local']}%{link['ifindex']}") if str(a["local"]).startswith("fe80")
             else IPv6Address(a["local"]) if a["family"] == "inet6" else IPv4Address(a["local"]),
             a["prefixlen"], link["ifindex"])
            for link in _ip_json(ns) for a in link["addr_info"]  # type: ignore[attr-defined]
        }
        inet = (socket.AF_INET, socket.AF_INET6)
        ours = {(e.address, e.prefixlen, e.index) for e in entries if e.family in inet}
        assert ours == truth


def _receive(port: int) -> tuple[bytes, tuple[object, ...], bytes, tuple[object, ...]]:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.bind(("::", port))
        s.settimeout(10)
        first, peer1 = s.recvfrom(100)
        second, peer2 = s.recvfrom(100)
        return first, peer1, second, peer2


def _send(source: str, target: str, port: int) -> None:
    """Send once with the standard library's 4-tuple and once with libc sendto() and sockaddr_in6 bytes."""
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.bind(to_sockaddr_tuple(source))
        s.sendto(b"by tuple", to_sockaddr_tuple(target, port))
        data = b"by sockaddr_in6"
        name = sockaddr_in6(target, port)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.sendto.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int,
                                ctypes.c_char_p, ctypes.c_uint32]
        libc.sendto.restype = ctypes.c_ssize_t
        if libc.sendto(s.fileno(), data, len(data), 0, name, len(name)) != len(data):
            raise OSError(ctypes.get_errno(), "sendto")


@NETNS
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="libc sendto through ctypes")
def test_a_datagram_to_a_scoped_link_local_address_arrives() -> None:
    with VethPair() as pair:
        receiver = pair.start("b", _receive, 5355)
        time.sleep(0.3)
        ifname = pair.ifname["a"]
        pair.run("a", _send, f"{pair.lladdr['a']}%{ifname}", f"{pair.lladdr['b']}%{ifname}", 5355)
        first, peer1, second, peer2 = receiver.result(15)
        assert (first, second) == (b"by tuple", b"by sockaddr_in6")
        index_b = pair.ifindex("b")
        for peer in (peer1, peer2):
            address, _port, flowinfo = from_sockaddr_tuple(peer)
            assert address == IPv6Address(f"{pair.lladdr['a']}%{index_b}") and flowinfo == 0
        # the bytes the kernel would hand back for that peer parse to the same thing
        assert parse_sockaddr_in6(sockaddr_in6(address, _port))[0] == address


# ---------------------------------------------------------------------------
# freeifaddrs is always called
# ---------------------------------------------------------------------------


def _boom(sa: object, netmask: object) -> object:
    raise RuntimeError("decoder failed")


class _CallRecorder:
    """``lib`` as getifaddrs() sees it: every call goes to the real libc, and the list heads
    getifaddrs(3) hands out and freeifaddrs(3) takes back are recorded (the one system-call
    boundary of the function; nothing is faked, so the count does not depend on machine load)."""

    def __init__(self, real: Any) -> None:
        from sockapi6 import ffi

        self._ffi = ffi
        self._real = real
        self.given: list[int] = []
        self.freed: list[int] = []

    def getifaddrs(self, head: Any) -> int:
        rc = int(self._real.getifaddrs(head))
        if rc == 0:
            self.given.append(int(self._ffi.cast("size_t", head[0])))
        return rc

    def freeifaddrs(self, ptr: Any) -> None:
        self.freed.append(int(self._ffi.cast("size_t", ptr)))
        self._real.freeifaddrs(ptr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_freeifaddrs_runs_even_when_decoding_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list getifaddrs(3) returned is freed exactly once, though every decoder raised."""
    import sockapi6.interfaces._getifaddrs as getifaddrs_module

    recorder = _CallRecorder(lib)
    monkeypatch.setattr(getifaddrs_module, "lib", recorder)
    for family in list(decoders_module._DECODERS):
        monkeypatch.setitem(decoders_module._DECODERS, family, _boom)
    for _ in range(50):
        with pytest.raises(RuntimeError, match="decoder failed"):
            getifaddrs()
    assert len(recorder.given) == 50
    assert sorted(recorder.freed) == sorted(recorder.given)
    # the control: a list nobody frees is seen as outstanding
    head = getifaddrs_module.ffi.new("struct ifaddrs **")
    assert recorder.getifaddrs(head) == 0
    assert len(recorder.given) == len(recorder.freed) + 1
    lib.freeifaddrs(head[0])


def _heap_growth_when_decoding_fails(rounds: int, leak_on_purpose: bool) -> int:
    """Bytes of C heap in use (glibc mallinfo2) gained over ``rounds`` getifaddrs() calls whose
    decoders raise; ``leak_on_purpose`` calls libc's getifaddrs without freeing, the control."""
    from cffi import FFI

    from sockapi6 import ffi

    malloc = FFI()
    malloc.cdef("struct mallinfo2 { size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks,"
                " uordblks, fordblks, keepcost; }; struct mallinfo2 mallinfo2(void);")
    libc = malloc.dlopen(None)

    def in_use() -> int:
        info = libc.mallinfo2()
        return int(info.uordblks) + int(info.hblkhd)

    decoders = decoders_module._DECODERS
    for family in list(decoders):
        decoders[family] = _boom  # type: ignore[assignment]
    for _ in range(50):  # warm up allocator and caches
        with pytest.raises(RuntimeError):
            getifaddrs()
    before = in_use()
    for _ in range(rounds):
        if leak_on_purpose:
            head = ffi.new("struct ifaddrs **")
            lib.getifaddrs(head)
        else:
            with pytest.raises(RuntimeError, match="decoder failed"):
                getifaddrs()
    return in_use() - before


@NETNS
@pytest.mark.skipif(not sys.platform.startswith("linux") or not os.confstr("CS_GNU_LIBC_VERSION"),
                    reason="mallinfo2 is glibc's")
def test_no_c_heap_growth_when_decoding_raises() -> None:
    """Measured in C heap bytes in use (exact, unlike RSS under load): the control leaks, we do not."""
    leaked = run_in_netns(_heap_growth_when_decoding_fails, 2000, True)
    freed = run_in_netns(_heap_growth_when_decoding_fails, 2000, False)
    assert leaked > 2000 * 100, f"the control should leak a list per call, grew {leaked} bytes"
    assert freed < leaked / 100, (freed, leaked)


@pytest.mark.parametrize(
    ("embeds", "text", "scope", "expected"),
    [
        (True, "fe80:2::1", 0, "fe80::1%2"),  # KAME kernel form, as macOS getifaddrs returns it
        (True, "fe80:2::1", 2, "fe80::1%2"),
        (True, "fe80:2::1", 3, "fe80::1%3"),  # disagreement: sin6_scope_id wins
        (True, "fe80::1", 4, "fe80::1%4"),
        (True, "2001:db8:2::1", 0, "2001:db8:2::1"),
        (False, "fe80:2::1", 5, "fe80:2::1%5"),  # Linux: fe80:2::1 is a real address, left alone
    ],
)
def test_inet6_decoder_undoes_the_embedded_scope_only_on_kame(
    monkeypatch: pytest.MonkeyPatch, embeds: bool, text: str, scope: int, expected: str
) -> None:
    from sockapi6 import ffi

    monkeypatch.setattr(decoders_module, "_EMBEDS_SCOPE", embeds)
    raw = sockaddr_in6(text, 0, 0, scope_id=scope)
    sin6 = ffi.new("struct sockaddr_in6 *")
    ffi.memmove(sin6, raw, len(raw))
    mask = ffi.new("struct sockaddr_in6 *")
    ffi.memmove(mask, sockaddr_in6("ffff:ffff:ffff:ffff::"), len(raw))
    address, prefixlen, hint = decoders_module._decode_inet6(
        ffi.cast("struct sockaddr *", sin6), ffi.cast("struct sockaddr *", mask)
    )
    assert address == IPv6Address(expected) and prefixlen == 64
    assert hint == int(address.scope_id or 0)


def test_prefix_lengths() -> None:
    assert decoders_module._prefixlen(bytes(16)) == 0
    assert decoders_module._prefixlen(b"\xff" * 16) == 128
    assert decoders_module._prefixlen(b"\xff\xff\xff\x80") == 25
    assert decoders_module._prefixlen(b"\xff\x00\xff\x00") is None  # not contiguous


@pytest.mark.parametrize("name", [b"en0", b"bridge100xyz"])  # the second runs past the declared sdl_data[12]
def test_sockaddr_dl_decoder_with_the_darwin_layout(monkeypatch: pytest.MonkeyPatch, name: bytes) -> None:
    """The BSD AF_LINK decoder reads name then address inside sdl_len (memory only, Darwin's declarations)."""
    from sockapi6._system.binding import abi_module

    darwin = abi_module("darwin")
    monkeypatch.setattr(decoders_module, "ffi", darwin.ffi)
    mac = bytes.fromhex("a4836e0102ff")
    header = bytes([0, darwin.CONSTANTS["AF_LINK"]]) + (7).to_bytes(2, "little") + bytes([6, len(name), 6, 0])
    raw = bytearray(header + name + mac)
    raw[0] = len(raw)
    buf = darwin.ffi.new("uint8_t[]", bytes(raw))
    decoded = decoders_module._decode_link(darwin.ffi.cast("struct sockaddr *", buf), None)
    assert decoded == (mac, None, 7)
    raw[0] = len(raw) - 1  # an address running past sdl_len is not read
    buf = darwin.ffi.new("uint8_t[]", bytes(raw))
    assert decoders_module._decode_link(darwin.ffi.cast("struct sockaddr *", buf), None)[0] == b""
