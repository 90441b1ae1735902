"""Wire-format value objects: the one field framework of every wire class.

ICMPv6/ND/MLD (``sockapi6.icmp6``), Mobility Header messages and options,
extension-header options and headers (``sockapi6.exthdr``), routing headers
and SRH TLVs (``sockapi6.routing``), DHCPv6 (``sockapi6.dhcp6``), the
ancillary items and the interface values all declare their fields here.

**Fields.**  A wire class declares each field once, in wire order, with
:func:`field`::

    class NeighborSolicitation(_WithOptions, number=135):
        reserved: int = field("I", u32, 0, "32 reserved bits, zero when sent (RFC 4861 4.3)")
        target: IPv6Address = field("16s", address, REQUIRED, "the address being resolved")
        _fields = ("target", "options", "reserved", "code", "checksum")   # argument order, when it differs

The arguments are the wire format (a :mod:`struct` code for a fixed field;
``"*"`` for the variable part after the fixed fields; ``""`` for a field
the family packs itself, such as a header byte), the converter (raises
``TypeError``/``ValueError``), the default (:data:`REQUIRED` for none) and
a one-line doc.  From that one declaration the metaclass :class:`WireType`
makes the slot (with the doc, so ``help()`` lists the field), the ``struct``
of the fixed fields (``_body``/``_body_fields``), the variable part
(``_tail``), the ``repr`` (fields declared ``quiet`` are left out while at
their default), a real ``__init__`` whose signature
``inspect.signature(cls)`` shows, and the error wording: a bad argument
raises ``TypeError``/``ValueError`` reading ``"icmp6.EchoRequest:
identifier -1 is out of range 0..65535"`` (module's public name, class,
field).  The argument order is the own fields then the parent's, unless the
class names it in ``_fields``.  dpkt's ``__hdr__`` triples and scapy's
``fields_desc`` are the same idea.

:class:`Record` is that machinery for values without a wire layout of
their own (``sockapi6.interfaces``' values, the ancillary items, whose bytes
are their control message); :class:`Value` adds the fixed-fields-then-tail
layout; :class:`Family` the bytes-based equality below.  The generated
functions are compiled once per shape of class and their parameters renamed
to the fields, so declaring a class stays cheap at import.

A subclass gives inherited fields new defaults with the ``defaults=``
class keyword (``class MLDQuery(_MLDv1, defaults={"address": "::"})``).  A
class that writes its own ``__init__`` keeps it (its signature is then the
real one it writes; ``Record.__init__`` is the generic one to call from it);
extra keyword-only constructor arguments are declared in ``_init_extra``
and handled by ``_finish``.

**Views.**  A class whose state is its wire bytes (the TLVs of
:mod:`sockapi6._tlv`, the extension headers of :mod:`sockapi6._extheader`)
sets ``_views = True``: its fields are then read-only properties computed
from those bytes (a ``_get_<field>`` function in the class body, or the
class's ``_view_getter``) instead of slots, and the generated ``__init__``
hands the converted values to the class's ``_assemble``, which makes the
bytes.  Signature, docs, ``repr`` and error wording come from the same
declarations as everywhere else; the parsers keep their fast paths, which
set the bytes alone.

**Families and the equality rule.**  ``class Base(Family, Typed,
family=True)`` makes ``Base`` a family (ICMPv6 messages, ND options,
Mobility Header messages, MLDv2 records; the ancillary items follow the same
rule with their control messages as bytes).  Within a family two objects are
equal exactly when their wire bytes are equal, and they hash alike: the
named classes are views of the generic one, so
``UnknownICMPv6Message(135, data=d[4:]) == icmp6.parse(d)``.  A family
object keeps its wire bytes: the constructor builds them once (so anything
``bytes()`` would refuse is refused there, as ``ValueError`` naming the class
and the field, never ``struct.error``), and a parsed object keeps the bytes
it was parsed from, so ``bytes(parse(d)) == d``.  The parsers build objects
through :meth:`Value._decoded`, which skips the converters whose input the
wire format already bounds (the decoder validated it once).

:class:`Typed`: a :class:`Value` that is one member of a family told apart
by a type number; ``class X(Base, number=N)`` sets ``X.TYPE`` and registers
``X`` for the family's parser.  The wire helpers at the end raise
:class:`~sockapi6.errors.MalformedError`.  The field converters live in
:mod:`sockapi6._convert` and the checksum of RFC 8200 section 8.1 in
:mod:`sockapi6._checksum`.
"""

