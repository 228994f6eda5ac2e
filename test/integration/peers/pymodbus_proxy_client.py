#!/usr/bin/python3
"""pymodbus 3.0 as a client of a Bifrost proxy: write a register, read it back, read a block.

    /usr/bin/python3 pymodbus_proxy_client.py PORT ADDRESS VALUE

Prints one JSON object: the write's echo, the value read back, and registers 0-4.
"""
import json
import sys

from pymodbus.client import ModbusTcpClient


def main():
    port, address, value = (int(arg) for arg in sys.argv[1:4])
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=3)
    if not client.connect():
        raise SystemExit("cannot connect")
    write = client.write_register(address, value, slave=1)
    back = client.read_holding_registers(address, 1, slave=1)
    block = client.read_holding_registers(0, 5, slave=1)
    print(json.dumps({"write": [write.address, write.value], "back": back.registers, "block": block.registers}), flush=True)
    client.close()


if __name__ == "__main__":
    main()
