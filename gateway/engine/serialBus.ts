/**
 * A serial bus: ONE queue shared by every device (unit id) on the same port, or on
 * the same RTU-over-TCP converter (docs/pitfalls.md, pitfalls 2, 3, 7, 9).
 *
 * - One request at a time: RTU and ASCII have no transaction id, so a reply can
 *   only be matched by being the one awaited.
 * - Before each request: wait the inter-frame silence (t3.5, from baud and
 *   framing) or the device's minGapMs, whichever is longer, since the last byte
 *   moved; then flush the input, so a late reply cannot answer this request.
 * - A reply from another unit than the one asked is dropped as stale.
 * - Timeouts start when a request is sent, not when it is queued: a dead device
 *   costs the bus its own timeout (times its retries), and everyone else keeps
 *   being answered in between.
 * - The link is opened when the first device attaches and closed when the last
 *   one leaves; a lost link fails every member, and their reconnects share one open.
 */
import { decodeAsciiFrame } from '../protocol/asciiFraming';
import { ConnectionClosedError, FrameError, TimeoutError, type RequestContext } from '../protocol/errors';
import { FunctionCode } from '../protocol/functionCodes';
import { encodeAsciiFrame } from '../protocol/asciiFraming';
import { decodeRtuFrame, encodeRtuFrame, type UnitPdu } from '../protocol/rtuFraming';
import { isOpaque } from '../protocol/opaque';
import type { ModbusResponse } from '../protocol/responses';
import { frameTimestamp, type FrameHook } from '../transport/frames';
import type { FrameLink } from '../transport/link';
import { preciseDelay } from '../transport/preciseDelay';
import { decodeReply, type Connection, type Exchange, type ExchangeRequest, type ExchangeResponse, type LostListener } from './connection';
import { LateReplyWindows } from './lateReplyWindows';
import type { Logger } from './logger';

export const BROADCAST_UNIT = 0;

export interface SerialBusOptions {
  /** What identifies the bus: the port path, or "rtutcp://host:port". */
  key: string;
  framing: 'rtu' | 'ascii';
  /** t3.5 for this line; 0 where the far end does its own timing (RTU over TCP). */
  silenceMs: number;
  /** How long `bytes` characters take on the wire (0 when unknown). */
  wireTimeMs: (bytes: number) => number;
  openLink: () => Promise<FrameLink>;
  logger: Logger;
  onFrame?: FrameHook;
}

interface Job {
  member: BusMember;
  exchange: Exchange;
  minGapMs: number;
  resolve: (response: ExchangeResponse) => void;
  reject: (error: Error) => void;
}

interface Current {
  job: Job;
  finish: (outcome: { frame: UnitPdu } | { error: Error }) => void;
}


export class SerialBus {
  private link?: FrameLink;
  private opening?: Promise<FrameLink>;
  private readonly members = new Set<BusMember>();
  private readonly queue: Job[] = [];
  private running = false;
  private current?: Current;
  private readonly lateReplies = new LateReplyWindows();
  /** The reply received for `current`, settled once the line has been quiet for t3.5 after it. */
  private arrived?: { wire: Buffer; frame: UnitPdu; current: Current };
  /** performance.now() of the last byte we sent or received. */
  private lastActivity = -Infinity;
  private closing: Promise<void> = Promise.resolve();
  /**
   * Why the link was lost, for the job execute() holds outside the queue (waiting out
   * the silence or the flush) when it happens: linkLost cannot reach that one, so it
   * fails afterwards, and must name the port and the cause like every other, not say
   * just "link closed".
   */
  private lostReason?: string;
  /** Called when the last member leaves, so the registry can forget the bus. */
  onIdle: () => void = () => {};

  constructor(readonly options: SerialBusOptions) {}

  get memberCount(): number {
    return this.members.size;
  }

