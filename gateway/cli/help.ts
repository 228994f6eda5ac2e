/** Usage texts for `bifrost-gateway` and its subcommands. */

export const MAIN_HELP = `Usage: bifrost-gateway <command> [options]

The Bifrost Modbus gateway: polls Modbus devices and serves their state to the
Bifrost VS Code extension (or any client with the token) over a WebSocket: local
by default, wss:// with TLS and a token to attach from elsewhere.

Commands:
  read        read a value, a register table (--count), or watch it (--watch)
  write       write a value as a tag would, read it back, show the frame sent
  scan        list the unit ids that answer on a link, with their identification
  validate    check a bifrost.json: every problem with its path and line
  serve       run the gateway (prints one JSON ready line on stdout)
  run         run every device and proxy of a bifrost.json, headless (with
              --metrics, and --serve for VS Code to attach over wss://)
  proxy       run one Modbus TCP proxy in front of one device
  capture     run a bifrost.json headless and record every frame to pcapng
  simulate    run the built-in demo device as a Modbus TCP server
  ports       list this machine's serial ports (works without udev)

Options:
  -h, --help     show help (also: bifrost-gateway <command> --help)
  -v, --version  print the version

Exit status: 0 done, 1 a device error or exception (named) or a file with
problems, 2 a wrong command line.
`;

export const SERVE_HELP = `Usage: bifrost-gateway serve [--host 127.0.0.1] [--port 0] [--config bifrost.json]
                             [--stalled-client-timeout 30]
       bifrost-gateway serve --host 0.0.0.0 --port 7443 --tls-cert cert.pem --tls-key key.pem
                             --token-file token [--config bifrost.json]

Runs the gateway. Its first stdout line is
  {"ready":{"port":N,"token":"…","pid":N,"version":"…"}}
and clients connect to ws://HOST:PORT/?token=TOKEN. Logs go to stderr.
Stops on SIGINT/SIGTERM, and when stdin (a pipe from its parent) closes.
With a token you give (--token-file or BIFROST_TOKEN) the token is never printed:
the first line is "serving on wss://HOST:PORT/ (the token from FILE)".

Options:
  --host HOST      address to bind the channel to (default 127.0.0.1). Any
                   other address needs TLS and a token you give, or the
                   gateway refuses to start
  --port PORT      port for the channel (default 0: a free port)
  --config FILE    a bifrost.json to run (default: the built-in demo device);
                   clients may then look but not apply another configuration
  --tls-cert FILE  PEM certificate (chain): the channel is wss://
  --tls-key FILE   its PEM private key
  --token-file FILE  the token clients must send, on one line (16 to 512
                   letters, digits and . _ ~ -; "openssl rand -hex 24"). Or the
                   environment variable BIFROST_TOKEN. Never --token: the
                   command line is visible to every user of the machine
  --stalled-client-timeout SECONDS
                   close a channel connection that has stopped reading for
                   this long (default 30; meanwhile it misses messages)
  --verbose        log debug messages too
  -h, --help       show this help

Over TLS, an address that sends 5 wrong tokens within a minute is refused
(429) for a minute, then for twice as long each time it starts again.
`;

