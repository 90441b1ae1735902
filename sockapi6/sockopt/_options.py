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

    from ..ancillary import PacketInfo, PathMTU
    from ..icmp6filter import ICMP6Filter
    from ._table import AddressPreference, OptionSpec

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
        pktinfo: PacketInfo
        icmp6_filter: ICMP6Filter
        hopopts: Any
        dstopts: Any
        rthdrdstopts: Any
        mipdstopts: Any
        rthdr: Any
        multicast_if = _Typed[int, Union[int, str]]()
        nexthop = _Typed[Optional[IPv6Address], Any]()
        addr_preferences = _Typed[AddressPreference, int]()
        bind_to_device = _Typed[str, Union[str, bytes]]()

        @property
        def path_mtu(self) -> PathMTU: ...

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
