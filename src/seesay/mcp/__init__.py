"""SeeSay as an MCP server (``seesay mcp``), built on the official ``mcp`` Python SDK.

Tools: ``describe_image``, ``speak``, ``describe_and_speak``, ``transcribe``, ``translate``
and ``list_voices``. They run on this machine's engines (the local backend: no server,
no account) or, with ``server``/``key``, on a SeeSay server through the Python SDK. Served over
stdio (what desktop MCP clients spawn) or streamable HTTP.
"""

from seesay.mcp._server import TOOL_NAMES, build_server, serve

__all__ = ["TOOL_NAMES", "build_server", "serve"]
