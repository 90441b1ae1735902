"""ABI conformance (design correctness rule 1): our declarations against real headers.

``tools/probe.py`` turns the generated ``sockapi6._system._abi.<platform>`` module
into C.  On the running OS the probe is compiled and run (glibc here; macOS
and the BSDs when the suite runs there); ``musl-gcc`` and
``x86_64-w64-mingw32-gcc`` compile ``_Static_assert`` probes.  Every constant,
``sizeof``, ``offsetof``, member size and member signedness is compared, and
every failure message lists every mismatch at once.

Types the system headers lack are wire formats fixed by an RFC: their
layouts are checked here against :data:`RFC_LAYOUTS`, on every platform.
"""

from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import sys

import pytest

from sockapi6._system import binding as _binding
from sockapi6._system import platform as _platform

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _load_probe():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("sockapi6_tools_probe", ROOT / "tools" / "probe.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


probe = _load_probe()
HOST = _binding.PLATFORM
HOST_CC = probe.find_compiler(HOST) if probe.COMPILERS.get(HOST, ("", "run"))[1] == "run" else None
if HOST_CC is None and HOST in ("linux_musl",):
    HOST_CC = probe.find_compiler("linux_glibc")  # musl host: its own cc, run mode
ZIG = probe.zig_available()
#: every supported (family, arch) pair, checked against the headers ziglang ships for it
PAIRS = sorted(_platform.RECORDS)

#: Wire layouts of the types some system headers lack (size, member offsets),
#: from the RFC figures: every field follows the previous one without padding.
RFC_LAYOUTS = {
    "struct ip6_rthdr2": ("RFC 6275 section 6.4.1", 24, {
        "ip6r2_nxt": 0, "ip6r2_len": 1, "ip6r2_type": 2, "ip6r2_segleft": 3,
        "ip6r2_reserved": 4, "ip6r2_homeaddr": 8}),
    "struct ip6_mh": ("RFC 6275 section 6.1.1", 6, {
        "ip6mh_proto": 0, "ip6mh_hdrlen": 1, "ip6mh_type": 2, "ip6mh_reserved": 3,
        "ip6mh_cksum": 4}),
    "struct ip6_mh_binding_request": ("RFC 6275 section 6.1.2", 8, {
        "ip6mhbr_type": 2, "ip6mhbr_cksum": 4, "ip6mhbr_reserved2": 6}),
    "struct ip6_mh_home_test_init": ("RFC 6275 section 6.1.3", 16, {
        "ip6mhhti_cksum": 4, "ip6mhhti_reserved2": 6, "ip6mhhti_cookie": 8}),
    "struct ip6_mh_careof_test_init": ("RFC 6275 section 6.1.4", 16, {
        "ip6mhcti_cksum": 4, "ip6mhcti_reserved2": 6, "ip6mhcti_cookie": 8}),
    "struct ip6_mh_home_test": ("RFC 6275 section 6.1.5", 24, {
        "ip6mhht_nonce_index": 6, "ip6mhht_cookie": 8, "ip6mhht_keygen": 16}),
    "struct ip6_mh_careof_test": ("RFC 6275 section 6.1.6", 24, {
        "ip6mhct_nonce_index": 6, "ip6mhct_cookie": 8, "ip6mhct_keygen": 16}),
    "struct ip6_mh_binding_update": ("RFC 6275 section 6.1.7", 12, {
        "ip6mhbu_seqno": 6, "ip6mhbu_flags": 8, "ip6mhbu_lifetime": 10}),
    "struct ip6_mh_binding_ack": ("RFC 6275 section 6.1.8", 12, {
        "ip6mhba_status": 6, "ip6mhba_flags": 7, "ip6mhba_seqno": 8, "ip6mhba_lifetime": 10}),
    "struct ip6_mh_binding_error": ("RFC 6275 section 6.1.9", 24, {
        "ip6mhbe_status": 6, "ip6mhbe_reserved2": 7, "ip6mhbe_homeaddr": 8}),
    "struct ip6_mh_opt": ("RFC 6275 section 6.2.1", 2, {
        "ip6mhopt_type": 0, "ip6mhopt_len": 1}),
    "struct ip6_mh_opt_refresh_advice": ("RFC 6275 section 6.2.4", 4, {
        "ip6mora_type": 0, "ip6mora_len": 1, "ip6mora_interval": 2}),
    "struct ip6_mh_opt_altcoa": ("RFC 6275 section 6.2.5", 18, {
        "ip6moa_type": 0, "ip6moa_len": 1, "ip6moa_addr": 2}),
    "struct ip6_mh_opt_nonce_index": ("RFC 6275 section 6.2.6", 6, {
        "ip6moni_type": 0, "ip6moni_len": 1, "ip6moni_home_nonce": 2, "ip6moni_coa_nonce": 4}),
    "struct ip6_mh_opt_auth_data": ("RFC 6275 section 6.2.7 (96-bit authenticator)", 14, {
        "ip6moad_type": 0, "ip6moad_len": 1, "ip6moad_data": 2}),
    "struct ip6_opt_home_address": ("RFC 6275 section 6.3", 18, {
        "ip6oha_type": 0, "ip6oha_len": 1, "ip6oha_addr": 2}),
    "struct mip6_dhaad_req": ("RFC 6275 section 6.5", 8, {
        "mip6_dhreq_type": 0, "mip6_dhreq_cksum": 2, "mip6_dhreq_id": 4,
        "mip6_dhreq_reserved": 6}),
    "struct mip6_dhaad_rep": ("RFC 6275 section 6.6", 8, {
        "mip6_dhrep_type": 0, "mip6_dhrep_cksum": 2, "mip6_dhrep_id": 4,
        "mip6_dhrep_reserved": 6}),
    "struct mip6_prefix_solicit": ("RFC 6275 section 6.7", 8, {
        "mip6_ps_type": 0, "mip6_ps_cksum": 2, "mip6_ps_id": 4, "mip6_ps_reserved": 6}),
    "struct mip6_prefix_advert": ("RFC 6275 section 6.8", 8, {
        "mip6_pa_type": 0, "mip6_pa_cksum": 2, "mip6_pa_id": 4, "mip6_pa_flags_reserved": 6}),
    "struct nd_opt_homeagent_info": ("RFC 6275 section 7.4", 8, {
        "nd_opt_hai_type": 0, "nd_opt_hai_len": 1, "nd_opt_hai_reserved": 2,
        "nd_opt_hai_preference": 4, "nd_opt_hai_lifetime": 6}),
    "struct nd_opt_adv_interval": ("RFC 6275 section 7.3", 8, {
        "nd_opt_ai_type": 0, "nd_opt_ai_len": 1, "nd_opt_ai_reserved": 2, "nd_opt_ai_interval": 4}),
    "struct nd_opt_home_agent_info": ("RFC 6275 section 7.4", 8, {
        "nd_opt_hai_type": 0, "nd_opt_hai_len": 1, "nd_opt_hai_reserved": 2,
        "nd_opt_hai_preference": 4, "nd_opt_hai_lifetime": 6}),
    "struct mldv2_query": ("RFC 3810 section 5.1", 28, {
        "mld_type": 0, "mld_code": 1, "mld_cksum": 2, "mld_maxdelay": 4, "mld_reserved": 6,
        "mld_addr": 8, "mld_misc": 24, "mld_qqi": 25, "mld_numsrc": 26}),
    "struct mldv2_report": ("RFC 3810 section 5.2", 8, {
        "mld_type": 0, "mld_code": 1, "mld_cksum": 2, "mld_v2_reserved": 4,
        "mld_v2_numrecs": 6}),
    "struct mldv2_record": ("RFC 3810 section 5.2.4", 20, {
        "mr_type": 0, "mr_datalen": 1, "mr_numsrc": 2, "mr_addr": 4}),
    "struct nd_opt_route_info": ("RFC 4191 section 2.3", 8, {
        "nd_opt_rti_type": 0, "nd_opt_rti_len": 1, "nd_opt_rti_prefixlen": 2,
        "nd_opt_rti_flags": 3, "nd_opt_rti_lifetime": 4}),
    "struct nd_opt_rdnss": ("RFC 8106 section 5.1", 8, {
        "nd_opt_rdnss_type": 0, "nd_opt_rdnss_len": 1, "nd_opt_rdnss_reserved": 2,
        "nd_opt_rdnss_lifetime": 4}),
    "struct nd_opt_dnssl": ("RFC 8106 section 5.2", 8, {
        "nd_opt_dnssl_type": 0, "nd_opt_dnssl_len": 1, "nd_opt_dnssl_reserved": 2,
        "nd_opt_dnssl_lifetime": 4}),
}


def _modules():  # type: ignore[no-untyped-def]
    """Yield (platform, module) for every generated declarations module present."""
    for platform in _binding.PLATFORMS:
        if (ROOT / "sockapi6" / "_abi" / f"{platform}.py").exists():
            yield platform, _binding.abi_module(platform)


def _assert_clean(report) -> None:  # type: ignore[no-untyped-def]
    assert not report.mismatches, (
        f"{len(report.mismatches)} ABI mismatches for {report.platform} "
        f"({report.compiler}):\n  " + "\n  ".join(report.mismatches) + "\n" + report.summary()
    )
    counts = report.counts
    assert counts["constants"] > 50 and counts["sizes"] > 10 and counts["offsets"] > 30, (
        "the probe verified almost nothing: " + report.summary()
    )


@pytest.mark.skipif(HOST_CC is None, reason=f"no C compiler for the host platform {HOST}")
def test_host_headers_run_probe() -> None:
    """Compile and run the probe against this OS's headers: every fact matches."""
    _assert_clean(probe.verify(HOST, HOST_CC, "run"))


@pytest.mark.skipif(not ZIG, reason="the ziglang package is not installed (tox -e abi installs it)")
@pytest.mark.parametrize(("family", "arch"), PAIRS, ids=[f"{f}-{a}" for f, a in PAIRS])
def test_pair_headers_assert_probe(family: str, arch: str) -> None:
    """The real headers of every supported (OS, arch) accept every _Static_assert of its declarations."""
    report = probe.verify(family, probe.zig_command(family, arch), "assert", arch=arch)
    _assert_clean(report)
    print(f"{family}/{arch}: {report.total()} values checked")


@pytest.mark.skipif(not ZIG, reason="the ziglang package is not installed (tox -e abi installs it)")
def test_zig_probe_catches_a_wrong_arch_number() -> None:
    """The x86 numbers on Linux MIPS (the old bug) and a wrong CMSG alignment fail the probe."""
    items = probe.checks("linux_musl", "mips")
    wrong = {"SOL_SOCKET": 1, "SOCK_DGRAM": 2, "SO_BROADCAST": 6, "record CMSG_LEN(0)": 16}
    for c in items:
        if c.key in wrong:
            c.value = wrong[c.key]
    report = probe.verify("linux_musl", probe.zig_command("linux_musl", "mips"), "assert",
                          arch="mips", items=items)
    assert sorted(m.split(":")[0] for m in report.mismatches) == sorted(wrong), report.mismatches


@pytest.mark.skipif(HOST_CC is None, reason=f"no C compiler for the host platform {HOST}")
@pytest.mark.parametrize("mode", ["run", "assert"])
def test_probe_reports_every_kind_of_mismatch(mode: str) -> None:
    """Wrong values, a missing header constant and an undeclared one are all reported at once."""
    items = probe.checks(HOST)
    wrong = {}
    for kind in ("constant", "sizeof", "offsetof", "fieldsize", "signed"):
        item = next(c for c in items if c.kind == kind and c.origin != "?" and c.key != "AF_INET"
                    and c.value is not None
                    and c.key not in probe.ABSENT.get(HOST, {}))
        item.value = 1 - item.value if kind == "signed" else item.value + 3
        wrong[item.key] = item
    items.append(probe.Check("SOCKAPI6_NO_SUCH_OPTION", "constant", "SOCKAPI6_NO_SUCH_OPTION",
                             7, "linux.h"))
    items.append(probe.Check("AF_INET", "reference", "AF_INET", None, "reference"))
    items = [c for c in items if not (c.kind == "constant" and c.key == "AF_INET")]
    report = probe.verify(HOST, HOST_CC, mode, items=items)
    text = "\n".join(report.mismatches)
    for key in wrong:
        assert any(m.startswith(key + ":") for m in report.mismatches), (key, text)
    assert "SOCKAPI6_NO_SUCH_OPTION: absent from the headers" in text
    assert "AF_INET: the headers define it" in text
    assert len(report.mismatches) == len(wrong) + 2, text


def test_absent_lists_name_declared_things_with_reasons() -> None:
    """Every ABSENT / NOT_DECLARED / FIELD_NAMES entry has a reason and names a declaration."""
    problems = []
    declared = {platform: (set(mod.CONSTANTS) | set(mod.TYPES)) for platform, mod in _modules()}
    for platform, entries in probe.ABSENT.items():
        for name, reason in entries.items():
            if len(reason) < 20:
                problems.append(f"ABSENT[{platform}][{name}]: no real reason given")
            if platform in declared and name not in declared[platform]:
                problems.append(f"ABSENT[{platform}][{name}]: we do not declare it (stale entry)")
    for platform, entries in probe.NOT_DECLARED.items():
        for name, reason in entries.items():
            if len(reason) < 20:
                problems.append(f"NOT_DECLARED[{platform}][{name}]: no real reason given")
    for platform, rules in probe.FIELD_NAMES.items():
        for key, (_member, _kinds, reason) in rules.items():
            if len(reason) < 20:
                problems.append(f"FIELD_NAMES[{platform}][{key}]: no real reason given")
    assert not problems, "\n".join(problems)


def test_absent_wire_formats_have_an_rfc_layout() -> None:
    """A common.h type some libc lacks is checked against RFC_LAYOUTS instead."""
    common = probe.origins("linux_glibc")
    missing = sorted({name for entries in probe.ABSENT.values() for name in entries
                      if name.startswith(("struct ", "union ")) and common.get(name) == "common.h"
                      and name not in RFC_LAYOUTS})
    assert not missing, "add these to RFC_LAYOUTS with the RFC section: " + ", ".join(missing)


def test_rfc_layouts_on_every_platform() -> None:
    """Every platform's declaration of an RFC wire format has the RFC's size and offsets."""
    problems = []
    for platform, mod in _modules():
        ffi = mod.ffi
        for name, (cite, size, offsets) in RFC_LAYOUTS.items():
            if name not in mod.TYPES:
                problems.append(f"{platform}: {name} ({cite}) is not declared")
                continue
            if ffi.sizeof(name) != size:
                problems.append(f"{platform}: sizeof {name} is {ffi.sizeof(name)}, {cite} says {size}")
            for field, offset in offsets.items():
                got = ffi.offsetof(name, field)
                if got != offset:
                    problems.append(f"{platform}: {name}.{field} at {got}, {cite} says {offset}")
    assert not problems, "\n".join(problems)


def test_common_wire_formats_identical_on_every_platform() -> None:
    """common.h types have the same size and offsets on every OS (design rule 7)."""
    where = probe.origins("linux_glibc")
    base = _binding.abi_module("linux_glibc")
    problems = []
    for name in base.TYPES:
        if where.get(name) != "common.h":
            continue
        layout = [(path, off, size)
                  for path, off, size, _open in probe._walk(base.ffi, base.ffi.typeof(name), "", 0)]
        for platform, mod in _modules():
            if name not in mod.TYPES:
                problems.append(f"{platform}: {name} is not declared")
                continue
            other = [(p, o, s) for p, o, s, _open in probe._walk(mod.ffi, mod.ffi.typeof(name), "", 0)]
            if mod.ffi.sizeof(name) != base.ffi.sizeof(name) or other != layout:
                problems.append(f"{platform}: {name} differs from linux_glibc "
                                f"({mod.ffi.sizeof(name)} vs {base.ffi.sizeof(name)} bytes)")
    assert not problems, "\n".join(problems)


def test_generated_modules_are_fresh() -> None:
    """sockapi6/_system/_abi/ matches cdefs/: ``python tools/gen_abi.py --check`` exits 0."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_abi.py"), "--check"],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr + result.stdout


def test_numbers_module_is_common_h_without_cffi() -> None:
    """sockapi6._numbers: every common.h number, equal to every platform's declaration; it imports nothing."""
    from sockapi6 import _numbers

    where = probe.origins("linux_glibc")
    common = {name for name, origin in where.items() if origin == "common.h" and name.isupper()}
    numbers = {name: value for name, value in vars(_numbers).items() if name.isupper()}
    assert set(numbers) == common & set(_binding.abi_module("linux_glibc").CONSTANTS)
    for _platform_name, mod in _modules():
        for name, value in numbers.items():
            assert mod.CONSTANTS[name] == value, (_platform_name, name)
    import ast

    tree = ast.parse(pathlib.Path(_numbers.__file__).read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert _numbers.IPPROTO_ICMPV6 == 58
