"""How sockapi6 hands descriptors and buffers to libc, and what a failed call raises.

* ``_system.descriptors.fileno``: a descriptor outside this OS's ``SOCKET`` type is a
  ``ValueError``, a non-int a ``TypeError``, a negative one ``OSError(EBADF)``
  (design rule 4), in :mod:`sockapi6.sockopt` and :mod:`sockapi6.multicast`
  alike, never cffi's ``OverflowError``.
* One errno -> exception table (``_oserror.call_error``): ENOPROTOOPT and
  EOPNOTSUPP from the real kernel become ``NotSupportedError`` in both.
* Error codes are read with ``_binding.last_error()`` and no pointer is cast
  from a temporary ``ffi.from_buffer`` (checked in the source).
* getifaddrs' link-layer addresses are read up to ``sll_halen`` within the
  24 bytes glibc and musl allocate.
"""

from __future__ import annotations

import errno
import re
import shutil
import socket
from pathlib import Path

import pytest
from netns import netns_unavailable, run_in_netns

import sockapi6
from sockapi6 import NotSupportedError, SocketOptions, ffi, multicast
from sockapi6._system.binding import PLATFORM, last_error
from sockapi6._system.descriptors import fileno
from sockapi6._system.oserror import call_error

SOCKET_BITS = 8 * ffi.sizeof("SOCKET")
SOCKET_SIGNED = int(ffi.cast("SOCKET", -1)) < 0
SOCKET_MAX = 2 ** (SOCKET_BITS - 1 if SOCKET_SIGNED else SOCKET_BITS) - 1
SOURCE = Path(sockapi6.__file__).parent


class _Fd:
    def __init__(self, value: object) -> None:
        self.value = value

    def fileno(self) -> object:
        return self.value


# ---- item: descriptors -------------------------------------------------------

@pytest.mark.parametrize(("value", "exc"), [
    (SOCKET_MAX + 1, ValueError),
    (2 ** 64, ValueError),
    ("3", TypeError),
    (3.0, TypeError),
    (True, TypeError),
    (None, TypeError),
])
def test_fileno_rejects_what_the_socket_type_cannot_hold(value: object, exc: type) -> None:
    with pytest.raises(exc):
        fileno(_Fd(value))
    with pytest.raises(exc):
        SocketOptions(_Fd(value)).v6only  # noqa: B018
    with pytest.raises(exc):
        SocketOptions(_Fd(value)).unicast_hops = 5
    with pytest.raises(exc):
        multicast.join_group(_Fd(value), "ff02::1:2", 1)
    if hasattr(sockapi6.lib, "getsourcefilter"):
        with pytest.raises(exc):
            multicast.getsourcefilter(_Fd(value), 1, "ff02::1:2")


@pytest.mark.parametrize("value", [-1, -(2 ** 40)])
def test_negative_fileno_is_ebadf(value: int) -> None:
    for call in (lambda s: SocketOptions(s).v6only, lambda s: multicast.join_group(s, "ff02::1:2", 1)):
        with pytest.raises(OSError) as info:
            call(_Fd(value))
        assert info.value.errno == errno.EBADF and not isinstance(info.value, NotSupportedError)


def test_fileno_range_is_the_socket_type() -> None:
    assert (SOCKET_BITS, SOCKET_SIGNED) == ((64, False) if PLATFORM == "windows" else (32, True))
    assert fileno(_Fd(SOCKET_MAX)) == SOCKET_MAX
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        assert fileno(s) == s.fileno()
        # the largest valid descriptor reaches the kernel: EBADF from it, not a Python error
        with pytest.raises(OSError) as info:
            SocketOptions(_Fd(SOCKET_MAX)).v6only  # noqa: B018
        assert info.value.errno == errno.EBADF


# ---- item: one errno mapping --------------------------------------------------

@pytest.mark.skipif(not hasattr(sockapi6.lib, "setsourcefilter"), reason="libc has no setsourcefilter")
def test_sourcefilter_unsupported_is_not_supported_error() -> None:
    # level IPPROTO_IPV6 on an IPv4 socket: Linux answers ENOPROTOOPT
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        with pytest.raises(NotSupportedError) as info:
            multicast.setsourcefilter(s, 1, "ff02::1:2", multicast.FilterMode.EXCLUDE, [])
        assert info.value.errno in (errno.ENOPROTOOPT, errno.EOPNOTSUPP)
        with pytest.raises(NotSupportedError) as info:
            multicast.getsourcefilter(s, 1, "ff02::1:2")
        assert info.value.errno in (errno.ENOPROTOOPT, errno.EOPNOTSUPP)
        with pytest.raises(NotSupportedError) as info:
            multicast.join_group(s, "ff02::1:2", 1)
        assert info.value.errno in (errno.ENOPROTOOPT, errno.EOPNOTSUPP)
        with pytest.raises(NotSupportedError):
            SocketOptions(s).unicast_hops = 5


