"""Portable IPv6 sysctls: read and write them by the BSD names or by the running OS's own names.

The BSDs and macOS name their IPv6 knobs ``net.inet6.ip6.*`` (inet6(4));
Linux has files under ``/proc/sys/net/ipv6`` (``net.ipv6.conf.all.forwarding``,
per interface ``net.ipv6.conf.IF.*``).  :func:`get` and :func:`set` take
either spelling:

* on Linux a BSD name is translated through :data:`MAPPINGS`, one row per
  knob whose meaning is the same on both sides (each row says both
  meanings); a BSD name with no such knob raises
  :class:`~sockapi6.errors.NotSupportedError` naming the nearest Linux knob,
  if there is one;
* on the BSDs and macOS a name goes to ``sysctlbyname(3)`` as it is
  (OpenBSD, which has only MIB numbers, through ``sysctl(2)`` for the
  ``net.inet6.ip6`` names it numbers); a Linux name raises
  NotSupportedError naming the BSD knob of the same meaning.

Values are ints, or ``str`` where the knob holds text.  ``interface`` picks
a per-interface knob (Linux ``conf.IF``); the BSDs keep those per interface
in ``ndp -i`` flags, not sysctls.  Writing needs root and changes the
network namespace the process is in: tests write only inside their own.

    sysctl.set("net.inet6.ip6.forwarding", 1)      # conf.all.forwarding on Linux
    sysctl.get("net.inet6.ip6.hlim", interface="eth0")
"""

from __future__ import annotations

import errno as _errno
import os
import sys
from typing import TYPE_CHECKING

from ._system.binding import CONSTANTS, RECORD
from .errors import NotSupportedError

if TYPE_CHECKING:
    from typing import Optional, Union

    Value = Union[int, str]

__all__ = ["get", "set", "MAPPINGS", "UNMAPPED", "Mapping", "linux_name"]

_PROC = "/proc/sys"
_BSD_PREFIX = "net.inet6.ip6."
_CONF = "net.ipv6.conf."


class Mapping:
    """One row of :data:`MAPPINGS`: a BSD knob and the Linux knob of the same meaning.

    ``linux`` is the global Linux name; ``per_interface`` gives the key under
    ``net.ipv6.conf.IF.`` when the Linux knob also exists per interface.
    ``bsd_meaning``/``linux_meaning`` say what each side means, values included.
    """

    __slots__ = ("bsd", "bsd_meaning", "linux", "linux_meaning", "per_interface")

    def __init__(self, bsd: str, linux: str, per_interface: Optional[str], bsd_meaning: str,
                 linux_meaning: str) -> None:
        self.bsd, self.linux, self.per_interface = bsd, linux, per_interface
        self.bsd_meaning, self.linux_meaning = bsd_meaning, linux_meaning

    def __repr__(self) -> str:
        return f"<Mapping {self.bsd} <-> {self.linux}>"


