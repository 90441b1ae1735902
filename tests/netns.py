"""Run test code inside Linux network namespaces of its own (no mocks: real kernel, real links).

* :func:`run_in_netns` forks a child, moves it into a fresh network namespace
  (``unshare(CLONE_NEWNET)``) with ``lo`` up, runs a function there and returns
  its result to the parent (or re-raises its exception).  Raw sockets in that
  child see only the child's packets, so parallel test runs do not interfere.
* :class:`VethPair` makes two named namespaces, ``a`` and ``b``, joined by a
  veth pair with fixed link-local (``fe80::a`` / ``fe80::b``) and documentation
  (``2001:db8::a`` / ``2001:db8::b``) addresses, all without DAD, and runs
  functions on either side with :meth:`VethPair.run` / :meth:`VethPair.start`.

Functions passed here must be picklable top-level functions; their results and
exceptions travel back through a pipe with :mod:`pickle`.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import pickle
import select
import shutil
import signal
import subprocess
import sys
import time
import traceback
from ipaddress import IPv6Address
from typing import Any, Callable

CLONE_NEWNET = 0x40000000
_counter = itertools.count()


def netns_unavailable() -> str | None:
    """Return why namespaces cannot be used here, or None when they can."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces are Linux-only (this is {sys.platform})"
    if os.geteuid() != 0:
        return "network namespaces need root (CAP_SYS_ADMIN)"
    if shutil.which("ip") is None:
        return "the 'ip' command (iproute2) is not installed"
    return None


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _enter(fd_or_none: int | None) -> None:
    libc = _libc()
    rc = libc.setns(fd_or_none, CLONE_NEWNET) if fd_or_none is not None else libc.unshare(CLONE_NEWNET)
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    if fd_or_none is None:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)


class Handle:
    """A function running in a forked child; :meth:`result` waits for it."""

    def __init__(self, pid: int, fd: int, what: str) -> None:
        self.pid, self.fd, self.what = pid, fd, what

    def result(self, timeout: float = 30.0) -> Any:
        """Wait up to ``timeout`` seconds and return the child's result (or raise its error)."""
        deadline = time.monotonic() + timeout
        chunks: list[bytes] = []
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    os.kill(self.pid, signal.SIGKILL)
                    raise TimeoutError(f"{self.what} did not finish in {timeout} s")
                ready, _, _ = select.select([self.fd], [], [], left)
                if not ready:
                    continue
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(self.fd)
            _, status = os.waitpid(self.pid, 0)
        if not chunks:
            raise RuntimeError(f"{self.what} died without a result (wait status {status})")
        kind, value, text = pickle.loads(b"".join(chunks))
        if kind == "ok":
            return value
        if isinstance(value, BaseException):
            raise value from RuntimeError(f"in {self.what}:\n{text}")
        raise RuntimeError(f"in {self.what}:\n{text}")


def _fork(enter: Callable[[], None], fn: Callable[..., Any], args: tuple[Any, ...], what: str) -> Handle:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            enter()
            out: tuple[str, Any, str] = ("ok", fn(*args), "")
        except BaseException as exc:
            out = ("err", exc, traceback.format_exc())
        try:
            data = pickle.dumps(out)
        except Exception:
            data = pickle.dumps(("err", None, out[2] or repr(out[1])))
        with os.fdopen(w, "wb") as f:
            f.write(data)
        os._exit(0)
    os.close(w)
    return Handle(pid, r, what)


def start_in_netns(fn: Callable[..., Any], *args: Any) -> Handle:
    """Start ``fn(*args)`` in a fresh network namespace; return a :class:`Handle`."""
    return _fork(lambda: _enter(None), fn, args, f"{fn.__name__} in a new netns")


def run_in_netns(fn: Callable[..., Any], *args: Any, timeout: float = 30.0) -> Any:
    """Run ``fn(*args)`` in a fresh network namespace with ``lo`` up and return its result."""
    return start_in_netns(fn, *args).result(timeout)


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


class VethPair:
    """Two network namespaces ``a`` and ``b`` joined by a veth pair.

    Attributes: ``ns[side]`` namespace name, ``ifname[side]`` the veth name in
    that namespace, ``lladdr[side]`` / ``addr[side]`` its link-local and
    2001:db8::/64 addresses (``IPv6Address`` without scope), ``mac[side]``.
    """

    SIDES = ("a", "b")

    def __init__(self) -> None:
        tag = f"{os.getpid() % 100000}x{next(_counter)}"
        self.ns = {s: f"sa6{s}{tag}" for s in self.SIDES}
        self.ifname = {s: f"v{s}{tag}"[:15] for s in self.SIDES}
        self.lladdr = {s: IPv6Address(f"fe80::{s}") for s in self.SIDES}
        self.addr = {s: IPv6Address(f"2001:db8::{s}") for s in self.SIDES}
        self.mac = {"a": "02:00:00:00:00:0a", "b": "02:00:00:00:00:0b"}

    def __enter__(self) -> VethPair:
        try:
            for s in self.SIDES:
                _ip("netns", "add", self.ns[s])
            _ip("link", "add", self.ifname["a"], "type", "veth", "peer", "name", self.ifname["b"])
            for s in self.SIDES:
                ns, ifn = self.ns[s], self.ifname[s]
                _ip("link", "set", ifn, "netns", ns)
                _ip("-n", ns, "link", "set", "lo", "up")
                _ip("-n", ns, "link", "set", ifn, "address", self.mac[s])
                subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                                f"net.ipv6.conf.{ifn}.accept_dad=0"], check=True, capture_output=True)
                _ip("-n", ns, "addr", "add", f"{self.lladdr[s]}/64", "dev", ifn, "nodad")
                _ip("-n", ns, "addr", "add", f"{self.addr[s]}/64", "dev", ifn, "nodad")
                _ip("-n", ns, "link", "set", ifn, "up")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for s in self.SIDES:
            subprocess.run(["ip", "netns", "del", self.ns[s]], capture_output=True)

    def ifindex(self, side: str) -> int:
        """Return the veth's interface index inside its namespace."""
        out = subprocess.run(["ip", "-n", self.ns[side], "-o", "link", "show", self.ifname[side]],
                             check=True, capture_output=True, text=True).stdout
        return int(out.split(":", 1)[0])

    def start(self, side: str, fn: Callable[..., Any], *args: Any) -> Handle:
        """Start ``fn(*args)`` inside namespace ``side``; return a :class:`Handle`."""
        path = f"/run/netns/{self.ns[side]}"

        def enter() -> None:
            fd = os.open(path, os.O_RDONLY)
            try:
                _enter(fd)
            finally:
                os.close(fd)

        return _fork(enter, fn, args, f"{fn.__name__} in netns {side}")

    def run(self, side: str, fn: Callable[..., Any], *args: Any, timeout: float = 30.0) -> Any:
        """Run ``fn(*args)`` inside namespace ``side`` and return its result."""
        return self.start(side, fn, *args).result(timeout)
