"""The codecs of :mod:`sockapi6.sockopt`: Python value <-> option bytes, validation in ``encode``.

One class per kind of option value (RFC 3493 section 5, RFC 3542 sections
3-11, RFC 5014 section 6).  ``size`` is the ``getsockopt`` buffer a codec
needs; ``reset()`` what ``del`` writes.  The value classes of other modules
(``PacketInfo``, ``ICMP6Filter``, extension headers) are imported on first use.
"""

from __future__ import annotations

import struct
import sys
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS, ffi
from .._system.ifindex import interface_index
from ..errors import MalformedError

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, Callable, Optional

_INT = struct.Struct("=i")
_UINT = struct.Struct("=I")
_U32 = 0xFFFFFFFF
_IF_NAMESIZE = CONSTANTS.get("IF_NAMESIZE", 16)
#: the largest sticky extension header: (255 + 1) * 8 bytes (RFC 8200 section 4)
_MAX_EXTHDR = 2048


def _packet_info() -> Any:
    from ..ancillary import PacketInfo

    return PacketInfo


def _path_mtu() -> Any:
    from ..ancillary import PathMTU

    return PathMTU


def _from_cmsg(cls: Any, option: str, data: bytes) -> Any:
    """Decode ``data`` as the ancillary item ``cls`` of ``IPPROTO_IPV6``/``option`` (RFC 3542 section 6)."""
    return cls.from_cmsg(CONSTANTS["IPPROTO_IPV6"], CONSTANTS[option], data)


class _Codec:
    """Base codec: ``size`` is the getsockopt buffer, ``cleared`` what ``del`` writes (None: no del)."""

    __slots__ = ("cleared", "kind", "readonly", "size")
    size: int
    cleared: Optional[bytes]
    readonly: bool
    kind: str

    def __init__(self, size: int = 4, cleared: Optional[bytes] = None, readonly: bool = False,
                 kind: str = "int") -> None:
        self.size, self.cleared, self.readonly, self.kind = size, cleared, readonly, kind

    def encode(self, value: Any) -> bytes:
        """The option's bytes for ``value``; every codec class defines it (abstract here)."""
        raise NotImplementedError(f"{type(self).__name__} must define encode()")

    def decode(self, data: bytes) -> Any:
        """The value of the option's bytes; every codec class defines it (abstract here)."""
        raise NotImplementedError(f"{type(self).__name__} must define decode()")

    def reset(self) -> Optional[bytes]:
        """What ``del`` writes (None: the option cannot be deleted)."""
        return self.cleared


class _Bool(_Codec):
    """An on/off int option: ``True``/``False`` (or 1/0)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(kind="bool")

    def encode(self, value: Any) -> bytes:
        if not isinstance(value, int):
            raise TypeError(f"expected a bool, not {type(value).__name__}")
        if value not in (0, 1):
            raise ValueError(f"expected True/False or 1/0, not {value}")
        return _INT.pack(int(value))

    def decode(self, data: bytes) -> bool:
        return _int_of(data) != 0


class _Int(_Codec):
    """A C ``int`` option limited to ``low..high``."""

    __slots__ = ("high", "low")

    def __init__(self, low: int, high: int) -> None:
        super().__init__()
        self.low, self.high = low, high

    def encode(self, value: Any) -> bytes:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected an int, not {type(value).__name__}")
        if not self.low <= value <= self.high:
            from ..errors import out_of_range

            raise out_of_range("value", value, self.low, self.high)
        return _INT.pack(value)

    def decode(self, data: bytes) -> int:
        return _int_of(data)


def _int_of(data: bytes) -> int:
    """Decode a C int the kernel returned (Linux may return a single byte for some options)."""
    if len(data) >= 4:
        value: int = _INT.unpack_from(data)[0]
        return value
    return int.from_bytes(data, sys.byteorder) if data else 0


class _Interface(_Codec):
    """An interface index (RFC 3493 section 5.2); a name is looked up, 0 is the default."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(kind="interface")

    def encode(self, value: Any) -> bytes:
        return _UINT.pack(interface_index(value))

    def decode(self, data: bytes) -> int:
        return _int_of(data) & _U32


