/**
 * The questions that say how a device is reached: the transport kind, then host
 * and port, or a serial port (picked from the gateway's `serial.ports`, or typed)
 * with baud rate, parity and stop bits. Shared by Add Device and Discover Devices.
 * Escape at any question answers undefined.
 */
import * as vscode from 'vscode';
import {
  AsciiTransport,
  DEFAULT_TCP_PORT,
  Parity,
  RtuOverTcpTransport,
  RtuTransport,
  TcpTransport,
  type DeviceInput,
  type SerialPortInfo,
  type Transport,
} from '../../gateway/api';
import type { GatewayClient } from '../gateway/gatewayConnection';
import { errorMessage, type Logger } from '../util/logger';
import { askNumber, askText, firstIssue, pickOne, type Choice, type Steps } from './inputSteps';

export type TransportKind = Transport['kind'];
/** A transport as written in bifrost.json (defaults may be left out). */
export type TransportInput = DeviceInput['transport'];

const KIND_CHOICES: Record<TransportKind, Omit<Choice<TransportKind>, 'value'>> = {
  tcp: { label: '$(globe) Modbus TCP', description: 'tcp', detail: 'An Ethernet device or a Modbus TCP gateway, port 502' },
  rtutcp: { label: '$(plug) RTU over TCP', description: 'rtutcp', detail: 'A serial-to-Ethernet converter in transparent mode' },
  rtu: { label: '$(circuit-board) RTU (serial)', description: 'rtu', detail: 'RS-485 / RS-232 with CRC-16: the usual serial Modbus' },
  ascii: { label: '$(symbol-text) ASCII (serial)', description: 'ascii', detail: 'Modbus ASCII over a serial line (LRC)' },
  demo: { label: '$(beaker) Demo simulator', description: 'demo', detail: "The gateway's built-in simulator (answers every unit id)" },
};

/** How many questions `askTransportDetails` asks for a kind (for the step counter). */
export function transportQuestionCount(kind: TransportKind): number {
  if (kind === 'tcp' || kind === 'rtutcp') return 2;
  if (kind === 'rtu' || kind === 'ascii') return 4;
  return 0;
}

export function pickTransportKind(steps: Steps, kinds: readonly TransportKind[]): Promise<TransportKind | undefined> {
  return pickOne(
    steps,
    'Transport',
    'How is the device reached?',
    kinds.map((kind) => ({ ...KIND_CHOICES[kind], value: kind })),
  );
}

export interface TransportContext {
  /** For the serial port list; without one, the path is typed. */
  client: GatewayClient | undefined;
  logger: Logger;
}

export async function askTransportDetails(steps: Steps, kind: TransportKind, context: TransportContext): Promise<TransportInput | undefined> {
  switch (kind) {
    case 'tcp':
    case 'rtutcp': {
      const schema = kind === 'tcp' ? TcpTransport : RtuOverTcpTransport;
      const host = await askText(steps, 'Host', `Host name or IP address of the ${kind === 'tcp' ? 'device or gateway' : 'converter'}`, '', (value) =>
        firstIssue(schema.shape.host, value, 'host'),
      );
      if (host === undefined) return undefined;
      const prompt = kind === 'tcp' ? 'Modbus TCP listens on 502 unless configured otherwise' : 'The converter\'s TCP port for this serial line';
      const port = await askNumber(steps, 'TCP port', prompt, DEFAULT_TCP_PORT, schema.shape.port);
      if (port === undefined) return undefined;
      return { kind, host, port };
    }
    case 'rtu':
    case 'ascii':
      return askSerialLine(steps, kind, context);
    case 'demo':
      return { kind: 'demo' };
  }
}

async function askSerialLine(steps: Steps, kind: 'rtu' | 'ascii', context: TransportContext): Promise<TransportInput | undefined> {
  const schema = kind === 'rtu' ? RtuTransport : AsciiTransport;
  const path = await pickSerialPath(steps, context);
  if (path === undefined) return undefined;
  const baudRate = await askNumber(steps, 'Baud rate', 'Bits per second, as set on the device: 9600, 19200, 38400, 115200…', 9600, schema.shape.baudRate);
  if (baudRate === undefined) return undefined;
  const parity = await pickOne<Parity>(steps, 'Parity', 'As set on the device; the spec default is even', [
    { label: 'even', description: 'the Modbus default', value: 'even' },
    { label: 'none', description: 'the spec then asks for 2 stop bits', value: 'none' },
    { label: 'odd', value: 'odd' },
  ]);
  if (parity === undefined) return undefined;
  // Without parity the spec wants two stop bits to keep the character length.
  const stopChoices: Choice<1 | 2>[] = [
    { label: '1', value: 1 },
    { label: '2', value: 2 },
  ];
  if (parity === 'none') stopChoices.reverse();
  const stopBits = await pickOne(steps, 'Stop bits', 'As set on the device', stopChoices);
  if (stopBits === undefined) return undefined;
  return { kind, path, baudRate, parity, stopBits };
}

const TYPE_A_PATH = Symbol('type a path');

async function pickSerialPath(steps: Steps, context: TransportContext): Promise<string | undefined> {
  const ports = await listPorts(context);
  const typed: Choice<typeof TYPE_A_PATH> = {
    label: '$(edit) Enter a path…',
    detail: ports.length === 0 ? 'No serial port was found on this machine' : 'A port that is not listed, e.g. a socat pseudo-terminal',
    value: TYPE_A_PATH,
  };
  const choices: Choice<string | typeof TYPE_A_PATH>[] = [...ports.map(portChoice), typed];
  const title = steps.next('Serial port');
  const picked = await vscode.window.showQuickPick(choices, { title, placeHolder: 'The port the bus is on', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.value !== TYPE_A_PATH) return picked.value;
  const text = await vscode.window.showInputBox({
    title,
    prompt: 'Serial port path: /dev/ttyUSB0, /dev/serial/by-id/…, COM3',
    ignoreFocusOut: true,
    validateInput: (value) => firstIssue(RtuTransport.shape.path, value.trim()),
  });
  return text?.trim();
}

/**
 * A listed port. Where udev made a /dev/serial/by-id name, that is what goes into
 * bifrost.json: /dev/ttyUSB0 may be another adapter after a replug or a reboot.
 */
function portChoice(port: SerialPortInfo): Choice<string> {
  const ids = port.vendorId && port.productId ? `${port.vendorId}:${port.productId}` : undefined;
  const detail = [port.stablePath && `saved as ${port.stablePath}`, port.serialNumber && `serial ${port.serialNumber}`, ids].filter(Boolean).join(' · ');
  return { label: port.path, ...(port.manufacturer ? { description: port.manufacturer } : {}), ...(detail ? { detail } : {}), value: port.stablePath ?? port.path };
}

async function listPorts(context: TransportContext): Promise<SerialPortInfo[]> {
  if (!context.client) return [];
  try {
    return (await context.client.request('serial.ports', {})).ports;
  } catch (error) {
    // Listing is a convenience: the path can still be typed.
    context.logger.warn(`cannot list serial ports: ${errorMessage(error)}`);
    return [];
  }
}
