"""Which hosts the client under test reaches: every name this process resolves or connects to.

Audit hooks cannot be removed, so the hook stays installed and records only while a test holds the
`contacted_hosts` fixture (import it into the test module), or inside `with recording_hosts()`.
"""
import contextlib
import sys

import pytest

ENDPOINT_HOST = "127.0.0.1"  # where conftest's server listens (AWS_ENDPOINT_URL)

_recorders = []


def _record_host(event, args):
    if not _recorders:
        return
    if event == "socket.getaddrinfo":
        _recorders[-1].append(str(args[0]))
    elif event == "socket.connect" and isinstance(args[1], tuple):
        _recorders[-1].append(str(args[1][0]))


sys.addaudithook(_record_host)


@contextlib.contextmanager
def recording_hosts():
    """The host names and addresses looked up or connected to inside the `with`, in order."""
    hosts = []
    _recorders.append(hosts)
    try:
        yield hosts
    finally:
        _recorders.remove(hosts)


@pytest.fixture
def contacted_hosts():
    """The host names and addresses looked up or connected to during the test, in order."""
    with recording_hosts() as hosts:
        yield hosts


def assert_only_endpoint(hosts):
    """Fails unless something was contacted and all of it was the endpoint (no amazonaws.com, no telemetry)."""
    assert hosts and set(hosts) == {ENDPOINT_HOST}, sorted(set(hosts))