class _Flags(_Codec):
    """A 32-bit flag set decoded to an ``IntFlag`` (RFC 5014 section 6)."""

    __slots__ = ("flags",)

    def __init__(self, flags: Any) -> None:
        super().__init__(kind="flags")
        self.flags = flags

    def encode(self, value: Any) -> bytes:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected {self.flags.__name__} flags, not {type(value).__name__}")
        if not 0 <= value <= _U32:
            raise ValueError(f"flags {value:#x} do not fit in 32 bits")
        return _UINT.pack(int(value))

    def decode(self, data: bytes) -> Any:
        return self.flags(_int_of(data) & _U32)


class _DeviceName(_Codec):
    """A network device name (``SO_BINDTODEVICE``); ``""`` unbinds."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(size=_IF_NAMESIZE, cleared=b"", kind="str")

    def encode(self, value: Any) -> bytes:
        if isinstance(value, str):
            raw = value.encode("utf-8", "surrogateescape")
        elif isinstance(value, bytes):
            raw = value
        else:
            raise TypeError(f"a device name is str, not {type(value).__name__}")
        if b"\0" in raw or len(raw) >= _IF_NAMESIZE:
            raise ValueError(f"{value!r} is not a device name (at most {_IF_NAMESIZE - 1} bytes, no NUL)")
        return raw

    def decode(self, data: bytes) -> str:
        return data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


class _PacketInfo(_Codec):
    """A sticky ``struct in6_pktinfo`` (RFC 3542 section 6.1) as a :class:`PacketInfo`."""

    __slots__ = ()

    def __init__(self) -> None:
        size = ffi.sizeof("struct in6_pktinfo")
        super().__init__(size=size, cleared=bytes(size), kind="PacketInfo")

    def encode(self, value: Any) -> bytes:
        if not isinstance(value, _packet_info()):
            raise TypeError(f"expected a PacketInfo, not {type(value).__name__}")
        if isinstance(value.address, IPv4Address):
            raise ValueError(
                f"IPV6_PKTINFO as a socket option takes an IPv6 address, not the IPv4 address "
                f"{value.address} (RFC 3542 section 6.1: a struct in6_pktinfo)"
            )
        level, kind, data = value.to_cmsg()
        if (level, kind, len(data)) != (CONSTANTS["IPPROTO_IPV6"], CONSTANTS["IPV6_PKTINFO"], self.size):
            raise ValueError(f"IPV6_PKTINFO as a socket option takes an IPv6 address; {value!r} "
                             "is IPv4 traffic and encodes as IPv4's struct in_pktinfo")
        result: bytes = data
        return result

    def decode(self, data: bytes) -> Any:
        return _from_cmsg(_packet_info(), "IPV6_PKTINFO", data)


class _NextHop(_Codec):
    """A sticky next hop, a ``struct sockaddr_in6`` (RFC 3542 section 6.4)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(size=ffi.sizeof("struct sockaddr_in6"), cleared=b"", kind="address")

    def encode(self, value: Any) -> bytes:
        from ..address import sockaddr_in6

        address = getattr(value, "address", value)   # a NextHop item or an address
        return sockaddr_in6(address)

    def decode(self, data: bytes) -> Optional[IPv6Address]:
        from ..address import parse_sockaddr_in6

        return parse_sockaddr_in6(data)[0] if data else None