#: BSD name -> the Linux knob of the same meaning (inet6(4); Documentation/networking/ip-sysctl.rst)
MAPPINGS: dict[str, Mapping] = {m.bsd: m for m in (
    Mapping("net.inet6.ip6.forwarding", "net.ipv6.conf.all.forwarding", "forwarding",
            "0/1: forward IPv6 packets between interfaces (and act as a router: no RA processing)",
            "0/1: the same; writing conf.all propagates to every interface and to conf.default, "
            "and turns accept_ra processing off unless accept_ra is 2"),
    Mapping("net.inet6.ip6.hlim", "net.ipv6.conf.default.hop_limit", "hop_limit",
            "1-255: default hop limit of outgoing unicast packets",
            "1-255: the same, for interfaces created later (conf.default) or one interface (conf.IF); "
            "a conf.all write does not propagate"),
    Mapping("net.inet6.ip6.dad_count", "net.ipv6.conf.default.dad_transmits", "dad_transmits",
            "0-: Neighbor Solicitations sent for Duplicate Address Detection "
            "(RFC 4862 DupAddrDetectTransmits)",
            "0-: the same, per interface (conf.default for new ones); conf.all does not propagate"),
    Mapping("net.inet6.ip6.accept_rtadv", "net.ipv6.conf.default.accept_ra", "accept_ra",
            "0/1: accept Router Advertisements (the default for new interfaces)",
            "0/1/2: 1 accepts unless forwarding, 2 accepts even when forwarding; conf.default is "
            "the default for new interfaces, conf.IF one interface"),
    Mapping("net.inet6.ip6.auto_flowlabel", "net.ipv6.auto_flowlabels", None,
            "0/1: give outgoing flows an automatic flow label (RFC 6437)",
            "0-3: 0 off, 1 on (sockets may opt out), 2 off (sockets may opt in), 3 always on"),
    Mapping("net.inet6.ip6.v6only", "net.ipv6.bindv6only", None,
            "0/1: IPV6_V6ONLY of new sockets", "0/1: the same"),
    Mapping("net.inet6.ip6.use_tempaddr", "net.ipv6.conf.default.use_tempaddr", "use_tempaddr",
            "0/1: make RFC 8981 temporary addresses",
            "-1/0/1/2: 0 none, 1 make them but prefer public ones, 2 make and prefer them "
            "(the BSDs choose the preference with prefer_tempaddr)"),
    Mapping("net.inet6.ip6.temppltime", "net.ipv6.conf.default.temp_prefered_lft", "temp_prefered_lft",
            "seconds: preferred lifetime of temporary addresses", "seconds: the same"),
    Mapping("net.inet6.ip6.tempvltime", "net.ipv6.conf.default.temp_valid_lft", "temp_valid_lft",
            "seconds: valid lifetime of temporary addresses", "seconds: the same"),
)}

#: BSD names with no Linux knob of the same meaning -> the nearest Linux knob and why it differs
UNMAPPED: dict[str, str] = {
    "net.inet6.ip6.redirect": "none: Linux always sends redirects when forwarding (conf.*.accept_redirects "
                              "is about receiving them)",
    "net.inet6.ip6.maxfragpackets": "net.ipv6.ip6frag_high_thresh, which counts bytes of reassembly "
                                    "memory, not packets",
    "net.inet6.ip6.maxfrags": "net.ipv6.ip6frag_high_thresh (bytes, not fragments)",
    "net.inet6.ip6.log_interval": "none: Linux rate-limits ICMPv6 errors (net.ipv6.icmp.ratelimit), "
                                  "not log messages",
    "net.inet6.ip6.hdrnestlimit": "net.ipv6.max_hbh_opts_number / max_dst_opts_number, which limit "
                                  "options inside one header, not header nesting",
    "net.inet6.ip6.defmcasthlim": "none: Linux's default multicast hop limit is fixed at 1; set "
                                  "IPV6_MULTICAST_HOPS per socket",
    "net.inet6.ip6.gifhlim": "none: a Linux tunnel's hop limit is a device setting "
                             "(ip -6 tunnel ... hoplimit)",
    "net.inet6.ip6.kame_version": "none: Linux's IPv6 stack is not KAME",
    "net.inet6.ip6.use_deprecated": "none: Linux always lets deprecated addresses be used when nothing "
                                    "else fits (RFC 6724 rule 3)",
    "net.inet6.ip6.rr_prune": "none: Linux has no router renumbering (RFC 2894)",
    "net.inet6.ip6.mapped_addr": "net.ipv6.bindv6only, with the opposite sense (bindv6only=1 turns "
                                 "IPv4-mapped addresses off for new sockets)",
    "net.inet6.ip6.rtexpire": "net.ipv6.route.gc_timeout (garbage collection of cached routes)",
    "net.inet6.ip6.sourcecheck": "none: Linux has no IPv6 source address check knob (use rp_filter in "
                                 "nftables)",
    "net.inet6.ip6.prefer_tempaddr": "net.ipv6.conf.default.use_tempaddr=2, which also makes them",
}

