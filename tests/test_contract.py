"""The one bad-input contract (the table in :mod:`sockapi6.errors`), on the real kernel.

The property test walks every public callable with hostile arguments
(:mod:`contract_walk`) inside a network namespace of its own and fails on any
exception outside the table.  It runs on the backend this process has (tox
runs it under ``SOCKAPI6_BACKEND=libc`` and ``python``: it is marked
``backend``); the C-port functions of both ``rfc3542.pure`` and
``rfc3542.libc`` are walked either way.  The examples of issue 8 are pinned
one by one below it.
"""

from __future__ import annotations

import asyncio
import errno
import pickle
import socket
from typing import Any

import contract_walk
import pytest
from netns import netns_unavailable, run_in_netns

import sockapi6
from sockapi6 import (
    IPV6_HOPLIMIT,
    PacketInfo,
    SocketOptions,
    inet6_rth_add,
    inet6_rth_init,
    inet6_rth_space,
    join_group,
    parse_ancillary,
    recvmmsg,
    recvmsg,
    sendmmsg,
    sendmsg,
    to_ipv6,
)
from sockapi6.errors import Error, MalformedError, RangeError, UnknownInterfaceError

pytestmark = pytest.mark.backend



@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
def test_every_public_callable_keeps_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_in_netns(contract_walk.walk_in_child, timeout=120)
    assert result["backend"] == sockapi6.backend()
    failures = result["failures"]
    report = "\n".join(f"{name}({args}) -> {kind}: {message} [{why}]"
                       for name, args, kind, message, why in failures)
    assert not failures, f"{len(failures)} calls outside the contract:\n{report}"
    assert result["callables"] >= 200 and result["calls"] > 100_000
    assert result["seconds"] < 30
    with capsys.disabled():
        print(f"\n[contract] {result['callables']} public callables, {result['calls']} calls, "
              f"{result['seconds']} s, backend {result['backend']}: {result['outcomes']}")


def test_walk_finds_the_public_callables() -> None:
    found = contract_walk.public_callables()
    names = {name for name, _fn in found}
    for expected in ("sockapi6.recvmsg", "sockapi6.sendmmsg", "sockapi6.BatchReceiver",
                     "sockapi6.aio.recvmsg", "sockapi6.aio.DatagramEndpoint", "sockapi6.inet6_rth_add",
                     "sockapi6.PacketInfo.from_cmsg", "sockapi6.HopByHopOptions.parse",
                     "sockapi6.icmp6.parse", "sockapi6.mobility.parse_options"):
        assert expected in names
    # each object once, under its first public name (the top-level function is one of these two)
    from sockapi6.rfc3542 import libc, pure

    objects = {fn for _name, fn in found}
    assert all(getattr(module, name) in objects for module in (libc, pure) for name in module.__all__)
    assert not any(name.endswith((".ffi", ".lib")) for name in names)


def test_verdict_follows_the_table() -> None:
    ok = [TypeError("x"), ValueError("x"), MalformedError("x"), RangeError("x", "port"), OSError(1, "x"),
          UnknownInterfaceError("eth9")]
    assert [contract_walk.verdict(e, False) for e in ok] == [None] * len(ok)
    bad = [AttributeError("x"), IndexError(1), KeyError(1), OverflowError("x"), UnicodeDecodeError(
        "ascii", b"\xff", 0, 1, "x"), RecursionError()]
    assert all(contract_walk.verdict(e, False) for e in bad)
    assert contract_walk.verdict(ValueError("x"), True)  # the C-port layer: TypeError, or C's -1


# ---- the exception classes ----------------------------------------------------------------------

def test_range_error_is_value_and_overflow_error_and_names_the_argument() -> None:
    error = sockapi6.errors.out_of_range("port", 70000, 0, 65535)
    assert isinstance(error, (Error, ValueError, OverflowError))
    assert error.argument == "port" and str(error) == "port 70000 is out of range 0..65535"
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is RangeError and again.argument == "port" and str(again) == str(error)


def test_unknown_interface_error_is_os_and_value_error() -> None:
    error = UnknownInterfaceError("nosuchif0", "PacketInfo")
    assert isinstance(error, (Error, OSError, ValueError)) and error.errno == errno.ENODEV
    assert str(error) == "unknown interface 'nosuchif0' in PacketInfo (No such device)"
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is UnknownInterfaceError and again.errno == errno.ENODEV
    assert again.interface == "nosuchif0" and str(again) == str(error)
    assert UnknownInterfaceError(99999, errno=errno.ENXIO).errno == errno.ENXIO


