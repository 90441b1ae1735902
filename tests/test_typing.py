"""Types users can check: the README's examples, and typical user code, pass ``mypy --strict``.

The code is checked as a user's would be: against the sockapi6 this test
imports (the installed wheel under tox, the source tree otherwise), with
sockapi6's own ``py.typed``.  Skipped when mypy is not importable.
"""

from __future__ import annotations

import ast
import os
import pathlib
import re

import pytest

import sockapi6
from sockapi6.sockopt import ALL_NAMES

ROOT = pathlib.Path(__file__).resolve().parent.parent
README_BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)

#: user code that leans on the types: sockets as parameters, buffers, received values, options
USER_CODE = '''
from __future__ import annotations

import asyncio
import socket
from typing import Optional

import sockapi6
from sockapi6 import (BatchReceiver, DestinationOptions, HopByHopOptions, HopLimit, PacketInfo,
                      ReceivedMessage, SocketOptions, aio, parse_ancillary, recvmmsg, recvmsg, sendmmsg,
                      sendmsg)


def reply(sock: socket.socket) -> int:
    opts = SocketOptions(sock)
    opts.recv_pktinfo = opts.recv_hoplimit = True
    opts.unicast_hops = 64
    opts.multicast_if = "lo"
    hops: int = opts.unicast_hops
    loop: bool = opts.multicast_loop
    opts.hopopts = HopByHopOptions([])
    header: Optional[HopByHopOptions] = opts.hopopts
    msg: ReceivedMessage = recvmsg(sock, 2048)
    host, port, flowinfo, scope = msg.address
    first: str = msg.address[0]
    if msg.hopopts is not None:
        print(len(msg.hopopts.options))
    dst: Optional[DestinationOptions] = msg.dstopts
    for item in parse_ancillary(msg.raw_ancillary):
        if isinstance(item, PacketInfo):
            print(item.ifindex)
    info = msg.pktinfo
    ancillary = [PacketInfo(info.address, info.ifindex)] if info is not None else []
    print(hops, loop, header, host, port, flowinfo, scope, first, dst)
    return sendmsg(sock, [b"a", bytearray(b"b"), memoryview(b"c")], msg.address, [*ancillary, HopLimit(9)])


def batch(sock: socket.socket) -> int:
    receiver = BatchReceiver(sock, count=8)
    got = receiver.receive() + recvmmsg(sock, 4)
    return sendmmsg(sock, [(m.data, m.address, [HopLimit(1)]) for m in got])


async def serve(sock: socket.socket) -> None:
    msg = await aio.recvmsg(sock)
    await aio.sendmsg(sock, msg.data, msg.address, (HopLimit(1),))
    async with await aio.open_endpoint(("::1", 0)) as ep:
        async for received in ep:
            await ep.send(received.data, received.address)


def unknown_interface() -> None:
    try:
        sockapi6.if_nametoindex("nosuchif0")
    except sockapi6.errors.UnknownInterfaceError as exc:
        print(exc.errno, exc.interface)


asyncio.run(serve(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)))
'''


def _mypy(tmp_path: pathlib.Path, files: dict[str, str]) -> tuple[str, int]:
    api = pytest.importorskip("mypy.api", reason="mypy is not installed (it is in the 'test' extra)")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    env_path = os.environ.get("MYPYPATH")
    source = pathlib.Path(sockapi6.__file__).resolve().parent.parent
    installed = any(part in ("site-packages", "dist-packages") for part in source.parts)
    if not installed:  # the source tree: let mypy find the package as the tests import it
        os.environ["MYPYPATH"] = str(source)
    try:
        out, err, status = api.run(["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / ".cache"),
                                    *(str(tmp_path / name) for name in files)])
    finally:
        if env_path is None:
            os.environ.pop("MYPYPATH", None)
        else:
            os.environ["MYPYPATH"] = env_path
    return out + err, status


def test_readme_examples_and_user_code_pass_mypy_strict(tmp_path: pathlib.Path) -> None:
    assert len(README_BLOCKS) >= 4
    files = {f"readme_{i + 1}.py": block for i, block in enumerate(README_BLOCKS)}
    files["user_code.py"] = USER_CODE
    out, status = _mypy(tmp_path, files)
    assert status == 0, out


def test_mypy_catches_a_wrong_option_type(tmp_path: pathlib.Path) -> None:
    # the check has teeth: a wrong type on an option, a non-socket, an unchecked Optional are reported
    bad = ('import socket\nfrom sockapi6 import SocketOptions, recvmsg\n'
           's = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n'
           'SocketOptions(s).multicast_if = 1.5\n'
           'recvmsg("not a socket")\n'
           'print(recvmsg(s).pktinfo.ifindex)\n')
    out, status = _mypy(tmp_path, {"bad.py": bad})
    assert status == 1
    assert "bad.py:4" in out and "bad.py:5" in out and "bad.py:6" in out, out


def test_every_socket_option_is_declared_for_type_checkers() -> None:
    tree = ast.parse((ROOT / "sockapi6" / "sockopt" / "_options.py").read_text())
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "SocketOptions"]
    declared = set()
    for node in cls.body:
        if isinstance(node, ast.If):  # the TYPE_CHECKING block
            for stmt in node.body:
                if isinstance(stmt, ast.Assign):
                    declared |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
                elif isinstance(stmt, ast.FunctionDef):
                    declared.add(stmt.name)
    assert set(ALL_NAMES) <= declared, sorted(set(ALL_NAMES) - declared)