from __future__ import annotations

import struct
from ipaddress import IPv6Address
from typing import TYPE_CHECKING

from ._value import ValueObject
from .errors import MalformedError, RangeError

if TYPE_CHECKING:
    from typing import Any, Callable, ClassVar, NoReturn, Optional, TypeVar

    _T = TypeVar("_T", bound="Value")
    _R = TypeVar("_R", bound="Record")

__all__ = [
    "REQUIRED", "Family", "Field", "Record", "Typed", "Value", "WireType", "field", "need", "public_name",
    "show", "split_addresses", "unpack",
]

_NO_FIELDS = struct.Struct("!")


class _Required:
    """The default of a field that has none."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "REQUIRED"


#: the "default" of a field the caller must give
REQUIRED: Any = _Required()


class Field:
    """One declared field: wire format, converter, default, doc (see the module docstring)."""

    __slots__ = ("convert", "decode", "default", "doc", "fmt", "name", "quiet")

    def __init__(self, fmt: str, convert: Optional[Callable[[Any], Any]] = None, default: Any = REQUIRED,
                 doc: str = "", *, quiet: bool = False, decode: bool = True) -> None:
        self.fmt = fmt
        self.decode = decode
        self.convert = convert
        self.default = default
        self.doc = doc
        self.quiet = quiet
        self.name = ""

    def __repr__(self) -> str:
        return f"Field({self.fmt!r}, {self.convert!r}, {self.default!r}, {self.doc!r})"


def field(fmt: str, convert: Optional[Callable[[Any], Any]] = None, default: Any = REQUIRED, doc: str = "",
          *, quiet: bool = False, decode: bool = True) -> Any:
    """Declare a field of a wire class (typed ``Any`` so that ``name: int = field(...)`` type-checks).

    ``quiet``: ``repr`` leaves the field out while it holds its default.
    ``decode=False``: the family's decoder hands over the final value (for
    example a tuple of options it parsed), so the receive path skips
    ``convert``.
    """
    return Field(fmt, convert, default, doc, quiet=quiet, decode=decode)


def public_name(cls: type) -> str:
    """``"icmp6.EchoRequest"``: the class under the public name of the package that defines it."""
    parts = [p for p in cls.__module__.split(".")[1:] if not p.startswith("_")]
    return ".".join([*parts, cls.__name__])


def _fail(obj: object, name: str, value: object, exc: Exception, conv: Any) -> NoReturn:
    """Re-raise a converter's error as ``"<module>.<Class>: <field> ..."`` (same exception type)."""
    msg = str(exc)
    qual = public_name(type(obj))
    if not msg.startswith((qual, type(obj).__name__ + ".")):  # a converter that names the class itself
        what = getattr(conv, "what", None)
        if what and msg.startswith(what):
            msg = name + msg[len(what):]
        elif not msg.startswith(name):
            msg = f"{name}: {msg}"
        msg = f"{qual}: {msg}"
    raise _same_kind(exc, msg, name) from None


def _same_kind(exc: Exception, msg: str, name: str) -> Exception:
    """``exc``'s kind with the message ``msg``: TypeError, RangeError (number out of range), ValueError."""
    if isinstance(exc, TypeError):
        return TypeError(msg)
    if isinstance(exc, RangeError):
        return RangeError(msg, name or exc.argument)
    return ValueError(msg)


def _named(obj: object, exc: Exception) -> NoReturn:
    """Re-raise an error of a check across fields with the class's public name in front."""
    msg = str(exc)
    qual = public_name(type(obj))
    if not msg.startswith(qual) and not msg.startswith(type(obj).__name__):
        msg = f"{qual}: {msg}"
    raise _same_kind(exc, msg, "") from None


