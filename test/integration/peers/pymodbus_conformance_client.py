#!/usr/bin/python3
"""pymodbus 3.0 as a Modbus TCP client of Bifrost's simulator, for conformance.py tests.

    /usr/bin/python3 pymodbus_conformance_client.py PORT

Runs one request per function code pymodbus 3.0 speaks (1-6, 7, 8/0, 11, 15, 16, 17,
22, 23, 43/14 and an exception) against unit 1 and prints one JSON object: what
pymodbus decoded from each reply, for the test to compare with the simulator's model.
"""
import json
import sys

from pymodbus.client import ModbusTcpClient
from pymodbus.mei_message import ReadDeviceInformationRequest
from pymodbus.other_message import GetCommEventCounterRequest, ReadExceptionStatusRequest, ReportSlaveIdRequest

UNIT = 1


def main():
    client = ModbusTcpClient("127.0.0.1", port=int(sys.argv[1]), timeout=3)
    if not client.connect():
        raise SystemExit("cannot connect")
    out = {}
    out["fc1"] = client.read_coils(0, 10, slave=UNIT).bits[:10]
    out["fc2"] = client.read_discrete_inputs(0, 10, slave=UNIT).bits[:10]
    out["fc3"] = client.read_holding_registers(0, 10, slave=UNIT).registers
    out["fc4"] = client.read_input_registers(0, 5, slave=UNIT).registers
    reply = client.write_coil(3, True, slave=UNIT)
    out["fc5"] = [reply.address, reply.value]
    reply = client.write_register(20, 0xBEEF, slave=UNIT)
    out["fc6"] = [reply.address, reply.value]
    reply = client.write_coils(8, [True, False, True, True], slave=UNIT)
    out["fc15"] = [reply.address, reply.count]
    reply = client.write_registers(30, [1, 2, 3], slave=UNIT)
    out["fc16"] = [reply.address, reply.count]
    out["fc7"] = client.execute(ReadExceptionStatusRequest(unit=UNIT)).status
    out["fc8"] = client.diag_query_data(0xA537, slave=UNIT).message
    reply = client.execute(GetCommEventCounterRequest(unit=UNIT))
    out["fc11"] = [reply.status, reply.count]
    reply = client.execute(ReportSlaveIdRequest(unit=UNIT))
    out["fc17"] = [list(reply.identifier), reply.status]
    reply = client.mask_write_register(address=40, and_mask=0x00F2, or_mask=0x0025, unit=UNIT)
    out["fc22"] = [reply.address, reply.and_mask, reply.or_mask]
    reply = client.readwrite_registers(
        read_address=40, read_count=3, write_address=41, write_registers=[7, 8], unit=UNIT
    )
    out["fc23"] = reply.registers
    reply = client.execute(ReadDeviceInformationRequest(read_code=2, object_id=0, unit=UNIT))
    out["fc43"] = {
        "conformity": reply.conformity,
        "more_follows": reply.more_follows,
        "objects": {str(k): v.decode("latin1") for k, v in reply.information.items()},
    }
    reply = client.read_holding_registers(60000, 2, slave=UNIT)
    out["exception"] = [reply.function_code, reply.exception_code]
    client.close()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
