"""RFC 3542 functions with buffers larger than C's ``int`` / ``socklen_t`` can describe.

Lazily reserved anonymous ``mmap`` buffers of 2**31 + 64 and 2**32 + 64
bytes (private mappings: pages never written read as the shared zero page,
so nothing is allocated) reach offsets and lengths that do not fit the C
parameters.  Both backends must return the C error value (-1 / None), not
raise cffi's ``OverflowError``, and agree with each other.  A scan across
``INT_MAX`` must not reach libc at all: glibc keeps the offset in an ``int``
and reads 2 GiB before the buffer once it wraps (the subprocess test shows
the crash that guard prevents).
"""

from __future__ import annotations

import mmap
import os
import subprocess
import sys
import textwrap

import pytest

from sockapi6.rfc3542 import libc, pure

INT_MAX = 2 ** 31 - 1
UINT32_MAX = 2 ** 32 - 1
BIG = 2 ** 31 + 64      # offsets past INT_MAX, extlen fits socklen_t
HUGE = 2 ** 32 + 64     # extlen past socklen_t

BACKENDS = [pure] + ([libc] if hasattr(libc, "inet6_opt_next") else [])
IDS = [b.__name__.rsplit(".", 1)[-1] for b in BACKENDS]
needs_libc = pytest.mark.skipif(not hasattr(libc, "inet6_opt_next"), reason="this libc has no inet6_opt_*")


def _reserve(size: int) -> mmap.mmap:
    try:
        return mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE)
    except (OSError, OverflowError, ValueError) as exc:  # 32-bit address space, strict overcommit
        pytest.skip(f"cannot reserve {size} bytes of address space: {exc}")


@pytest.fixture(scope="module")
def big() -> mmap.mmap:
    m = _reserve(BIG)
    # an option (type 0x1e, 4 data bytes) just past INT_MAX + 1: found by a scan libc can not express
    m[2 ** 31:2 ** 31 + 6] = b"\x1e\x04abcd"
    m[INT_MAX - 4:INT_MAX] = b"wxyz"
    yield m
    _close(m)


@pytest.fixture(scope="module")
def huge() -> mmap.mmap:
    m = _reserve(HUGE)
    yield m
    _close(m)


def _close(m: mmap.mmap) -> None:
    try:
        m.close()
    except BufferError:  # a view a backend returned is still alive; the mapping goes with the process
        pass


@pytest.mark.parametrize("impl", BACKENDS, ids=IDS)
def test_next_find_offset_beyond_int(impl, big):
    assert impl.inet6_opt_next(big, BIG, 2 ** 31) == (-1, 0, 0, None)
    assert impl.inet6_opt_find(big, BIG, 2 ** 31, 0x1e) == (-1, 0, None)


@pytest.mark.parametrize("impl", BACKENDS, ids=IDS)
def test_next_find_extlen_beyond_socklen(impl, huge):
    assert impl.inet6_opt_next(huge, HUGE, HUGE - 8) == (-1, 0, 0, None)
    assert impl.inet6_opt_find(huge, HUGE, HUGE - 8, 0x1e) == (-1, 0, None)
    assert impl.inet6_opt_next(huge, UINT32_MAX + 1, 2) == (-1, 0, 0, None)


@pytest.mark.parametrize("impl", BACKENDS, ids=IDS)
def test_scan_stops_at_int_max(impl, big):
    # Pad1 bytes from INT_MAX - 2 run across INT_MAX: an option ending above it is never returned
    assert impl.inet6_opt_next(big, BIG, INT_MAX - 2) == (-1, 0, 0, None)
    assert impl.inet6_opt_find(big, BIG, INT_MAX - 2, 0x1e) == (-1, 0, None)


@pytest.mark.parametrize("impl", BACKENDS, ids=IDS)
def test_get_set_val_end_must_fit_int(impl, big):
    assert impl.inet6_opt_get_val(big, 2 ** 31, 4) == (-1, b"")
    assert impl.inet6_opt_get_val(big, INT_MAX - 3, 4) == (-1, b"")
    assert impl.inet6_opt_get_val(big, INT_MAX - 4, 4) == (INT_MAX, b"wxyz")
    assert impl.inet6_opt_set_val(big, 2 ** 31, b"1234") == -1
    assert impl.inet6_opt_set_val(big, INT_MAX - 3, b"1234") == -1
    assert impl.inet6_opt_set_val(big, INT_MAX - 4, b"wxyz") == INT_MAX
    assert big[2 ** 31:2 ** 31 + 6] == b"\x1e\x04abcd"


@pytest.mark.parametrize("impl", BACKENDS, ids=IDS)
def test_lengths_beyond_socklen(impl, huge):
    assert impl.inet6_opt_init(huge, UINT32_MAX + 8) == -1
    assert impl.inet6_rth_init(huge, UINT32_MAX + 8, 0, 1) is None
    assert huge[:8] == bytes(8)  # nothing written


@needs_libc
def test_backends_agree_below_the_limits(big):
    start = INT_MAX - 2 - 256
    assert libc.inet6_opt_next(big, BIG, start) == pure.inet6_opt_next(big, BIG, start)
    for offset in (2 ** 31 - 64, INT_MAX - 1, INT_MAX):
        assert libc.inet6_opt_get_val(big, offset, INT_MAX - offset) == pure.inet6_opt_get_val(
            big, offset, INT_MAX - offset)


@needs_libc
def test_libc_scan_across_int_max_does_not_crash():
    code = textwrap.dedent(f"""
        import mmap
        from sockapi6.rfc3542 import libc
        m = mmap.mmap(-1, {BIG}, flags=mmap.MAP_PRIVATE)
        print(libc.inet6_opt_next(m, {BIG - 1}, {INT_MAX - 1}))
        print(libc.inet6_opt_find(m, {BIG - 1}, {INT_MAX - 1}, 0x1e))
    """)
    import sockapi6

    root = os.path.dirname(os.path.dirname(os.path.abspath(sockapi6.__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, f"rc {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.split("\n")[:2] == ["(-1, 0, 0, None)", "(-1, 0, None)"]