class WireType(type):
    """The metaclass of :class:`Value`: turns :func:`field` declarations into slots and the class's tables."""

    def __new__(mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any],
                defaults: Optional[dict[str, Any]] = None, **kwargs: Any) -> WireType:
        own = {k: v for k, v in ns.items() if isinstance(v, Field)}
        views = ns.get("_views", any(getattr(b, "_views", False) for b in bases))
        if own and views:  # the fields are read from the object's wire bytes: properties, not slots
            for key, spec in own.items():
                del ns[key]
                spec.name = key
                getter = ns.pop(f"_get_{key}", None)
                if getter is not None:
                    ns[key] = property(getter, doc=spec.doc or None)
        elif own:
            inherited: set[str] = set()
            for base in bases:
                inherited.update(getattr(base, "_docs", {}))
            declared = ns.get("__slots__", ())
            slots: dict[str, Optional[str]] = {s: None for s in ((declared,) if isinstance(declared, str)
                                                                   else declared)}
            for key, spec in own.items():
                del ns[key]
                spec.name = key
                if key not in inherited:
                    slots[key] = spec.doc or None
            ns["__slots__"] = slots
        cls = super().__new__(mcls, name, bases, ns, **kwargs)
        if views:
            for key, spec in own.items():
                if key not in cls.__dict__:
                    setattr(cls, key, property(cls._view_getter(spec),  # type: ignore[attr-defined]
                                               doc=spec.doc or None))
        _declare(cls, own, ns, defaults or {})
        return cls


def _declare(cls: Any, own: dict[str, Field], ns: dict[str, Any], defaults: dict[str, Any]) -> None:
    """Fill the class's tables from its own fields, then make its ``__init__`` and decode plan.

    ``defaults`` (the ``defaults=`` class keyword) gives inherited fields new defaults.
    """
    if defaults:
        unknown = set(defaults) - set(cls._fields)
        if unknown:
            raise TypeError(f"{cls.__name__}: defaults for undeclared fields {sorted(unknown)}")
        cls._defaults = {**cls._defaults, **defaults}
    if own:
        defaults = {k: f.default for k, f in own.items() if f.default is not REQUIRED}
        cls._defaults = {**cls._defaults, **defaults}
        cls._convert = {**cls._convert, **{k: f.convert for k, f in own.items() if f.convert is not None}}
        cls._docs = {**cls._docs, **{k: f.doc for k, f in own.items()}}
        cls._quiet = cls._quiet | {k for k, f in own.items() if f.quiet}
        cls._decode_skip = (cls._decode_skip - set(own)) | {k for k, f in own.items() if not f.decode}
        fixed = [(k, f.fmt) for k, f in own.items() if f.fmt not in ("", "*")]
        cls._formats = {**cls._formats, **dict(fixed)}
        if fixed:
            names = tuple(n for n in cls._body_fields if n not in own) + tuple(k for k, _ in fixed)
            cls._body_fields = names
            cls._body = struct.Struct("!" + "".join(cls._formats[n] for n in names))
        tails = [k for k, f in own.items() if f.fmt == "*"]
        if tails:
            cls._tail = tails[0]
        if "_fields" not in ns:
            parent = cls._fields
            cls._fields = tuple(own) + tuple(n for n in parent if n not in own)
    if cls.__module__ == __name__:
        return
    _make_init(cls, ns, bool(own))
    cls._decoded = classmethod(_decode_first)  # generated on the first parse: imports stay cheap
    _document(cls)


def _converted_defaults(cls: Any) -> dict[str, Any]:
    """Each default through its converter, computed once (fields whose conversion fails are left out)."""
    out = {}
    for name in cls._fields:
        if name in cls._defaults:
            default = cls._defaults[name]
            conv = cls._convert.get(name)
            try:
                out[name] = conv(default) if conv is not None else default
            except (TypeError, ValueError):
                continue
    return out


#: compiled templates of the generated functions, by source: classes of one shape share one compile
_TEMPLATES: dict[str, Any] = {}


