"""Batch receive: ``recvmmsg`` with typed ancillary data per datagram (sending: :mod:`._batch_send`).

One system call moves up to ``count`` datagrams (Linux ``recvmmsg(2)`` /
``sendmmsg(2)``, also FreeBSD and NetBSD); each received datagram is decoded
by :func:`~sockapi6.messaging.recvmsg`'s own code into the same
:class:`~sockapi6.messaging.ReceivedMessage` (same ``pktinfo`` /
``hoplimit`` / ``tclass``, same sender tuple, same ``MSG_TRUNC`` /
``MSG_CTRUNC`` reporting; RFC 3542 sections 5-6).  Where the C library has
no such call (macOS, OpenBSD, Windows) the same functions loop over
``recvmsg`` / ``sendmsg``; a table keyed on
:func:`sockapi6._binding.has_function` picks the implementation.

Semantics, the same on both paths:

* a receive waits (as the socket's blocking mode and timeout say) for the
  first datagram only, then takes what is already queued, up to ``count``
  (``MSG_WAITFORONE``; the loop passes ``MSG_DONTWAIT`` after the first);
* with nothing queued and ``MSG_DONTWAIT`` (or a non-blocking socket) it
  raises :class:`BlockingIOError`, as ``recvmsg`` does: never an empty list;
* a send returns how many datagrams went out; an error after the first is
  lost, the count tells the caller where to resume (``sendmmsg(2)``);
* a call that waits (a socket with a timeout) reads ``sock.fileno()`` again
  before every attempt and raises ``OSError(EBADF)`` once the socket is
  closed: another thread's close may hand the descriptor number to a new
  socket at once, which is never read from or sent through.

Every buffer handed to libc is allocated here with ``ffi.new`` and lives as
long as its :class:`BatchReceiver` (or the call); what is returned is copied
out of it.
"""

from __future__ import annotations

import errno as _errno
import socket as _socket
import struct as _struct
from typing import TYPE_CHECKING

from .._binding import CONSTANTS as _C
from .._binding import ffi, has_function, last_error, lib
from .._checks import check_int, check_socket, fileno
from .._oserror import call_error
from ..ancillary import CMSG_LEN, CMSG_SPACE
from ._received import ANCILLARY_BUFFER_SIZE, ReceivedMessage, _Replay, recvmsg

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Callable, Optional

    from .._types import MessageSocket

__all__ = ["BatchReceiver", "MAX_BATCH", "recvmmsg"]

#: the most datagrams one call takes: Linux's UIO_MAXIOV, which caps ``vlen`` silently
MAX_BATCH = 1024
_MAX_BUFSIZE = 1 << 20  # per datagram: data, and control data
_MAX_TOTAL = 64 << 20  # bytes of buffers one BatchReceiver may hold
_MSG_DONTWAIT: int = _C.get("MSG_DONTWAIT", 0)
_MSG_WAITFORONE: int = _C.get("MSG_WAITFORONE", 0)
_AF_INET6: int = _C["AF_INET6"]
_AF_INET: int = _C["AF_INET"]
_HAS = {name: has_function(name) for name in ("recvmmsg", "sendmmsg")}
_AGAIN = frozenset({_errno.EAGAIN, _errno.EWOULDBLOCK})
_Message = ReceivedMessage
_new = object.__new__


# ------------------------------------------------------------------ C layouts read as bytes
_CODES = {(1, False): "B", (2, False): "H", (4, False): "I", (4, True): "i", (8, False): "Q", (8, True): "q"}


def _field(ctype: Any, path: str) -> tuple[int, Any]:
    offset = 0
    for name in path.split("."):
        field = dict(ctype.fields)[name]
        offset, ctype = offset + field.offset, field.type
    return offset, ctype


