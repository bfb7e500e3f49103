"""pytest fixtures and helpers for testing SageMaker jobs against `sagebox serve --ephemeral`.

Fixtures (see `plugin`): `sagebox_endpoint`, `sagebox_env`, `sagebox_reset`, `sagebox_server`.
Helpers: `make_bucket`, `upload`, `run_processing_job`, `wait_for_job`, `logs`.
"""
from .helpers import logs, make_bucket, run_processing_job, upload, wait_for_job
from .server import SageboxServer, find_binary

__all__ = ["SageboxServer", "find_binary", "logs", "make_bucket", "run_processing_job", "upload", "wait_for_job"]
