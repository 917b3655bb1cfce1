/** Shared-corpus access for tests: tests that need ../shared skip with the loader's own message. */
import { sharedCorpusMissing } from '../../src/corpus/files.js';
import { describe } from 'vitest';

export const sharedMissing = sharedCorpusMissing();

/** `describe` that skips, naming why, when the shared corpus is absent. */
export function describeShared(name: string, body: () => void): void {
  if (sharedMissing) {
    describe.skip(`${name} — skipped: ${sharedMissing}`, body);
  } else {
    describe(name, body);
  }
}
