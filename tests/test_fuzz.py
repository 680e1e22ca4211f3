"""Property-based fuzzing with schemathesis against the served OpenAPI document, over a real socket.

`make test` runs a small budget; `make fuzz` runs many more examples (EC_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_e2e import server  # noqa: F401 - the real uvicorn fixture

EXAMPLES = os.environ.get("EC_FUZZ_EXAMPLES", "15")


def test_no_generated_request_gets_a_server_error_or_an_off_schema_response(server):  # noqa: F811
    url, _ = server
    cli = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(cli), "run", f"{url}/openapi.json", "--checks", "all", "--max-examples", EXAMPLES,
         "--seed", "7", "--workers", "2", "--no-color"],
        capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