  get queueLength(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** Join the bus as `device` at `unitId`, opening the link if nobody has. */
  async attach(device: string, unitId: number, minGapMs: number): Promise<BusMember> {
    const member = new BusMember(this, device, unitId, minGapMs);
    this.members.add(member);
    try {
      await this.ensureOpen();
    } catch (error) {
      this.leave(member);
      throw error;
    }
    if (!this.members.has(member)) throw new Error(`${device} left ${this.options.key} while it opened`);
    return member;
  }

  /** @internal BusMember.exchange */
  enqueue(job: Job): void {
    this.queue.push(job);
    if (!this.running) void this.run();
  }

  /** @internal BusMember.close: reject its jobs, leave, close the link if it was the last. */
  leave(member: BusMember, reason = 'left the bus'): void {
    if (!this.members.delete(member)) return;
    this.rejectJobsOf(member, reason);
    if (this.members.size === 0) {
      this.closeLink();
      this.onIdle();
    }
  }

  private async ensureOpen(): Promise<FrameLink> {
    if (this.link?.isOpen) return this.link;
    this.opening ??= (async () => {
      // Close, then reopen: never two handles on one port (docs/pitfalls.md, pitfall 5).
      await this.closing;
      const link = await this.options.openLink();
      link.on('frame', (frame) => this.receive(frame));
      link.on('discard', (bytes, reason) => this.report('rx', bytes, undefined, undefined, `${reason}: dropped`));
      link.on('close', (error) => this.linkLost(link, error));
      this.link = link;
      this.lostReason = undefined;
      this.options.logger.log('info', `opened ${link.name}`);
      if (this.members.size === 0) this.closeLink();
      return link;
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private closeLink(): void {
    const link = this.link;
    this.link = undefined;
    if (link) this.closing = link.close();
  }

  private linkLost(link: FrameLink, error: Error | undefined): void {
    if (link !== this.link) return;
    this.link = undefined;
    this.closing = link.close();
    const reason = error?.message ?? `${this.options.key} closed`;
    this.lostReason = reason;
    this.options.logger.log('warn', `${link.name} lost: ${reason}`);
    const members = [...this.members];
    this.members.clear();
    for (const member of members) {
      this.rejectJobsOf(member, reason);
      member.lost(reason);
    }
    this.onIdle();
  }

  private rejectJobsOf(member: BusMember, reason: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const job = this.queue[i];
      if (job.member !== member) continue;
      this.queue.splice(i, 1);
      job.reject(new ConnectionClosedError(job.exchange.context, { wasSent: false, reason }));
    }
    if (this.current?.job.member === member) {
      this.current.finish({ error: new ConnectionClosedError(this.current.job.exchange.context, { wasSent: true, reason }) });
    }
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        // The first request whose unit is not still owed a late reply (lateReplyWindows.ts).
        const now = performance.now();
        const ready = this.queue.findIndex((job) => !this.lateReplies.isOpen(job.exchange.unitId, now));
        if (ready < 0) await this.lateReplies.waitForOne();
        else await this.execute(this.queue.splice(ready, 1)[0]);
      }
    } finally {
      this.running = false;
    }
  }

  private async execute(job: Job): Promise<void> {
    const { exchange } = job;
    const wait = this.lastActivity + Math.max(this.options.silenceMs, job.minGapMs) - performance.now();
    if (wait > 0) await preciseDelay(wait);
    const link = this.link;
    const notOpen = () => new ConnectionClosedError(exchange.context, { wasSent: false, reason: this.lostReason ?? `${this.options.key} is not open` });
    if (!link?.isOpen || !this.members.has(job.member)) return job.reject(notOpen());
    await link.discardInput();
    const frame =
      this.options.framing === 'rtu' ? encodeRtuFrame(exchange.unitId, exchange.pdu) : encodeAsciiFrame(exchange.unitId, exchange.pdu);
    const outcome = await new Promise<{ frame: UnitPdu } | { error: Error }>((finish) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (result: { frame: UnitPdu } | { error: Error }) => {
        clearTimeout(timer);
        if (this.current?.job === job) this.current = undefined;
        finish(result);
      };
      this.current = { job, finish: done };
      this.report('tx', frame, job.member.device, exchange.unitId, undefined, exchange.correlation);
      if (!link.send(frame)) return done({ error: notOpen() });
      if (exchange.unitId === BROADCAST_UNIT) {
        // Nobody answers a broadcast; give the devices the time to act on it.
        timer = setTimeout(() => done({ frame: { unitId: 0, pdu: Buffer.alloc(0) } }), this.options.wireTimeMs(frame.length));
        return;
      }
      // The timeout counts from the moment the request goes out, including its own wire time.
      timer = setTimeout(
        () => done({ error: new TimeoutError(exchange.context, exchange.timeoutMs) }),
        exchange.timeoutMs + this.options.wireTimeMs(frame.length),
      );
    });
    // A reply set lastActivity when its last byte came (it settles t3.5 later); a timeout or a broadcast ends now.
    if ('error' in outcome || exchange.unitId === BROADCAST_UNIT) this.lastActivity = performance.now();
    if ('error' in outcome) {
      if (outcome.error instanceof TimeoutError) this.lateReplies.open(exchange.unitId, exchange.timeoutMs);
      return job.reject(outcome.error);
    }
    if (exchange.unitId === BROADCAST_UNIT) return settle(job, () => broadcastResult(exchange.request, exchange.context));
    settle(job, () => decodeReply(outcome.frame.pdu, exchange.request, exchange.context));
  }

