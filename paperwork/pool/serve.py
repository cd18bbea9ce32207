"""``serve(db_url, host, port)``: run the pool server with uvicorn until interrupted."""

from __future__ import annotations


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8765, **options: object) -> None:
    """Serve the pool on ``host:port``; ``options`` go to ``create_app`` (public_url, rate…)."""
    import uvicorn

    from .app import create_app

    app = create_app(db_url, **options)  # type: ignore[arg-type]
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def main(argv: list[str] | None = None) -> None:
    """``python -m paperwork.pool.serve --db URL [--host H] [--port P]`` (tests, benchmarks)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m paperwork.pool.serve")
    parser.add_argument("--db", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
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
        rate=args.rate or None,
        burst=args.burst,
        max_body=args.max_body,
    )


if __name__ == "__main__":
    main()