def test_unknown_interface_names_raise_one_type_everywhere() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        calls = [
            lambda: to_ipv6("fe80::1%nosuchif0"),
            lambda: PacketInfo("::1", "nosuchif0"),
            lambda: join_group(s, "ff02::1", "nosuchif0"),
            lambda: setattr(SocketOptions(s), "multicast_if", "nosuchif0"),
            lambda: sockapi6.if_nametoindex("nosuchif0"),
        ]
        for call in calls:
            with pytest.raises(UnknownInterfaceError) as info:
                call()
            assert info.value.errno == errno.ENODEV and "nosuchif0" in str(info.value)
    with pytest.raises(UnknownInterfaceError) as info:
        sockapi6.if_indextoname(2**32 - 1)
    assert info.value.errno == errno.ENXIO


# ---- the examples of issue 8 --------------------------------------------------------------------

@pytest.fixture()
def s6() -> Any:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.bind(("::1", 0))
    sock.setblocking(False)
    yield sock
    sock.close()


def test_ipv4_port_out_of_range_is_a_range_error(s6: socket.socket) -> None:
    for call in (lambda: sendmsg(s6, b"x", ("127.0.0.1", 70000)),
                 lambda: sendmsg(s6, b"x", ("::1", 70000)),
                 lambda: sendmmsg(s6, [(b"x", ("127.0.0.1", 70000), ())]),
                 lambda: sendmmsg(s6, [(b"x", ("::1", 70000), ())])):
        with pytest.raises(RangeError, match="port 70000") as info:
            call()
        assert info.value.argument == "port"
    with pytest.raises(RangeError, match="flowinfo"):
        sendmsg(s6, b"x", ("::1", 1, 2**20, 0))


def test_recvmsg_sizes_and_flags_out_of_range(s6: socket.socket) -> None:
    for args, argument in (((2**63,), "bufsize"), ((2**31,), "bufsize"), ((10, 2**63), "flags"),
                           ((10, 2**31), "flags"), ((10, 0, 2**64), "ancbufsize")):
        with pytest.raises(RangeError) as info:
            recvmsg(s6, *args)
        assert info.value.argument == argument
    for args in ((-1,), (10, 0, 2**40)):  # the standard library's ValueError
        with pytest.raises(ValueError):
            recvmsg(s6, *args)
    with pytest.raises(BlockingIOError):  # in range: the kernel is asked
        recvmsg(s6, 2**31 - 1 - 2**30)


def test_not_a_socket_is_a_type_error(s6: socket.socket) -> None:
    with open("/dev/null", "rb") as plain_file:
        for call in (lambda: recvmsg(None), lambda: recvmsg(plain_file),  # type: ignore[arg-type]
                     lambda: sendmsg(object(), b"x"), lambda: sendmmsg(plain_file, [(b"x", None, ())]),
                     lambda: recvmmsg(plain_file), lambda: sockapi6.aio.DatagramEndpoint(None)):
            with pytest.raises(TypeError, match="socket"):
                call()


def test_aio_functions_refuse_non_sockets() -> None:
    async def main() -> None:
        with pytest.raises(TypeError):
            await sockapi6.aio.recvmsg(None)
        with pytest.raises(TypeError):
            await sockapi6.aio.sendmsg(object(), b"x")

    asyncio.run(main())


def test_parse_ancillary_refuses_an_int_for_bytes() -> None:
    with pytest.raises(TypeError):
        parse_ancillary([(41, IPV6_HOPLIMIT, 4)])
    assert parse_ancillary([(41, IPV6_HOPLIMIT, (64).to_bytes(4, "little"))])[0].value == 64


def test_option_parsers_check_their_input_at_entry() -> None:
    from sockapi6 import icmp6, mobility

    with pytest.raises(TypeError):
        mobility.parse_options(5)  # type: ignore[arg-type]
    data = b"\x01\x01" + bytes(6)
    with pytest.raises(ValueError):
        icmp6.parse_options(data, 0, len(data) + 8)
    with pytest.raises(ValueError):
        icmp6.parse_options(data, -1)
    assert len(icmp6.parse_options(data, 0, len(data))) == 1


def test_c_port_layer_gets_type_error_for_what_c_cannot_express() -> None:
    buf = bytearray(inet6_rth_space(0, 1))
    inet6_rth_init(buf, len(buf), 0, 1)
    for addr in ("1.2.3.4", "not an address", b"\x00" * 15):
        with pytest.raises(TypeError):
            inet6_rth_add(buf, addr)
    with pytest.raises(TypeError):
        sockapi6.IN6_IS_ADDR_LOOPBACK("1.2.3.4")
    assert inet6_rth_add(buf, "2001:db8::1") == 0
    assert inet6_rth_add(buf, "2001:db8::2") == -1  # full: C's -1
