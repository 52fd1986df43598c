/**
 * One-process mode over several cores. A JavaScript thread saturates one core
 * long before the machine does: 50 ecco-peers kept one event loop busy while
 * the second core idled. `createShardRuntime` spreads the peers over worker
 * threads of the orchestrator's process ("shards", each with its own event
 * loop, heap and link emulator) and gives the engine the same runtime
 * contract as multi-process mode: link changes reach every shard in order,
 * handles answer from each shard's latest snapshot, and a shard that dies
 * takes its peers with it as faults. Vehicles stay in the orchestrator.
 */
import { cpus } from 'node:os'
import { Worker } from 'node:worker_threads'
import { PeerProcessExitedError, ScenarioEventError } from '../errors.js'
import { ControlReplies, settleLinks } from '../process/control.js'
import type { FromShard, PeerView, ShardInit, ShardRequest, StartedPeer, ToShard } from './messages.js'
import type { LinkUpdate } from '../link/emulator.js'
import type { ChildRequest } from '../process/messages.js'
import type { SimPeerFactory, SimPeerHandle, SimPeerSpec, SimPipelineSubmitter, SimProcessStats, SimRecordFn, SimRuntime, SimRuntimeContext, SimSensorHook } from '../types.js'
import type { AbortOptions } from '@libp2p/interface'

export interface ShardRuntimeInit {
  /** path of the compiled shard entry (it calls `runSimShard`) */
  entry: string
  /** worker threads @default the machine's cores */
  shards?: number
  /** handed to each shard's factory builder as is (structured clone) @default undefined */
  childInit?: unknown
  /** runs here before a peer starts, e.g. to create a run's shared key files once @default none */
  beforeStart?: (spec: SimPeerSpec) => Promise<void>
  /** how often a shard reports its peers' metrics, registry views and link counters, ms @default 250 */
  snapshotMs?: number
}

export const DEFAULT_SHARD_SNAPSHOT_MS = 250

/** The orchestrator's side of one shard. */
class ShardHost {
  readonly label: string
  readonly worker: Worker
  /** live peers by incarnation, with their handle's name and id */
  readonly peers = new Map<string, { name: string, peerId: string, record: SimRecordFn }>()
  readonly views = new Map<string, PeerView>()
  /** requests, replies and link acknowledgements of the worker's port */
  readonly replies = new ControlReplies()
  alive = true

  constructor (entry: string, init: ShardInit, private readonly onSnapshot: (m: Extract<FromShard, { type: 'snapshot' }>) => void, private readonly onExit: (host: ShardHost, err: Error) => void) {
    this.label = init.label
    this.worker = new Worker(entry, { workerData: init })
    this.worker.on('message', (m: FromShard) => { this.onMessage(m) })
    this.worker.on('error', (err) => { this.exited(err) })
    this.worker.on('exit', (code) => { this.exited(new PeerProcessExitedError(`${this.label} exited with code ${code}`)) })
  }

  send (m: ToShard): void {
    if (this.alive) this.worker.postMessage(m)
  }

  async request (m: ShardRequest): Promise<unknown> {
    if (!this.alive) throw new PeerProcessExitedError(`cannot ${m.type}: ${this.label} has exited`)
    return await this.replies.request(m, (r) => { this.send(r) })
  }

  private onMessage (m: FromShard): void {
    switch (m.type) {
      case 'snapshot':
        for (const v of m.peers) {
          if (!this.peers.has(v.peer)) continue
          // no list: unchanged since the last view
          this.views.set(v.peer, v.members === undefined ? { ...v, members: this.views.get(v.peer)?.members ?? [] } : v)
        }
        this.onSnapshot(m)
        return
      case 'record': this.peers.get(m.peer)?.record(m.series, m.value, m.fields); return
      case 'links-ack': this.replies.ack(m.seq, m.cut); return
      case 'reply': if (m.ok) this.replies.settle(m.rid, undefined, m.value); else this.replies.settle(m.rid, m.error)
    }
  }

  private exited (err: Error): void {
    if (!this.alive) return
    this.alive = false
    this.replies.end(err)
    this.onExit(this, err)
  }
}

export class ShardRuntime implements SimRuntime {
  readonly mode = 'one-process' as const
  readonly peers: SimPeerFactory
  readonly sensors: SimSensorHook
  readonly pipelines: SimPipelineSubmitter
  private readonly init: ShardRuntimeInit
  private ctx: SimRuntimeContext | undefined
  private hosts: ShardHost[] = []
  /** the shard each peer name runs in (a restart goes back to it) */
  private readonly placement = new Map<string, ShardHost>()
  private readonly incarnations = new Map<string, number>()
  private seq = 0
  private unsubscribe: (() => void) | undefined
  private closing = false

  constructor (init: ShardRuntimeInit) {
    this.init = init
    this.peers = { createPeer: async (spec, options) => await this.createPeer(spec, options) }
    this.sensors = {
      conditionStarted: async (h, condition) => { await this.on(h, { type: 'condition-start', condition }) },
      conditionEnded: async (h, id) => { await this.on(h, { type: 'condition-end', id }) }
    }
    this.pipelines = {
      submit: async (via, file) => {
        const v = await this.on(via, { type: 'submit', file })
        if (typeof v !== 'object' || v === null || typeof (v as { id?: unknown }).id !== 'string') throw new ScenarioEventError(`pipeline submitted through "${via.name}": its shard answered without an id`)
        return { id: (v as { id: string }).id }
      }
    }
  }

  get shards (): number {
    return this.init.shards ?? cpus().length
  }

