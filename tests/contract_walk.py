"""Walk every public callable of sockapi6 with hostile arguments; report what breaks the contract.

The contract is the table in :mod:`sockapi6.errors`: bad input raises
``TypeError``, ``ValueError`` (``MalformedError``, ``RangeError``,
``UnknownInterfaceError`` among them) or ``OSError`` -- nothing else.  This
module finds the callables (``sockapi6.__all__`` and the public names of the
submodules listed in :data:`MODULES`; for classes, the constructor and the
``parse`` / ``from_cmsg`` classmethods), calls each with hostile values in
every positional slot while the other slots hold plausible ones, and returns
the calls that raised anything else (or hung).  The raw binding (``ffi``,
``lib``) has C's semantics and is not walked.

Run it in a network namespace of its own (:func:`netns.run_in_netns`): it
sends datagrams and joins groups on real sockets.
"""

from __future__ import annotations

import asyncio
import inspect
import ipaddress
import os
import resource
import signal
import socket
import struct
import tempfile
import warnings
from typing import Any, Callable

import sockapi6
from sockapi6.errors import RangeError

#: submodules whose public callables are walked, besides ``sockapi6.__all__``
MODULES = (
    "sockapi6.icmp6", "sockapi6.mobility", "sockapi6.aio", "sockapi6.exthdr", "sockapi6.routing",
    "sockapi6.multicast", "sockapi6.sockopt", "sockapi6.messaging", "sockapi6.ancillary",
    "sockapi6.address", "sockapi6.interfaces", "sockapi6.rfc3542.pure", "sockapi6.rfc3542.libc",
    "sockapi6.dhcp6", "sockapi6.packet", "sockapi6.mhsocket", "sockapi6.bpf", "sockapi6.flowlabel",
    "sockapi6.anycast", "sockapi6.sysctl", "sockapi6.rfc2292.pure", "sockapi6.rfc2292.libc",
)
#: modules of the C-port layer: C's semantics (a wrong Python type is TypeError, C's -1 otherwise)
C_PORT = ("sockapi6.rfc3542", "sockapi6.rfc2292", "sockapi6.srcaddr")
#: not walked: the raw binding, and the standard library's own classes re-exported for reprs
SKIP_NAMES = frozenset({"ffi", "lib"})
SKIP_OBJECTS = (ipaddress.IPv4Address, ipaddress.IPv6Address)
#: classmethods walked besides the constructor
CLASSMETHODS = ("parse", "from_cmsg")

_CALL_TIMEOUT = 2.0  # seconds: a call that takes longer hangs (every socket here is non-blocking)
_ASYNC_WAIT = 0.02  # seconds an awaitable may wait before it counts as "waiting for valid input"


class Hang(Exception):
    """A call that did not return within :data:`_CALL_TIMEOUT`."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang


# ------------------------------------------------------------------ what gets called
def public_callables() -> list[tuple[str, Callable[..., Any]]]:
    """``(qualified name, callable)`` for every public callable, each object once."""
    import importlib

    found: list[tuple[str, Callable[..., Any]]] = []
    seen: set[int] = set()

    def add(name: str, obj: Any) -> None:
        if not callable(obj) or id(obj) in seen or name.split(".")[-1] in SKIP_NAMES:
            return
        if inspect.isclass(obj) and issubclass(obj, SKIP_OBJECTS):
            return
        if inspect.ismodule(obj):
            return
        seen.add(id(obj))
        found.append((name, obj))
        if inspect.isclass(obj):
            for method in CLASSMETHODS:
                bound = getattr(obj, method, None)
                if bound is not None and inspect.ismethod(bound):
                    key = id(bound.__func__), id(obj)
                    if hash(key) not in seen:
                        seen.add(hash(key))
                        found.append((f"{name}.{method}", bound))

    for name in sockapi6.__all__:
        add(f"sockapi6.{name}", getattr(sockapi6, name))
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
        for name in names:
            add(f"{module_name}.{name}", getattr(module, name))
    return found


def _positional(fn: Callable[..., Any]) -> tuple[int, int]:
    """(required, most) positional arguments of ``fn``; (0, 3) when its signature is unknown or open."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return 0, 3
    required = most = 0
    for p in sig.parameters.values():
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            most += 1
            if p.default is p.empty:
                required += 1
        elif p.kind is p.VAR_POSITIONAL:
            most = max(most, required) + 2
    return required, min(most, 5)


