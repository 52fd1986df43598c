/**
 * Stranded inbound bundles (issue 9 item 7, "no bundle lost"): a bundle persisted in this
 * peer's inbound queue for a stage slot this peer does not (or no longer) host is handed on
 * to the slot's host once this peer's placement has settled. Senders whose views disagreed
 * (or moved back and forth during a partition) leave such bundles behind; the senders'
 * re-targeting moves only what they still hold, never what a receiver already acked.
 *
 * "Settled": the placement has not changed for `settleMs`, so a view that is still moving
 * (bids and liveness arriving one by one) does not bounce bundles around. Views that stay
 * apart may still pass a bundle back and forth; the `f/` mark in the queues lets it back in,
 * and each hop moves the one copy (never copies it), until the views agree.
 */
import type { Bundle, Placement } from '../../protocols/index.js'
import { encodeBundle } from '../../protocols/index.js'
import type { RunnerContext } from './context.js'
import type { OutboundEntry } from './queues.js'

/** @default how long a placement must stay unchanged before stranded bundles are handed on (ms) */
export const DEFAULT_FORWARD_SETTLE_MS = 3000
/** a backstop scan of the inbound queue, for bundles no event pointed at */
const FORWARD_SCAN_MS = 5000

/** What the forwarder reads from its pipeline runner. */
export interface StrandedHost {
  readonly id: string
  readonly placement?: Placement
  /** when the placement last changed (ms since epoch) */
  readonly placedAt: number
  readonly ended: boolean
  /** runs `job` after any placement in progress (placement and forwarding never interleave) */
  serialise: (job: () => Promise<void>) => Promise<void>
}

export interface StrandedInit {
  /** @default 3000 */
  settleMs?: number
}

/**
 * The slot host a stranded bundle goes to; undefined: keep it here (this peer hosts the slot,
 * the slot has no live host now, or an older sender's bundle names no slot among several).
 */
export function forwardTarget (b: Bundle, placement: Placement, self: string): string | undefined {
  const slots = placement.stages.get(b.toStage) ?? []
  if (b.toSlot === undefined) {
    // an older sender: one copy per peer, any local slot of the stage takes it
    if (slots.some((s) => s.peer === self) || slots.length !== 1) return undefined
    return slots[0].peer
  }
  const peer = slots.find((s) => s.slot === b.toSlot)?.peer
  return peer === self ? undefined : peer
}

export class StrandedForwarder {
  private readonly settleMs: number
  private timer?: ReturnType<typeof setTimeout>
  private readonly scan: ReturnType<typeof setInterval>
  private readonly self: string

  constructor (private readonly host: StrandedHost, private readonly ctx: RunnerContext, init: StrandedInit = {}) {
    this.settleMs = init.settleMs ?? DEFAULT_FORWARD_SETTLE_MS
    this.self = ctx.peer.peerId.toString()
    this.scan = setInterval(() => { this.schedule() }, FORWARD_SCAN_MS)
    this.scan.unref?.()
  }

  /** A check once the placement has been stable for settleMs (one pending at a time). */
  schedule (): void {
    if (this.timer !== undefined || this.host.ended || this.host.placement === undefined) return
    const wait = Math.max(0, this.host.placedAt + this.settleMs - Date.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.host.serialise(async () => { await this.check() })
    }, wait)
    this.timer.unref?.()
  }

  /** Hands every stranded inbound bundle of the pipeline to its slot's host. */
  async check (): Promise<number> {
    const p = this.host.placement
    if (this.host.ended || p === undefined) return 0
    // moved again since the check was scheduled: wait for it to settle
    if (Date.now() - this.host.placedAt < this.settleMs) { this.schedule(); return 0 }
    const moves: OutboundEntry[] = []
    for (const e of await this.ctx.queues.inbound(this.host.id)) {
      const b = this.ctx.decode(e.bytes)
      if (b === undefined) continue
      const target = forwardTarget(b, p, this.self)
      if (target === undefined) continue
      moves.push({ target, key: e.key, bytes: encodeBundle({ ...b, forwards: (b.forwards ?? 0) + 1 }) })
    }
    if (moves.length === 0) return 0
    const moved = await this.ctx.forward(this.host.id, moves)
    const byTarget = new Map<string, string[]>()
    for (const m of moved) byTarget.set(m.target, [...(byTarget.get(m.target) ?? []), m.key])
    for (const [target, keys] of byTarget) this.ctx.emit('pipeline:forwarded', { pipelineId: this.host.id, target, keys })
    return moved.length
  }

  stop (): void {
    clearTimeout(this.timer)
    this.timer = undefined
    clearInterval(this.scan)
  }
}
