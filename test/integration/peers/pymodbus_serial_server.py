#!/usr/bin/python3
"""A pymodbus 3.0 Modbus RTU or ASCII server on a serial port, with the values of
pymodbus_server.py, for Bifrost's serial integration tests.

    /usr/bin/python3 pymodbus_serial_server.py rtu|ascii PATH BAUD

The line is 8N1 for both framings: pyserial cannot set parity or 7 data bits on
a pseudo-terminal (EINVAL), and a pty carries neither parity nor data bits (ASCII
characters are 7-bit either way), so the tests configure Bifrost's end with parity
none. Prints "serving FRAMING on PATH"
on stdout once the port is open. Every unit id is answered (single context).
"""
import asyncio
import sys

from pymodbus.server import StartAsyncSerialServer
from pymodbus.transaction import ModbusAsciiFramer, ModbusRtuFramer

from pymodbus_server import server_context


async def main():
    framing, path, baud = sys.argv[1], sys.argv[2], int(sys.argv[3])
    server = await StartAsyncSerialServer(
        context=server_context(),
        framer=ModbusRtuFramer if framing == "rtu" else ModbusAsciiFramer,
        port=path,
        baudrate=baud,
        bytesize=8,
        parity="N",
        stopbits=1,
        defer_start=True,
    )
    await server.start()
    if server.transport is None:
        sys.exit(f"cannot open {path} (pymodbus logs why at DEBUG level)")
    print(f"serving {framing} on {path}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
