/**
 * The JSON schema for `bifrost.json`, generated from the zod schema so the editor's
 * completion and checks can never drift from what the gateway accepts. The build
 * writes it to dist/bifrost.schema.json; the manifest's `jsonValidation` points there.
 */
import { bifrostInputSchema } from './config';

export function bifrostJsonSchema(): Record<string, unknown> {
  return { ...bifrostInputSchema(), title: 'Bifrost workspace configuration (bifrost.json)' };
}