class _PathMTU(_Codec):
    """``IPV6_PATHMTU`` on a connected socket: a ``struct ip6_mtuinfo`` (RFC 3542 section 11.4)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(size=ffi.sizeof("struct ip6_mtuinfo"), readonly=True, kind="PathMTU")

    def encode(self, value: Any) -> bytes:  # pragma: no cover - read-only rows never encode
        raise AttributeError("IPV6_PATHMTU is read-only")

    def decode(self, data: bytes) -> Any:
        return _from_cmsg(_path_mtu(), "IPV6_PATHMTU", data)


class _Filter(_Codec):
    """An ``ICMP6_FILTER`` as an :class:`ICMP6Filter` (RFC 3542 section 3.2); ``del`` passes all."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(size=32, kind="ICMP6Filter")

    def encode(self, value: Any) -> bytes:
        from ..icmp6filter import ICMP6Filter

        if not isinstance(value, ICMP6Filter):
            raise TypeError(f"expected an ICMP6Filter, not {type(value).__name__}")
        return value.to_bytes()

    def decode(self, data: bytes) -> Any:
        from ..icmp6filter import ICMP6Filter

        return ICMP6Filter.from_bytes(data)

    def reset(self) -> bytes:
        """RFC 3542 section 3.2: the default filter passes everything."""
        from ..icmp6filter import ICMP6Filter

        return ICMP6Filter.pass_all().to_bytes()


def hop_by_hop_headers() -> tuple[tuple[type[Any], ...], Callable[[bytes], Any]]:
    """The classes a sticky ``IPV6_HOPOPTS`` takes and the parser of its bytes (imported on first use)."""
    from ..exthdr import HopByHopOptions

    return (HopByHopOptions,), HopByHopOptions.parse


def destination_headers() -> tuple[tuple[type[Any], ...], Callable[[bytes], Any]]:
    """The classes a sticky ``IPV6_DSTOPTS`` / ``IPV6_RTHDRDSTOPTS`` takes and their parser."""
    from ..exthdr import DestinationOptions

    return (DestinationOptions,), DestinationOptions.parse


def routing_headers() -> tuple[tuple[type[Any], ...], Callable[[bytes], Any]]:
    """The classes a sticky ``IPV6_RTHDR`` takes (types 0, 2 and 4) and the parser of its bytes."""
    from ..routing import RoutingHeader, SegmentRoutingHeader, parse_routing_header

    return (RoutingHeader, SegmentRoutingHeader), parse_routing_header


class _ExtHeader(_Codec):
    """A sticky extension header (RFC 3542 section 4): an object with ``bytes()`` or raw bytes.

    ``headers`` returns the accepted classes and the parser of the header's
    bytes (:func:`hop_by_hop_headers`, ...), imported on first use.
    """

    __slots__ = ("headers",)

    def __init__(self, headers: Callable[[], tuple[tuple[type[Any], ...], Callable[[bytes], Any]]]) -> None:
        super().__init__(size=_MAX_EXTHDR + 8, cleared=b"", kind="header")
        self.headers = headers

    def encode(self, value: Any) -> bytes:
        if isinstance(value, (bytes, bytearray, memoryview)):
            data = bytes(value)
        else:
            accepted = self.headers()[0]
            if not isinstance(value, accepted):
                names = " or ".join(cls.__name__ for cls in accepted)
                raise TypeError(f"expected {names} (or its bytes), not {type(value).__name__}")
            data = bytes(value)
        if len(data) < 8 or len(data) > _MAX_EXTHDR or len(data) % 8:
            raise ValueError(f"an extension header is 8..{_MAX_EXTHDR} bytes in units of 8, not {len(data)}")
        if (data[1] + 1) * 8 != len(data):
            raise MalformedError(
                f"header length field says {(data[1] + 1) * 8} bytes, buffer has {len(data)}", offset=1
            )
        return data

    def decode(self, data: bytes) -> Any:
        if not data:
            return None
        return self.headers()[1](data)


class _RouterAlert(_Int):
    """``IPV6_ROUTER_ALERT`` (RFC 2711): the Router Alert value to receive, -1 to stop.

    Reading gives what Linux reports: a bit recording whether the last value
    written was non-zero (so 1 after ``-1`` unregistered the socket, 0 after
    a registration for selector 0), not whether the socket is registered.
    """

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(-1, 65535)
