"""``seesay mcp``: the MCP server (see :mod:`seesay.mcp`)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from seesay.cli.commands_common import ConfigOption, KeyOption, ServerOption, fail

__all__ = ["register"]


def mcp(
    transport: Annotated[
        Literal["stdio", "http"], typer.Option(help="stdio, or streamable HTTP.")
    ] = "stdio",
    host: Annotated[str, typer.Option(help="Interface for --transport http.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for --transport http.")] = 8765,
    output_dir: Annotated[
        str | None, typer.Option(help="Where local audio files go (default: a temp folder).")
    ] = None,
    server: ServerOption = None,
    key: KeyOption = None,
    config: ConfigOption = None,
) -> None:
    """Serve SeeSay's tools to MCP clients (local engines, or a server with --server)."""
    try:
        from seesay.mcp import serve
    except ModuleNotFoundError as exc:
        fail(f"{exc}; install it with: pip install 'seesay[mcp]'")
    if server and not key:
        fail("--server needs --key (or SEESAY_API_KEY)", code=2)
    serve(
        transport=transport,
        host=host,
        port=port,
        server=server,
        key=key,
        config=config,
        output_dir=output_dir,
    )


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp)
