"""DHCPv6 messages and options as value objects (RFC 8415; RFC 3646, 4580, 4649, 4704, 6355, 6939).

Messages: the client/server ones (:class:`Solicit`, :class:`Advertise`,
:class:`Request`, :class:`Confirm`, :class:`Renew`, :class:`Rebind`,
:class:`Reply`, :class:`Release`, :class:`Decline`, :class:`Reconfigure`,
:class:`InformationRequest`), the relay ones (:class:`RelayForward`,
:class:`RelayReply`, whose :attr:`~RelayMessage.relay_message` is the
message they carry, itself parsed) and :class:`UnknownMessage`.  Options:
one class per option code listed in :class:`OptionCode`, and
:class:`UnknownOption` for the rest; DUIDs: :class:`DUIDLLT`,
:class:`DUIDEN`, :class:`DUIDLL`, :class:`DUIDUUID`, :class:`UnknownDUID`.

``bytes(x)`` is the wire form; :func:`parse` reads any message back with
``bytes(parse(d)) == d``; two objects of a family are equal exactly when
their wire forms are.  Constructors refuse what could not be sent
(``TypeError``/``ValueError`` naming class and field); bytes that do not
parse raise :class:`~sockapi6.errors.MalformedError`.  Ports, groups and
``HOP_COUNT_LIMIT`` carry RFC 8415 section 7's names.

Example: what a relay agent sends for a client's Solicit (RFC 8415 19.1.1)::

    >>> from sockapi6 import dhcp6
    >>> sol = dhcp6.Solicit(0x1234, [dhcp6.ClientIdentifier(dhcp6.DUIDLL(1, bytes(6)))])
    >>> fwd = dhcp6.RelayForward(0, "2001:db8::1", "fe80::2",
    ...                          [dhcp6.InterfaceID(b"eth1"), dhcp6.RelayMessageOption(sol)])
    >>> dhcp6.parse(bytes(fwd)).relay_message == sol
    True
"""

from __future__ import annotations

from . import _constants, _duid, _messages, _options
from ._constants import *  # noqa: F403
from ._duid import *  # noqa: F403
from ._messages import *  # noqa: F403
from ._options import *  # noqa: F403

__all__: list[str] = []
__all__ += _constants.__all__
__all__ += _duid.__all__
__all__ += _options.__all__
__all__ += _messages.__all__
