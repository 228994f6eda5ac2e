#!/usr/bin/python3
"""A pymodbus 3.0 Modbus TCP server with known values, for Bifrost's integration tests.

Run with Debian's interpreter (python3-pymodbus lives there, not in pyenv):

    /usr/bin/python3 pymodbus_server.py PORT     # PORT 0 picks a free port

Prints "listening on 127.0.0.1:PORT" on stdout once it accepts connections, and
"connection from HOST:PORT" for every client it accepts (tests count them).
Every unit id is answered (single context). Addresses are zero-based (zero_mode),
the protocol's own numbering. The layout is mirrored in pymodbus.test.ts.
"""
import asyncio
import math
import struct

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusConnectedRequestHandler
from serve_tcp import port_argument, serve_tcp


def words(fmt, value, order="ABCD"):
    """Pack a value big-endian (ABCD) and lay its bytes out in the given order as registers."""
    raw = struct.pack(fmt, value)
    if len(raw) == 4:
        a, b, c, d = raw
        raw = {"ABCD": (a, b, c, d), "CDAB": (c, d, a, b), "BADC": (b, a, d, c), "DCBA": (d, c, b, a)}[order]
    raw = bytes(raw)
    return [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]


def holding_registers():
    values = [0] * 100
    layout = {
        0: [1234],                                  # uint16
        1: words(">f", math.pi),                    # float32 ABCD -> 3.1415927
        3: words(">h", -1234),                      # int16
        4: words(">I", 123456789, "CDAB"),          # uint32 CDAB
        6: words(">i", -2),                         # int32 ABCD
        8: [215],                                   # int16, scale 0.1 -> 21.5
        9: [0b101],                                 # bits 0 and 2 set
        10: words(">f", -123.456, "DCBA"),          # float32 DCBA
    }
    for address, registers in layout.items():
        values[address:address + len(registers)] = registers
    return values


def input_registers():
    values = [0] * 100
    values[0] = 42
    values[1:3] = words(">f", 2.5, "CDAB")
    return values


def server_context():
    """The four tables, zero-based, answering every unit id (pymodbus_serial_server.py serves them too)."""
    slave = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, holding_registers()),
        ir=ModbusSequentialDataBlock(0, input_registers()),
        co=ModbusSequentialDataBlock(0, coils()),
        di=ModbusSequentialDataBlock(0, discrete_inputs()),
        zero_mode=True,
    )
    return ModbusServerContext(slaves=slave, single=True)


def coils():
    values = [False] * 100
    values[0] = True
    values[2] = True
    return values


def discrete_inputs():
    values = [False] * 100
    values[1] = True
    return values


class AnnouncingHandler(ModbusConnectedRequestHandler):
    """pymodbus's own TCP handler, printing each client it accepts."""

    def connection_made(self, transport):
        host, port = transport.get_extra_info("peername")[:2]
        print(f"connection from {host}:{port}", flush=True)
        super().connection_made(transport)


async def main():
    port = port_argument()
    context = server_context()
    await serve_tcp(context, port, handler=AnnouncingHandler)


if __name__ == "__main__":
    asyncio.run(main())
