/**
 * The output consumer of EF instances: accepts outputs in sequence order, drops
 * duplicates by (instance, seq), refuses outputs from an epoch older than one it has
 * seen (fencing), and persists its high-water mark per instance so a restarted sink
 * keeps deduplicating.
 */
import { CheckpointMessage, FencedError, claimWins, type EfOutputRecord } from '../../protocols/index.js'
import type { Sublevel } from '../store.js'

const PREFIX = 'sink/'

export interface SinkState {
  instance: string
  epoch: number
  /** PeerId of the host whose outputs the sink takes at `epoch` */
  host: string
  /** next sequence number expected */
  highWater: number
  received: number
  duplicates: number
  gaps: number
}

export interface SinkOutput {
  instance: string
  epoch: number
  seq: number
  data: Uint8Array
  from: string
}

export class OutputSink {
  private readonly db: Sublevel
  private readonly states = new Map<string, SinkState>()
  private readonly onOutput: (o: SinkOutput) => void

  constructor (db: Sublevel, onOutput: (o: SinkOutput) => void) {
    this.db = db
    this.onOutput = onOutput
  }

  async open (): Promise<void> {
    for await (const [, value] of this.db.iterator({ gte: PREFIX, lt: PREFIX + '\xff' })) {
      try {
        const m = CheckpointMessage.decode(value)
        this.states.set(m.instance, { instance: m.instance, epoch: Number(m.epoch), host: m.reason, highWater: Number(m.highWater), received: 0, duplicates: 0, gaps: 0 })
      } catch { /* a torn record: the host redelivers from its outbox */ }
    }
  }

  list (): SinkState[] {
    return [...this.states.values()].map((s) => ({ ...s }))
  }

  get (instance: string): SinkState | undefined {
    const s = this.states.get(instance)
    return s === undefined ? undefined : { ...s }
  }

  /** Accepts a batch from the host of `epoch`; returns the next sequence expected. */
  async accept (instance: string, epoch: number, outputs: EfOutputRecord[], from: string): Promise<number> {
    let s = this.states.get(instance)
    if (s === undefined) {
      s = { instance, epoch, host: from, highWater: 0, received: 0, duplicates: 0, gaps: 0 }
      this.states.set(instance, s)
    }
    // the same rule as the holders CRDT: higher epoch, then the smaller PeerId
    if (!claimWins({ epoch, host: from }, { epoch: s.epoch, host: s.host }) && !(epoch === s.epoch && from === s.host)) {
      throw new FencedError(`${instance}: outputs of epoch ${epoch} from ${from}, the sink takes epoch ${s.epoch} from ${s.host}`, s.epoch)
    }
    s.epoch = epoch
    s.host = from
    let changed = false
    for (const o of [...outputs].sort((a, b) => Number(a.seq - b.seq))) {
      const seq = Number(o.seq)
      if (seq < s.highWater) { s.duplicates++; continue }
      if (seq > s.highWater) s.gaps++
      s.highWater = seq + 1
      s.received++
      changed = true
      this.onOutput({ instance, epoch, seq, data: o.data, from })
    }
    if (changed) {
      await this.db.put(PREFIX + instance, CheckpointMessage.encode({
        version: 1, kind: CheckpointMessage.Kind.DELIVERED, instance, epoch: BigInt(s.epoch), seq: 0n, checkpoint: new Uint8Array(0),
        outputs: [], highWater: BigInt(s.highWater), error: CheckpointMessage.Error.NONE, reason: s.host, currentEpoch: 0n, replicaSet: [], sentAt: Date.now()
      }))
    }
    return s.highWater
  }
}
