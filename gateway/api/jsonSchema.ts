/**
 * The JSON schema for `bifrost.json`, generated from the zod schema so the editor's
 * completion and checks can never drift from what the gateway accepts. The build
 * writes it to dist/bifrost.schema.json; the manifest's `jsonValidation` points there.
 */
import { z } from 'zod';
import { BifrostConfig } from './config';

export function bifrostJsonSchema(): Record<string, unknown> {
  // `io: 'input'` describes what a user writes (defaults make fields optional),
  // not the parsed shape the gateway works with.
  const schema = z.toJSONSchema(BifrostConfig, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'Bifrost workspace configuration (bifrost.json)' };
}