def _function(source: str, env: dict[str, Any], params: tuple[str, ...], defaults: tuple[Any, ...],
              kwdefaults: Optional[dict[str, Any]], name: str = "") -> Any:
    """A function from template ``source`` (its parameters named ``a0, a1...``), run in ``env``.

    The template depends only on the shape of the class (which fields have
    converters and defaults), so it is compiled once per shape; ``params``
    then renames its parameters to the fields' names (``inspect.signature``
    and keyword calls see those), and ``defaults``/``kwdefaults`` are its
    default values; ``name`` names the code (Python 3.9 words argument errors with it).
    """
    from types import FunctionType

    code = _TEMPLATES.get(source)
    if code is None:
        scope: dict[str, Any] = {}
        exec(compile(source, "<sockapi6._wire generated>", "exec"), scope)
        code = _TEMPLATES[source] = scope[source[4:source.index("(")]].__code__
    if params:
        code = code.replace(co_varnames=params + code.co_varnames[len(params):])
    if name:
        code = code.replace(co_name=name)
    env.setdefault("__builtins__", __builtins__)  # Python 3.9 gives a function no builtins otherwise
    func = FunctionType(code, env, code.co_name, defaults or None)
    func.__kwdefaults__ = kwdefaults
    return func


def _make_init(cls: Any, ns: dict[str, Any], declares: bool) -> None:
    """Give ``cls`` a real ``__init__``: named parameters, converters, one error wording.

    A class that writes its own keeps it, and so do its subclasses unless
    they declare fields of their own.
    """
    if "__init__" in ns:
        cls._custom_init = True
        return
    if cls._custom_init and not declares:
        return
    cls._custom_init = False
    fields = cls._fields
    views = cls._views
    env: dict[str, Any] = {"_fail": _fail, "_REQUIRED": REQUIRED, "_missing": _missing}
    params: list[str] = []
    defaults: list[Any] = []
    body: list[str] = []
    converted = _converted_defaults(cls)
    for i, name in enumerate(fields):
        arg = f"a{i}"
        params.append(arg)
        if not views:
            env[f"_s{i}"] = getattr(cls, name).__set__
        env[f"_n{i}"] = name
        conv = cls._convert.get(name)
        if name in cls._defaults:
            env[f"_d{i}"] = cls._defaults[name]
            defaults.append(cls._defaults[name])
        elif defaults:  # a required field after a defaulted one: keep positions, check by hand
            defaults.append(REQUIRED)
            body.append(f"    if {arg} is _REQUIRED: _missing(self, _n{i})")
        value = arg
        if conv is not None:
            env[f"_c{i}"] = conv
            value = f"_c{i}({arg})"
            if name in converted:
                env[f"_k{i}"] = converted[name]
                value = f"_k{i} if {arg} is _d{i} else _c{i}({arg})"
            store = f"v{i} = {value}" if views else f"_s{i}(self, {value})"
            body += ["    try:", f"        {store}", "    except (TypeError, ValueError) as _e:",
                     f"        _fail(self, _n{i}, {arg}, _e, _c{i})"]
        else:
            body.append(f"    v{i} = {value}" if views else f"    _s{i}(self, {value})")
    extra = cls._init_extra
    sig = ", ".join(["self", *params, *(["*"] if extra else []), *(f"x{i}" for i in range(len(extra)))])
    if views:  # the converted values become the wire bytes (the class's _assemble); nothing else is kept
        body.append(f"    self._assemble({', '.join(f'v{i}' for i in range(len(fields)))})")
    body.append(f"    self._finish({', '.join(f'{n}=x{i}' for i, n in enumerate(extra))})")
    source = f"def __init__({sig}):\n" + "\n".join(body) + "\n"
    init = _function(source, env, ("self", *fields, *extra), tuple(defaults), dict(extra) if extra else None,
                     f"{cls.__name__}.__init__")
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = f"Make a {cls.__name__} from its fields (see the class docstring)."
    init._generated = True
    cls.__init__ = init


def _missing(obj: object, name: str) -> NoReturn:
    raise TypeError(f"{public_name(type(obj))}() missing required argument {name!r}")


