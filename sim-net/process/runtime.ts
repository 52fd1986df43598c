/**
 * Multi-process mode: every peer in its own OS process. `createProcessRuntime`
 * returns a peer factory that forks the given entry (a compiled file calling
 * `runSimPeerChild` with the real factories) once per peer start, sensor and
 * pipeline hooks that forward to the peer's process, and the `SimRuntime` the
 * engine drives: link changes go to every peer process, per-process CPU,
 * RSS and event-loop delay come back, and an exit nobody asked for becomes a
 * fault. Every child is SIGKILLed when this process exits, and each child
 * exits by itself when its IPC channel closes, so none outlives a crashed
 * orchestrator.
 */
import { PeerProcessExitedError, ScenarioEventError } from '../errors.js'
import { settleLinks } from './control.js'
import { PeerProcess } from './peer-process.js'
import type { LinkUpdate } from '../link/emulator.js'
import type { SimPeerFactory, SimPeerHandle, SimPeerSpec, SimPipelineSubmitter, SimProcessStats, SimRuntime, SimRuntimeContext, SimSensorHook } from '../types.js'
import type { AbortOptions } from '@libp2p/interface'

export interface ProcessRuntimeInit {
  /** path of the compiled peer-process entry (it calls `runSimPeerChild`) */
  entry: string
  /** handed to the child's factory builder as is (structured clone) @default undefined */
  childInit?: unknown
  /** runs here before a peer's process is forked, e.g. to create a run's shared key files once @default none */
  beforeStart?: (spec: SimPeerSpec) => Promise<void>
  /** how often a child reports metrics, registry view and link counters, ms @default 250 */
  snapshotMs?: number
  /** a child that has not started its peer by then is killed, ms @default 60000 */
  startTimeoutMs?: number
  /** a graceful stop that takes longer ends in SIGKILL, ms @default 10000 */
  stopTimeoutMs?: number
  /** node flags of the children @default [] */
  execArgv?: string[]
}

export const DEFAULT_SNAPSHOT_MS = 250
const DEFAULT_START_TIMEOUT_MS = 60_000
const DEFAULT_STOP_TIMEOUT_MS = 10_000

export class ProcessRuntime implements SimRuntime {
  readonly mode = 'multi-process' as const
  readonly peers: SimPeerFactory
  readonly sensors: SimSensorHook
  readonly pipelines: SimPipelineSubmitter
  private readonly init: ProcessRuntimeInit
  private ctx: SimRuntimeContext | undefined
  /** every process of the current run */
  private all: PeerProcess[] = []
  /** the current process of each peer */
  private readonly current = new Map<string, PeerProcess>()
  private readonly incarnations = new Map<string, number>()
  private seq = 0
  private unsubscribe: (() => void) | undefined
  private hooked = false
  private readonly killAllSync = (): void => { for (const p of this.all) if (p.alive) p.child.kill('SIGKILL') }

  constructor (init: ProcessRuntimeInit) {
    this.init = init
    this.peers = { createPeer: async (spec, options) => await this.createPeer(spec, options) }
    this.sensors = {
      conditionStarted: async (h, condition) => { await this.of(h).request({ type: 'condition-start', condition }) },
      conditionEnded: async (h, id) => { await this.of(h).request({ type: 'condition-end', id }) }
    }
    this.pipelines = {
      submit: async (via, file) => {
        const v = await this.of(via).request({ type: 'submit', file })
        if (typeof v !== 'object' || v === null || typeof (v as { id?: unknown }).id !== 'string') throw new ScenarioEventError(`pipeline submitted through "${via.name}": its process answered without an id`)
        return { id: (v as { id: string }).id }
      }
    }
  }

  /** Starts a run: the processes of an earlier run (closed by then) are forgotten. */
  attach (ctx: SimRuntimeContext): void {
    this.ctx = ctx
    this.all = []
    this.current.clear()
    this.incarnations.clear()
    this.seq = 0
    this.unsubscribe?.()
    this.unsubscribe = ctx.emulator.onUpdate(u => { this.sendLinks(u) })
  }

  /** Sends a message to every live peer process (their factories' `onBroadcast`). */
  broadcast (kind: string, payload: unknown): void {
    for (const p of this.current.values()) p.send({ type: 'broadcast', kind, payload })
  }

  async settleLinks (options: AbortOptions = {}): Promise<{ cutConnections: number }> {
    return await settleLinks([...this.current.values()].filter(p => p.alive).map(p => p.replies), this.seq, options)
  }

  processes (): SimProcessStats[] {
    const sim = this.ctx?.simTime ?? ((t: number) => t)
    return this.all.map(p => ({ ...p.stats, startedAtMs: sim(p.stats.startedAtMs), ...(p.stats.endedAtMs === undefined ? {} : { endedAtMs: sim(p.stats.endedAtMs) }) }))
  }

  async close (): Promise<void> {
    this.unsubscribe?.()
    await Promise.all(this.all.map(async p => { await p.kill() }))
    process.removeListener('exit', this.killAllSync)
    this.hooked = false
  }

  private of (h: SimPeerHandle): PeerProcess {
    const p = this.current.get(h.name)
    if (p === undefined || !p.alive) throw new PeerProcessExitedError(`peer "${h.name}" has no running process`)
    return p
  }

  private sendLinks (update: LinkUpdate): void {
    const seq = ++this.seq
    for (const p of this.current.values()) p.send({ type: 'links', seq, update })
  }

  private async createPeer (spec: SimPeerSpec, options: AbortOptions = {}): Promise<SimPeerHandle> {
    const ctx = this.ctx
    if (ctx === undefined) throw new ScenarioEventError('multi-process runtime used before the engine attached it')
    options.signal?.throwIfAborted()
    await this.init.beforeStart?.(spec)
    const n = (this.incarnations.get(spec.name) ?? 0) + 1
    this.incarnations.set(spec.name, n)
    if (!this.hooked) { process.on('exit', this.killAllSync); this.hooked = true }
    const p = new PeerProcess({
      entry: this.init.entry,
      execArgv: this.init.execArgv ?? [],
      spec,
      start: { incarnation: `${spec.name}#${n}`, links: ctx.links, updates: ctx.emulator.updates(), snapshotMs: this.init.snapshotMs ?? DEFAULT_SNAPSHOT_MS, childInit: this.init.childInit },
      onSnapshot: (proc, s) => { ctx.emulator.setRemote(proc.incarnation, s.links, s.openConnections) },
      onExit: (proc, unexpected, message) => {
        ctx.emulator.remoteClosed(proc.incarnation)
        if (unexpected && proc.peerId !== '') ctx.onPeerExit(proc.name, proc.peerId, message)
      }
    })
    this.all.push(p)
    this.current.set(spec.name, p)
    // the child's link state was copied at fork; later changes reach it as `links` messages, in order
    p.replies.ackedSeq = this.seq
    const timeout = setTimeout(() => { p.child.kill('SIGKILL') }, this.init.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)
    const abort = (): void => { p.child.kill('SIGKILL') }
    options.signal?.addEventListener('abort', abort, { once: true })
    try {
      await p.started()
    } catch (err) {
      await p.kill()
      throw err
    } finally {
      clearTimeout(timeout)
      options.signal?.removeEventListener('abort', abort)
    }
    return p.handle()
  }
}

/** A multi-process runtime; its `peers`, `sensors` and `pipelines` go into the factories with it as `runtime`. */
export function createProcessRuntime (init: ProcessRuntimeInit): ProcessRuntime {
  return new ProcessRuntime(init)
}