  /** Starts a run: one worker thread per shard, each with the emulator's state so far. */
  attach (ctx: SimRuntimeContext): void {
    this.ctx = ctx
    this.closing = false
    this.placement.clear()
    this.incarnations.clear()
    this.seq = 0
    this.unsubscribe?.()
    this.unsubscribe = ctx.emulator.onUpdate(u => { this.sendLinks(u) })
    const updates = ctx.emulator.updates()
    this.hosts = Array.from({ length: this.shards }, (_, i) => new ShardHost(this.init.entry, {
      label: `shard-${i + 1}`,
      links: ctx.links,
      updates,
      snapshotMs: this.init.snapshotMs ?? DEFAULT_SHARD_SNAPSHOT_MS,
      childInit: this.init.childInit
    }, (s) => { ctx.emulator.setRemote(`shard-${i + 1}`, s.links, s.openConnections) }, (host, err) => { this.shardExited(host, err) }))
  }

  /** Sends a message to every shard's factories (`onBroadcast`). */
  broadcast (kind: string, payload: unknown): void {
    for (const h of this.hosts) h.send({ type: 'broadcast', kind, payload })
  }

  async settleLinks (options: AbortOptions = {}): Promise<{ cutConnections: number }> {
    return await settleLinks(this.hosts.map(h => h.replies), this.seq, options)
  }

  /**
   * Link-probe round trips measured inside every shard at once, for
   * `durationMs`: how well emulated delays hold on each shard's event loop.
   */
  async probe (durationMs: number, intervalMs = 100): Promise<number[][]> {
    return await Promise.all(this.hosts.map(async h => await h.request({ type: 'probe', durationMs, intervalMs }) as number[]))
  }

  /** The shard a peer runs (or last ran) in, e.g. `shard-2`. */
  shardOf (name: string): string | undefined {
    return this.placement.get(name)?.label
  }

  /** The shards are threads of this process: the orchestrator's own figures include them. */
  processes (): SimProcessStats[] {
    return []
  }

  async close (): Promise<void> {
    this.closing = true
    this.unsubscribe?.()
    await Promise.all(this.hosts.map(async h => {
      await h.request({ type: 'close' }).catch(() => {})
      this.ctx?.emulator.remoteClosed(h.label)
      await h.worker.terminate()
    }))
  }

  private host (h: SimPeerHandle): ShardHost {
    const host = this.placement.get(h.name)
    if (host === undefined || !host.alive) throw new PeerProcessExitedError(`peer "${h.name}" has no running shard`)
    return host
  }

  /** A request about the current incarnation of `h`'s peer. */
  private async on (h: SimPeerHandle, m: ChildRequest): Promise<unknown> {
    return await this.host(h).request({ ...m, peer: `${h.name}#${this.incarnations.get(h.name) ?? 0}` })
  }

  private sendLinks (update: LinkUpdate): void {
    const seq = ++this.seq
    for (const h of this.hosts) h.send({ type: 'links', seq, update })
  }

  /** The live shard with the fewest peers placed (starting ones included), for a peer that never ran. */
  private pick (): ShardHost {
    const placed = new Map<ShardHost, number>()
    for (const h of this.placement.values()) placed.set(h, (placed.get(h) ?? 0) + 1)
    const live = this.hosts.filter(h => h.alive)
    if (live.length === 0) throw new PeerProcessExitedError('no shard is running')
    return live.reduce((a, b) => (placed.get(b) ?? 0) < (placed.get(a) ?? 0) ? b : a)
  }

  private shardExited (host: ShardHost, err: Error): void {
    this.ctx?.emulator.remoteClosed(host.label)
    if (this.closing) return
    for (const p of host.peers.values()) this.ctx?.onPeerExit(p.name, p.peerId, `${host.label} died: ${err.message}`)
    host.peers.clear()
  }

  private async createPeer (spec: SimPeerSpec, options: AbortOptions = {}): Promise<SimPeerHandle> {
    if (this.ctx === undefined) throw new ScenarioEventError('shard runtime used before the engine attached it')
    options.signal?.throwIfAborted()
    await this.init.beforeStart?.(spec)
    const host = this.placement.get(spec.name) ?? this.pick()
    this.placement.set(spec.name, host)
    const n = (this.incarnations.get(spec.name) ?? 0) + 1
    this.incarnations.set(spec.name, n)
    const peer = `${spec.name}#${n}`
    const { transportWrapper: _t, record, ...data } = spec
    const started = await host.request({ type: 'start', peer, spec: data }) as StartedPeer
    host.peers.set(peer, { name: spec.name, peerId: started.peerId, record })
    host.views.set(peer, started.view)
    const end = async (type: 'stop' | 'kill'): Promise<void> => {
      if (!host.peers.has(peer)) return
      try {
        await host.request({ type, peer })
      } finally {
        host.peers.delete(peer)
        host.views.delete(peer)
      }
    }
    const view = (): PeerView | undefined => host.views.get(peer)
    return {
      name: spec.name,
      peerId: started.peerId,
      multiaddrs: started.multiaddrs,
      stop: async () => { await end('stop') },
      kill: async () => { await end('kill') },
      metrics: () => ({ ...view()?.metrics }),
      registryDigest: () => view()?.digest ?? '',
      registryMembers: () => view()?.members ?? [],
      liveNeighbours: () => view()?.neighbours ?? []
    }
  }
}

/** A shard runtime; its `peers`, `sensors` and `pipelines` go into the factories with it as `runtime`. */
export function createShardRuntime (init: ShardRuntimeInit): ShardRuntime {
  return new ShardRuntime(init)
}