def _layout(struct_name: str, paths: Sequence[str]) -> _struct.Struct:
    """A ``struct.Struct`` reading the integer members ``paths`` of ``struct_name``, in offset order."""
    ctype = ffi.typeof(struct_name)
    fields = sorted(_field(ctype, path) for path in paths)
    fmt, pos = "=", 0
    for offset, ftype in fields:
        size = ffi.sizeof(ftype)
        fmt += "x" * (offset - pos) + _CODES[size, int(ffi.cast(ftype, -1)) < 0]
        pos = offset + size
    return _struct.Struct(fmt + "x" * (ffi.sizeof(ctype) - pos))


_CMSG_HDR = CMSG_LEN(0)
_CMSG_ALIGN = CMSG_SPACE(1) - _CMSG_HDR
_CMSGHDR = _layout("struct cmsghdr", ("cmsg_len", "cmsg_level", "cmsg_type"))
_SS_SIZE = ffi.sizeof("struct sockaddr_storage")
_SIN6_ADDR = ffi.offsetof("struct sockaddr_in6", "sin6_addr")
_SIN_ADDR = ffi.offsetof("struct sockaddr_in", "sin_addr")
_SIN6_SIZE = ffi.sizeof("struct sockaddr_in6")
_SIN_SIZE = ffi.sizeof("struct sockaddr_in")
_FAMILY = _layout("struct sockaddr", ("sa_family",))
if _HAS["recvmmsg"] or _HAS["sendmmsg"]:
    #: namelen, controllen, flags, msg_len: offset order on every OS that has mmsghdr
    _MMSG = _layout("struct mmsghdr", ("msg_hdr.msg_namelen", "msg_hdr.msg_controllen",
                                       "msg_hdr.msg_flags", "msg_len"))
    _MMSG_SIZE = ffi.sizeof("struct mmsghdr")


_CONTROLS: dict[bytes, list[tuple[int, int, bytes]]] = {}


def _ancdata(control: bytes) -> list[tuple[int, int, bytes]]:
    """:func:`_split_control`, cached by content (a flow repeats its control data): a new list each time."""
    found = _CONTROLS.get(control)
    if found is None:
        if len(_CONTROLS) > 4096:
            _CONTROLS.clear()
        found = _CONTROLS[control] = _split_control(control)
    return found[:]


def _split_control(control: bytes) -> list[tuple[int, int, bytes]]:
    """The ``(level, type, data)`` list of one control buffer, as ``socket.recvmsg`` gives it."""
    items = []
    off, end = 0, len(control)
    while off + _CMSG_HDR <= end:
        length, level, type_ = _CMSGHDR.unpack_from(control, off)
        if length < _CMSG_HDR:
            break
        items.append((level, type_, control[off + _CMSG_HDR:min(off + length, end)]))
        off += (length + _CMSG_ALIGN - 1) & ~(_CMSG_ALIGN - 1)
    return items


_ADDRESSES: dict[bytes, Any] = {}


def _address(raw: bytes) -> Any:
    """The standard library's tuple for a ``sockaddr`` (as ``socket.recvmsg`` builds it), cached."""
    found = _ADDRESSES.get(raw)
    if found is None:
        if len(_ADDRESSES) > 4096:
            _ADDRESSES.clear()
        found = _ADDRESSES[raw] = _decode_address(raw)
    return found


def _decode_address(raw: bytes) -> Any:
    family = _FAMILY.unpack_from(raw)[0]
    # typed views held in locals while read (a cast of a temporary from_buffer may move on PyPy);
    # from_buffer does not check the size, so the length is checked first
    if family == _AF_INET6 and len(raw) >= _SIN6_SIZE:
        sin6 = ffi.from_buffer("struct sockaddr_in6 *", raw)
        host = _socket.inet_ntop(_socket.AF_INET6, raw[_SIN6_ADDR:_SIN6_ADDR + 16])
        port, flowinfo = _socket.ntohs(sin6.sin6_port), _socket.ntohl(sin6.sin6_flowinfo)
        return host, port, flowinfo, int(sin6.sin6_scope_id)  # the scope is not in the host text
    if family == _AF_INET and len(raw) >= _SIN_SIZE:
        sin = ffi.from_buffer("struct sockaddr_in *", raw)
        return _socket.inet_ntop(_socket.AF_INET, raw[_SIN_ADDR:_SIN_ADDR + 4]), _socket.ntohs(sin.sin_port)
    return family, raw[2:]