export const SIMULATE_HELP = `Usage: bifrost-gateway simulate [--listen 127.0.0.1:5020]
       bifrost-gateway simulate --rtu PATH | --ascii PATH [--baud 9600] [--parity even] [--units 1,2]
       … [--fault KIND[:ARG]] [--fault-every N] [--fault-probability P] [--fault-units 1,2]

Serves the built-in demo device over Modbus TCP (every unit id is answered),
or on a serial line as RTU or ASCII for the unit ids given (others stay silent;
unit 0 is broadcast: acted on, never answered). A pseudo-terminal has no baud
rate, so serial replies are held back by the time they would take on the wire.
Stops on SIGINT/SIGTERM.
Try it: mbpoll -m tcp -p 5020 -r 1 -c 10 -1 127.0.0.1

Options:
  --listen HOST:PORT  address to listen on (default 127.0.0.1:5020; port 0 picks
                      a free one, printed on stdout)
  --rtu PATH          serve Modbus RTU on this serial port (e.g. one end of
                      socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B)
  --ascii PATH        serve Modbus ASCII (7 data bits) on this serial port
  --baud N            serial baud rate (default 9600)
  --parity P          none, even or odd (default even)
  --stop-bits N       1 or 2 (default 1)
  --units LIST        unit ids that answer, like 1,2,3 (default 1)
  --no-wire-time      answer at once instead of emulating the line's speed
  --fault KIND[:ARG]  misbehave on purpose, as field devices do (each one is
                      logged on stderr):
                        delay[:MS]      reply MS late (default 5000)
                        drop            act on the request, send no reply
                        exception[:C]   answer exception C (default 4)
                        wrongTransactionId, wrongUnitId
                        badChecksum     wrong CRC or LRC (serial only)
                        split[:MS]      one byte at a time, MS apart (default 2)
                        coalesce        hold a reply, send it with the next one
                        garbage[:N]     N random bytes instead of the reply
                        reset           reset the connection (TCP only)
                        silence         answer nothing, keep the connection
                      In a running gateway, simulator.setFault on the channel
                      switches faults of demo devices at any time.
  --fault-every N     fault only every Nth request (default every one)
  --fault-probability P  fault each request with probability P (0 to 1)
  --fault-units LIST  unit ids that misbehave (default every unit)
  --verbose           log client connections
  -h, --help          show this help
`;

export const RUN_HELP = `Usage: bifrost-gateway run --config bifrost.json [--metrics 127.0.0.1:9464] [--verbose]
                           [--serve HOST:PORT --token-file FILE [--tls-cert FILE --tls-key FILE]]

Runs a configuration headless: polls every device and starts every proxy it
defines (autoStart or not). Prints one line per proxy on stdout
("proxy NAME listening on HOST:PORT → DEVICE"); logs go to stderr.
Stops cleanly on SIGINT/SIGTERM: proxies close their ports, then devices disconnect.

Options:
  --config FILE       the bifrost.json to run
  --metrics HOST:PORT serve Prometheus metrics on http://HOST:PORT/metrics, with
                      /healthz (the process answers) and /readyz (configuration
                      applied, every enabled device tried once); a bare port
                      binds 127.0.0.1, port 0 picks a free one (printed on
                      stdout). Overrides "metrics": {"listen": …} in the config
  --serve HOST:PORT   also open the channel, so VS Code can attach (Bifrost:
                      Attach Gateway…) and watch this gateway's devices; it
                      cannot replace the config. Prints "channel on URL" on
                      stdout. Needs --token-file FILE (or BIFROST_TOKEN), and
                      off loopback also --tls-cert FILE --tls-key FILE (see
                      bifrost-gateway serve --help)
  --verbose           log debug messages too
  -h, --help          show this help

Metrics: bifrost_device_up, bifrost_device_requests_total{function,outcome},
bifrost_device_timeouts_total, bifrost_device_reconnects_total,
bifrost_device_request_duration_seconds, bifrost_device_last_successful_poll_timestamp_seconds,
bifrost_tag_value{device,tag,unit}, bifrost_proxy_requests_total, _errors_total,
_clients, _request_duration_seconds, bifrost_mqtt_connected,
bifrost_mqtt_messages_published_total, _dropped_total, bifrost_mqtt_reconnects_total,
and the process_* and nodejs_* metrics.

MQTT: with "mqtt" in the config, tag values are published to the broker as
JSON (prefix/device/tag) or Sparkplug B; see the README's MQTT section.
`;

