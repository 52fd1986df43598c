/**
 * Test harness for crdt/: a manual physical clock and a seeded, Yjs-style test network that
 * queues encoded deltas per receiver and delivers them in an order chosen by the test
 * (random picks, duplicates, drops), then flushes everything and exchanges full states.
 */
import fc from 'fast-check'
import { createHybridLogicalClock } from '../../crdt/index.js'
import type { HybridLogicalClock } from '../../crdt/index.js'

/** 2023-11-14T22:13:20Z: a realistic wall clock so stamps look like real ones. */
export const T0 = 1_700_000_000_000

export class ManualTime {
  ms: number
  constructor (ms = T0) {
    this.ms = ms
  }

  readonly now = (): number => this.ms

  advance (ms: number): void {
    this.ms += ms
  }
}

export interface SyncDoc {
  encodeState(): Uint8Array
  mergeBytes(bytes: Uint8Array): unknown
  digest(): string
  encodeSummary(): Uint8Array
  diffBytes(summary: Uint8Array): Uint8Array | undefined
}

export interface TestNetworkInit {
  maxDriftMs?: number
  start?: number
}

export class TestNetwork<D extends SyncDoc> {
  readonly replicas: D[] = []
  readonly times: ManualTime[] = []
  readonly clocks: HybridLogicalClock[] = []
  /** encoded deltas waiting to be delivered, per receiver */
  readonly inbox: Uint8Array[][] = []
  /** every merge result, so tests can assert that nothing was rejected */
  readonly results: unknown[] = []

  constructor (n: number, create: (clock: HybridLogicalClock, index: number) => D, init: TestNetworkInit = {}) {
    for (let i = 0; i < n; i++) {
      const time = new ManualTime(init.start ?? T0)
      const clock = createHybridLogicalClock({ nodeId: `node-${i}` }, { now: time.now, maxDriftMs: init.maxDriftMs ?? 3_600_000 })
      this.times.push(time)
      this.clocks.push(clock)
      this.replicas.push(create(clock, i))
      this.inbox.push([])
    }
  }

  get size (): number {
    return this.replicas.length
  }

  broadcast (from: number, bytes: Uint8Array): void {
    for (let i = 0; i < this.size; i++) if (i !== from) this.inbox[i].push(bytes)
  }

  /** Delivers the pending message `pick` (mod queue length); `keep` leaves it queued as a future duplicate. */
  deliver (to: number, pick: number, keep: boolean): void {
    const queue = this.inbox[to]
    if (queue.length === 0) return
    const i = pick % queue.length
    const bytes = queue[i]
    if (!keep) queue.splice(i, 1)
    this.results.push(this.replicas[to].mergeBytes(bytes))
  }

  drop (to: number, pick: number): void {
    const queue = this.inbox[to]
    if (queue.length > 0) queue.splice(pick % queue.length, 1)
  }

  sendState (from: number, to: number): void {
    if (from !== to) this.results.push(this.replicas[to].mergeBytes(this.replicas[from].encodeState()))
  }

  /** Anti-entropy pull: `to` sends its summary, `from` answers with what `to` lacks. */
  pull (from: number, to: number): void {
    if (from === to) return
    const reply = this.replicas[from].diffBytes(this.replicas[to].encodeSummary())
    if (reply !== undefined) this.results.push(this.replicas[to].mergeBytes(reply))
  }

  /** Moves every physical clock to the latest one (so TTL decisions agree at the end). */
  alignTimes (): void {
    const max = Math.max(...this.times.map(t => t.ms))
    for (const t of this.times) t.ms = max
  }

  /**
   * Delivers every queued message, then two rounds of all-pairs exchange: full states, or
   * summary-driven anti-entropy pulls when `antiEntropy` is set.
   */
  flushAll (antiEntropy = false): void {
    for (let to = 0; to < this.size; to++) {
      while (this.inbox[to].length > 0) this.deliver(to, 0, false)
    }
    for (let round = 0; round < 2; round++) {
      for (let from = 0; from < this.size; from++) {
        for (let to = 0; to < this.size; to++) {
          if (antiEntropy) this.pull(from, to)
          else this.sendState(from, to)
        }
      }
    }
  }

  digests (): string[] {
    return this.replicas.map(r => r.digest())
  }
}

/** One random step of a history, decoded by each test into an operation. */
export interface Step {
  op: number
  replica: number
  key: number
  value: number
  pick: number
  dt: number
  flag: boolean
}

export const stepArb: fc.Arbitrary<Step> = fc.record({
  op: fc.nat(99),
  replica: fc.nat(4),
  key: fc.nat(5),
  value: fc.nat(255),
  pick: fc.nat(1000),
  dt: fc.nat(40),
  flag: fc.boolean()
})

/** A history: 3-5 replicas and up to 80 steps. */
export const historyArb = fc.record({
  n: fc.integer({ min: 3, max: 5 }),
  steps: fc.array(stepArb, { maxLength: 80, size: 'max' }),
  /** end with summary/diff anti-entropy instead of full states */
  antiEntropy: fc.boolean()
})

/** A seed per suite, printed on failure by fast-check together with the counterexample path. */
export const SEEDS = { hlc: 0x5eed_0001, lww: 0x5eed_0002, orSet: 0x5eed_0003, max: 0x5eed_0004, encoding: 0x5eed_0005 }

/**
 * fast-check parameters: fixed seed and run count by default (deterministic CI); a long fuzz
 * run is opt-in, e.g. `CRDT_FUZZ_RUNS=5000 CRDT_SEED=42 node --test dist/test/crdt/*.spec.js`.
 */
export function fcParams (seed: number, numRuns: number): { seed: number, numRuns: number } {
  const runs = Number(process.env.CRDT_FUZZ_RUNS)
  const override = Number(process.env.CRDT_SEED)
  return {
    seed: Number.isInteger(override) && process.env.CRDT_SEED !== undefined ? override + seed : seed,
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : numRuns
  }
}
