"""Socket options as typed attributes: one declarative table, one descriptor.

:data:`TABLE` lists every option sockapi6 knows (RFC 3493 section 5, RFC 3542
sections 3-11, RFC 5014 section 6, and the Linux/BSD socket options a port of
odhcpd needs): its Python name, level and option number (from ``sockapi6.lib``;
an option this OS does not define has no row), codec and RFC section.
:class:`SocketOptions` turns the rows into attributes::

    opts = SocketOptions(sock)
    opts.v6only = True
    opts.recv_pktinfo = True
    opts.multicast_if = "eth0"          # name or index in, index out
    opts.dstopts = DestinationOptions([...])
    del opts.dstopts                    # clears the sticky header

Every call goes through libc's ``getsockopt``/``setsockopt`` on
``sock.fileno()``, so results over the standard library's 1024-byte limit
(sticky headers up to 2048 bytes) come back whole.  Errors: an option the OS
lacks, or one the kernel refuses as unsupported, raises
:class:`~sockapi6.errors.NotSupportedError` naming the OS; other failures are
``OSError`` with ``errno``; wrong types ``TypeError`` and out-of-range values
``ValueError`` before any system call.
"""

from __future__ import annotations

import errno as _errno
import os
import struct
from enum import IntFlag
from typing import TYPE_CHECKING

from ._binding import CONSTANTS, PLATFORM, ffi, lib
from .errors import MalformedError, NotSupportedError

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, Callable, Optional, Union

    from .ancillary import PacketInfo, PathMTU
    from .icmp6filter import ICMP6Filter

__all__ = ["SocketOptions", "OptionSpec", "AddressPreference", "TABLE", "ALL_NAMES", "interface_index"]

_INT = struct.Struct("=i")
_UINT = struct.Struct("=I")
_U32 = 0xFFFFFFFF
_IF_NAMESIZE = CONSTANTS.get("IF_NAMESIZE", 16)
#: the largest sticky extension header: (255 + 1) * 8 bytes (RFC 8200 section 4)
_MAX_EXTHDR = 2048


# ---------------------------------------------------------------------------
# RFC 5014 address preference flags, from this OS's constants
# ---------------------------------------------------------------------------

_PREFERENCE_NAMES = ("HOME", "COA", "TMP", "PUBLIC", "CGA", "NONCGA", "PUBTMP_DEFAULT")

if TYPE_CHECKING:
    class AddressPreference(IntFlag):
        """RFC 5014 section 5 source address preference flags (``IPV6_PREFER_SRC_*``)."""

        HOME: int
        COA: int
        TMP: int
        PUBLIC: int
        CGA: int
        NONCGA: int
        PUBTMP_DEFAULT: int
else:
    AddressPreference = IntFlag(
        "AddressPreference",
        {n: CONSTANTS[f"IPV6_PREFER_SRC_{n}"] for n in _PREFERENCE_NAMES
         if f"IPV6_PREFER_SRC_{n}" in CONSTANTS},
        module=__name__,
    )
    AddressPreference.__doc__ = (
        "RFC 5014 section 5 source address preference flags (IPV6_PREFER_SRC_*), "
        "with this OS's values; members the OS lacks are absent."
    )


# ---------------------------------------------------------------------------
# Interfaces and the lazily imported value classes
# ---------------------------------------------------------------------------

def interface_index(interface: Union[int, str]) -> int:
    """Return the index of ``interface``: a name (``"eth0"``), a decimal string or an index.

    ``0`` means "no interface / the kernel's choice" (RFC 3493 section 5.2).
    ``TypeError`` for other types, ``ValueError`` for an index outside
    ``0..2**32-1``, ``OSError(ENODEV)`` for an unknown name.
    """
    if isinstance(interface, bool) or not isinstance(interface, (int, str)):
        raise TypeError(f"an interface is a name or an index, not {type(interface).__name__}")
    if isinstance(interface, str):
        if interface.isascii() and interface.isdigit():
            return interface_index(int(interface))
        from .interfaces import if_nametoindex

        return if_nametoindex(interface)
    if not 0 <= interface <= _U32:
        raise ValueError(f"interface index {interface} is out of range 0..{_U32}")
    return interface


def _packet_info_class() -> Any:
    from .ancillary import PacketInfo

    return PacketInfo


def _path_mtu_class() -> Any:
    from .ancillary import PathMTU

    return PathMTU


