/**
 * Recording the capture to disk: every frame the ring takes from the moment
 * recording starts, written as pcapng (the packets exportPcap makes), in files that
 * rotate by size and are bounded in number. The ring keeps the last 10,000 frames;
 * a recording keeps a whole night.
 *
 * Writes are batched (every 200 ms, or at once past 256 KiB) and synchronous: the
 * memory held is one batch, whatever the disk's speed. A write that fails (disk
 * full, folder removed) stops the recording with the reason in its status.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CapturedFrame, RecordingStatus, RecordParams } from '../api/capture';
import type { Logger } from '../engine/logger';
import { SyntheticPackets } from './pcap';
import { pcapngFileHeader, pcapngPacket } from './pcapng';
import type { CaptureRing } from './ring';

const FLUSH_INTERVAL_MS = 200;
const FLUSH_BYTES = 256 * 1024;
export const DEFAULT_KEEP_FILES = 10;

/** The recording cannot start: the message says why, naming the path. */
export class RecordingRefusedError extends Error {
  readonly code = 'recordingRefused';

  constructor(message: string) {
    super(message);
    this.name = 'RecordingRefusedError';
  }
}

interface Recording {
  options: RecordParams;
  packets: SyntheticPackets;
  unsubscribe: () => void;
  fd?: number;
  fileBytes: number;
  /** Files on disk, oldest first. */
  files: string[];
  filesWritten: number;
  bytes: number;
  frames: number;
  pending: Buffer[];
  pendingBytes: number;
  timer?: NodeJS.Timeout;
}

export class CaptureRecorder {
  private recording?: Recording;
  private last: RecordingStatus = { recording: false, files: [], filesWritten: 0, bytes: 0, frames: 0 };

  constructor(
    private readonly ring: CaptureRing,
    private readonly logger: Logger,
    private readonly application = 'Bifrost gateway',
  ) {}

  get active(): boolean {
    return this.recording !== undefined;
  }

  status(): RecordingStatus {
    const r = this.recording;
    if (!r) return this.last;
    return { recording: true, path: r.options.path, files: [...r.files], filesWritten: r.filesWritten, bytes: r.bytes, frames: r.frames };
  }

  /** Start recording; RecordingRefusedError if one runs already or the first file cannot be created. */
  start(options: RecordParams): RecordingStatus {
    if (this.recording) throw new RecordingRefusedError(`already recording to ${this.recording.options.path}: stop that recording first`);
    if (!path.isAbsolute(options.path)) throw new RecordingRefusedError(`cannot record to ${options.path}: give an absolute path`);
    if (options.keep !== undefined && options.rotateMb === undefined) {
      throw new RecordingRefusedError('keep bounds the files of a rotation: give rotateMb too');
    }
    const recording: Recording = {
      options,
      packets: new SyntheticPackets(),
      unsubscribe: () => {},
      fileBytes: 0,
      files: [],
      filesWritten: 0,
      bytes: 0,
      frames: 0,
      pending: [],
      pendingBytes: 0,
    };
    try {
      this.openNextFile(recording);
    } catch (error) {
      throw new RecordingRefusedError(`cannot record to ${options.path}: ${(error as Error).message}`);
    }
    this.recording = recording;
    recording.unsubscribe = this.ring.subscribe((frame) => this.take(recording, frame));
    const rotation = options.rotateMb === undefined ? '' : ` (a new file every ${options.rotateMb} MiB, the newest ${options.keep ?? DEFAULT_KEEP_FILES} kept)`;
    this.logger.log('info', `recording the capture to ${options.path}${rotation}`);
    return this.status();
  }

  /** Flush, close and stop; the final status. */
  stop(): RecordingStatus {
    const recording = this.recording;
    if (!recording) return this.last;
    this.finish(recording);
    this.logger.log('info', `recording stopped: ${this.last.frames} frames, ${this.last.bytes} bytes in ${this.last.filesWritten} file(s)`);
    return this.last;
  }

  private take(recording: Recording, frame: CapturedFrame): void {
    const data = recording.packets.packet(frame);
    if (!data) return;
    const block = pcapngPacket(frame.ts, data);
    recording.pending.push(block);
    recording.pendingBytes += block.length;
    recording.frames++;
    if (recording.pendingBytes >= FLUSH_BYTES) this.flush(recording);
    else recording.timer ??= setTimeout(() => this.flush(recording), FLUSH_INTERVAL_MS);
  }

  private flush(recording: Recording): void {
    clearTimeout(recording.timer);
    recording.timer = undefined;
    if (recording.pending.length === 0 || this.recording !== recording) return;
    const blocks = recording.pending;
    recording.pending = [];
    recording.pendingBytes = 0;
    const limit = rotateBytes(recording.options);
    try {
      for (const block of blocks) {
        if (recording.fileBytes + block.length > limit) this.openNextFile(recording);
        this.write(recording, block);
      }
    } catch (error) {
      const reason = `recording stopped: cannot write ${recording.files.at(-1) ?? recording.options.path}: ${(error as Error).message}`;
      this.logger.log('error', reason);
      this.finish(recording, reason);
    }
  }

  private write(recording: Recording, data: Buffer): void {
    for (let offset = 0; offset < data.length; ) offset += fs.writeSync(recording.fd!, data, offset);
    recording.fileBytes += data.length;
    recording.bytes += data.length;
  }

  /** Close the current file (if any), start the next with its headers, delete what `keep` no longer holds. */
  private openNextFile(recording: Recording): void {
    if (recording.fd !== undefined) fs.closeSync(recording.fd);
    recording.fd = undefined;
    const file = fileName(recording.options, recording.filesWritten + 1);
    recording.fd = fs.openSync(file, 'w');
    recording.files.push(file);
    recording.filesWritten++;
    recording.fileBytes = 0;
    this.write(recording, pcapngFileHeader(this.application));
    if (recording.options.rotateMb === undefined) return;
    const keep = recording.options.keep ?? DEFAULT_KEEP_FILES;
    while (recording.files.length > keep) {
      const oldest = recording.files.shift()!;
      fs.rmSync(oldest, { force: true });
    }
  }

  private finish(recording: Recording, error?: string): void {
    recording.unsubscribe();
    if (!error) this.flush(recording);
    clearTimeout(recording.timer);
    if (recording.fd !== undefined) {
      try {
        fs.closeSync(recording.fd);
      } catch {
        // Closing a file whose write failed may fail the same way; the error is already reported.
      }
    }
    this.last = {
      recording: false,
      path: recording.options.path,
      files: [...recording.files],
      filesWritten: recording.filesWritten,
      bytes: recording.bytes,
      frames: recording.frames,
      ...(error ? { error } : {}),
    };
    this.recording = undefined;
  }
}

/** Bytes after which the next file starts (a file holds its headers and at least one packet, whatever the size). */
function rotateBytes(options: RecordParams): number {
  return options.rotateMb === undefined ? Infinity : Math.floor(options.rotateMb * 1024 * 1024);
}

/** The path itself without rotation; numbered after it with: /x/trace.pcapng → /x/trace_00001.pcapng. */
function fileName(options: RecordParams, index: number): string {
  if (options.rotateMb === undefined) return options.path;
  const extension = path.extname(options.path) || '.pcapng';
  const stem = options.path.slice(0, options.path.length - path.extname(options.path).length);
  return `${stem}_${String(index).padStart(5, '0')}${extension}`;
}
