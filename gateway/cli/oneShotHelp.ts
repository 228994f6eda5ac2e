/** Usage texts of the one-shot commands: read, write, scan, validate (help.ts has the long-running ones). */

const DEVICE_URLS = `Device URLs (as "proxy --upstream" takes them):
  tcp://HOST[:PORT]                 Modbus TCP (port 502 by default)
  rtutcp://HOST:PORT                RTU over TCP (a serial-to-Ethernet converter)
  rtu:///dev/ttyUSB0?baud=19200&parity=none&stopBits=1
                                    Modbus RTU on a serial port (default 9600 8E1)
  ascii:///dev/ttyUSB0?baud=9600    Modbus ASCII on a serial port`;

const ADDRESSES = `Addresses (as in bifrost.json, table offsets zero-based):
  HR:100  holding register   IR:7  input register   CO:12  coil   DI:3  discrete input
  HR:10.3 bit 3 of a holding register    40101, 30008, 10004, 13  Modicon (one-based)`;

const TYPES = `Types and word orders (as in bifrost.json):
  --type   uint16 (default), int16, uint32, int32, uint64, int64, float32, float64,
           bcd16, bcd32, string (with --length N registers), bool (coils, inputs
           and register bits, the default there)
  --order  ABCD (default, big-endian), CDAB (words swapped), BADC (bytes swapped),
           DCBA (little-endian)`;

const COMMON = `  --unit N        unit id (default 1)
  --timeout MS    reply timeout (default 1000; a request that gets no reply is
                  sent once more, as a device's "retries": 1)
  --json          one JSON object on stdout instead of the table (errors too:
                  {"error": {"message", "kind", "exceptionCode"}})
  --verbose       log the connection and every retry on stderr
  -h, --help      show this help`;

const EXIT = `Exit status: 0 done, 1 the device refused (its exception is named), did not
answer or could not be reached, 2 the command line is wrong.`;

export const READ_HELP = `Usage: bifrost-gateway read URL ADDRESS [--unit N] [--type T] [--order O]
                            [--count N] [--watch MS] [--json]

Reads one value, decoded as a bifrost.json tag of that address, type and order
would be. With --count, reads N registers (or bits) from ADDRESS and prints the
register table Modbus Poll shows: address, hex, unsigned, signed, and, with
--type, the value of that type on each row one starts. A range is split into
reads the device accepts; rows it refuses show its exception, the rest their
values. --watch repeats the read every MS milliseconds (in place on a
terminal) until Ctrl-C.

Examples:
  bifrost-gateway read tcp://10.0.0.5:502 HR:100 --type float32 --order CDAB
  bifrost-gateway read tcp://10.0.0.5 40001 --count 20 --type int32 --watch 1000
  bifrost-gateway read "rtu:///dev/ttyUSB0?baud=19200&parity=none" IR:0 --unit 3

${ADDRESSES}

${TYPES}

${DEVICE_URLS}

Options:
  --count N       read N registers (bits on CO and DI) as a table
  --watch MS      read again every MS milliseconds until Ctrl-C
  --length N      registers a string spans (two characters each)
${COMMON}

${EXIT}
`;

export const WRITE_HELP = `Usage: bifrost-gateway write URL ADDRESS VALUE [--unit N] [--type T] [--order O] [--json]

Writes VALUE as a bifrost.json tag of that address, type and order would be
written: FC 5 for a coil, FC 22 (mask write) for a bit in a register, falling
back to read, change, write (FC 3 then FC 6) when the device refuses FC 22,
FC 6 for one register, FC 16 for wider values. Prints the request in words, its
PDU and the frame as it went on the wire, then reads the value back.
A negative VALUE needs nothing special: write URL HR:4 -12 --type int16.

Examples:
  bifrost-gateway write tcp://10.0.0.5:502 HR:100 21.5 --type float32 --order CDAB
  bifrost-gateway write tcp://10.0.0.5 CO:12 on
  bifrost-gateway write tcp://10.0.0.5 HR:10.3 1

VALUE: a number (1234, 0x04D2, 21.5, -3), true/false, 1/0 or on/off for a bit,
text for a string.

${ADDRESSES}

${TYPES}

${DEVICE_URLS}

Options:
  --length N      registers a string spans (padded with NULs)
${COMMON}

${EXIT}
`;

export const SCAN_HELP = `Usage: bifrost-gateway scan URL [--units 1-247] [--timeout MS] [--json]

Probes each unit id on the link with a one-register read (FC 3): any answer, an
exception too, means a device is there (but exceptions 0A and 0B, a gateway
saying nothing answered behind it). For each one found, reads its device
identification (FC 43/14: vendor, product code, revision) and server id (FC 17)
where the device has them. Ctrl-C stops the scan with what it found.

Examples:
  bifrost-gateway scan tcp://10.0.0.5:502 --units 1-10
  bifrost-gateway scan "rtu:///dev/ttyUSB0?baud=9600" --timeout 100

${DEVICE_URLS}

Options:
  --units FROM-TO  unit ids to probe (default 1-247; a single id works too)
  --timeout MS     how long each probe waits (default 200)
  --json           {"url", "units", "found": [{"unitId", "answers", "identification", "serverId"}]}
  --verbose        log the probes on stderr
  -h, --help       show this help

Exit status: 0 at least one unit answered, 1 none did or the link could not be
opened, 2 the command line is wrong.
`;

export const VALIDATE_HELP = `Usage: bifrost-gateway validate --config bifrost.json [--json]

Checks a configuration as the gateway and the editor do, and prints every
problem as FILE:LINE:COLUMN: JSON.PATH: what is wrong and what was expected.
Also reports tags that only fail once resolved (offset 0 on a device with
addressBase 1).

Options:
  --config FILE   the bifrost.json to check
  --json          {"file", "valid", "problems": [{"path", "line", "column", "message"}]}
  -h, --help      show this help

Exit status: 0 valid, 1 any problem (or the file cannot be read), 2 the command
line is wrong.
`;
