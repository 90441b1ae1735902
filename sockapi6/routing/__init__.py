"""Routing headers as Python values (RFC 8200 section 4.4, RFC 6275 section 6.4, RFC 8754).

* :class:`RoutingHeader`: type 0 (the RFC 2460 source route RFC 3542 section 7
  builds; deprecated by RFC 5095) and type 2 (Mobile IPv6, RFC 6275 section
  6.4: exactly one address, the home address);
* :class:`SegmentRoutingHeader`: type 4 (RFC 8754 section 2), with its TLVs
  :class:`SRHPad1`, :class:`SRHPadN`, :class:`HMACTLV` and the generic
  :class:`SRHTLV`;
* :class:`UnknownRoutingHeader` keeps the bytes of any other type.

``bytes(h)`` gives the wire header (pure Python, the same on every OS),
``Class.parse(data)`` reads one whole header back, and
:func:`parse_routing_header` picks the class by Routing Type.  Bad input
raises :class:`~sockapi6.errors.MalformedError` with the offset of the problem.

Equality follows :mod:`sockapi6.exthdr`'s rule: two routing headers, of any
of these classes, are equal exactly when their wire bytes are (and hash
alike); two SRH TLVs likewise (``SRHTLV(5, bytes(6)) == HMACTLV(0, b"")``).
A parse keeps the bytes, Reserved fields and padding included
(``bytes(parse_routing_header(b)) == b`` up to 2048 octets); an SRH whose TLV
padding is not the layout rule's (a Pad1, say) shows its padding TLVs with
``autopad=False``.

The classes live in private submodules (``_base``: the common part and
unknown types; ``_type02``; ``_tlvs`` and ``_srh``: RFC 8754; ``_parse``);
the machinery they share with :mod:`sockapi6.exthdr` is in
:mod:`sockapi6._tlv` and :mod:`sockapi6._extheader`.
"""

from .._extheader import MAX_HEADER_LEN as MAX_HEADER_LEN
from ._base import UnknownRoutingHeader
from ._parse import parse_routing_header
from ._srh import SegmentRoutingHeader
from ._tlvs import HMACTLV, SRHTLV, SRHPad1, SRHPadN
from ._type02 import RoutingHeader

__all__ = [
    "RoutingHeader",
    "SegmentRoutingHeader",
    "UnknownRoutingHeader",
    "SRHTLV",
    "SRHPad1",
    "SRHPadN",
    "HMACTLV",
    "parse_routing_header",
]

# pickles and documentation name the public module, not the private one a class lives in
for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
