"""One-integer items: :class:`HopLimit` and :class:`TrafficClass` (RFC 3542 sections 6.3 and 6.5).

On the wire an ``int`` in host byte order; from IPv4 traffic on a
dual-stack socket ``IP_TTL`` / ``IP_TOS`` give the same views.  0 is a
value, never "absent"; -1 asks the kernel for its default on send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import int_range
from .._system.binding import CONSTANTS as _C
from .._wire import REQUIRED, field
from ..errors import MalformedError
from ._ecn import TOS_RECEIVE_TYPE
from ._item import AncillaryItem
from ._registry import register
from ._wire import _INT, _IPPROTO_IP, _IPPROTO_IPV6, _constant, _new, _set

if TYPE_CHECKING:
    from typing import Any

    from ._wire import Cmsg, Decoder

__all__ = ["HopLimit", "TrafficClass"]


class _IntItem(AncillaryItem):
    """An item carrying one small integer: -1 (send only: the kernel default) to 255."""

    value: int = field("", int_range(-1, 255, "value"), REQUIRED,
                       "The value (0 is a value, -1 means the kernel's default on send).")
    _option = ""  # the IPv6 cmsg type's constant name
    _ipv4_option = ""  # the IPv4 one

    def __int__(self) -> int:
        return self.value

    def __index__(self) -> int:
        return self.value

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, <type>, int)`` in host byte order (RFC 3542 section 6.3/6.5)."""
        return _IPPROTO_IPV6, _C[self._option], _INT.pack(self.value)

    def to_ipv4_cmsg(self) -> Cmsg:
        """The IPv4 form (``IP_TTL`` / ``IP_TOS``) for datagrams to IPv4 peers."""
        return _IPPROTO_IP, _constant(self._ipv4_option), _INT.pack(self.value)


class HopLimit(_IntItem):
    """``IPV6_HOPLIMIT`` (RFC 3542 section 6.3): the hop limit received, or to send with.

    From IPv4 traffic on a dual-stack socket ``IP_TTL`` gives the same view.
    RFC 4861 section 6.1 checks compare it with 255 (see ``hop_limit_is_255``).
    """

    __slots__ = ()
    _option = "IPV6_HOPLIMIT"
    _ipv4_option = "IP_TTL"


class TrafficClass(_IntItem):
    """``IPV6_TCLASS`` (RFC 3542 section 6.5): the traffic class received, or to send with.

    From IPv4 traffic on a dual-stack socket ``IP_TOS`` gives the same view.
    """

    __slots__ = ()
    _option = "IPV6_TCLASS"
    _ipv4_option = "IP_TOS"


#: the data of an int cmsg holding 0..255 -> its value: one lookup both decodes and validates
_INT_VALUES: dict[bytes, int] = {_INT.pack(v): v for v in range(256)}


def _made(cls: type, value: int) -> Any:
    item: Any = _new(cls)
    _set(item, "value", value)
    return item


def _int_decoder(cls: type) -> Decoder:
    """The decoder of an ``int`` item; items are immutable, so one per valid encoding (256) is shared."""
    cache: dict[bytes, Any] = {}

    def decode(level: int, type_: int, data: bytes) -> Any:
        item = cache.get(data)
        if item is not None:
            return item
        value = _INT_VALUES.get(data)
        if value is None:
            if len(data) != 4:
                raise MalformedError(f"{cls.__name__} data is an int (4 bytes), got {len(data)}")
            raise MalformedError(f"{cls.__name__} {_INT.unpack(data)[0]} is out of range 0..255")
        item = cache[data] = _made(cls, value)
        return item

    return decode


def _small_int_decoder(cls: type) -> Decoder:
    """IPv4 items: Linux delivers IP_TTL as an int and IP_TOS as one byte; the BSDs a byte for both."""
    def decode(level: int, type_: int, data: bytes) -> Any:
        if len(data) == 1:
            return _made(cls, data[0])
        if len(data) != 4:
            raise MalformedError(f"{cls.__name__} data is 1 or 4 bytes, got {len(data)}")
        value = _INT.unpack(data)[0]
        if not 0 <= value <= 255:
            raise MalformedError(f"{cls.__name__} {value} is out of range 0..255")
        return _made(cls, value)

    return decode


_decode_hoplimit = _int_decoder(HopLimit)
register("IPPROTO_IPV6", "IPV6_HOPLIMIT", _decode_hoplimit, HopLimit, "hoplimit")
register("IPPROTO_IPV6", "IPV6_TCLASS", _int_decoder(TrafficClass), TrafficClass, "tclass")
# IPv4 traffic on a dual-stack socket (RFC 3493 section 3.7)
register("IPPROTO_IP", "IP_TTL", _small_int_decoder(HopLimit), HopLimit, "hoplimit")
register("IPPROTO_IP", "IP_TOS", _small_int_decoder(TrafficClass), TrafficClass, "tclass")
# an IPv4 TOS where the OS names its control message apart from the option (IP_RECVTOS)
register("IPPROTO_IP", TOS_RECEIVE_TYPE, _small_int_decoder(TrafficClass), TrafficClass, "tclass")
register("IPPROTO_IPV6", "IPV6_2292HOPLIMIT", _decode_hoplimit, HopLimit, "hoplimit")
