"""The thin binding: ffi/lib for the running OS, constants at top level, the backend switch."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import sockapi6
from sockapi6._system import binding as _binding


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ)
    full.pop("SOCKAPI6_BACKEND", None)
    full.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=60)


def test_every_declared_constant_is_a_top_level_attribute_and_on_lib() -> None:
    assert _binding.CONSTANTS, "no constants declared"
    for name, value in _binding.CONSTANTS.items():
        assert getattr(sockapi6, name) == value, name
        assert getattr(sockapi6.lib, name) == value, name
        assert name in sockapi6.__all__


def test_constants_agree_with_the_standard_library_where_it_has_them() -> None:
    import socket

    checked = 0
    for name, value in _binding.CONSTANTS.items():
        if hasattr(socket, name):
            assert getattr(socket, name) == value, name
            checked += 1
    assert checked > 20


def test_constant_absent_on_this_os_is_absent() -> None:
    absent = {"linux_glibc": "IPV6_USE_MIN_MTU", "linux_musl": "IPV6_USE_MIN_MTU"}.get(_binding.PLATFORM)
    if absent is None:
        pytest.skip(f"no known-absent constant listed for {_binding.PLATFORM}")
    assert not hasattr(sockapi6, absent)
    assert not hasattr(sockapi6.lib, absent)


def test_rfc_fixed_numbers_exist_everywhere() -> None:
    # design rule 6: IANA/RFC numbers are present on every OS
    for platform in _binding.PLATFORMS:
        try:
            mod = _binding.abi_module(platform)
        except ModuleNotFoundError:
            continue
        assert mod.CONSTANTS["IPPROTO_MH"] == 135, platform
        assert mod.CONSTANTS["IPV6_RTHDR_TYPE_2"] == 2, platform


def test_ffi_knows_structs_by_c_name() -> None:
    ffi = sockapi6.ffi
    assert ffi.sizeof("struct in6_addr") == 16
    assert ffi.sizeof("struct sockaddr_in6") == 28
    assert ffi.offsetof("struct sockaddr_in6", "sin6_scope_id") == 24
    assert ffi.sizeof("struct in6_pktinfo") == 20
    assert ffi.sizeof("struct ip6_hdr") == 40
    assert ffi.offsetof("struct ip6_hdr", "ip6_nxt") == 6
    assert ffi.offsetof("struct ip6_hdr", "ip6_dst") == 24
    # both spellings of the type-0 routing header's reserved field (RFC 3542 2.2.3 / glibc)
    assert ffi.offsetof("struct ip6_rthdr0", "ip6r0_reserved32") == 4
    assert ffi.offsetof("struct ip6_rthdr0", "ip6r0_slmap") == 5
    hdr = ffi.new("struct ip6_hdr *")
    hdr.ip6_ctlun.ip6_un1.ip6_un1_nxt = 17
    assert hdr.ip6_nxt == 17


def test_libc_functions_present_or_absent_by_hasattr() -> None:
    present = [name for name in _binding.FUNCTIONS if _binding.has_function(name)]
    assert "getsockopt" in present and "if_nametoindex" in present
    # platform_abi.md section 5: glibc has the RFC 3542 functions, musl has none
    expected = {"linux_glibc": True, "linux_musl": False, "windows": False}.get(_binding.PLATFORM)
    if expected is not None:
        assert _binding.has_function("inet6_opt_init") is expected
        assert _binding.has_function("inet6_rth_space") is expected
    assert not hasattr(sockapi6.lib, "no_such_function_in_any_libc")


def test_libc_call_through_lib_works() -> None:
    assert sockapi6.lib.if_nametoindex(b"lo") >= 1


@pytest.mark.parametrize(("setting", "expected"), [("", "libc"), ("auto", "libc"), ("libc", "libc"),
                                                   ("python", "python"), ("PYTHON", "python")])
def test_backend_selected_by_environment(setting: str, expected: str) -> None:
    result = _run("import sockapi6; print(sockapi6.backend())", SOCKAPI6_BACKEND=setting)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_bad_backend_setting_fails_clearly() -> None:
    result = _run("import sockapi6", SOCKAPI6_BACKEND="fortran")
    assert result.returncode != 0
    assert "SOCKAPI6_BACKEND='fortran' is not one of auto, libc, python" in result.stderr


def test_abi_module_rejects_unknown_platform() -> None:
    with pytest.raises(ValueError, match="unknown platform 'plan9'"):
        _binding.abi_module("plan9")


def test_errors_hierarchy() -> None:
    from sockapi6.errors import Error, MalformedError, NotSupportedError

    exc = NotSupportedError("IPV6_NEXTHOP", reason="the kernel refused it")
    assert isinstance(exc, OSError) and isinstance(exc, Error)
    assert exc.errno == 92 or exc.errno > 0
    assert "IPV6_NEXTHOP is not supported on linux" in str(exc) or _binding.PLATFORM[:5] != "linux"
    bad = MalformedError("length byte says 24, buffer has 8", offset=1)
    assert isinstance(bad, ValueError) and bad.offset == 1
    assert str(bad) == "length byte says 24, buffer has 8 (at offset 1)"
