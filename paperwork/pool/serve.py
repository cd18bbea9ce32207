"""``serve(db_url, host, port)``: run the pool server with uvicorn until interrupted.

With ``workers`` > 1 uvicorn starts that many processes, each making its app with
``app_from_environment`` (the database URL and options travel in the environment);
the schema is migrated once before they start. Each process keeps its own rate
limit, so the limit per address is ``workers`` times the one given.
"""

from __future__ import annotations

import json
import os

DB_VARIABLE = "PAPERWORK_POOL_DB"
OPTIONS_VARIABLE = "PAPERWORK_POOL_OPTIONS"


def app_from_environment():
    """The app of one worker process, from PAPERWORK_POOL_DB and PAPERWORK_POOL_OPTIONS."""
    from .app import create_app

    options = json.loads(os.environ.get(OPTIONS_VARIABLE, "{}"))
    return create_app(os.environ[DB_VARIABLE], **options)


def serve(
    db_url: str, host: str = "127.0.0.1", port: int = 8765, workers: int = 1, **options: object
) -> None:
    """Serve the pool on ``host:port``; ``options`` go to ``create_app`` (public_url, rate…)."""
    import uvicorn

    common = {"host": host, "port": port, "log_level": "warning", "proxy_headers": False}
    if workers <= 1:
        from .app import create_app

        uvicorn.run(create_app(db_url, **options), **common)  # type: ignore[arg-type]
        return
    from .db import make_engine
    from .migrations import upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    engine.dispose()
    os.environ[DB_VARIABLE] = db_url
    os.environ[OPTIONS_VARIABLE] = json.dumps(options)
    target = f"{__name__}:app_from_environment"
    uvicorn.run(target, factory=True, workers=workers, **common)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> None:
    """``python -m paperwork.pool.serve --db URL [--host H] [--port P]`` (tests, benchmarks)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m paperwork.pool.serve")
    parser.add_argument("--db", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--public-url", help="the server's address as members see it (proxy)")
    parser.add_argument(
        "--rate", type=float, default=20.0, help="requests a second per address; 0: none"
    )
    parser.add_argument("--burst", type=int, default=120)
    parser.add_argument("--max-body", type=int, default=256 * 1024)
    args = parser.parse_args(argv)
    serve(
        args.db,
        args.host,
        args.port,
        workers=args.workers,
        public_url=args.public_url,
        rate=args.rate or None,
        burst=args.burst,
        max_body=args.max_body,
    )


if __name__ == "__main__":
    main()