# ------------------------------------------------------------------ the hostile values
class Values:
    """The hostile values, and the plausible fillers for the other slots; sockets remade when closed."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self.sockets: dict[str, socket.socket] = {}
        self.refresh()

    def refresh(self) -> None:
        """(Re)make every socket that a call closed or took."""
        makers: dict[str, Callable[[], socket.socket]] = {
            "udp6": lambda: _bound(socket.AF_INET6, socket.SOCK_DGRAM, ("::1", 0)),
            "udp4": lambda: _bound(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 0)),
            "tcp6": lambda: _bound(socket.AF_INET6, socket.SOCK_STREAM, ("::1", 0)),
            "unix": lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM),
            "closed": _closed,
        }
        for key, make in makers.items():
            current = self.sockets.get(key)
            if current is None or (key != "closed" and current.fileno() == -1):
                sock = make()
                if key != "closed":
                    sock.setblocking(False)
                self.sockets[key] = sock

    def hostile(self) -> list[Any]:
        s = self.sockets
        return [
            None, 0, -1, 1, 255, 2**16, 2**31, -(2**31) - 1, 2**32, 2**63, 2**64, -(2**64), True,
            1.5, float("nan"), "", "x", "::1", "fe80::1%nosuchif0", "nosuchif0", "\udcff", "é" * 40,
            b"", b"\x00", b"\xff" * 7, bytes(24), b"\x01\x05" + bytes(30), bytearray(3),
            memoryview(b"ro" * 8),
            [], [None], [0], [-1], ["é"], ["bücher.example"], [b"\xff"], [(41, 50, 4)], [("::1", 1)], [[]],
            (), (1, 2), ("::1", 2**16), ("127.0.0.1", -1), ("::1", 1, 2**20, 2**32), {}, {"x": 1}, object(),
            2**31 - 1, 70000, 65536, 256, -256, 2048, 2**8 * 8 + 8,
            s["udp6"], s["udp4"], s["tcp6"], s["unix"], s["closed"], self._file,
        ]

    def fillers(self) -> list[Any]:
        """Values for the slots not under test: each call is tried with each of these around it."""
        return [0, 1, "::1", b"\x00" * 8, bytearray(64), self.sockets["udp6"]]


def _bound(family: int, kind: int, address: Any) -> socket.socket:
    sock = socket.socket(family, kind)
    sock.bind(address)
    return sock


def _closed() -> socket.socket:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.close()
    return sock


# ------------------------------------------------------------------ judging one outcome
def verdict(exc: BaseException, c_port: bool) -> str | None:
    """None if ``exc`` is in the contract table (for a C-port function: TypeError and
    C-style results only), else why it is not."""
    if isinstance(exc, (UnicodeError, struct.error, RecursionError)):
        return "forbidden type"
    if isinstance(exc, OverflowError) and not isinstance(exc, RangeError):
        return "bare OverflowError"
    if c_port:  # TypeError; RangeError (an OverflowError, as cffi raises) for ints C's type cannot hold
        return None if isinstance(exc, (TypeError, RangeError, OSError)) else "C-port layer: not TypeError"
    if isinstance(exc, (TypeError, ValueError, OSError)):
        return None
    return "not in the table"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ------------------------------------------------------------------ the walk
def walk(limit_seconds: float = 60.0) -> dict[str, Any]:
    """Call everything; return ``{"callables": n, "calls": n, "failures": [...]}``.

    Each failure is ``(callable, args, exception type, message, why)``.  Memory is capped
    (``RLIMIT_AS``) so that a call asking for a huge buffer fails instead of swapping.
    """
    import time

    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, resource.getrlimit(resource.RLIMIT_AS)[1]))
    signal.signal(signal.SIGALRM, _alarm)
    warnings.simplefilter("ignore")  # decoders warn about what they skip: not the point here
    values = Values()
    loop = asyncio.new_event_loop()
    callables = public_callables()
    failures: list[tuple[str, str, str, str, str]] = []
    calls = 0
    outcomes: dict[str, int] = {}
    started = time.monotonic()
    for name, fn in callables:
        c_port = any(name.startswith(prefix) for prefix in C_PORT) or name.split(".")[-1].startswith(
            ("inet6_", "IN6_", "IN6ADDR", "ICMP6_FILTER_", "CMSG_"))
        required, most = _positional(fn)
        seen_failure: set[tuple[str, str]] = set()
        for args in _argument_lists(values, required, most):
            calls += 1
            problem = _call(loop, fn, args, c_port, outcomes)
            if problem is not None:
                key = (problem[0], problem[2])
                if key not in seen_failure:  # one report per (type, reason) per callable
                    seen_failure.add(key)
                    failures.append((name, ", ".join(map(_short, args)), *problem))
            values.refresh()
        if time.monotonic() - started > limit_seconds:
            failures.append((name, "", "", "", f"walk stopped: over {limit_seconds} s"))
            break
    loop.close()
    return {"callables": len(callables), "calls": calls, "failures": failures, "outcomes": outcomes,
            "seconds": round(time.monotonic() - started, 1)}


def _argument_lists(values: Values, required: int, most: int) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = [()]
    hostile, fillers = values.hostile(), values.fillers()
    slots = max(required, most)
    for filler in fillers:
        out.append(tuple([filler] * max(required, 1)))
    for slot in range(slots):
        width = max(required, slot + 1)
        for value in hostile:
            for filler in fillers:
                args = [filler] * width
                args[slot] = value
                out.append(tuple(args))
    return out


def _call(loop: asyncio.AbstractEventLoop, fn: Callable[..., Any], args: tuple[Any, ...],
          c_port: bool, outcomes: dict[str, int]) -> tuple[str, str, str] | None:
    """Call once; None if the outcome is in the contract, else (exception type, message, why)."""
    signal.setitimer(signal.ITIMER_REAL, _CALL_TIMEOUT)
    try:
        result = fn(*args)
        outcomes["returned"] = outcomes.get("returned", 0) + 1
        if inspect.isawaitable(result):
            try:
                loop.run_until_complete(asyncio.wait_for(_awaited(result), _ASYNC_WAIT))
            except asyncio.TimeoutError:
                pass
        elif inspect.isasyncgen(result) or inspect.isgenerator(result):
            pass
    except Hang:
        return "Hang", f"no return within {_CALL_TIMEOUT} s", "hangs"
    except BaseException as exc:  # the point: see everything
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        kind = next(k.__name__ for k in (TypeError, ValueError, OSError, Exception, BaseException)
                    if isinstance(exc, k))
        outcomes[kind] = outcomes.get(kind, 0) + 1
        why = verdict(exc, c_port)
        if why is not None:
            return type(exc).__name__, str(exc)[:120], why
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return None


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def walk_in_child() -> dict[str, Any]:
    """:func:`walk` with the backend this process runs (for :func:`netns.run_in_netns`)."""
    result = walk()
    result["backend"] = sockapi6.backend()
    result["pid"] = os.getpid()
    return result