# ------------------------------------------------------------------ waiting like the stdlib
def _call(sock: Any, call: Callable[[int], int], name: str, readable: bool, flags: int) -> int:
    """Run ``call(fd)`` (a libc call on ``sock``'s descriptor) as the socket's mode says.

    EINTR: retried (PEP 475).  EAGAIN on a socket with a timeout (whose
    descriptor Python keeps non-blocking): wait up to the timeout, then
    ``socket.timeout``; without a timeout, or with ``MSG_DONTWAIT``:
    ``BlockingIOError``.

    The descriptor is read from ``sock`` again before every attempt, and
    ``OSError(EBADF)`` is raised once the socket is closed, as the standard
    library does: a socket closed by another thread while this call waits
    may have its descriptor number re-used at once by an unrelated socket,
    which must never be read from or sent through.
    """
    timeout = getattr(sock, "gettimeout", lambda: None)()
    deadline = None
    while True:
        fd = fileno(sock)
        result = call(fd)
        if result >= 0:
            return result
        err = last_error()
        if err == _errno.EINTR:
            continue
        if err in _AGAIN and timeout and not flags & _MSG_DONTWAIT:
            import select
            import time

            deadline = deadline if deadline is not None else time.monotonic() + timeout
            remaining = deadline - time.monotonic()
            waiting: tuple[list[int], list[int]] = ([fd], []) if readable else ([], [fd])
            if remaining > 0 and any(_select(select.select, waiting, remaining)):
                continue
            fileno(sock)  # closed while waiting: EBADF, not a timeout
            raise _socket.timeout("timed out")
        raise call_error(err, name, name)


def _select(select: Callable[..., Any], waiting: tuple[list[int], list[int]], timeout: float) -> Any:
    """``select`` on descriptors; a descriptor closed meanwhile counts as ready (the caller re-checks)."""
    try:
        return select(*waiting, [], timeout)
    except (OSError, ValueError):
        return (True,)


# ------------------------------------------------------------------ receiving
class _Syscall:
    """``recvmmsg`` on buffers allocated once: the ``mmsghdr`` array is restored from a template."""

    __slots__ = ("_anc", "_bufsize", "_control", "_count", "_data", "_iov", "_msgs", "_names",
                 "_template")

    def __init__(self, count: int, bufsize: int, ancbufsize: int) -> None:
        self._count, self._bufsize, self._anc = count, bufsize, ancbufsize
        self._msgs = ffi.new("struct mmsghdr[]", count)
        self._iov = ffi.new("struct iovec[]", count)
        self._data = ffi.new("char[]", count * bufsize or 1)
        self._control = ffi.new("char[]", count * ancbufsize or 1)
        self._names = ffi.new("struct sockaddr_storage[]", count)
        for i in range(count):
            self._iov[i].iov_base = self._data + i * bufsize
            self._iov[i].iov_len = bufsize
            hdr = self._msgs[i].msg_hdr
            hdr.msg_name = ffi.addressof(self._names, i)
            hdr.msg_namelen = _SS_SIZE
            hdr.msg_iov = ffi.addressof(self._iov, i)
            hdr.msg_iovlen = 1
            hdr.msg_control = self._control + i * ancbufsize if ancbufsize else ffi.NULL
            hdr.msg_controllen = ancbufsize
        self._template = ffi.buffer(self._msgs)[:]

    def receive(self, sock: Any, flags: int) -> list[ReceivedMessage]:
        msgs, count = self._msgs, self._count
        ffi.memmove(msgs, self._template, len(self._template))  # the kernel rewrote the lengths
        n = _call(sock, lambda fd: lib.recvmmsg(fd, msgs, count, flags | _MSG_WAITFORONE, ffi.NULL),
                  "recvmmsg", True, flags)
        headers = _MMSG.iter_unpack(ffi.buffer(msgs, n * _MMSG_SIZE)[:])
        data, control = ffi.buffer(self._data), ffi.buffer(self._control)
        names = ffi.buffer(self._names, n * _SS_SIZE)[:]
        bufsize, anc, replay = self._bufsize, self._anc, _Replay(())
        out: list[ReceivedMessage] = []
        append, decoded_get, address_get, new = out.append, _DECODED.get, _ADDRESSES.get, _new
        start = where = cstart = 0
        for namelen, controllen, msg_flags, length in headers:
            payload = data[start:start + (length if length < bufsize else bufsize)]
            name = names[where:where + namelen]
            address = address_get(name) or (_address(name) if namelen else None)
            raw = control[cstart:cstart + controllen]
            start, where, cstart = start + bufsize, where + _SS_SIZE, cstart + anc
            hot = decoded_get(raw)
            if hot is None or msg_flags:
                # first sighting of this control data, or flags to report: recvmsg's own decoding
                replay._result = (payload, _ancdata(raw) if raw else [], msg_flags, address)
                msg = recvmsg(replay, bufsize, flags, anc)
                if not msg_flags:
                    _remember(raw, msg)
                append(msg)
                continue
            # a flow repeats its control data: the decoded hot fields are shared (immutable items)
            msg = new(_Message)
            msg._r = (payload, hot[0][:], 0, address)
            msg.pktinfo, msg.hoplimit, msg.tclass = hot[1]
            append(msg)
        return out


