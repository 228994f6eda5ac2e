#!/usr/bin/python3
"""A pymodbus 3.0 Modbus TCP server that answers unit ids 1 and 3 only, for discovery tests.

    /usr/bin/python3 pymodbus_units.py PORT     # PORT 0 picks a free port

Other unit ids get exception 0x0B (gateway target failed to respond), as a
TCP-to-serial gateway answers for a device that is not on its bus.
Prints "listening on 127.0.0.1:PORT" once it accepts connections.
"""
import asyncio

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.device import ModbusDeviceIdentification
from serve_tcp import port_argument, serve_tcp


def unit(first):
    return ModbusSlaveContext(hr=ModbusSequentialDataBlock(0, [first] * 10), zero_mode=True)


async def main():
    port = port_argument()
    context = ModbusServerContext(slaves={1: unit(1), 3: unit(3)}, single=False)
    identity = ModbusDeviceIdentification(
        info_name={"VendorName": "Bifrost Test", "ProductCode": "BT-3", "MajorMinorRevision": "3.0"}
    )
    await serve_tcp(context, port, identity=identity)


if __name__ == "__main__":
    asyncio.run(main())
