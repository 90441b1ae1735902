"""Linux's socket error queue: :class:`ExtendedError` (``IPV6_RECVERR`` / ``IP_RECVERR``) and
:class:`ErrorOrigin` (``SO_EE_ORIGIN_*`` of ``<linux/errqueue.h>``).

Not in RFC 3542: it is how Linux reports ICMPv6 errors (RFC 4443 section 3)
for a datagram socket.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import enum_or_int, mark, u8, u32
from .._system.binding import CONSTANTS as _C
from .._system.binding import ffi
from .._wire import REQUIRED, field
from ..errors import MalformedError
from ._item import AncillaryItem
from ._registry import register
from ._wire import (
    _IPPROTO_IPV6,
    _SIN6_SIZE,
    _constant,
    _decode_sockaddr,
    _ip,
    _set,
    _sockaddr_in6,
)

if TYPE_CHECKING:
    from typing import Any, Optional

    from ._wire import Cmsg, IPAddress

__all__ = ["ErrorOrigin", "ExtendedError"]


def _error_origins() -> Any:
    import enum

    members = {name[len("SO_EE_ORIGIN_"):]: value for name, value in sorted(_C.items(), key=lambda kv: kv[1])
               if name.startswith("SO_EE_ORIGIN_")}
    # the public module, so that members pickle by a name that stays
    return enum.IntEnum("ErrorOrigin", members or {"NONE": 0}, module=__package__)


#: Where an ``ExtendedError`` came from (``SO_EE_ORIGIN_*`` of ``<linux/errqueue.h>``)
ErrorOrigin = _error_origins()
ErrorOrigin.__qualname__ = "ErrorOrigin"


def _offender(value: object) -> Optional[IPAddress]:
    return None if value is None else _ip(value, "offender")


mark(_offender, "offender")
_ORIGIN_ICMP6: int = _C.get("SO_EE_ORIGIN_ICMP6", 3)  # <linux/errqueue.h>
_EE_SIZE = ffi.sizeof("struct sock_extended_err") if "IPV6_RECVERR" in _C or "IP_RECVERR" in _C else 0


class ExtendedError(AncillaryItem):
    """Linux ``IPV6_RECVERR`` / ``IP_RECVERR``: one queued error (``struct sock_extended_err``).

    Read with ``recvmsg(sock, flags=MSG_ERRQUEUE)`` after turning
    ``IPV6_RECVERR`` on.  ``errno`` (e.g. ECONNREFUSED), ``origin``
    (:class:`ErrorOrigin`: LOCAL, ICMP, ICMP6...), the ICMP ``type`` and
    ``code``, ``info`` (e.g. the MTU for "packet too big"), ``data``, and
    ``offender`` (the node that reported it, or None).

    When the origin is ICMPv6, ``type`` is a :class:`sockapi6.icmp6.ICMPv6Type`
    and ``code`` the type's code enum (``icmp6.UnreachableCode``,
    ``TimeExceededCode``, ``ParameterProblemCode``) wherever they name the
    value (RFC 4443 sections 3.1-3.4); for any other origin (IPv4 ICMP,
    local errors) both stay plain ints, whose numbers mean something else.
    The message's ``address`` (:class:`~sockapi6.messaging.ReceivedMessage`)
    is the failed datagram's destination; the reporting node is ``offender``.
    """

    errno: int = field("", u32, REQUIRED, "The error number (``ee_errno``).")
    origin: int = field("", enum_or_int(ErrorOrigin, 8), 0,
                        "Who reported it (``ee_origin``, an ErrorOrigin).")
    type: int = field("", u8, 0, "ICMP type (``ee_type``).")
    code: int = field("", u8, 0, "ICMP code (``ee_code``).", quiet=True)
    info: int = field("", u32, 0, "``ee_info`` (e.g. the MTU of 'packet too big').")
    data: int = field("", u32, 0, "``ee_data``.", quiet=True)
    offender: Optional[IPAddress] = field("", _offender, None, "The reporting node's address, or None.")

    def _finish(self) -> None:
        super()._finish()
        if self.origin == _ORIGIN_ICMP6:  # RFC 4443 numbers: name them (icmp6 loads on the first one)
            from ..icmp6._types import typed

            kind, code = typed(self.type, self.code)
            _set(self, "type", kind)
            _set(self, "code", code)

    @property
    def strerror(self) -> str:
        """The text of ``errno``."""
        import os

        return os.strerror(self.errno)

    def __repr__(self) -> str:
        origin = self.origin
        origin_text = f"ErrorOrigin.{origin.name}" if isinstance(origin, ErrorOrigin) else str(origin)
        off = None if self.offender is None else str(self.offender)
        return (f"ExtendedError(errno={self.errno}, origin={origin_text}, type={int(self.type)}, "
                f"code={int(self.code)}, info={self.info}, data={self.data}, offender={off!r})")

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_RECVERR, sock_extended_err + sockaddr_in6)``, as Linux delivers it."""
        ee = ffi.new("struct sock_extended_err *")
        ee.ee_errno, ee.ee_origin, ee.ee_type, ee.ee_code = self.errno, self.origin, self.type, self.code
        ee.ee_info, ee.ee_data = self.info, self.data
        offender = bytes(_SIN6_SIZE) if self.offender is None else _sockaddr_in6(self.offender)
        return _IPPROTO_IPV6, _constant("IPV6_RECVERR"), bytes(ffi.buffer(ee)) + offender


def _decode_error(level: int, type_: int, data: bytes) -> ExtendedError:
    if len(data) < _EE_SIZE:
        raise MalformedError(f"a sock_extended_err is {_EE_SIZE} bytes, got {len(data)}")
    ee = ffi.from_buffer("struct sock_extended_err *", data)  # keeps data alive; length checked above
    offender: Optional[IPAddress] = None
    if len(data) > _EE_SIZE:
        offender, _port = _decode_sockaddr(data[_EE_SIZE:], "offender")
    return ExtendedError(int(ee.ee_errno), int(ee.ee_origin), int(ee.ee_type), int(ee.ee_code),
                         int(ee.ee_info), int(ee.ee_data), offender)


register("IPPROTO_IPV6", "IPV6_RECVERR", _decode_error, ExtendedError, "error")
register("IPPROTO_IP", "IP_RECVERR", _decode_error, ExtendedError, "error")