def test_call_error_table() -> None:
    for err in (errno.ENOPROTOOPT, errno.EOPNOTSUPP):
        exc = call_error(err, "setsockopt(X)", "X")
        assert isinstance(exc, NotSupportedError) and exc.errno == err and "X" in str(exc)
    exc = call_error(errno.EINVAL, "setsockopt(X)", "X")
    assert type(exc) is OSError and exc.errno == errno.EINVAL and "setsockopt(X)" in str(exc)
    assert isinstance(call_error(errno.EINVAL, "c", "X", unsupported=(errno.EINVAL,)), NotSupportedError)


def test_last_error_reads_the_failed_call() -> None:
    assert sockapi6.lib.setsockopt(-1, 0, 0, ffi.NULL, 0) == -1
    assert last_error() == errno.EBADF


# ---- items: source rules --------------------------------------------------------

def _sources() -> list[tuple[Path, str]]:
    return [(p, p.read_text()) for p in sorted(SOURCE.rglob("*.py")) if "_abi" not in p.parts]


def test_errno_is_read_through_last_error_only() -> None:
    reads = [f"{p.relative_to(SOURCE)}:{n}" for p, text in _sources()
             if p.relative_to(SOURCE).as_posix() != "_system/binding.py"
             for n, line in enumerate(text.splitlines(), 1)
             if re.search(r"ffi\.errno\b(?!\s*=[^=])", line)]
    assert reads == []


def test_no_pointer_cast_from_a_temporary_buffer() -> None:
    casts = [f"{p.relative_to(SOURCE)}:{n}" for p, text in _sources()
             for n, line in enumerate(text.splitlines(), 1)
             if re.search(r"cast\([^()]*\*[^()]*,\s*_?(ffi\.)?_?from_buffer\(", line)]
    assert casts == []


def test_typed_from_buffer_keeps_length_checks() -> None:
    from sockapi6.ancillary import PathMTU
    from sockapi6.ancillary._errqueue import _decode_error
    from sockapi6.ancillary._wire import _decode_sockaddr
    from sockapi6.errors import MalformedError

    with pytest.raises(MalformedError):
        _decode_sockaddr(b"\x0a", "x")
    with pytest.raises(MalformedError):
        _decode_sockaddr(socket.AF_INET6.to_bytes(2, "little") + bytes(8), "x")
    with pytest.raises((MalformedError, NotSupportedError)):
        PathMTU.from_bytes(bytes(10))
    if "IPV6_RECVERR" in sockapi6._system.binding.CONSTANTS:
        with pytest.raises(MalformedError):
            _decode_error(0, 0, bytes(10))
    mtu = PathMTU("2001:db8::1", 1280)
    assert PathMTU.from_bytes(mtu.to_bytes()) == mtu


# ---- item: long link-layer addresses --------------------------------------------

LINUX = PLATFORM.startswith("linux")


@pytest.mark.skipif(not LINUX, reason="AF_PACKET / sockaddr_ll is Linux's")
def test_packet_address_longer_than_sockaddr_ll() -> None:
    """A 16-byte address as glibc stores it (sockaddr_ll_max, sll_addr[24]) comes back whole."""
    from sockapi6.interfaces._decoders import _decode_packet

    name = "struct sockaddr_ll"
    storage = ffi.new("uint8_t[]", ffi.offsetof(name, "sll_addr") + 24)
    sll = ffi.cast(f"{name} *", storage)
    sll.sll_family, sll.sll_ifindex = socket.AF_PACKET, 7
    address = bytes(range(0xA0, 0xB4))  # 20 bytes, an InfiniBand address
    room = address.ljust(24, b"\xee")
    ffi.memmove(ffi.cast("char *", storage) + ffi.offsetof(name, "sll_addr"), room, 24)
    for halen in (0, 6, 8, 16, 20, 24):
        sll.sll_halen = halen
        assert _decode_packet(sll, ffi.NULL) == (room[:halen], None, 7)
    sll.sll_halen = 200  # a length byte past the allocation: only the 24 allocated bytes are read
    assert len(_decode_packet(sll, ffi.NULL)[0]) == 24


def _tunnel_hardware_address() -> object:
    import subprocess

    from sockapi6.interfaces import getifaddrs

    made = subprocess.run(["ip", "link", "add", "t6", "type", "ip6tnl", "local", "fd00::1",
                           "remote", "fd00::2", "mode", "ip6ip6"], capture_output=True, text=True)
    if made.returncode != 0:
        return f"cannot create an ip6tnl device: {made.stderr.strip()}"
    return [e.address for e in getifaddrs() if e.interface == "t6" and e.family == socket.AF_PACKET]


@pytest.mark.skipif(not LINUX or netns_unavailable() is not None or shutil.which("ip") is None,
                    reason=str(netns_unavailable()) if LINUX else "Linux only")
def test_ip6tnl_hardware_address_is_16_bytes() -> None:
    got = run_in_netns(_tunnel_hardware_address)
    if isinstance(got, str):
        pytest.skip(got)
    import ipaddress

    assert got == [ipaddress.IPv6Address("fd00::1").packed]