def _make_decode_plan(cls: Any) -> None:
    """Generate ``cls._decoded``: set each slot from a decoder's values, running only the converters
    whose input the wire format does not already bound (and none for fields declared ``decode=False``)."""
    converted = _converted_defaults(cls)
    env: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_bad": _bad_decode}
    body = ["    obj = _new(_cls)", "    try:"]
    for i, name in enumerate(cls._fields):
        env[f"_s{i}"] = getattr(cls, name).__set__
        env[f"_n{i}"] = name
        conv = cls._convert.get(name)
        if conv is not None and (getattr(conv, "exact", False) or name in cls._decode_skip):
            conv = None
        if name in cls._defaults:
            env[f"_d{i}"] = converted.get(name, cls._defaults[name])
            value = f"values.get(_n{i}, _d{i})"
        else:
            value = f"values[_n{i}]"
        if conv is not None:
            env[f"_c{i}"] = conv
            value = f"_c{i}({value})"
        body.append(f"        _s{i}(obj, {value})")
    body += ["        pass", "    except (TypeError, ValueError) as _e:", "        _bad(obj, _e)",
             "    return obj"]
    source = "def _decoded(values):\n" + "\n".join(body) + "\n"
    cls._decoded = staticmethod(_function(source, env, (), (), None))


def _decode_first(cls: Any, values: dict[str, Any]) -> Any:
    """``cls._decoded`` until its first call, which generates the real one and hands over to it."""
    _make_decode_plan(cls)
    return cls._decoded(values)


def _bad_decode(obj: object, exc: Exception) -> NoReturn:
    if isinstance(exc, MalformedError):
        raise exc
    raise MalformedError(f"{public_name(type(obj))}: {exc}") from None


def _document(cls: Any) -> None:
    """Append the field list (constructor order, with each field's doc) to the class docstring."""
    docs = cls._docs
    if not docs or not cls._fields:
        return
    lines = []
    for name in cls._fields:
        doc = docs.get(name, "")
        default = cls._defaults.get(name, REQUIRED)
        shown = "" if default is REQUIRED else f" (default {show(default)})"
        lines.append(f"    {name}{shown}: {doc}" if doc else f"    {name}{shown}")
    for name, default in cls._init_extra.items():
        doc = cls._init_docs.get(name, "")
        shown = f" (keyword only, default {show(default)})"
        lines.append(f"    {name}{shown}: {doc}" if doc else f"    {name}{shown}")
    own = cls.__dict__.get("__doc__") or ""
    cls.__doc__ = own.rstrip() + "\n\n    Fields, in constructor order:\n\n" + "\n".join(lines) + "\n"


