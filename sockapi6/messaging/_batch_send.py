"""Batch send: ``sendmmsg`` with per-datagram ancillary data (see :mod:`._batch` for the semantics)."""

from __future__ import annotations

import socket as _socket
from typing import TYPE_CHECKING

from .._checks import check_int
from .._system.binding import ffi, lib
from .._system.descriptors import check_socket
from ..ancillary import CMSG_LEN, CMSG_SPACE
from ._batch import _AF_INET, _AF_INET6, _CMSGHDR, _HAS, MAX_BATCH, _call
from ._send import prepare

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, Callable

    from .._types import BatchMessage, MessageSocket

__all__ = ["sendmmsg"]


def _prepare(sock: Any, messages: Iterable[Any]) -> list[tuple[bytes, list[Any], Any]]:
    out = []
    for i, message in enumerate(messages):
        if not isinstance(message, (tuple, list)) or len(message) != 3:
            raise TypeError(f"message {i}: expected a (data, address, ancillary) tuple, "
                            f"got {type(message).__name__}")
        buffers, cmsgs, destination = prepare(sock, *message)
        out.append((b"".join(buffers), cmsgs, destination))
    return out


def _sockaddr(target: Any, address: tuple[Any, ...]) -> int:
    """Write ``address`` (a tuple from sendmsg's conversion) at ``target``; return its length."""
    if len(address) == 2:
        sin = ffi.cast("struct sockaddr_in *", target)
        sin.sin_family, sin.sin_port = _AF_INET, _socket.htons(address[1])
        ffi.memmove(ffi.addressof(sin.sin_addr), _socket.inet_pton(_socket.AF_INET, address[0]), 4)
        size: int = ffi.sizeof("struct sockaddr_in")
        length_field = "sin_len"
    else:
        sin6 = ffi.cast("struct sockaddr_in6 *", target)
        sin6.sin6_family, sin6.sin6_port = _AF_INET6, _socket.htons(address[1])
        sin6.sin6_flowinfo, sin6.sin6_scope_id = _socket.htonl(address[2]), address[3]
        host = address[0].partition("%")[0]
        ffi.memmove(ffi.addressof(sin6.sin6_addr), _socket.inet_pton(_socket.AF_INET6, host), 16)
        sin = sin6
        size = ffi.sizeof("struct sockaddr_in6")
        length_field = "sin6_len"
    if length_field in dict(ffi.typeof(sin).item.fields):  # BSD sockaddrs carry their length
        setattr(sin, length_field, size)
    return size


def _control(cmsgs: Sequence[tuple[int, int, bytes]]) -> bytes:
    parts = []
    for level, type_, data in cmsgs:
        data = bytes(data)
        parts.append(_CMSGHDR.pack(CMSG_LEN(len(data)), level, type_) + data
                     + bytes(CMSG_SPACE(len(data)) - CMSG_LEN(len(data))))
    return b"".join(parts)


def _send_syscall(sock: Any, prepared: Sequence[tuple[bytes, list[Any], Any]], flags: int) -> int:
    n = len(prepared)
    controls = [_control(cmsgs) for _data, cmsgs, _address in prepared]
    data = ffi.new("char[]", sum(len(d) for d, _c, _a in prepared) or 1)
    control = ffi.new("char[]", sum(map(len, controls)) or 1)
    names = ffi.new("struct sockaddr_storage[]", n)
    iov = ffi.new("struct iovec[]", n)
    msgs = ffi.new("struct mmsghdr[]", n)
    doff = coff = 0
    for i, ((payload, _cmsgs, address), ctl) in enumerate(zip(prepared, controls)):
        ffi.memmove(data + doff, payload, len(payload))
        iov[i].iov_base, iov[i].iov_len = data + doff, len(payload)
        hdr = msgs[i].msg_hdr
        hdr.msg_iov, hdr.msg_iovlen = ffi.addressof(iov, i), 1
        if address is not None:
            hdr.msg_name = ffi.addressof(names, i)
            hdr.msg_namelen = _sockaddr(hdr.msg_name, address)
        if ctl:
            ffi.memmove(control + coff, ctl, len(ctl))
            hdr.msg_control, hdr.msg_controllen = control + coff, len(ctl)
        doff, coff = doff + len(payload), coff + len(ctl)
    return _call(sock, lambda fd: lib.sendmmsg(fd, msgs, n, flags), "sendmmsg", False, flags)


def _send_loop(sock: Any, prepared: Sequence[tuple[bytes, list[Any], Any]], flags: int) -> int:
    sent = 0
    for payload, cmsgs, address in prepared:
        try:
            if address is None:
                sock.sendmsg([payload], cmsgs, flags)
            else:
                sock.sendmsg([payload], cmsgs, flags, address)
        except OSError:
            if not sent:
                raise
            break
        sent += 1
    return sent


#: has_function("sendmmsg") -> how sendmmsg sends
_SENDERS: dict[bool, Callable[[Any, Sequence[Any], int], int]] = {True: _send_syscall, False: _send_loop}


def sendmmsg(sock: MessageSocket, messages: Iterable[BatchMessage], flags: int = 0) -> int:
    """Send datagrams in one system call (RFC 3542 section 6, ``sendmmsg(2)``); return how many went.

    ``messages``: ``(data, address, ancillary)`` tuples, each taken as
    :func:`~sockapi6.messaging.sendmsg` takes its arguments (``address``
    None on a connected socket).  All are checked before anything is sent.
    An error after the first datagram stops the batch and is not raised:
    resend from the returned index.
    """
    check_socket(sock, "sendmsg")
    check_int(flags, -(2**31), 2**31 - 1, "flags")
    prepared = _prepare(sock, messages)
    if len(prepared) > MAX_BATCH:
        raise ValueError(f"{len(prepared)} messages: at most {MAX_BATCH} per call")
    if not prepared:
        return 0
    return int(_SENDERS[_HAS["sendmmsg"]](sock, prepared, flags))
