"""RFC 2292's C functions take no buffer size: proof that the libc wrappers never leave the caller's buffer.

A child process maps three pages, makes the first and the third unreadable
and places each ``cmsghdr`` buffer flush against one of them.  The raw glibc
call with a triggering input (an option appended to a full buffer, a
``cmsg_len`` that claims more than the buffer holds) dies of SIGSEGV there,
so the trap works; the wrapper returns the C error value; then thousands of
random hostile calls of every wrapper, libc and pure, run against the same
pages and the child must exit 0.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap

import pytest

from sockapi6._system import binding as _binding
from sockapi6.rfc2292 import libc, pure

GLIBC = _binding.PLATFORM == "linux_glibc" and hasattr(libc, "inet6_option_init")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = textwrap.dedent(r'''
    import ctypes, mmap, random, sys
    from sockapi6._system.binding import ffi, lib
    from sockapi6.rfc2292 import libc, pure
    from sockapi6.rfc2292._cmsg import HDR, write_header

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
    DST = lib.IPV6_DSTOPTS
    X = bytes([0x3E, 12]) + bytes(12)

    def at_end(data):
        view = whole[2 * PAGE - len(data):2 * PAGE]
        view[:] = data
        return view

    def at_start(data):
        view = whole[PAGE:PAGE + len(data)]
        view[:] = data
        return view

    def full():
        """An options object that fills its buffer: nothing more fits."""
        v = at_end(bytes(HDR + 8))
        write_header(v, HDR + 8, 41, DST)
        v[HDR + 1] = 0
        v[HDR + 2:HDR + 8] = bytes([1, 4, 0, 0, 0, 0])
        return v

    def lying():
        """cmsg_len and the header's length byte claim 2048 octets in a 24-octet buffer of PadN options."""
        v = at_end(bytes(HDR + 24))
        write_header(v, HDR + 2048, 41, DST)
        v[HDR + 1] = 255
        for at in range(HDR + 2, HDR + 24, 2):
            v[at:at + 2] = bytes([1, 0])
        return v

    def raw_append(v):
        return lib.inet6_option_append(ffi.from_buffer("struct cmsghdr *", v), ffi.from_buffer(X), 8, 2)
    def raw_alloc(v):
        return lib.inet6_option_alloc(ffi.from_buffer("struct cmsghdr *", v), 64, 8, 2)
    def raw_find(v):
        return lib.inet6_option_find(ffi.from_buffer("struct cmsghdr *", v), ffi.new("uint8_t **"), 77)

    CASES = {
        "append_past_the_buffer": (full, raw_append, lambda v: libc.inet6_option_append(v, X, 8, 2), -1),
        "alloc_past_the_buffer": (full, raw_alloc, lambda v: libc.inet6_option_alloc(v, 64, 8, 2), None),
        "find_lying_cmsg_len": (lying, raw_find, lambda v: libc.inet6_option_find(v, None, 77)[0], -1),
        "next_lying_cmsg_len": (lying, None, lambda v: libc.inet6_option_next(v, None)[0], -1),
    }

    mode = sys.argv[1]
    if mode == "raw":
        make, raw, _guarded, _err = CASES[sys.argv[2]]
        raw(make())
        print("raw call survived")
        sys.exit(0)

    for name, (make, _raw, guarded, err) in CASES.items():
        v = make()
        before = bytes(v)
        got = guarded(v)
        if got != err or bytes(v) != before:
            print(f"{name}: {got!r} != {err!r} or the buffer changed")
            sys.exit(4)

    rng = random.Random(int(sys.argv[2]))
    INTS = [-(2 ** 31), -10, -1, 0, 1, 2, 3, 4, 7, 8, 9, 16, 24, 255, 256, 2048, 2 ** 31 - 1]

    def placed():
        n = rng.choice([0, 1, 8, HDR - 1, HDR, HDR + 2, HDR + 8, HDR + 16, HDR + 40, HDR + 64])
        data = bytearray(rng.choice([0, 1, 2, 0x1E, 255, rng.randrange(256)]) for _ in range(n))
        if n >= HDR and rng.randrange(3):
            claimed = rng.choice([HDR, HDR + 8, n, n + 8, HDR + 2048, rng.choice(INTS) & 0xFFFF])
            write_header(memoryview(data), claimed, 41,
                         rng.choice([DST, lib.IPV6_HOPOPTS, 57, rng.choice(INTS)]))
        return at_end(data) if rng.randrange(2) else at_start(data)

    for m in (libc, pure):
        for _ in range(int(sys.argv[3])):
            v = placed()
            m.inet6_option_init(v, rng.choice([DST, lib.IPV6_HOPOPTS, rng.choice(INTS)]))
            option = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 20)))
            m.inet6_option_append(v, option, rng.choice([1, 2, 4, 8, rng.choice(INTS)]), rng.choice(INTS))
            m.inet6_option_alloc(v, rng.choice(INTS), rng.choice([1, 2, 4, 8]), rng.randrange(8))
            tptr = rng.choice([None, None, rng.choice(INTS), rng.randrange(len(v) + 3)])
            m.inet6_option_next(v, tptr)
            m.inet6_option_find(v, tptr, rng.choice([0, 1, 0x1E, 77]))
            w = placed()
            pure.inet6_rthdr_init(w, rng.choice([0, 2]))
            pure.inet6_rthdr_add(w, "2001:db8::1", 0)
            pure.inet6_rthdr_segments(w)
            pure.inet6_rthdr_getaddr(w, rng.choice(INTS))
            pure.inet6_rthdr_getflags(w, rng.choice(INTS))
            pure.inet6_rthdr_reverse(w, placed())
            pure.inet6_rthdr_reverse(w, w)
    print("ok")
''')

RAW_CASES = ["append_past_the_buffer", "alloc_past_the_buffer", "find_lying_cmsg_len"]


def _no_core_dump() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_child(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONFAULTHANDLER="")
    return subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True,
                          timeout=300, preexec_fn=_no_core_dump)


@pytest.mark.skipif(not GLIBC, reason="the raw calls are glibc's inet6_option_*")
@pytest.mark.parametrize("case", RAW_CASES)
def test_raw_glibc_call_faults_against_the_unreadable_page(case: str) -> None:
    proc = run_child("raw", case)
    assert proc.returncode == -signal.SIGSEGV, (proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.skipif(not hasattr(libc, "inet6_option_init"), reason="this libc has no inet6_option_*")
def test_guarded_wrappers_never_touch_the_unreadable_page() -> None:
    proc = run_child("guarded", "2292", "2000")
    assert (proc.returncode, proc.stdout.strip()) == (0, "ok"), proc.stderr


def test_pure_answers_hostile_calls_with_c_error_values() -> None:
    rng = random.Random(2292)
    for _ in range(2000):
        buf = bytearray(rng.randbytes(rng.choice([0, 8, 16, 24, 40, 64])))
        assert pure.inet6_option_init(buf, rng.choice([59, 54, -1, 3]))[0] in (0, -1)
        assert pure.inet6_option_append(buf, rng.randbytes(rng.randrange(6)), rng.choice([1, 3, 8]),
                                        rng.randrange(-1, 9)) in (0, -1)
        view = pure.inet6_option_alloc(buf, rng.randrange(-2, 40), 4, 2)
        assert view is None or view.obj is buf
        rc, tptr = pure.inet6_option_next(buf, rng.choice([None, rng.randrange(-2, 70)]))
        assert rc in (0, -1) and (tptr is None or isinstance(tptr, int))
        assert pure.inet6_rthdr_segments(buf) >= -1
