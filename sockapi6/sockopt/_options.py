""":class:`SocketOptions`: the rows of the option table as typed attributes of a socket.

Each option name is a data descriptor: reading decodes what ``getsockopt``
returns, writing encodes (validating first) and calls ``setsockopt``,
``del`` writes the codec's reset value (RFC 3493 section 5, RFC 3542
sections 3-11, RFC 5014 section 6).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NotSupportedError
from ._calls import get, put
from ._table import _C_NAMES, ALL_NAMES, TABLE

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, Generic, Optional, TypeVar, Union

    from .._types import Buffer, HasFileno
    from ..ancillary import NextHop, PacketInfo, PathMTU
    from ..exthdr import DestinationOptions, HopByHopOptions
    from ..icmp6filter import ICMP6Filter
    from ..routing import RoutingHeader, SegmentRoutingHeader, UnknownRoutingHeader
    from ._table import AddressPreference, OptionSpec

    AnyRoutingHeader = Union[RoutingHeader, SegmentRoutingHeader, UnknownRoutingHeader]

    _Get = TypeVar("_Get")
    _Set = TypeVar("_Set")

    class _Typed(Generic[_Get, _Set]):
        """For type checkers only: an option read as ``_Get`` and written as ``_Set``."""

        def __get__(self, obj: object, owner: Any = None) -> _Get: ...
        def __set__(self, obj: object, value: _Set) -> None: ...
        def __delete__(self, obj: object) -> None: ...


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
        # What type checkers see (the real attributes are _Attribute descriptors, set below): each
        # option as a descriptor read as its first type and written as its second, so that user code
        # like ``opts.recv_pktinfo = True`` passes ``mypy --strict`` (plain annotations would clash
        # with __slots__).  tests/test_typing.py checks every name of the option table is here.
        v6only = _Typed[bool, int]()
        unicast_hops = _Typed[int, int]()
        multicast_hops = _Typed[int, int]()
        multicast_loop = _Typed[bool, int]()
        multicast_if = _Typed[int, Union[int, str]]()
        recv_pktinfo = _Typed[bool, int]()
        recv_hoplimit = _Typed[bool, int]()
        recv_tclass = _Typed[bool, int]()
        recv_rthdr = _Typed[bool, int]()
        recv_hopopts = _Typed[bool, int]()
        recv_dstopts = _Typed[bool, int]()
        recv_pathmtu = _Typed[bool, int]()
        checksum = _Typed[int, int]()
        raw_checksum = _Typed[int, int]()
        tclass = _Typed[int, int]()
        dontfrag = _Typed[bool, int]()
        use_min_mtu = _Typed[int, int]()
        pktinfo = _Typed[PacketInfo, PacketInfo]()
        nexthop = _Typed[Optional[IPv6Address], Union[NextHop, IPv6Address, str, bytes]]()
        hopopts = _Typed[Optional[HopByHopOptions], Union[HopByHopOptions, Buffer]]()
        dstopts = _Typed[Optional[DestinationOptions], Union[DestinationOptions, Buffer]]()
        rthdrdstopts = _Typed[Optional[DestinationOptions], Union[DestinationOptions, Buffer]]()
        mipdstopts = _Typed[Optional[DestinationOptions], Union[DestinationOptions, Buffer]]()
        rthdr = _Typed[Optional[AnyRoutingHeader], Union[RoutingHeader, SegmentRoutingHeader, Buffer]]()
        icmp6_filter = _Typed[ICMP6Filter, ICMP6Filter]()
        addr_preferences = _Typed[AddressPreference, int]()
        recv_orig_dstaddr = _Typed[bool, int]()
        recv_err = _Typed[bool, int]()
        mtu_discover = _Typed[int, int]()
        freebind = _Typed[bool, int]()
        transparent = _Typed[bool, int]()
        bind_to_device = _Typed[str, Union[str, bytes]]()
        reuseaddr = _Typed[bool, int]()
        reuseport = _Typed[bool, int]()
        minhopcount = _Typed[int, int]()
        multicast_all = _Typed[bool, int]()
        router_alert = _Typed[int, int]()
        hdrincl = _Typed[bool, int]()
        mtu = _Typed[int, int]()
        recv_err_rfc4884 = _Typed[bool, int]()
        autoflowlabel = _Typed[bool, int]()
        flowinfo_send = _Typed[bool, int]()
        recv_flowinfo = _Typed[bool, int]()
        udp_segment = _Typed[int, int]()
        udp_gro = _Typed[bool, int]()
        recv_tos = _Typed[bool, int]()
        timestamp_ns = _Typed[bool, int]()
        timestamping = _Typed[int, int]()
        rxq_ovfl = _Typed[bool, int]()

        @property
        def path_mtu(self) -> PathMTU: ...

    def __init__(self, sock: HasFileno) -> None:
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

    @staticmethod
    def _spec(name: str) -> OptionSpec:
        spec = TABLE.get(name)
        if spec is None:
            raise NotSupportedError(f"{_C_NAMES[name]} ({name})", reason="this OS does not define it")
        return spec

    def _get(self, name: str) -> Any:
        spec = self._spec(name)
        return spec.codec.decode(get(self._sock, spec))

    def _set(self, name: str, value: Any) -> None:
        spec = self._spec(name)
        if spec.readonly:
            raise AttributeError(f"{name} ({spec.option_name}) is read-only")
        put(self._sock, spec, spec.codec.encode(value))

    def _delete(self, name: str) -> None:
        spec = self._spec(name)
        cleared = spec.codec.reset()
        if cleared is None:
            raise AttributeError(f"{name} ({spec.option_name}) cannot be deleted; set a value")
        put(self._sock, spec, cleared)


for _name in ALL_NAMES:
    setattr(SocketOptions, _name, _Attribute(_name))
del _name
