"""`python -m mobile_app [--port 8550] [--host 127.0.0.1]`: the app in web mode, no CDN."""

import argparse

from mobile_app.main import run


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m mobile_app", description="Trinvis-appen (web)")
    parser.add_argument("--port", type=int, default=8550)
    parser.add_argument("--host", default=None)
    args = parser.parse_args()
    run(port=args.port, host=args.host)


if __name__ == "__main__":
    cli()
