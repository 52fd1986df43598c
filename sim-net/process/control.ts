/**
 * The orchestrator's bookkeeping for one control channel (a peer process or
 * a shard): requests paired with their replies by id, and the link updates
 * the other side has acknowledged. When the channel ends, everything waiting
 * on it is released: requests with the error, acknowledgement waits at once.
 */
import type { AbortOptions } from '@libp2p/interface'

export interface ReplyError { name: string, message: string }

export class ControlReplies {
  /** the newest link update the other side has applied */
  ackedSeq = 0
  /** connections its link updates cut since the last settle */
  cutSinceSettle = 0
  private readonly pending = new Map<number, { resolve: (v: unknown) => void, reject: (e: Error) => void }>()
  private readonly ackWaiters = new Set<() => void>()
  private nextRid = 1
  private ended: Error | undefined

  /** Sends `m` with a fresh id through `send` and resolves with the reply's value. */
  async request<M extends object> (m: M, send: (m: M & { rid: number }) => void): Promise<unknown> {
    const rid = this.nextRid++
    const reply = this.wait(rid)
    if (this.ended === undefined) send({ ...m, rid })
    return await reply
  }

  /** Resolves with the reply to `rid` (0: a reply the other side sends unasked, like "started"). */
  async wait (rid: number): Promise<unknown> {
    return await new Promise<unknown>((resolve, reject) => {
      if (this.ended !== undefined) { reject(this.ended); return }
      this.pending.set(rid, { resolve, reject })
    })
  }

  /** A reply arrived: an error when `error` is given, else `value`. */
  settle (rid: number, error?: ReplyError, value?: unknown): void {
    const p = this.pending.get(rid)
    if (p === undefined) return
    this.pending.delete(rid)
    if (error === undefined) p.resolve(value); else p.reject(Object.assign(new Error(error.message), { name: error.name }))
  }

  ack (seq: number, cut: number): void {
    this.ackedSeq = Math.max(this.ackedSeq, seq)
    this.cutSinceSettle += cut
    this.wake()
  }

  /** Resolves when link update `seq` is acknowledged or the channel has ended. */
  async acked (seq: number): Promise<void> {
    while (this.ended === undefined && this.ackedSeq < seq) await new Promise<void>(resolve => { this.ackWaiters.add(resolve) })
  }

  /** The channel is gone: every request waiting fails with `err`, later ones too. */
  end (err: Error): void {
    this.ended = err
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
    this.wake()
  }

  private wake (): void {
    for (const w of this.ackWaiters) w()
    this.ackWaiters.clear()
  }
}

/**
 * Waits until every channel has applied link update `seq` (or ended, or the
 * signal aborts), then sums and resets the connections their updates cut.
 */
export async function settleLinks (channels: ControlReplies[], seq: number, options: AbortOptions = {}): Promise<{ cutConnections: number }> {
  const acked = Promise.all(channels.map(async c => { await c.acked(seq) }))
  await (options.signal === undefined ? acked : Promise.race([acked, new Promise<void>(resolve => { options.signal?.addEventListener('abort', () => { resolve() }, { once: true }) })]))
  let cut = 0
  for (const c of channels) { cut += c.cutSinceSettle; c.cutSinceSettle = 0 }
  return { cutConnections: cut }
}