#: control data -> (its (level, type, data) list, (pktinfo, hoplimit, tclass)) as recvmsg decoded them
_DECODED: dict[bytes, tuple[list[tuple[int, int, bytes]], tuple[Any, Any, Any]]] = {}


def _remember(raw: bytes, msg: ReceivedMessage) -> None:
    if len(_DECODED) >= 4096:
        _DECODED.clear()
    _DECODED[raw] = (list(msg.raw_ancillary), (msg.pktinfo, msg.hoplimit, msg.tclass))


class _Loop:
    """``recvmsg`` per datagram: the first as ``flags`` say, the rest with ``MSG_DONTWAIT``.

    An error after the first datagram is kept and raised by the next
    ``receive``, as ``recvmmsg(2)`` does with a socket error.
    """

    __slots__ = ("_anc", "_bufsize", "_count", "_pending")

    def __init__(self, count: int, bufsize: int, ancbufsize: int) -> None:
        self._count, self._bufsize, self._anc = count, bufsize, ancbufsize
        self._pending: Optional[OSError] = None

    def receive(self, sock: Any, flags: int) -> list[ReceivedMessage]:
        if self._pending is not None:
            error, self._pending = self._pending, None
            raise error
        # Python waits out a socket's timeout even with MSG_DONTWAIT: ask select() first there
        timed = bool(getattr(sock, "gettimeout", lambda: None)())
        if timed and flags & _MSG_DONTWAIT and not _readable(sock):
            raise BlockingIOError(_errno.EAGAIN, "no datagram queued (MSG_DONTWAIT): recvmsg")
        try:
            out = [recvmsg(sock, self._bufsize, flags, self._anc)]
        except _socket.timeout:
            fileno(sock)  # closed while waiting: EBADF, not a timeout
            raise
        while len(out) < self._count:
            try:
                if timed and not _readable(sock):
                    break
                out.append(recvmsg(sock, self._bufsize, flags | _MSG_DONTWAIT, self._anc))
            except BlockingIOError:
                break
            except OSError as exc:
                self._pending = exc
                break
        return out


def _readable(sock: Any) -> bool:
    """Whether a datagram is queued; ``OSError(EBADF)`` once ``sock`` is closed."""
    import select

    return bool(select.select([fileno(sock)], [], [], 0)[0])


_GRO_BUFSIZE = 65535  # a coalesced (GRO) receive: up to 64 KiB of datagrams of one flow
_SOL_UDP: int = _C.get("SOL_UDP", 17)
_UDP_GRO: int = _C.get("UDP_GRO", -1)