export const PROXY_HELP = `Usage: bifrost-gateway proxy --upstream URL [--listen 127.0.0.1:5020] [options]

A Modbus TCP server that many clients share, forwarding to one device over one
connection (or one serial port): transaction ids are rewritten upstream and
restored per client, clients are served round-robin, a request past its time
budget is answered with exception 0x0B. Prints
"Bifrost proxy listening on HOST:PORT → URL" on stdout; logs go to stderr.
Stops cleanly on SIGINT/SIGTERM.

Upstream URLs:
  tcp://HOST[:PORT]              Modbus TCP (port 502 by default)
  rtutcp://HOST:PORT             RTU over TCP (serial-to-Ethernet converter)
  rtu:///dev/ttyUSB0?baud=19200&parity=none&stopBits=1
                                 Modbus RTU on a serial port: the proxy is a
                                 protocol gateway (MBAP in, RTU with CRC out)
  ascii:///dev/ttyUSB0?baud=9600 Modbus ASCII on a serial port

Options:
  --listen HOST:PORT     where clients connect (default 127.0.0.1:5020; port 0
                         picks a free one, printed on stdout)
  --unit N               send every request to unit N (default: the client's
                         unit id passes through)
  --read-only            allow reads only: function codes 1, 2, 3, 4, 7, 11, 17;
                         8 with the sub-functions that read (0x0000, 0x0002,
                         0x000B-0x0012); 43 with MEI type 14. Anything else
                         gets exception 01 and never reaches the device
  --allow LIST           client addresses or CIDR ranges, comma-separated;
                         every other client is refused
  --max-clients N        clients at once (default 32)
  --max-in-flight N      requests outstanding at once on a TCP upstream (default 1)
  --timeout MS           the device's reply timeout (default 1000)
  --request-timeout MS   a request's whole budget, queueing included (default 5000)
  --retries N            repeat a read that timed out N times (default 0: the
                         client retries; a write is never repeated)
  --reply-unit-id any    take the device's replies whatever unit id they carry
                         (some gateways answer as unit 0 or 255)
  --idle-timeout S       close a client that sends nothing for S seconds
                         (default 60); when all --max-clients slots are taken,
                         the client idle longest makes room for a new one
  --max-queued N         requests one client may have waiting (default 64);
                         more get exception 06 (server busy)
  --coalesce             identical reads from several clients while one is at
                         the device share its reply (one device request)
  --verbose              log every refused request and client connection
  -h, --help             show this help
`;

export const PORTS_HELP = `Usage: bifrost-gateway ports [--json]

Lists this machine's serial ports: the path, the /dev/serial/by-id name that
survives replugging (put that one in bifrost.json), and the USB adapter's
manufacturer, serial number and vendor:product ids where it has them. Read from
sysfs on Linux, so it works without udev (containers, WSL, CI runners).
A port that is not listed can still be used by its path.

Options:
  --json      print {"ports":[…]} as the channel's serial.ports answers it
  --verbose   say why serialport's own listing was not used
  -h, --help  show this help
`;

export const CAPTURE_HELP = `Usage: bifrost-gateway capture --config bifrost.json --pcap trace.pcapng
                               [--seconds N] [--rotate-mb M [--keep K]] [--verbose]

Runs a configuration headless, as "run" does, and records every frame every
device and proxy moves to pcapng, the packets of the Frame Debugger's pcap
export: Wireshark and tshark open them (RTU streams: Decode As TCP port 4001 →
Modbus RTU). Stops after --seconds, or on SIGINT/SIGTERM, and prints what it
recorded.

Options:
  --config FILE    the bifrost.json to run
  --pcap FILE      where to record; with --rotate-mb the files are numbered
                   after it: trace_00001.pcapng, trace_00002.pcapng, …
  --seconds N      stop after N seconds (default: until stopped)
  --rotate-mb M    start a new file once one reaches M MiB
  --keep K         with --rotate-mb: keep the newest K files (default 10)
  --verbose        log debug messages too
  -h, --help       show this help
`;