# ---------------------------------------------------------------------------
# Codecs: Python value <-> option bytes.  Validation happens in encode().
# ---------------------------------------------------------------------------

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
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:
        raise NotImplementedError

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
            raise ValueError(f"{value} is out of range {self.low}..{self.high}")
        return _INT.pack(value)

    def decode(self, data: bytes) -> int:
        return _int_of(data)


def _int_of(data: bytes) -> int:
    """Decode a C int the kernel returned (Linux may return a single byte for some options)."""
    if len(data) >= 4:
        value: int = _INT.unpack_from(data)[0]
        return value
    return int.from_bytes(data, "little" if struct.pack("=H", 1)[0] else "big") if data else 0


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
        cls = _packet_info_class()
        if not isinstance(value, cls):
            raise TypeError(f"expected a PacketInfo, not {type(value).__name__}")
        data: bytes = value.to_cmsg()[2]
        return data

    def decode(self, data: bytes) -> Any:
        return _packet_info_class().from_cmsg(CONSTANTS["IPPROTO_IPV6"], CONSTANTS["IPV6_PKTINFO"], data)


class _NextHop(_Codec):
    """A sticky next hop, a ``struct sockaddr_in6`` (RFC 3542 section 6.4)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(size=ffi.sizeof("struct sockaddr_in6"), cleared=b"", kind="address")

    def encode(self, value: Any) -> bytes:
        from .address import sockaddr_in6

        address = getattr(value, "address", value)   # a NextHop item or an address
        return sockaddr_in6(address)

    def decode(self, data: bytes) -> Optional[IPv6Address]:
        from .address import parse_sockaddr_in6

        return parse_sockaddr_in6(data)[0] if data else None


class _PathMTU(_Codec):
    """``IPV6_PATHMTU`` on a connected socket: a ``struct ip6_mtuinfo`` (RFC 3542 section 11.4)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(size=ffi.sizeof("struct ip6_mtuinfo"), readonly=True, kind="PathMTU")

    def encode(self, value: Any) -> bytes:  # pragma: no cover - read-only rows never encode
        raise AttributeError("IPV6_PATHMTU is read-only")

    def decode(self, data: bytes) -> Any:
        return _path_mtu_class().from_cmsg(CONSTANTS["IPPROTO_IPV6"], CONSTANTS["IPV6_PATHMTU"], data)