def _gro_on(sock: Any) -> bool:
    """Whether ``sock`` has ``UDP_GRO`` on (False where the OS or socket lacks it)."""
    if _UDP_GRO < 0 or getattr(sock, "type", None) != _socket.SOCK_DGRAM:
        return False
    try:
        return bool(sock.getsockopt(_SOL_UDP, _UDP_GRO))
    except (OSError, AttributeError, TypeError):
        return False


#: has_function("recvmmsg") -> how a BatchReceiver receives
_RECEIVERS: dict[bool, Callable[[int, int, int], Any]] = {True: _Syscall, False: _Loop}


class BatchReceiver:
    """Receive up to ``count`` datagrams per call into buffers allocated once (RFC 3542 section 5).

    ``bufsize`` bytes of data per datagram (longer ones come back
    ``truncated``; default 2048, or 65535 on a socket with ``UDP_GRO`` on,
    where a smaller one is refused: a coalesced receive is up to 64 KiB and
    :meth:`~sockapi6.messaging.ReceivedMessage.segments` splits it),
    ``ancbufsize`` bytes of control data (default
    :data:`~sockapi6.messaging.ANCILLARY_BUFFER_SIZE`, as
    :func:`~sockapi6.messaging.recvmsg`).  Keep one per socket in a receive
    loop; not thread-safe.
    """

    __slots__ = ("_engine", "_sock", "ancbufsize", "bufsize", "count")

    def __init__(self, sock: MessageSocket, count: int = 32, bufsize: Optional[int] = None,
                 ancbufsize: Optional[int] = None) -> None:
        check_socket(sock, "recvmsg")
        self.count = check_int(count, 1, MAX_BATCH, "count")
        gro = _gro_on(sock)
        if bufsize is None:
            bufsize = _GRO_BUFSIZE if gro else 2048
        self.bufsize = check_int(bufsize, 0, _MAX_BUFSIZE, "bufsize")
        if gro and bufsize < _GRO_BUFSIZE:
            from ..errors import RangeError

            raise RangeError(f"bufsize {bufsize} is too small for a socket with UDP_GRO on: a coalesced "
                             f"receive is up to {_GRO_BUFSIZE} bytes and a shorter buffer loses datagrams "
                             f"(leave bufsize out to get {_GRO_BUFSIZE})", "bufsize")
        anc = ANCILLARY_BUFFER_SIZE if ancbufsize is None else ancbufsize
        self.ancbufsize = check_int(anc, 0, _MAX_BUFSIZE, "ancbufsize")
        if count * (bufsize + self.ancbufsize) > _MAX_TOTAL:
            raise ValueError(f"count * (bufsize + ancbufsize) = {count * (bufsize + self.ancbufsize)} "
                             f"bytes is over the {_MAX_TOTAL}-byte limit of one batch")
        self._sock = sock
        self._engine = _RECEIVERS[_HAS["recvmmsg"]](self.count, self.bufsize, self.ancbufsize)

    def receive(self, flags: int = 0) -> list[ReceivedMessage]:
        """Return 1 to ``count`` datagrams, each a :class:`~sockapi6.messaging.ReceivedMessage`.

        Waits for the first only; ``BlockingIOError`` when none is queued
        and the call may not wait (``MSG_DONTWAIT`` or a non-blocking socket).
        """
        return self._engine.receive(self._sock, check_int(flags, -(2**31), 2**31 - 1, "flags"))  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return (f"<BatchReceiver count={self.count} bufsize={self.bufsize} ancbufsize={self.ancbufsize} "
                f"{type(self._engine).__name__.strip('_').lower()}>")


def recvmmsg(sock: MessageSocket, count: int = 32, bufsize: Optional[int] = None, flags: int = 0,
             ancbufsize: Optional[int] = None) -> list[ReceivedMessage]:
    """Receive up to ``count`` datagrams in one system call (RFC 3542 section 5, ``recvmmsg(2)``).

    Each is decoded exactly as :func:`~sockapi6.messaging.recvmsg` does.
    Buffers are allocated for this call; a loop should keep a
    :class:`BatchReceiver` instead.
    """
    return BatchReceiver(sock, count, bufsize, ancbufsize).receive(flags)
