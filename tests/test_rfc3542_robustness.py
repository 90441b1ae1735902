"""Hostile input to the C-port layer: truncated, oversized, lying and random buffers.

Two parts:

* every function on every backend gets random and malformed arguments and
  must answer with a value of the documented type (the C error value for
  bad values) or ``TypeError``; never anything else;
* the proof that the libc wrappers never touch memory outside the caller's
  buffer: a child process maps three pages, makes the first and the third
  unreadable (``mprotect(PROT_NONE)``) and places each buffer flush against
  one of them.  For each bug of platform_abi.md section 6 the raw libc call
  with the triggering input dies of SIGSEGV there (so the trap works and the
  bug is real), while the guarded wrapper returns the C error value; then
  thousands of random hostile calls of every wrapper run against the same
  unreadable pages and the child must exit 0.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from ipaddress import IPv6Address

import pytest
from rfc3542_walk import walk_options

import sockapi6.rfc3542 as top
from sockapi6._system import binding as _binding
from sockapi6.rfc3542 import libc, pure

IMPLS = [pytest.param(pure, id="python"),
         pytest.param(libc, id="libc", marks=pytest.mark.skipif(
             not hasattr(libc, "inet6_opt_init"), reason="this libc has no inet6_opt_*")),
         pytest.param(top, id="dispatch", marks=pytest.mark.backend)]
GLIBC = _binding.PLATFORM == "linux_glibc" and hasattr(_binding.lib, "inet6_opt_init")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def random_buffer(rng):
    kind = rng.randrange(4)
    n = rng.choice([0, 1, 2, 3, 7, 8, 9, 16, 23, 24, 40, 64, 300])
    if kind == 0:
        data = bytes(rng.randrange(256) for _ in range(n))
    elif kind == 1:
        data = bytes(rng.choice([0, 1, 2, 0x1E, 255]) for _ in range(n))
    elif kind == 2:  # a routing header whose fields lie
        data = bytes([rng.randrange(256), rng.choice([0, 1, 2, 4, 6, 254, 255]), rng.choice([0, 2, 4, 7]),
                      rng.randrange(256)]) + bytes(rng.randrange(256) for _ in range(max(0, n - 4)))
        data = data[:n]
    else:
        data = bytes(n)
    return bytearray(data)


def any_int(rng):
    return rng.choice([-(2 ** 40), -(2 ** 31) - 1, -(2 ** 31), -10, -1, 0, 1, 2, 3, 4, 7, 8, 9, 16, 24,
                       127, 128, 255, 256, 2048, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 64])


def hostile_calls(m, rng, make_buffer):
    """One random call of every function; check only the result types."""
    b = make_buffer(rng)
    n = len(b)
    extlen = rng.choice([n, n + 1, n - 1, 0, any_int(rng)])
    r = m.inet6_opt_init(b if rng.randrange(4) else None, extlen)
    assert isinstance(r, int)
    end, data = m.inet6_opt_append(b if rng.randrange(4) else None, extlen, any_int(rng), any_int(rng),
                                   any_int(rng), any_int(rng))
    assert isinstance(end, int) and (data is None or isinstance(data, memoryview))
    assert isinstance(m.inet6_opt_finish(b if rng.randrange(4) else None, extlen, any_int(rng)), int)
    assert isinstance(m.inet6_opt_set_val(b, any_int(rng), bytes(rng.randrange(20))), int)
    assert isinstance(m.inet6_opt_get_val(b, any_int(rng), any_int(rng) % 4096)[1], bytes)
    offset = rng.choice([0, 0, 2, any_int(rng), rng.randrange(n + 3)])
    end, _kind, length, data = m.inet6_opt_next(b, extlen, offset)
    assert end == -1 or len(data) == length
    end, length, data = m.inet6_opt_find(b, extlen, offset, rng.choice([0, 1, 2, 0x1E, 255, any_int(rng)]))
    assert end == -1 or len(data) == length
    assert isinstance(m.inet6_rth_space(any_int(rng), any_int(rng)), int)
    r = m.inet6_rth_init(b, rng.choice([n, n + 8, any_int(rng)]), rng.choice([0, 2, 4, any_int(rng)]),
                         rng.choice([0, 1, 3, any_int(rng)]))
    assert r is None or isinstance(r, memoryview)
    b = make_buffer(rng)
    assert m.inet6_rth_add(b, IPv6Address(rng.randbytes(16))) in (0, -1)
    assert isinstance(m.inet6_rth_segments(b), int)
    r = m.inet6_rth_getaddr(b, any_int(rng) if rng.randrange(2) else rng.randrange(-1, 130))
    assert r is None or isinstance(r, IPv6Address)
    out = make_buffer(rng)
    assert m.inet6_rth_reverse(b, rng.choice([out, b])) in (0, -1)


@pytest.mark.parametrize("m", IMPLS)
def test_random_hostile_calls(m):
    rng = random.Random(3542)
    for _ in range(1500):
        hostile_calls(m, rng, random_buffer)


@pytest.mark.parametrize("m", IMPLS)
def test_truncated_headers_every_length(m):
    """Every prefix of a valid options header and routing header is refused cleanly or read in bounds."""
    opts = bytes([0, 1, 0x1E, 3, 1, 2, 3, 0x3E, 4, 4, 5, 6, 7, 1, 1, 0])
    for cut in range(len(opts) + 1):
        head = opts[:cut]
        found = []
        for offset, kind, length, data in walk_options(m, head, cut):
            assert offset <= cut and len(data) == length
            found.append(kind)
        assert found == [0x1E, 0x3E][:(cut >= 7) + (cut >= 13)]
    rth = (bytes([17, 4, 0, 2, 0, 0, 0, 0]) + IPv6Address("2001:db8::1").packed
           + IPv6Address("2001:db8::2").packed)
    for cut in range(len(rth)):
        assert m.inet6_rth_segments(rth[:cut]) == -1
        assert m.inet6_rth_getaddr(rth[:cut], 0) is None
        assert m.inet6_rth_reverse(rth[:cut], bytearray(64)) == -1
        assert m.inet6_rth_add(bytearray(rth[:cut]), "::1") == -1
    assert m.inet6_rth_segments(rth) == 2
    assert m.inet6_rth_reverse(rth, bytearray(len(rth) - 1)) == -1


@pytest.mark.parametrize("m", IMPLS)
def test_oversized_and_lying_lengths(m):
    big = bytearray(4096)
    assert m.inet6_opt_init(big, 4096) == -1  # beyond what the length byte describes
    assert m.inet6_opt_next(bytes(8), 9, 0)[0] == -1
    assert m.inet6_opt_find(bytes(8), 2 ** 32, 0, 5)[0] == -1
    assert m.inet6_opt_append(bytearray(8), 2 ** 32, 2, 5, 2, 1) == (-1, None)
    assert m.inet6_opt_finish(bytearray(8), -1, 2) == -1
    assert m.inet6_rth_init(bytearray(8), 2 ** 32, 0, 0) is None
    lying = bytearray(bytes([0, 254, 0, 0]) + bytes(20))  # claims 2040 bytes in 24
    assert m.inet6_rth_segments(lying) == -1
    assert m.inet6_rth_getaddr(lying, 0) is None
    assert m.inet6_rth_add(lying, "::1") == -1
    assert m.inet6_rth_reverse(lying, bytearray(4096)) == -1
    assert lying == bytes([0, 254, 0, 0]) + bytes(20)


# --------------------------------------------------------------------------- the unreadable-page proof

CHILD = textwrap.dedent(r'''
    import ctypes, mmap, random, sys
    from ipaddress import IPv6Address
    from sockapi6._system.binding import ffi, lib
    from sockapi6.rfc3542 import libc, pure

    PAGE = mmap.PAGESIZE
    region = mmap.mmap(-1, 3 * PAGE)
    anchor = ctypes.c_char.from_buffer(region)
    base = ctypes.addressof(anchor)
    c = ctypes.CDLL(None, use_errno=True)
    c.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    c.mprotect.restype = ctypes.c_int
    if c.mprotect(base, PAGE, 0) or c.mprotect(base + 2 * PAGE, PAGE, 0):
        sys.exit(3)
    whole = memoryview(region)

    def at_end(data):
        """``data`` placed so that its last byte is the last readable byte."""
        view = whole[2 * PAGE - len(data):2 * PAGE]
        view[:] = data
        return view

    def at_start(data):
        """``data`` placed so that the byte before it is unreadable."""
        view = whole[PAGE:PAGE + len(data)]
        view[:] = data
        return view

    def rth0(hlen, segleft, naddr):
        return bytes([17, hlen, 0, segleft, 0, 0, 0, 0]) + bytes(16 * naddr)

    # each bug of platform_abi.md section 6: (buffer, raw libc call, guarded call, C error value)
    def raw_next(v):
        return lib.inet6_opt_next(ffi.from_buffer(v), len(v), 7, ffi.new("uint8_t *"),
                                  ffi.new("uint32_t *"), ffi.new("void **"))
    def raw_append(v):
        return lib.inet6_opt_append(ffi.from_buffer(v), 16, -10, 5, 20, 1, ffi.new("void **"))
    def raw_add(v):
        return lib.inet6_rth_add(ffi.from_buffer(v), ffi.new("struct in6_addr *"))
    def raw_reverse(v):
        return lib.inet6_rth_reverse(ffi.from_buffer(v), ffi.from_buffer(bytearray(4096)))
    def raw_getaddr(v):
        p = lib.inet6_rth_getaddr(ffi.from_buffer(v), 100)
        return bytes(ffi.buffer(p, 16))  # what a C caller does next
    def raw_set_val(v):
        return lib.inet6_opt_set_val(ffi.from_buffer(v), 2, ffi.from_buffer(b"12345678"), 8)
    def raw_finish(v):
        return lib.inet6_opt_finish(ffi.from_buffer(v), 8, 3)
    def raw_init(v):
        return lib.inet6_rth_init(ffi.from_buffer(v), 2048, 0, 127)

    CASES = {
        "next_overread": (lambda: at_end(bytes([0, 0, 0x1E, 1, 0xAA, 0, 0, 0x1E])), raw_next,
                          lambda v: libc.inet6_opt_next(v, len(v), 7), (-1, 0, 0, None)),
        "find_overread": (lambda: at_end(bytes([0, 0, 0x1E, 1, 0xAA, 0, 0, 0x1E])), None,
                          lambda v: libc.inet6_opt_find(v, len(v), 7, 0x1E), (-1, 0, None)),
        "append_negative_offset": (lambda: at_start(bytes(16)), raw_append,
                                   lambda v: libc.inet6_opt_append(v, 16, -10, 5, 20, 1), (-1, None)),
        "rth_add_segleft_above_capacity": (lambda: at_end(rth0(2, 5, 1)), raw_add,
                                           lambda v: libc.inet6_rth_add(v, "2001:db8::1"), -1),
        "rth_reverse_lying_length": (lambda: at_end(rth0(254, 0, 1)), raw_reverse,
                                     lambda v: libc.inet6_rth_reverse(v, bytearray(4096)), -1),
        "rth_getaddr_lying_length": (lambda: at_end(rth0(254, 0, 1)), raw_getaddr,
                                     lambda v: libc.inet6_rth_getaddr(v, 100), None),
        "rth_segments_lying_length": (lambda: at_end(rth0(254, 0, 1)), None,
                                      lambda v: libc.inet6_rth_segments(v), -1),
        "set_val_past_databuf": (lambda: at_end(bytes(4)), raw_set_val,
                                 lambda v: libc.inet6_opt_set_val(v, 2, b"12345678"), -1),
        "finish_lying_extlen": (lambda: at_end(bytes(3)), raw_finish,
                                lambda v: libc.inet6_opt_finish(v, 8, 3), -1),
        "rth_init_lying_bp_len": (lambda: at_end(bytes(24)), raw_init,
                                  lambda v: libc.inet6_rth_init(v, 2048, 0, 127), None),
    }

    mode = sys.argv[1]
    if mode == "raw":
        make, raw, _guarded, _err = CASES[sys.argv[2]]
        raw(make())
        print("raw call survived")
        sys.exit(0)

    for name, (make, _raw, guarded, err) in CASES.items():
        got = guarded(make())
        if got != err:
            print(f"{name}: {got!r} != {err!r}")
            sys.exit(4)

    # random hostile calls, every buffer flush against an unreadable page
    rng = random.Random(int(sys.argv[2]))
    INTS = [-(2 ** 31), -10, -1, 0, 1, 2, 3, 7, 8, 9, 16, 24, 127, 128, 255, 256, 2048, 2 ** 31 - 1]

    def placed():
        n = rng.choice([0, 1, 2, 3, 7, 8, 9, 16, 24, 40, 56])
        data = bytes(rng.choice([0, 1, 2, 4, 0x1E, 254, 255, rng.randrange(256)]) for _ in range(n))
        return at_end(data) if rng.randrange(2) else at_start(data)

    for m in (libc, pure):
        for _ in range(int(sys.argv[3])):
            v = placed()
            n = len(v)
            extlen = rng.choice([n, n, n + 1, n + 8, 0, rng.choice(INTS)])
            off = rng.choice([0, 2, n - 1, n, rng.choice(INTS)])
            m.inet6_opt_init(v, extlen)
            m.inet6_opt_append(v, extlen, off, rng.choice(INTS), rng.choice(INTS), rng.choice([1, 2, 4, 8]))
            m.inet6_opt_finish(v, extlen, off)
            m.inet6_opt_next(v, extlen, off)
            m.inet6_opt_find(v, extlen, off, rng.choice([0, 1, 2, 0x1E, 255]))
            m.inet6_opt_set_val(v, rng.choice(INTS), bytes(rng.randrange(12)))
            m.inet6_opt_get_val(v, rng.choice(INTS), rng.randrange(12))
            m.inet6_rth_init(v, rng.choice([n, n + 8, 2048]), rng.choice([0, 2]), rng.choice([0, 1, 3, 127]))
            w = placed()
            m.inet6_rth_add(w, "2001:db8::1")
            m.inet6_rth_segments(w)
            m.inet6_rth_getaddr(w, rng.choice(INTS))
            m.inet6_rth_reverse(w, placed())
            m.inet6_rth_reverse(w, w)
    print("ok")
''')

RAW_CASES = ["next_overread", "append_negative_offset", "rth_add_segleft_above_capacity",
             "rth_reverse_lying_length", "rth_getaddr_lying_length", "set_val_past_databuf",
             "finish_lying_extlen", "rth_init_lying_bp_len"]


def run_child(*args):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONFAULTHANDLER="")
    return subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True,
                          timeout=120, preexec_fn=_no_core_dump)


def _no_core_dump():
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@pytest.mark.skipif(not GLIBC, reason="the raw calls reproduce glibc's bugs (platform_abi.md section 6)")
@pytest.mark.parametrize("case", RAW_CASES)
def test_raw_glibc_call_faults_against_the_unreadable_page(case):
    """The trap works: raw glibc with the triggering input touches the unreadable page and dies."""
    proc = run_child("raw", case)
    assert proc.returncode == -signal.SIGSEGV, (proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.skipif(not hasattr(libc, "inet6_opt_init") or not hasattr(libc, "inet6_rth_add"),
                    reason="this libc has no inet6_opt_* / inet6_rth_*")
def test_guarded_wrappers_never_touch_the_unreadable_page():
    """Same inputs through the wrappers: C error values; then 4000 random hostile calls: exit 0."""
    proc = run_child("guarded", "4584", "2000")
    assert (proc.returncode, proc.stdout.strip()) == (0, "ok"), proc.stderr
