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

The package's private modules: ``_codecs`` (value <-> bytes), ``_table``
(the rows, :class:`OptionSpec`), ``_calls`` (libc and its errors),
``_options`` (:class:`SocketOptions`).
"""

from __future__ import annotations

from .._system.ifindex import interface_index
from ._options import SocketOptions
from ._table import ALL_NAMES, TABLE, AddressPreference, OptionSpec

__all__ = ["SocketOptions", "OptionSpec", "AddressPreference", "TABLE", "ALL_NAMES", "interface_index"]