class _Filter(_Codec):
    """An ``ICMP6_FILTER`` as an :class:`ICMP6Filter` (RFC 3542 section 3.2); ``del`` passes all."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(size=32, kind="ICMP6Filter")

    def encode(self, value: Any) -> bytes:
        from .icmp6filter import ICMP6Filter

        if not isinstance(value, ICMP6Filter):
            raise TypeError(f"expected an ICMP6Filter, not {type(value).__name__}")
        return value.to_bytes()

    def decode(self, data: bytes) -> Any:
        from .icmp6filter import ICMP6Filter

        return ICMP6Filter.from_bytes(data)

    def reset(self) -> bytes:
        """RFC 3542 section 3.2: the default filter passes everything."""
        from .icmp6filter import ICMP6Filter

        return ICMP6Filter.pass_all().to_bytes()


class _ExtHeader(_Codec):
    """A sticky extension header (RFC 3542 section 4): an object with ``bytes()`` or raw bytes.

    ``module``/``classes`` name the accepted classes; ``parse`` names the
    function (``"Class.parse"`` or a module function) that decodes one.
    """

    __slots__ = ("classes", "module", "parser")

    def __init__(self, module: str, classes: tuple[str, ...], parser: str) -> None:
        super().__init__(size=_MAX_EXTHDR + 8, cleared=b"", kind="header")
        self.module, self.classes, self.parser = module, classes, parser

    def _load(self) -> Any:
        from importlib import import_module

        return import_module(self.module, __package__)

    def encode(self, value: Any) -> bytes:
        if isinstance(value, (bytes, bytearray, memoryview)):
            data = bytes(value)
        else:
            module = self._load()
            accepted = tuple(getattr(module, n) for n in self.classes if hasattr(module, n))
            if not isinstance(value, accepted):
                names = " or ".join(self.classes)
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
        module = self._load()
        cls_name, _, method = self.parser.partition(".")
        parse = getattr(getattr(module, cls_name), method) if method else getattr(module, cls_name)
        return parse(data)


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

class OptionSpec:
    """One row of :data:`TABLE`: an option this OS defines.

    ``name`` (the attribute), ``level_name``/``option_name`` (C names),
    ``level``/``number`` (this OS's values), ``kind`` (what the attribute
    holds), ``rfc`` (where it is specified), ``readonly``, ``deletable``.
    """

    __slots__ = ("codec", "level", "level_name", "name", "note", "number", "option_name", "rfc")
    name: str
    level_name: str
    option_name: str
    level: int
    number: int
    codec: _Codec
    rfc: str
    note: str

    def __init__(self, name: str, level_name: str, option_name: str, codec: _Codec, rfc: str,
                 note: str = "") -> None:
        for attr, value in (("name", name), ("level_name", level_name), ("option_name", option_name),
                            ("level", CONSTANTS[level_name]), ("number", CONSTANTS[option_name]),
                            ("codec", codec), ("rfc", rfc), ("note", note)):
            object.__setattr__(self, attr, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("OptionSpec is immutable")

    @property
    def kind(self) -> str:
        """What the attribute holds: ``bool``, ``int``, ``interface``, ``header``, ``PacketInfo``, ..."""
        return self.codec.kind

    @property
    def readonly(self) -> bool:
        """Whether the option can only be read (``path_mtu``)."""
        return self.codec.readonly

    @property
    def deletable(self) -> bool:
        """Whether ``del opts.<name>`` resets it (sticky headers, pktinfo, icmp6_filter, ...)."""
        return self.codec.cleared is not None or type(self.codec).reset is not _Codec.reset

    def __repr__(self) -> str:
        return (f"<OptionSpec {self.name}: {self.level_name}/{self.option_name} "
                f"({self.level}/{self.number}), {self.kind}, {self.rfc}>")


_V6 = "IPPROTO_IPV6"
_BOOL = _Bool()
_HOPS = _Int(-1, 255)
_RAW_NOTE = "IPV6_CHECKSUM applies to raw sockets only (RFC 3542 section 3.1)"

#: (name, level, option, codec, RFC section, note) -- every option sockapi6 knows, on any OS
_ROWS: tuple[tuple[str, str, str, Callable[[], _Codec], str, str], ...] = (
    ("v6only", _V6, "IPV6_V6ONLY", lambda: _BOOL, "RFC 3493 section 5.3", ""),
    ("unicast_hops", _V6, "IPV6_UNICAST_HOPS", lambda: _HOPS, "RFC 3493 section 5.1", ""),
    ("multicast_hops", _V6, "IPV6_MULTICAST_HOPS", lambda: _HOPS, "RFC 3493 section 5.2", ""),
    ("multicast_loop", _V6, "IPV6_MULTICAST_LOOP", lambda: _BOOL, "RFC 3493 section 5.2", ""),
    ("multicast_if", _V6, "IPV6_MULTICAST_IF", _Interface, "RFC 3493 section 5.2", ""),
    ("recv_pktinfo", _V6, "IPV6_RECVPKTINFO", lambda: _BOOL, "RFC 3542 section 6.1", ""),
    ("recv_hoplimit", _V6, "IPV6_RECVHOPLIMIT", lambda: _BOOL, "RFC 3542 section 6.3", ""),
    ("recv_tclass", _V6, "IPV6_RECVTCLASS", lambda: _BOOL, "RFC 3542 section 6.5", ""),
    ("recv_rthdr", _V6, "IPV6_RECVRTHDR", lambda: _BOOL, "RFC 3542 sections 4 and 7", ""),
    ("recv_hopopts", _V6, "IPV6_RECVHOPOPTS", lambda: _BOOL, "RFC 3542 sections 4 and 8", ""),
    ("recv_dstopts", _V6, "IPV6_RECVDSTOPTS", lambda: _BOOL, "RFC 3542 sections 4 and 9", ""),
    ("recv_pathmtu", _V6, "IPV6_RECVPATHMTU", lambda: _BOOL, "RFC 3542 section 11.3", ""),
    ("checksum", _V6, "IPV6_CHECKSUM", lambda: _Int(-1, 65535), "RFC 3542 section 3.1", _RAW_NOTE),
    ("raw_checksum", "SOL_RAW", "IPV6_CHECKSUM", lambda: _Int(-1, 65535), "Linux raw(7)", _RAW_NOTE),
    ("tclass", _V6, "IPV6_TCLASS", lambda: _HOPS, "RFC 3542 section 6.5", ""),
    ("dontfrag", _V6, "IPV6_DONTFRAG", lambda: _BOOL, "RFC 3542 section 11.2", ""),
    ("use_min_mtu", _V6, "IPV6_USE_MIN_MTU", lambda: _Int(-1, 1), "RFC 3542 section 11.1", ""),
    ("pktinfo", _V6, "IPV6_PKTINFO", _PacketInfo, "RFC 3542 section 6.1", ""),
    ("nexthop", _V6, "IPV6_NEXTHOP", _NextHop, "RFC 3542 section 6.4", ""),
    ("hopopts", _V6, "IPV6_HOPOPTS",
     lambda: _ExtHeader(".exthdr", ("HopByHopOptions",), "HopByHopOptions.parse"),
     "RFC 3542 sections 4 and 8.2", ""),
    ("dstopts", _V6, "IPV6_DSTOPTS",
     lambda: _ExtHeader(".exthdr", ("DestinationOptions",), "DestinationOptions.parse"),
     "RFC 3542 sections 4 and 9.2", ""),
    ("rthdrdstopts", _V6, "IPV6_RTHDRDSTOPTS",
     lambda: _ExtHeader(".exthdr", ("DestinationOptions",), "DestinationOptions.parse"),
     "RFC 3542 sections 4 and 9.2", ""),
    # RFC 4584 section 5 names IPV6_MIPDSTOPTS but no OS numbers it: the row is
    # absent everywhere, so using it raises NotSupportedError naming the OS.
    ("mipdstopts", _V6, "IPV6_MIPDSTOPTS",
     lambda: _ExtHeader(".exthdr", ("DestinationOptions",), "DestinationOptions.parse"),
     "RFC 4584 section 5", "no OS assigns it a number"),
    ("rthdr", _V6, "IPV6_RTHDR",
     lambda: _ExtHeader(".routing", ("RoutingHeader", "SegmentRoutingHeader"), "parse_routing_header"),
     "RFC 3542 sections 4 and 7", ""),
    ("path_mtu", _V6, "IPV6_PATHMTU", _PathMTU, "RFC 3542 section 11.4", "the socket must be connected"),
    ("icmp6_filter", "IPPROTO_ICMPV6", "ICMP6_FILTER", _Filter, "RFC 3542 section 3.2",
     "ICMPv6 raw sockets only"),
    ("addr_preferences", _V6, "IPV6_ADDR_PREFERENCES", lambda: _Flags(AddressPreference),
     "RFC 5014 section 6", ""),
    ("recv_orig_dstaddr", _V6, "IPV6_RECVORIGDSTADDR", lambda: _BOOL, "Linux ipv6(7)", ""),
    ("recv_err", _V6, "IPV6_RECVERR", lambda: _BOOL, "Linux ipv6(7)", ""),
    ("mtu_discover", _V6, "IPV6_MTU_DISCOVER", lambda: _Int(0, 5), "Linux ipv6(7)", ""),
    ("freebind", _V6, "IPV6_FREEBIND", lambda: _BOOL, "Linux ipv6(7)", ""),
    ("transparent", _V6, "IPV6_TRANSPARENT", lambda: _BOOL, "Linux ipv6(7)", ""),
    ("bind_to_device", "SOL_SOCKET", "SO_BINDTODEVICE", _DeviceName, "Linux socket(7)", ""),
    ("reuseaddr", "SOL_SOCKET", "SO_REUSEADDR", lambda: _BOOL, "POSIX setsockopt()", ""),
    ("reuseport", "SOL_SOCKET", "SO_REUSEPORT", lambda: _BOOL, "BSD / Linux socket(7)", ""),
)

#: every option name sockapi6 knows, present on this OS or not
ALL_NAMES: tuple[str, ...] = tuple(r[0] for r in _ROWS)
_C_NAMES: dict[str, str] = {r[0]: r[2] for r in _ROWS}

#: the rows this OS defines, by name (an option whose level or number the OS lacks has no row)
TABLE: dict[str, OptionSpec] = {
    name: OptionSpec(name, level, option, make(), rfc, note)
    for name, level, option, make, rfc, note in _ROWS
    if level in CONSTANTS and option in CONSTANTS
}

#: per platform: errno values besides ENOPROTOOPT with which the kernel says "unsupported", per option
_REFUSALS: dict[str, dict[str, tuple[int, ...]]] = {
    "linux_glibc": {"nexthop": (_errno.EINVAL,)},
    "linux_musl": {"nexthop": (_errno.EINVAL,)},
}

#: RFC 3542 section 3.1: IPV6_CHECKSUM cannot be set at IPPROTO_IPV6 on an ICMPv6 socket; why, per OS
_CHECKSUM_ON_ICMPV6: dict[str, str] = {
    "linux_glibc": "Linux refuses IPV6_CHECKSUM at level IPPROTO_IPV6 on ICMPv6 raw sockets because "
                   "the kernel always computes and verifies the ICMPv6 checksum itself (offset 2, "
                   "RFC 3542 section 3.1); the SOL_RAW-level option (raw_checksum, as odhcpd sets it) "
                   "is accepted",
    "linux_musl": "Linux refuses IPV6_CHECKSUM at level IPPROTO_IPV6 on ICMPv6 raw sockets because "
                  "the kernel always computes and verifies the ICMPv6 checksum itself (offset 2, "
                  "RFC 3542 section 3.1); the SOL_RAW-level option (raw_checksum, as odhcpd sets it) "
                  "is accepted",
}
_CHECKSUM_DEFAULT = ("the kernel always computes the ICMPv6 checksum itself, and RFC 3542 section 3.1 "
                     "forbids setting IPV6_CHECKSUM on ICMPv6 sockets")


def _protocol(sock: Any, fd: int) -> Optional[int]:
    """Return the socket's protocol number (``sock.proto``, or asked of the kernel through a dup)."""
    proto = getattr(sock, "proto", None)
    if isinstance(proto, int) and not isinstance(proto, bool):
        return proto
    import socket

    try:
        with socket.socket(fileno=os.dup(fd)) as probe:
            return probe.proto
    except OSError:
        return None


