#!/usr/bin/python3
"""A pymodbus 3.0 Modbus TCP server for Bifrost's codec-as-client conformance test.

    /usr/bin/python3 pymodbus_conformance_server.py PORT    # PORT 0 picks a free port

Prints "listening on 127.0.0.1:PORT". Holding register i holds 1000 + i, input
register i holds 2000 + i, coil i is on when i % 3 == 0, discrete input i when
i % 2 == 1 (zero-based). Identity: vendor "pymodbus-peer", product code "PM-3",
revision "3.0", product name "conformance". Report server id data: 0x2A 0xFF "pymodbus".
"""
import asyncio
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.device import ModbusDeviceIdentification
from pymodbus.server import StartAsyncTcpServer


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 5020
    slave = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, [1000 + i for i in range(200)]),
        ir=ModbusSequentialDataBlock(0, [2000 + i for i in range(200)]),
        co=ModbusSequentialDataBlock(0, [i % 3 == 0 for i in range(200)]),
        di=ModbusSequentialDataBlock(0, [i % 2 == 1 for i in range(200)]),
        zero_mode=True,
    )
    # pymodbus answers FC 17 with this, followed by its own run indicator byte.
    slave.reportSlaveIdData = bytes([0x2A, 0xFF]) + b"pymodbus"
    context = ModbusServerContext(slaves=slave, single=True)
    identity = ModbusDeviceIdentification(
        info_name={
            "VendorName": "pymodbus-peer",
            "ProductCode": "PM-3",
            "MajorMinorRevision": "3.0",
            "ProductName": "conformance",
        }
    )
    server = await StartAsyncTcpServer(
        context=context, identity=identity, address=("127.0.0.1", port), defer_start=True
    )
    serving = asyncio.create_task(server.serve_forever())
    await server.serving
    bound = server.server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{bound}", flush=True)
    await serving


if __name__ == "__main__":
    asyncio.run(main())
