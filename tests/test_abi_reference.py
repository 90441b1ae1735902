"""The declared ABI of every OS against ``tests/data/platform_abi.json``.

That file is a copy of ``shared/reference/platform_abi.json``.

The reference table was produced independently of ``cdefs/`` (glibc, musl and
mingw-w64 numbers compiled and read back; BSD and macOS numbers read from the
kernel headers and cross-checked with golang/sys): wherever it has a value,
``sockapi6.abi.dump`` must give the same one.  Also runs
``python -m sockapi6 abi`` end to end.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from sockapi6.abi import dump, resolve

if TYPE_CHECKING:
    from typing import Any

REPO = pathlib.Path(__file__).resolve().parent.parent
REFERENCE = REPO / "tests" / "data" / "platform_abi.json"

#: reference platform key -> our declarations module
PLATFORMS = {
    "linux": "linux_glibc",
    "darwin": "darwin",
    "freebsd": "freebsd",
    "netbsd": "netbsd",
    "openbsd": "openbsd",
    "windows": "windows",
}

#: reference field spelling -> ours, per (platform, struct)
FIELD_NAMES = {("windows", "in6_addr"): {"u.Byte": "s6_addr"}}

#: macOS declares group_req / group_source_req under #pragma pack(4); cffi's
#: out-of-line ABI modules support packing to 1 only, so the struct alignment
#: reads 1 (sizes and offsets are exact).  (platform, struct) -> our alignment
ALIGN_OF_PACKED = {("darwin", "group_req"): 1, ("darwin", "group_source_req"): 1}


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    if not REFERENCE.is_file():
        pytest.skip(f"reference table not found at {REFERENCE} (CI keeps shared/ beside the clone)")
    data: dict[str, Any] = json.loads(REFERENCE.read_text())
    return data


@pytest.mark.parametrize("ref_name", sorted(PLATFORMS))
def test_constants_match_reference(reference: dict[str, Any], ref_name: str) -> None:
    ours = dump(PLATFORMS[ref_name])["constants"]
    section = reference["platforms"][ref_name]
    expected = dict(section["constants"])
    expected.update(section.get("extra_constants", {}))
    checked = 0
    for name, value in expected.items():
        if not isinstance(value, int):  # null = absent; strings are prose
            continue
        assert name in ours, f"{ref_name}: {name} ({value}) is not declared"
        assert ours[name] == value, f"{ref_name}: {name} is {ours[name]}, reference {value}"
        checked += 1
    assert checked >= 30


@pytest.mark.parametrize("ref_name", sorted(PLATFORMS))
def test_structs_match_reference(reference: dict[str, Any], ref_name: str) -> None:
    ours = dump(PLATFORMS[ref_name])["structs"]
    checked = 0
    for struct, want in reference["platforms"][ref_name]["structs"].items():
        if want is None:
            continue
        assert struct in ours, f"{ref_name}: struct {struct} is not declared"
        got = ours[struct]
        assert got["size"] == want["size"], f"{ref_name}: sizeof(struct {struct})"
        align = ALIGN_OF_PACKED.get((ref_name, struct), want["align"])
        assert got["align"] == align, f"{ref_name}: alignof(struct {struct})"
        rename = FIELD_NAMES.get((ref_name, struct), {})
        for field, offset in want["fields"].items():
            mine = rename.get(field, field)
            assert mine in got["fields"], f"{ref_name}: struct {struct} has no {mine}"
            assert got["fields"][mine] == offset, f"{ref_name}: offsetof(struct {struct}, {mine})"
        checked += 1
    assert checked >= 7


@pytest.mark.parametrize("ref_name", sorted(PLATFORMS))
def test_absent_reference_constants_are_not_declared_by_the_os_file(
        reference: dict[str, Any], ref_name: str) -> None:
    """A null in the reference means the OS lacks the name: only common.h may carry it."""
    common = (REPO / "cdefs" / "common.h").read_text()
    ours = dump(PLATFORMS[ref_name])["constants"]
    for name, value in reference["platforms"][ref_name]["constants"].items():
        if value is None and f"#define {name} " not in common:
            assert name not in ours, f"{ref_name}: {name} is declared, the reference says absent"


def test_packed_darwin_group_structs_have_the_pragma_pack_4_sizes() -> None:
    structs = dump("darwin")["structs"]
    assert structs["group_req"]["size"] == 132
    assert structs["group_req"]["fields"]["gr_group"] == 4
    assert structs["group_source_req"]["size"] == 260
    assert structs["group_source_req"]["fields"]["gsr_source"] == 132


@pytest.mark.parametrize("name", ["darwin", "freebsd", "netbsd", "openbsd"])
def test_bsd_sockaddrs_carry_a_length_byte_and_link_layer_address(name: str) -> None:
    structs = dump(name)["structs"]
    for struct, prefix in (("sockaddr", "sa"), ("sockaddr_in", "sin"), ("sockaddr_in6", "sin6")):
        assert structs[struct]["fields"][prefix + "_len"] == 0
        assert structs[struct]["fields"][prefix + "_family"] == 1
    link = structs["sockaddr_dl"]["fields"]
    assert (link["sdl_index"], link["sdl_type"], link["sdl_nlen"], link["sdl_data"]) == (2, 4, 5, 8)


def test_windows_lacks_getifaddrs_types_but_parses() -> None:
    table = dump("windows")
    assert table["opaque"] == ["if_nameindex", "ifaddrs"]
    assert table["structs"]["cmsghdr"]["size"] == 16
    assert table["constants"]["SO_EXCLUSIVEADDRUSE"] == -5


def test_aliases_and_default() -> None:
    from sockapi6._system import binding as _binding

    assert resolve("macos") == "darwin"
    assert resolve("Linux") == "linux_glibc"
    assert resolve("musl") == "linux_musl"
    assert dump()["platform"] == _binding.PLATFORM
    assert dump("macos") == dump("darwin")
    with pytest.raises(ValueError, match="unknown platform 'plan9'"):
        resolve("plan9")


def _abi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sockapi6", "abi", *args],
                          capture_output=True, text=True, timeout=60, cwd=REPO)


def test_cli_json_for_darwin() -> None:
    result = _abi("--platform", "darwin", "--json")
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    assert table["platform"] == "darwin"
    assert table["constants"]["IPV6_RECVPKTINFO"] == 61
    assert table["structs"]["sockaddr_in6"]["fields"]["sin6_len"] == 0
    assert table["structs"]["in6_addr"]["fields"]["s6_addr"] == 0


def test_cli_text_for_the_running_os() -> None:
    result = _abi()
    assert result.returncode == 0, result.stderr
    assert "IPV6_RECVPKTINFO" in result.stdout
    assert "sin6_scope_id" in result.stdout


def test_cli_unknown_platform_fails_clearly() -> None:
    result = _abi("--platform", "plan9")
    assert result.returncode != 0
    assert "unknown platform 'plan9'" in result.stderr
    assert "darwin" in result.stderr
    assert result.stdout == ""
