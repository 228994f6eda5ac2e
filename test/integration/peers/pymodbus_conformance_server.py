#!/usr/bin/python3
"""A pymodbus 3.0 Modbus TCP server for Bifrost's codec-as-client conformance test.

    /usr/bin/python3 pymodbus_conformance_server.py PORT    # PORT 0 picks a free port

Prints "listening on 127.0.0.1:PORT". Holding register i holds 1000 + i, input
register i holds 2000 + i, coil i is on when i % 3 == 0, discrete input i when
i % 2 == 1 (zero-based). Identity: vendor "pymodbus-peer", product code "PM-3",
revision "3.0", product name "conformance". Report server id data: 0x2A 0xFF "pymodbus".
"""
import asyncio

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.device import ModbusDeviceIdentification
from serve_tcp import port_argument, serve_tcp


async def main():
    port = port_argument()
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
    await serve_tcp(context, port, identity=identity)


if __name__ == "__main__":
    asyncio.run(main())