#: OpenBSD: the net.inet6.ip6 names it numbers (no sysctlbyname there)
_OPENBSD_MIB = {
    "forwarding": "IPV6CTL_FORWARDING", "redirect": "IPV6CTL_SENDREDIRECTS", "hlim": "IPV6CTL_DEFHLIM",
    "maxfragpackets": "IPV6CTL_MAXFRAGPACKETS", "log_interval": "IPV6CTL_LOG_INTERVAL",
    "hdrnestlimit": "IPV6CTL_HDRNESTLIMIT", "dad_count": "IPV6CTL_DAD_COUNT",
    "auto_flowlabel": "IPV6CTL_AUTO_FLOWLABEL", "defmcasthlim": "IPV6CTL_DEFMCASTHLIM",
    "mforwarding": "IPV6CTL_MFORWARDING", "multipath": "IPV6CTL_MULTIPATH",
}

#: how this OS reaches its knobs (the platform record's): "procfs", "sysctlbyname", "mib" or ""
_ACCESS = RECORD.facts.sysctl_access
_LINUX = _ACCESS == "procfs"


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    if not name or any(c in name for c in "/\0 ") or ".." in name or name.startswith("."):
        raise ValueError(f"{name!r} is not a sysctl name")
    return name


def _check_interface(interface: object) -> Optional[str]:
    if interface is None:
        return None
    if isinstance(interface, int) and not isinstance(interface, bool):
        from .interfaces import if_indextoname

        return if_indextoname(interface)
    if not isinstance(interface, str):
        raise TypeError(f"interface must be a name or an index, not {type(interface).__name__}")
    if not interface or "/" in interface or interface in (".", ".."):
        raise ValueError(f"{interface!r} is not an interface name")
    return interface


def linux_name(name: str, interface: Optional[Union[int, str]] = None) -> str:
    """The Linux sysctl ``name`` means: BSD names translated through :data:`MAPPINGS`.

    ``interface`` turns a ``net.ipv6.conf.X.key`` name (or a BSD name with a
    per-interface knob) into ``net.ipv6.conf.IF.key``.  NotSupportedError
    for a BSD name with no Linux knob of the same meaning.
    """
    name = _check_name(name)
    ifname = _check_interface(interface)
    if name.startswith(_BSD_PREFIX):
        row = MAPPINGS.get(name)
        if row is None:
            nearest = UNMAPPED.get(name, "none known")
            raise NotSupportedError(name, platform="Linux",
                                    reason=f"no Linux knob means the same; nearest: {nearest}")
        if ifname is None:
            return row.linux
        if row.per_interface is None:
            raise NotSupportedError(f"{name} per interface", platform="Linux",
                                    reason=f"{row.linux} is global only")
        return f"{_CONF}{ifname}.{row.per_interface}"
    if ifname is not None:
        if not name.startswith(_CONF) or name.count(".") < 4:
            raise ValueError(f"interface= needs a net.ipv6.conf.<interface>.<key> name, not {name!r}")
        key = name.rsplit(".", 1)[1]
        return f"{_CONF}{ifname}.{key}"
    return name


def _proc_path(name: str) -> str:
    """``/proc/sys`` path of a Linux name; the interface part of ``net.ipv6.conf.IF.key`` may hold dots."""
    if name.startswith(_CONF) and name.count(".") >= 4:
        middle, key = name[len(_CONF):].rsplit(".", 1)
        return f"{_PROC}/net/ipv6/conf/{middle}/{key}"
    return f"{_PROC}/{name.replace('.', '/')}"


def _linux_missing(name: str, path: str) -> OSError:
    if name.startswith(_CONF) and name.count(".") >= 4:
        middle, key = name[len(_CONF):].rsplit(".", 1)
        if os.path.exists(f"{_PROC}/net/ipv6/conf/all/{key}"):
            return OSError(_errno.ENODEV, f"no interface {middle!r} in this network namespace: {name}")
    return NotSupportedError(name, reason=f"this kernel has no {path}")


def _parse(text: str) -> Value:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


def _linux_get(name: str) -> Value:
    path = _proc_path(name)
    try:
        with open(path) as f:
            return _parse(f.read())
    except FileNotFoundError:
        raise _linux_missing(name, path) from None


def _linux_set(name: str, text: str) -> None:
    path = _proc_path(name)
    try:
        with open(path, "w") as f:
            f.write(text)
    except FileNotFoundError:
        raise _linux_missing(name, path) from None


