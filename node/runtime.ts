/**
 * Process-wide tuning for a process that hosts peers (the bins, the one-process
 * sim and the benches), applied once by the entry point, never by a factory.
 *
 * V8 grows the old generation to up to four times the live heap between full
 * collections when the mutator seems to have CPU to spare. A peer allocates
 * about 1 MB/s while idle (frames, timers, CRDT summaries) but keeps only a few
 * MB live, so the heap sat at ~5x its live size: 20 idle peers in one process
 * held 900 MB resident for 90 MB live. Growing by 25 % instead halves the
 * resident memory at the same idle CPU (measured in bench:mesh).
 */
import { setFlagsFromString } from 'node:v8'

/** old generation growth between full collections, in percent of the live heap */
export const HEAP_GROWING_PERCENT = 25

export function tuneHeapForPeers (percent = HEAP_GROWING_PERCENT): void {
  if (!Number.isInteger(percent) || percent < 1) throw new RangeError(`heap growing percent must be a positive integer, got ${percent}`)
  setFlagsFromString(`--heap-growing-percent=${percent}`)
}
