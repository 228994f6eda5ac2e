#!/usr/bin/python3
"""A pymodbus 3.0 Modbus TCP server whose registers the test chooses.

    /usr/bin/python3 pymodbus_registers.py PORT LAYOUT.json    # PORT 0 picks a free port

LAYOUT.json maps each table ("hr", "ir", "co", "di") to an object of
zero-based address -> value ({"0": 1234, "1": 16457}). Only the addresses listed
exist: a read that touches any other is answered with exception 02 (illegal data
address), so a test makes holes by leaving addresses out. "hrNoise": [first, last]
makes those holding registers (listed or not) read a new random value on every
read, as a live process value does. Every unit id is answered. Prints
"listening on 127.0.0.1:PORT" once it accepts connections.
"""
import asyncio
import json
import random
import sys

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext, ModbusSparseDataBlock
from serve_tcp import serve_tcp


class NoisyBlock(ModbusSparseDataBlock):
    """Addresses in `noise` answer a fresh random value each read; the rest as stored."""

    def __init__(self, values, noise):
        super().__init__(values)
        self.noise = noise

    def getValues(self, address, count=1):
        stored = super().getValues(address, count)
        return [random.randrange(65536) if address + i in self.noise else value for i, value in enumerate(stored)]


def block(layout, key):
    values = {int(address): value for address, value in layout.get(key, {}).items()}
    noise = set()
    if key == "hr" and "hrNoise" in layout:
        first, last = layout["hrNoise"]
        noise = set(range(first, last + 1)) - set(values)
        values.update({address: 0 for address in noise})
    # An empty sparse block would answer nothing at all; one unused address keeps it valid.
    return NoisyBlock(values or {65535: 0}, noise)


async def main():
    port = int(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as file:
        layout = json.load(file)
    # The same noise every run, so what a test asserts about it does not depend on luck.
    random.seed(layout.get("seed", 1))
    slave = ModbusSlaveContext(
        hr=block(layout, "hr"), ir=block(layout, "ir"), co=block(layout, "co"), di=block(layout, "di"), zero_mode=True
    )
    context = ModbusServerContext(slaves=slave, single=True)
    await serve_tcp(context, port)


if __name__ == "__main__":
    asyncio.run(main())
