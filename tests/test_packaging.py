"""The wheel: pure Python, carries every platform's declarations, installs and imports in a fresh venv.

Slow (builds a wheel, makes a venv, installs cffi into it), so it runs in tox's
``pkg`` environment (SOCKAPI6_PKG_TEST=1) and is skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import venv
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(os.environ.get("SOCKAPI6_PKG_TEST") != "1",
                                reason="packaging test runs in tox -e pkg (set SOCKAPI6_PKG_TEST=1)")

PLATFORMS = ("linux_glibc", "linux_musl", "darwin", "freebsd", "netbsd", "openbsd", "windows")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (path,) = out.glob("sockapi6-*.whl")
    return path


@pytest.fixture(scope="module")
def fresh_python(wheel: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True, clear=True)
    python = str(env_dir / ("Scripts" if os.name == "nt" else "bin") / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600)
    return python


def test_wheel_is_pure_python_and_carries_the_declarations(wheel: pathlib.Path) -> None:
    assert wheel.name.endswith("-py3-none-any.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for platform in PLATFORMS:
        assert f"sockapi6/_system/_abi/{platform}.py" in names, platform
    for header in ("common.h", "functions.h", "linux.h", "darwin.h", "freebsd.h", "netbsd.h",
                   "openbsd.h", "windows.h"):
        assert f"sockapi6/_cdefs/{header}" in names, header
    assert "sockapi6/py.typed" in names
    assert not any(n.endswith((".so", ".pyd", ".c")) for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Requires-Dist: cffi" in text


def test_installed_wheel_imports_and_works(fresh_python: str) -> None:
    code = ("import sockapi6, sys; print(sockapi6.__file__); print(sockapi6.IPV6_RECVPKTINFO);"
            "print(sockapi6.lib.if_nametoindex(b'lo'))")
    out = subprocess.run([fresh_python, "-c", code], check=True, capture_output=True, text=True,
                         cwd="/", timeout=60).stdout.split()
    assert "site-packages" in out[0], "imported the source tree instead of the installed wheel"
    assert int(out[1]) > 0 and int(out[2]) >= 1


@pytest.mark.parametrize("platform", ["linux", "darwin", "freebsd", "netbsd", "openbsd", "windows"])
def test_installed_wheel_dumps_every_platform(fresh_python: str, platform: str) -> None:
    out = subprocess.run([fresh_python, "-m", "sockapi6", "abi", "--platform", platform, "--json"],
                         check=True, capture_output=True, text=True, cwd="/", timeout=60).stdout
    dump = json.loads(out)
    assert dump["constants"]["IPPROTO_IPV6"] == 41
    assert dump["structs"]["sockaddr_in6"]["size"] == 28


def test_installed_wheel_runs_info(fresh_python: str) -> None:
    result = subprocess.run([fresh_python, "-m", "sockapi6", "info"], capture_output=True, text=True,
                            cwd="/", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "IPV6_RECVPKTINFO" in result.stdout


def test_installed_wheel_runs_the_demo(fresh_python: str) -> None:
    # the README's main command, on a fresh install (issue: "demo works on a fresh install")
    result = subprocess.run([fresh_python, "-m", "sockapi6", "demo"], capture_output=True, text=True,
                            cwd="/", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "delivered by the kernel" in result.stdout
    assert "hop limit" in result.stdout and "traffic class" in result.stdout
