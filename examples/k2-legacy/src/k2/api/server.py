"""The `k2-api` command: serve the API with uvicorn (needs the `api` extra)."""

import argparse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="k2-api", description="Serve the K2 query API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    import uvicorn  # imported late: `k2-api --help` works without the api extra

    uvicorn.run("k2.api.main:app", host=args.host, port=args.port)
