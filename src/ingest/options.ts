/**
 * Validation of the ingestion options shared by fromText and fromPdf. null or
 * undefined mean defaults; anything else must satisfy IngestOptionsSchema
 * (an empty id is accepted, as it always has been), or it is a TypeError naming the path.
 */
import * as z from 'zod/mini';
import { assertOptionsObject, schemaTypeError } from '../guards.js';
import { IngestOptionsSchema, type IngestOptions } from '../schemas.js';

const OptionsSchema = z.extend(IngestOptionsSchema, { id: z.optional(z.string().check(z.maxLength(200))) });

export function checkIngestOptions<T extends IngestOptions>(options: T | null | undefined, where: string): T {
  const checked = assertOptionsObject(options, `${where} (options)`);
  const parsed = OptionsSchema.safeParse(checked);
  if (!parsed.success) throw schemaTypeError(`${where} options`, parsed.error);
  // The caller's own objects are used (not zod's stripped copy), so valid options behave exactly as before.
  return checked;
}