class Record(ValueObject, metaclass=WireType):
    """Immutable declared fields without a wire layout of their own (interface values, ancillary items).

    Fields, constructor, ``repr``, docs and error wording as the module
    docstring describes; equal when the fields are (a subclass may say
    otherwise).  :class:`Value` adds the wire layout.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _convert: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    _docs: ClassVar[dict[str, str]] = {}
    _formats: ClassVar[dict[str, str]] = {}
    _quiet: ClassVar[frozenset[str]] = frozenset()
    _decode_skip: ClassVar[frozenset[str]] = frozenset()
    _body: ClassVar[struct.Struct] = _NO_FIELDS
    _body_fields: ClassVar[tuple[str, ...]] = ()
    _tail: ClassVar[str] = ""
    _init_extra: ClassVar[dict[str, Any]] = {}
    #: the docs of the ``_init_extra`` arguments (listed after the fields in the class docstring)
    _init_docs: ClassVar[dict[str, str]] = {}
    _custom_init: ClassVar[bool] = False
    #: the fields are views of the object's wire bytes: properties instead of slots, and the generated
    #: ``__init__`` hands the converted values to :meth:`_assemble` (TLVs, extension headers)
    _views: ClassVar[bool] = False

    def _assemble(self, *values: Any) -> None:
        """Make the wire bytes of a view class from its converted field values (such classes define it)."""
        raise TypeError(f"{type(self).__name__} does not assemble its fields")

    @classmethod
    def _view_getter(cls, spec: Field) -> Callable[[Any], Any]:
        """The getter of a view field the class gives no ``_get_<name>`` for (such classes define it)."""
        raise TypeError(f"{cls.__name__}: no getter for the view field {spec.name!r}")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The generic constructor, for classes that write their own ``__init__`` and call this one."""
        name = public_name(type(self))
        if len(args) > len(self._fields):
            raise TypeError(f"{name}() takes at most {len(self._fields)} positional arguments")
        values = dict(zip(self._fields, args))
        for key, val in kwargs.items():
            if key not in self._fields:
                raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"{name}() got multiple values for argument {key!r}")
            values[key] = val
        for fld in self._fields:
            if fld in values:
                val = values[fld]
            elif fld in self._defaults:
                val = self._defaults[fld]
            else:
                raise TypeError(f"{name}() missing required argument {fld!r}")
            conv = self._convert.get(fld)
            if conv is not None:
                try:
                    val = conv(val)
                except (TypeError, ValueError) as exc:
                    _fail(self, fld, val, exc, conv)
            object.__setattr__(self, fld, val)
        self._finish()

    def _finish(self) -> None:
        """Run after the fields are set: :meth:`_check`, its errors named after the class."""
        try:
            self._check()
        except (TypeError, ValueError) as exc:
            _named(self, exc)

    def _check(self) -> None:
        """Hook for checks across fields (raise ``ValueError``)."""

    @classmethod
    def _decoded(cls: type[_R], values: dict[str, Any]) -> _R:
        """An object from fields a decoder read and checked (generated per class; see the module doc).

        A converter that still refuses a value raises :class:`MalformedError`.
        """
        raise TypeError(f"{cls.__name__} declares no fields to decode")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def _args(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def _replace(self: _R, **changes: Any) -> _R:
        """A copy with the fields in ``changes`` replaced (and ``_init_extra`` arguments given there)."""
        return type(self)(**{**{f: getattr(self, f) for f in self._fields}, **changes})

    def _shown(self) -> tuple[str, ...]:
        """The fields ``repr`` shows: all but quiet ones (reserved, checksum...) left at their default."""
        quiet = self._quiet
        return tuple(f for f in self._fields
                     if f not in quiet or f not in self._defaults
                     or getattr(self, f) != self._convert_default(f))

    def _convert_default(self, name: str) -> Any:
        conv = self._convert.get(name)
        val = self._defaults[name]
        return conv(val) if conv is not None else val

    def __repr__(self) -> str:
        parts = [f"{f}={show(getattr(self, f))}" for f in self._shown()]
        return f"{type(self).__name__}({', '.join(parts)})"


class Value(Record):
    """Base of the wire value objects: :class:`Record` plus the wire layout (fixed fields, then a tail)."""

    __slots__ = ()

    def __bytes__(self) -> bytes:
        """The wire form, from :meth:`_build`."""
        return self._build()

    def _build(self) -> bytes:
        """Lay out the wire form (every class that has one defines it)."""
        raise TypeError(f"{type(self).__name__} has no wire form of its own")

    def __len__(self) -> int:
        return len(bytes(self))

    def _pack_body(self) -> bytes:
        """The fixed fields packed by ``_body``, then the ``_tail`` field."""
        fixed = self._body.pack(*[_field_wire(getattr(self, f)) for f in self._body_fields])
        return fixed + self._tail_bytes()

    def _tail_bytes(self) -> bytes:
        """The ``_tail`` field on the wire: bytes as they are, a tuple's items back to back."""
        if not self._tail:
            return b""
        value = getattr(self, self._tail)
        if isinstance(value, tuple):
            return b"".join([v.packed if isinstance(v, IPv6Address) else bytes(v) for v in value])
        return bytes(value)

    @classmethod
    def _unpack_body(cls, data: bytes, offset: int) -> dict[str, Any]:
        """The fixed fields read from ``data[offset:]``; :class:`MalformedError` when it is too short."""
        return dict(zip(cls._body_fields, unpack(cls._body, data, offset, cls.__name__)))


class Typed(Value):
    """A :class:`Value` of a family told apart by a type number.

    The family's base sets ``_registry`` (type -> class); ``class X(Base,
    number=N)`` sets ``X.TYPE = N`` and registers ``X``.  A class for the
    types nobody registered names the field that holds the number in
    ``_type_field``.
    """

    __slots__ = ()
    TYPE: ClassVar[int] = -1
    _registry: ClassVar[dict[int, type[Any]]] = {}
    _type_field: ClassVar[str] = ""

    def __init_subclass__(cls, number: Optional[int] = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if number is not None:
            cls.TYPE = number
            cls._registry[number] = cls

    @property
    def type(self) -> int:
        """The type number on the wire."""
        return int(getattr(self, self._type_field)) if self._type_field else self.TYPE

    def _wire_type(self) -> int:
        """:attr:`type` for building bytes; ``TypeError`` for a family's base, which has no type number."""
        number = self.type
        if number < 0:
            raise TypeError(f"{type(self).__name__} has no type number of its own: use one of its "
                            "subclasses (or the generic class of unknown types)")
        return number

    def _check_unregistered(self, what: str) -> None:
        """Raise ``ValueError`` when this object's type number has a class of its own."""
        if self.type in self._registry:
            raise ValueError(f"{what} {self.type} has its own class")


class Family(Value):
    """A value that is its wire bytes: equal to any member of its family with the same bytes.

    ``class Base(Family, family=True)`` starts a family; every object keeps
    its bytes in ``_wire`` (built by :meth:`_build` when constructed, or the
    bytes it was parsed from).
    """

    __slots__ = ("_wire",)
    _family: ClassVar[type] = object
    _wire: bytes

    def __init_subclass__(cls, family: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if family:
            cls._family = cls

    def _finish(self) -> None:
        super()._finish()
        self._seal()

    def _seal(self) -> None:
        """Build and keep the wire bytes: what they refuse, the constructor refuses (named)."""
        try:
            wire = self._build()
        except (struct.error, OverflowError, TypeError, ValueError) as exc:
            _named(self, ValueError(str(exc)) if not isinstance(exc, TypeError) else exc)
        _WIRE_SET(self, wire)

    @classmethod
    def _decoded_wire(cls: type[_T], wire: bytes, values: dict[str, Any]) -> _T:
        """:meth:`Value._decoded`, keeping ``wire`` as the object's bytes."""
        obj = cls._decoded(values)
        _WIRE_SET(obj, wire)
        return obj

    def __bytes__(self) -> bytes:
        return self._wire

    def __len__(self) -> int:
        return len(self._wire)

    def _key(self) -> tuple[Any, ...]:
        return (self._wire,)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, self._family):
            return self._wire == other._wire  # type: ignore[attr-defined, no-any-return]
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, self._family):
            return self._wire != other._wire  # type: ignore[attr-defined, no-any-return]
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._family.__name__, self._wire))