  private receive(wire: Buffer): void {
    this.lastActivity = performance.now();
    let frame: UnitPdu;
    if (this.options.framing === 'rtu') frame = decodeRtuFrame(wire);
    else {
      const decoded = decodeAsciiFrame(wire);
      if (!decoded.ok) return this.report('rx', wire, undefined, undefined, `${decoded.error}: dropped`);
      frame = decoded.frame;
    }
    const current = this.current;
    if (current && current.job.exchange.unitId === frame.unitId) {
      // A frame ends with t3.5 of silence (the RTU spec's own rule; the splitter cuts by
      // length and CRC, sooner). A reply followed within it by another from the same
      // unit was a late reply to an earlier request, written together with this one's
      // (RTU has no transaction id to tell them apart): settle on the last once the line
      // has been quiet for t3.5. The next request waits t3.5 anyway, so polling loses
      // no time to this.
      const earlier = this.arrived;
      const arrived = { wire, frame, current };
      this.arrived = arrived;
      if (earlier) {
        this.report('rx', earlier.wire, current.job.member.device, frame.unitId, 'followed at once by another reply from this unit (a late reply sent with this one): dropped');
      }
      // preciseDelay: a timer's millisecond of slack would be a third of a request at 115200 baud.
      // setImmediate after it: bytes already waiting in the kernel are read before the reply is settled.
      void preciseDelay(this.options.silenceMs).then(() => setImmediate(() => this.arrived === arrived && this.settleArrived()));
      return;
    }
    this.lateReplies.close(frame.unitId);
    const owner = [...this.members].find((member) => member.unitId === frame.unitId);
    owner?.countStale();
    this.options.logger.log('debug', `dropped a frame from unit ${frame.unitId}: no request to it is waiting (late or unexpected)`);
    this.report('rx', wire, owner?.device, frame.unitId, 'no request to this unit is waiting (late or unexpected): dropped');
  }

  /** Hand the last reply that arrived to the request it answers, if that request still waits. */
  private settleArrived(): void {
    const last = this.arrived;
    this.arrived = undefined;
    if (!last) return;
    if (this.current !== last.current) {
      this.report('rx', last.wire, last.current.job.member.device, last.frame.unitId, 'arrived after its request was given up: dropped');
      return;
    }
    this.report('rx', last.wire, last.current.job.member.device, last.frame.unitId);
    last.current.finish({ frame: last.frame });
  }

  private report(
    direction: 'rx' | 'tx',
    bytes: Buffer,
    device: string | undefined,
    unitId: number | undefined,
    note?: string,
    correlation?: string,
  ): void {
    this.options.onFrame?.({
      direction,
      timestamp: frameTimestamp(),
      bytes,
      link: this.link?.name ?? this.options.key,
      ...(device === undefined ? {} : { device }),
      ...(unitId === undefined ? {} : { unitId }),
      ...(note === undefined ? {} : { note }),
      ...(correlation === undefined ? {} : { correlation }),
    });
  }
}

function settle(job: Job, decode: () => ExchangeResponse): void {
  try {
    job.resolve(decode());
  } catch (error) {
    job.reject(error as Error);
  }
}

/** What a write to unit 0 "returns": the echo a device would have sent. Reads cannot be broadcast. */
function broadcastResult(request: ExchangeRequest, context: RequestContext): ModbusResponse {
  const noReply = () => new FrameError(context, 'a write: unit 0 is broadcast on a serial bus and no device answers it');
  if (isOpaque(request)) throw noReply();
  switch (request.functionCode) {
    case FunctionCode.WriteSingleCoil:
    case FunctionCode.WriteSingleRegister:
      return { functionCode: request.functionCode, address: request.address, value: request.value } as ModbusResponse;
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters:
      return { functionCode: request.functionCode, address: request.address, quantity: request.values.length };
    default:
      throw noReply();
  }
}

/** One device's place on a bus: the Connection its session talks through. */
export class BusMember implements Connection {
  private stale = 0;
  private gone = false;
  private lostListener: LostListener = () => {};

  constructor(
    private readonly bus: SerialBus,
    readonly device: string,
    readonly unitId: number,
    private readonly minGapMs: number,
  ) {}

  get name(): string {
    return this.bus.options.key;
  }

  get staleReplies(): number {
    return this.stale;
  }

  countStale(): void {
    this.stale++;
  }

  onLost(listener: LostListener): void {
    this.lostListener = listener;
  }

  exchange(exchange: Exchange): Promise<ExchangeResponse> {
    if (this.gone) return Promise.reject(new ConnectionClosedError(exchange.context, { wasSent: false, reason: 'not on the bus' }));
    return new Promise((resolve, reject) => this.bus.enqueue({ member: this, exchange, minGapMs: this.minGapMs, resolve, reject }));
  }

  close(reason: string): void {
    this.gone = true;
    this.bus.leave(this, reason);
  }

  /** @internal SerialBus: the link is gone. */
  lost(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    // A bus never gives up on a silent member by itself: its link going is always the link.
    this.lostListener(reason, 'link');
  }
}

/** Buses by key: every device on one port path shares one. */
export class SerialBuses {
  private readonly buses = new Map<string, SerialBus>();

  get(options: SerialBusOptions): SerialBus {
    let bus = this.buses.get(options.key);
    if (!bus) {
      const created = new SerialBus(options);
      created.onIdle = () => {
        if (this.buses.get(options.key) === created) this.buses.delete(options.key);
      };
      this.buses.set(options.key, created);
      bus = created;
    }
    return bus;
  }

  get size(): number {
    return this.buses.size;
  }
}
