"""Shared fixtures of the Python package's tests: where the CLI binary and the repository are.

Run with the build's package on the path (scripts/test.sh and ctest do it):
    SNNFIT_BIN=build/dev/apps/snnfit PYTHONPATH=build/dev/python /usr/bin/python3 -m pytest python/tests
"""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def snnfit_bin():
    path = os.environ.get("SNNFIT_BIN")
    if not path:
        pytest.skip("SNNFIT_BIN (the snnfit binary) is not set")
    return path


@pytest.fixture(scope="session")
def cli(snnfit_bin):
    def call(*args, check=True):
        p = subprocess.run([snnfit_bin, *map(str, args)], capture_output=True, text=True)
        if check and p.returncode != 0:
            raise AssertionError(f"snnfit {' '.join(map(str, args))}: exit {p.returncode}\n{p.stderr}")
        return p
    return call
