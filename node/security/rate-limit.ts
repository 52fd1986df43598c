/**
 * Token buckets per key (originator and topic), in a bounded map: a flood from many
 * fresh PeerIds evicts the least recently used buckets instead of growing memory.
 */
import { MAX_RATE_BUCKETS } from './constants.js'

export interface RateLimiterInit {
  /** tokens added per second */
  ratePerSecond: number
  /** bucket size */
  burst: number
  /** @default 4096 */
  maxBuckets?: number
  /** Unix ms @default Date.now */
  now?: () => number
}

interface Bucket { tokens: number, at: number, over: number }

/** 'ok'; or not, with the sender's current excess (messages over the limit, draining at the sustained rate). */
export type RateVerdict = { ok: true } | { ok: false, over: number }

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly init: RateLimiterInit
  private readonly now: () => number
  private readonly maxBuckets: number

  constructor (init: RateLimiterInit) {
    this.init = init
    this.now = init.now ?? Date.now
    this.maxBuckets = init.maxBuckets ?? MAX_RATE_BUCKETS
  }

  get size (): number { return this.buckets.size }

  take (key: string): RateVerdict {
    const now = this.now()
    let b = this.buckets.get(key)
    if (b === undefined) {
      b = { tokens: this.init.burst, at: now, over: 0 }
      if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value as string)
    } else {
      // re-insert: Map order is the eviction order
      this.buckets.delete(key)
      const refill = (now - b.at) * this.init.ratePerSecond / 1000
      b.tokens = Math.min(this.init.burst, b.tokens + refill)
      // the excess drains at the sustained rate: only a sender persistently over it climbs
      b.over = Math.max(0, b.over - refill)
      b.at = now
    }
    this.buckets.set(key, b)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return { ok: true }
    }
    b.over++
    return { ok: false, over: b.over }
  }

  clear (): void { this.buckets.clear() }
}
