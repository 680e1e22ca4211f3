"""`python -m serving [--host 127.0.0.1] [--port 8000]`: run the server (what `make serve` calls)."""

from __future__ import annotations

import argparse
import logging
import signal

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind; loopback by default")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.host in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger("serving").info("binding to loopback only (%s); pass --host 0.0.0.0 to expose it", args.host)
    # uvicorn shuts down gracefully on SIGTERM (stops accepting, finishes requests in flight) and then
    # re-raises the signal; this handler turns that re-raise into a clean exit with status 0.
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.run("serving.app:create_app", factory=True, host=args.host, port=args.port,
                timeout_graceful_shutdown=30)


if __name__ == "__main__":
    main()
