"""How every pymodbus TCP peer here starts: bind, announce the port, serve until killed.

The tests read the "listening on 127.0.0.1:PORT" line to learn the port (PORT 0 on
the command line lets the OS pick a free one), so it is printed only once the
socket accepts connections.
"""
import asyncio
import sys

from pymodbus.server import StartAsyncTcpServer


def port_argument(default=5020):
    """The port from the command line's first argument; 0 picks a free one."""
    return int(sys.argv[1]) if len(sys.argv) > 1 else default


async def serve_tcp(context, port, **options):
    """Serve `context` on 127.0.0.1:port (options go to pymodbus: identity, handler)."""
    server = await StartAsyncTcpServer(context=context, address=("127.0.0.1", port), defer_start=True, **options)
    serving = asyncio.create_task(server.serve_forever())
    await server.serving
    bound = server.server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{bound}", flush=True)
    await serving