# ---------------------------------------------------------------------------
# SocketOptions
# ---------------------------------------------------------------------------

class _Attribute:
    """A data descriptor for one option name: get/set/delete through the table."""

    def __init__(self, name: str) -> None:
        self.name = name
        spec = TABLE.get(name)
        self.__doc__ = (f"{spec.option_name} ({spec.rfc}): {spec.kind}" if spec
                        else f"{_C_NAMES[name]}: not defined on this OS")

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        return obj._get(self.name)

    def __set__(self, obj: Any, value: Any) -> None:
        obj._set(self.name, value)

    def __delete__(self, obj: Any) -> None:
        obj._delete(self.name)


class SocketOptions:
    """Typed access to a socket's IPv6 options (RFC 3493 section 5, RFC 3542, RFC 5014).

    ``sock`` is anything with ``fileno()`` (a ``socket.socket``, or an
    object wrapping a descriptor); it is kept referenced, not duplicated.
    Every option of :data:`TABLE` is an attribute; reading decodes, writing
    encodes and validates, ``del`` clears a sticky header (or resets the
    option to its default).  :meth:`available` lists this OS's rows.
    """

    __slots__ = ("_sock",)
    _sock: Any

    if TYPE_CHECKING:
        v6only: bool
        unicast_hops: int
        multicast_hops: int
        multicast_loop: bool
        recv_pktinfo: bool
        recv_hoplimit: bool
        recv_tclass: bool
        recv_rthdr: bool
        recv_hopopts: bool
        recv_dstopts: bool
        recv_pathmtu: bool
        checksum: int
        raw_checksum: int
        tclass: int
        dontfrag: bool
        use_min_mtu: int
        recv_orig_dstaddr: bool
        recv_err: bool
        mtu_discover: int
        freebind: bool
        transparent: bool
        reuseaddr: bool
        reuseport: bool

        @property
        def multicast_if(self) -> int: ...
        @multicast_if.setter
        def multicast_if(self, value: Union[int, str]) -> None: ...
        @property
        def pktinfo(self) -> PacketInfo: ...
        @pktinfo.setter
        def pktinfo(self, value: PacketInfo) -> None: ...
        @property
        def nexthop(self) -> Optional[IPv6Address]: ...
        @nexthop.setter
        def nexthop(self, value: Any) -> None: ...
        @property
        def hopopts(self) -> Any: ...
        @hopopts.setter
        def hopopts(self, value: Any) -> None: ...
        @property
        def dstopts(self) -> Any: ...
        @dstopts.setter
        def dstopts(self, value: Any) -> None: ...
        @property
        def rthdrdstopts(self) -> Any: ...
        @rthdrdstopts.setter
        def rthdrdstopts(self, value: Any) -> None: ...
        @property
        def rthdr(self) -> Any: ...
        @rthdr.setter
        def rthdr(self, value: Any) -> None: ...
        @property
        def path_mtu(self) -> PathMTU: ...
        @property
        def icmp6_filter(self) -> ICMP6Filter: ...
        @icmp6_filter.setter
        def icmp6_filter(self, value: ICMP6Filter) -> None: ...
        @property
        def addr_preferences(self) -> AddressPreference: ...
        @addr_preferences.setter
        def addr_preferences(self, value: int) -> None: ...
        @property
        def bind_to_device(self) -> str: ...
        @bind_to_device.setter
        def bind_to_device(self, value: Union[str, bytes]) -> None: ...

    def __init__(self, sock: Any) -> None:
        if not callable(getattr(sock, "fileno", None)):
            raise TypeError(f"SocketOptions needs an object with fileno(), not {type(sock).__name__}")
        object.__setattr__(self, "_sock", sock)

    @staticmethod
    def available() -> tuple[OptionSpec, ...]:
        """Return the rows of :data:`TABLE`: every option this OS defines."""
        return tuple(TABLE.values())

    @property
    def socket(self) -> Any:
        """The object whose options these are."""
        return self._sock

    def __repr__(self) -> str:
        return f"SocketOptions({self._sock!r})"

    # -- the three operations ------------------------------------------------

    def _spec(self, name: str) -> OptionSpec:
        spec = TABLE.get(name)
        if spec is None:
            raise NotSupportedError(f"{_C_NAMES[name]} ({name})", reason="this OS does not define it")
        return spec

    def _fd(self) -> int:
        fd = self._sock.fileno()
        if isinstance(fd, bool) or not isinstance(fd, int):
            raise TypeError(f"fileno() returned {type(fd).__name__}, not an int")
        return fd

    def _get(self, name: str) -> Any:
        spec = self._spec(name)
        size = spec.codec.size
        buf = ffi.new("char[]", size)
        length = ffi.new("socklen_t *", size)
        if lib.getsockopt(self._fd(), spec.level, spec.number, buf, length) != 0:
            raise self._error(spec, ffi.errno, "getsockopt")
        return spec.codec.decode(ffi.buffer(buf, min(length[0], size))[:])

    def _set(self, name: str, value: Any) -> None:
        spec = self._spec(name)
        if spec.readonly:
            raise AttributeError(f"{name} ({spec.option_name}) is read-only")
        self._write(spec, spec.codec.encode(value))

    def _delete(self, name: str) -> None:
        spec = self._spec(name)
        cleared = spec.codec.reset()
        if cleared is None:
            raise AttributeError(f"{name} ({spec.option_name}) cannot be deleted; set a value")
        self._write(spec, cleared)

    def _write(self, spec: OptionSpec, data: bytes) -> None:
        value = ffi.from_buffer(data) if data else ffi.NULL
        if lib.setsockopt(self._fd(), spec.level, spec.number, value, len(data)) != 0:
            raise self._error(spec, ffi.errno, "setsockopt")

    def _error(self, spec: OptionSpec, err: int, call: str) -> OSError:
        what = f"{spec.option_name} ({spec.name})"
        if (call == "setsockopt" and spec.option_name == "IPV6_CHECKSUM" and spec.level_name == _V6
                and _protocol(self._sock, self._fd()) == CONSTANTS["IPPROTO_ICMPV6"]):
            return NotSupportedError(what, reason=_CHECKSUM_ON_ICMPV6.get(PLATFORM, _CHECKSUM_DEFAULT),
                                     errno=err)
        if err == _errno.ENOPROTOOPT or err in _REFUSALS.get(PLATFORM, {}).get(spec.name, ()):
            reason = f"the kernel refused it ({_errno.errorcode.get(err, err)})"
            if spec.note:
                reason += f"; {spec.note}"
            if call == "getsockopt":
                what = f"reading {what}"
            return NotSupportedError(what, reason=reason, errno=err)
        return OSError(err, f"{os.strerror(err)}: {call}({spec.level_name}, {spec.option_name})")


for _name in ALL_NAMES:
    setattr(SocketOptions, _name, _Attribute(_name))
del _name