_WIRE_SET = Family.__dict__["_wire"].__set__

def _field_wire(value: Any) -> Any:
    """A fixed field as ``struct`` packs it: an address as its 16 bytes, bytes as given, else an int."""
    packed = getattr(value, "packed", None)
    if packed is not None:
        return packed
    return value if isinstance(value, bytes) else int(value)


def show(value: Any) -> str:
    """``repr`` of a field value that evaluates with the package's names (enums, flags, tuples)."""
    from enum import Enum, Flag

    if isinstance(value, Flag):
        flag_type = type(value)
        known = [m for m in flag_type if m.value and (m.value & value.value) == m.value
                 and bin(m.value).count("1") == 1]
        rest = value.value
        for m in known:
            rest &= ~m.value
        words = [f"{flag_type.__name__}.{m.name}" for m in known]
        if rest or not words:
            words.append(f"{flag_type.__name__}({rest:#x})")
        return "|".join(words)
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, tuple):
        inner = ", ".join(show(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, IPv6Address):  # as text: every address field takes it, and no name is needed
        return repr(str(value))
    return repr(value)


def need(data: bytes, offset: int, size: int, what: str) -> None:
    """Raise :class:`MalformedError` unless ``size`` bytes of ``what`` start at ``offset``."""
    if offset + size > len(data):
        raise MalformedError(f"{what} needs {size} bytes but only {max(len(data) - offset, 0)} remain",
                             offset)


def unpack(fmt: struct.Struct, data: bytes, offset: int, what: str) -> tuple[Any, ...]:
    """``fmt.unpack_from`` with a :class:`MalformedError` when the data is too short."""
    need(data, offset, fmt.size, what)
    return fmt.unpack_from(data, offset)


def split_addresses(data: bytes, offset: int, what: str) -> list[bytes]:
    """``data`` cut into 16-byte addresses; :class:`MalformedError` (at ``offset``) if it does not divide."""
    if len(data) % 16:
        raise MalformedError(f"{len(data)} octets of {what} is not a multiple of 16", offset)
    return [data[i:i + 16] for i in range(0, len(data), 16)]
