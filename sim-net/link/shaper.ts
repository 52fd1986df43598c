/**
 * When a chunk written into one direction of an emulated link arrives at the
 * other end. Pure arithmetic over the link parameters, a seeded PRNG and the
 * current time, so it is unit-testable without sockets.
 *
 * Model, in order:
 * - bandwidth: a token bucket (rate = bandwidthMbps, depth = burstBytes); a
 *   chunk departs when the bucket holds its size, so a busy link serialises;
 * - delay: latencyMs plus normal jitter (sd = jitterMs), floored at 0; chunks
 *   written within 1 ms of each other share one jitter draw;
 * - loss: the connection is a reliable byte stream, so a lost packet is not
 *   missing data but late data. The chunk is cut into 1460-byte segments; each
 *   segment is lost with probability `loss`. A lost segment followed by at
 *   least three more segments is recovered by fast retransmit (one RTT later);
 *   otherwise it waits for the retransmission timeout, RTT + minRtoMs (Linux'
 *   rule), doubling on each repeated loss. The chunk arrives with its latest
 *   segment;
 * - order: TCP delivers in order, so a chunk never arrives before the one
 *   written before it (jitter and retransmissions cause head-of-line blocking).
 */
import type { Rng } from '../prng.js'
import type { LinkParams } from '../types.js'

export interface ShaperOptions {
  burstBytes: number
  minRtoMs: number
  segmentBytes: number
}

export interface Scheduled {
  /** time (same clock as `now`) at which the chunk is delivered */
  arrival: number
  segments: number
  lostSegments: number
}

export class DirectionShaper {
  private tokens: number
  private tokenTime = 0
  private lastArrival = 0
  private jitterAt = -Infinity
  private jitterDraw = 0
  private readonly rng: Rng
  private readonly opts: ShaperOptions

  constructor (rng: Rng, opts: ShaperOptions) {
    this.rng = rng
    this.opts = opts
    this.tokens = opts.burstBytes
  }

  schedule (now: number, bytes: number, p: LinkParams): Scheduled {
    const depart = this.depart(now, bytes, p.bandwidthMbps)
    const delay = Math.max(0, p.latencyMs + this.jitter(now, p.jitterMs))
    const segments = Math.max(1, Math.ceil(bytes / this.opts.segmentBytes))
    let penalty = 0
    let lostSegments = 0
    if (p.loss > 0) {
      const rtt = 2 * p.latencyMs
      for (let s = 0; s < segments; s++) {
        let extra = 0
        let rto = rtt + this.opts.minRtoMs
        let first = true
        while (this.rng.next() < p.loss) {
          lostSegments++
          // the first loss of a segment with >= 3 segments behind it triggers 3 duplicate ACKs
          if (first && segments - s - 1 >= 3) extra += Math.max(rtt, 1)
          else { extra += rto; rto *= 2 }
          first = false
        }
        if (extra > penalty) penalty = extra
      }
    }
    const arrival = Math.max(depart + delay + penalty, this.lastArrival)
    this.lastArrival = arrival
    return { arrival, segments, lostSegments }
  }

  /**
   * Chunks written within a millisecond of each other are one burst (a
   * frame header and its body, or a batch of frames) and share one draw;
   * otherwise in-order delivery would turn independent draws into the
   * maximum of several and inflate the mean delay.
   */
  private jitter (now: number, sd: number): number {
    if (sd <= 0) return 0
    if (now - this.jitterAt >= 1) {
      this.jitterDraw = sd * this.rng.normal()
      this.jitterAt = now
    }
    return this.jitterDraw
  }

  private depart (now: number, bytes: number, mbps: number | undefined): number {
    if (mbps === undefined) return now
    const rate = mbps * 125 // bytes per ms
    const t = Math.max(now, this.tokenTime)
    const tokens = Math.min(this.opts.burstBytes, this.tokens + rate * (t - this.tokenTime))
    if (tokens >= bytes) {
      this.tokens = tokens - bytes
      this.tokenTime = t
      return t
    }
    const depart = t + (bytes - tokens) / rate
    this.tokens = 0
    this.tokenTime = depart
    return depart
  }
}
