/**
 * Per link class traffic and delivery-accuracy counters. In multi-process
 * mode every peer process shapes its own connections, so the counters travel
 * to the orchestrator as plain `RawClassCounters` and are merged there.
 */
import { ACCURACY_RESERVOIR } from '../constants.js'
import type { Rng } from '../prng.js'

/** What a link class carried: the same in the summary and in the raw counters. */
export interface LinkTraffic {
  connections: number
  bytes: number
  /** chunks written to the socket (a libp2p frame or a batch of frames) */
  messages: number
  segments: number
  lostSegments: number
  refusedDials: number
  cutConnections: number
}

export interface LinkClassStats extends LinkTraffic {
  /** delivery accuracy: actual minus scheduled arrival, ms (the emulator's own error) */
  lateness: { count: number, meanMs: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number }
  /** fraction of sampled chunks whose actual delay was within 10% (or 1 ms) of the scheduled one */
  withinTenPercent: number
}

/** The counters of one class as numbers (structured-clone friendly); `reservoir` may be left out when only traffic is needed. */
export interface RawClassCounters extends LinkTraffic {
  lateCount: number
  lateSum: number
  lateMax: number
  within: number
  reservoir?: number[]
}

/** A delivery `late` ms after its schedule is on time within max(1 ms, 10% of the link's `delay`). */
export function onTime (late: number, delay: number): boolean {
  return Math.abs(late) <= Math.max(1, 0.1 * delay)
}

export class ClassCounters {
  connections = 0; bytes = 0; messages = 0; segments = 0; lostSegments = 0; refusedDials = 0; cutConnections = 0
  lateCount = 0; lateSum = 0; lateMax = 0; within = 0
  reservoir: number[] = []

  addLateness (late: number, delay: number, rng: Rng): void {
    this.lateCount++
    this.lateSum += late
    if (late > this.lateMax) this.lateMax = late
    if (onTime(late, delay)) this.within++
    if (this.reservoir.length < ACCURACY_RESERVOIR) this.reservoir.push(late)
    else {
      const j = Math.floor(rng.next() * this.lateCount)
      if (j < ACCURACY_RESERVOIR) this.reservoir[j] = late
    }
  }

  resetLateness (): void {
    this.lateCount = 0; this.lateSum = 0; this.lateMax = 0; this.within = 0
    this.reservoir = []
  }

  raw (withReservoir: boolean): RawClassCounters {
    const { connections, bytes, messages, segments, lostSegments, refusedDials, cutConnections, lateCount, lateSum, lateMax, within } = this
    return { connections, bytes, messages, segments, lostSegments, refusedDials, cutConnections, lateCount, lateSum, lateMax, within, ...(withReservoir ? { reservoir: [...this.reservoir] } : {}) }
  }

  /** Adds another process' counters (its reservoir samples join this one's). */
  add (r: RawClassCounters): void {
    this.connections += r.connections; this.bytes += r.bytes; this.messages += r.messages; this.segments += r.segments
    this.lostSegments += r.lostSegments; this.refusedDials += r.refusedDials; this.cutConnections += r.cutConnections
    this.lateCount += r.lateCount; this.lateSum += r.lateSum; this.within += r.within
    if (r.lateMax > this.lateMax) this.lateMax = r.lateMax
    if (r.reservoir !== undefined) this.reservoir.push(...r.reservoir)
  }

  snapshot (): LinkClassStats {
    const s = [...this.reservoir].sort((a, b) => a - b)
    const q = (p: number): number => s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(p * s.length))]
    return {
      connections: this.connections, bytes: this.bytes, messages: this.messages, segments: this.segments,
      lostSegments: this.lostSegments, refusedDials: this.refusedDials, cutConnections: this.cutConnections,
      lateness: { count: this.lateCount, meanMs: this.lateCount === 0 ? 0 : this.lateSum / this.lateCount, p50Ms: q(0.5), p95Ms: q(0.95), p99Ms: q(0.99), maxMs: this.lateMax },
      withinTenPercent: this.lateCount === 0 ? 1 : this.within / this.lateCount
    }
  }
}