def _bsd_name(name: str, interface: Optional[str]) -> str:
    """On the BSDs and macOS: the name to ask for; Linux names are refused naming the BSD knob."""
    if interface is not None:
        raise NotSupportedError(f"{name} per interface",
                                reason="per-interface IPv6 settings are ndp(8) flags there, not sysctls")
    if name.startswith("net.ipv6."):
        bsd = [m.bsd for m in MAPPINGS.values()
               if m.linux == name or (name.startswith(_CONF) and m.per_interface
                                      and name.rsplit(".", 1)[1] == m.per_interface)]
        reason = f"use {bsd[0]}" if bsd else "it is a Linux knob with no equivalent here"
        raise NotSupportedError(name, reason=reason)
    return name


def _value_bytes(value: Value) -> bytes:
    if isinstance(value, str):
        return value.encode()
    return int(value).to_bytes(4, sys.byteorder, signed=True)


def _decode_bsd(raw: bytes) -> Value:
    if len(raw) in (4, 8):
        return int.from_bytes(raw, sys.byteorder, signed=True)
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


def _bsd_call(name: str, new: Optional[bytes]) -> Value:
    from ._system.binding import ffi, last_error, lib

    size = ffi.new("size_t *", 256)
    buf = ffi.new("char[]", 256)
    newp = ffi.from_buffer(new) if new is not None else ffi.NULL
    newlen = len(new) if new is not None else 0
    oldp, oldlen = (ffi.NULL, ffi.NULL) if new is not None else (buf, size)
    if _ACCESS == "mib":
        leaf = _OPENBSD_MIB.get(name[len(_BSD_PREFIX):]) if name.startswith(_BSD_PREFIX) else None
        if leaf is None:
            raise NotSupportedError(name, reason="OpenBSD has no sysctlbyname(3); sockapi6 knows the MIB "
                                    f"numbers of {', '.join(_BSD_PREFIX + k for k in _OPENBSD_MIB)}")
        mib = ffi.new("int32_t[]", [CONSTANTS["CTL_NET"], CONSTANTS["AF_INET6"], CONSTANTS["IPPROTO_IPV6"],
                                     CONSTANTS[leaf]])
        rc = lib.sysctl(mib, 4, oldp, oldlen, newp, newlen)
    else:
        if not hasattr(lib, "sysctlbyname"):
            raise NotSupportedError(name, reason="this C library has no sysctlbyname(3)")
        rc = lib.sysctlbyname(name.encode(), oldp, oldlen, newp, newlen)
    if rc != 0:
        err = last_error()
        if err == _errno.ENOENT:
            raise NotSupportedError(name, reason="this kernel has no such sysctl", errno=err)
        raise OSError(err, f"{os.strerror(err)}: sysctl {name}")
    return 0 if new is not None else _decode_bsd(ffi.buffer(buf, size[0])[:])


def get(name: str, interface: Optional[Union[int, str]] = None) -> Value:
    """Return the value of sysctl ``name`` (a BSD name or this OS's own), per ``interface`` if given."""
    if _LINUX:
        return _linux_get(linux_name(name, interface))
    return _bsd_call(_bsd_name(_check_name(name), _check_interface(interface)), None)


def set(name: str, value: Value, interface: Optional[Union[int, str]] = None) -> None:
    """Write ``value`` (an int, or a str for a text knob) to sysctl ``name``, per ``interface`` if given.

    Changes the network namespace the process runs in; needs root.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"value must be an int or a str, not {type(value).__name__}")
    if isinstance(value, str) and ("\0" in value or "\n" in value.rstrip("\n")):
        raise ValueError("value must be one line of text without NUL")
    if isinstance(value, int) and not -(2 ** 63) <= value < 2 ** 63:
        raise ValueError(f"value {value} does not fit a 64-bit sysctl")
    if _LINUX:
        _linux_set(linux_name(name, interface), str(value))
        return
    _bsd_call(_bsd_name(_check_name(name), _check_interface(interface)), _value_bytes(value))
