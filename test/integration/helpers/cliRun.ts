/** One run of a one-shot `bifrost-gateway` command (the shipped bundle), to its exit: code, stdout, stderr. */
import { execFile } from 'node:child_process';
import { GATEWAY_JS } from './tools';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [GATEWAY_JS, ...args], { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(new Error(`bifrost-gateway ${args.join(' ')} did not exit by itself (${error.message}):\n${stderr}`));
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** The table's rows as cells (split on two or more spaces), header first. */
export function tableRows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split(/ {2,}/));
}
