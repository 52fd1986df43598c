/**
 * The peer side of multi-process mode: one peer per OS process. The
 * orchestrator forks an entry that calls `runSimPeerChild` with node/'s
 * factories; on `start` the child builds the same link emulator as the
 * orchestrator (same table, the orchestrator's addresses, partitions and
 * degradations), starts the peer through the factory over it, reports its
 * records and periodic snapshots (metrics, registry view, link counters,
 * CPU, RSS, event-loop delay), and applies link changes and hook calls as
 * they come. When the IPC channel closes (the orchestrator is gone, however
 * it died) the process exits at once, so no peer is ever orphaned.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { PeerProcessProtocolError } from '../errors.js'
import { createLinkEmulator } from '../link/emulator.js'
import { errorInfo } from './messages.js'
import type { ChildRequest, FromChild, ProcessSample, StartMessage, ToChild } from './messages.js'
import type { LinkEmulator } from '../link/emulator.js'
import type { SimPeerFactory, SimPeerHandle, SimPipelineSubmitter, SimSensorHook } from '../types.js'

/** What a peer process runs: the peer factory and the hooks that act on its peer. */
export interface SimChildFactories {
  peers: SimPeerFactory
  sensors?: SimSensorHook
  pipelines?: SimPipelineSubmitter
  /** messages the orchestrator sends to every peer process (e.g. when a pipeline was submitted) */
  onBroadcast?: (kind: string, payload: unknown) => void
}

/** Builds the child's factories from the orchestrator's `childInit`. */
export type SimChildFactoryBuilder = (childInit: unknown) => SimChildFactories | Promise<SimChildFactories>

/** Snapshots that also carry the emulator's accuracy reservoirs: one in this many. */
const RESERVOIR_EVERY = 8

class PeerChild {
  private readonly build: SimChildFactoryBuilder
  private readonly loop = monitorEventLoopDelay({ resolution: 10 })
  private factories: SimChildFactories | undefined
  private emulator: LinkEmulator | undefined
  private handle: SimPeerHandle | undefined
  private timer: ReturnType<typeof setInterval> | undefined
  private snapshots = 0
  private stopping = false

  constructor (build: SimChildFactoryBuilder) {
    this.build = build
    this.loop.enable()
  }

  send (m: FromChild): void {
    if (process.connected) process.send?.(m)
  }

  /** Sends and resolves when the message has left (before the process exits). */
  async flush (m: FromChild): Promise<void> {
    if (!process.connected) return
    await new Promise<void>(resolve => { process.send?.(m, undefined, undefined, () => { resolve() }) })
  }

  async onMessage (m: ToChild): Promise<void> {
    switch (m.type) {
      case 'start': await this.start(m); return
      case 'links': this.send({ type: 'links-ack', seq: m.seq, cut: this.emulator?.apply(m.update) ?? 0 }); return
      case 'broadcast': this.factories?.onBroadcast?.(m.kind, m.payload); return
      case 'stop': await this.stop(); return
      default: await this.request(m)
    }
  }

  private async request (m: ChildRequest & { rid: number }): Promise<void> {
    try {
      const h = this.handle
      const f = this.factories
      if (h === undefined || f === undefined) throw new PeerProcessProtocolError(`${m.type} before the peer started`)
      let value: unknown
      if (m.type === 'condition-start') await f.sensors?.conditionStarted(h, m.condition)
      else if (m.type === 'condition-end') await f.sensors?.conditionEnded(h, m.id)
      else {
        if (f.pipelines === undefined) throw new PeerProcessProtocolError(`peer "${h.name}": its process has no pipeline submitter`)
        value = await f.pipelines.submit(h, m.file)
      }
      this.send({ type: 'reply', rid: m.rid, ok: true, value })
    } catch (err) {
      this.send({ type: 'reply', rid: m.rid, ok: false, error: errorInfo(err) })
    }
  }

  private async start (m: StartMessage): Promise<void> {
    if (this.emulator !== undefined) throw new PeerProcessProtocolError('start received twice')
    const emulator = createLinkEmulator({ links: m.links.links, nodes: m.links.nodes, seed: m.links.seed, streamLabel: `links:${m.incarnation}` })
    this.emulator = emulator
    for (const u of m.updates) emulator.apply(u)
    try {
      this.factories = await this.build(m.childInit)
      this.handle = await this.factories.peers.createPeer({
        ...m.spec,
        transportWrapper: emulator.transportFor(m.spec.name),
        record: (series, value, fields) => { this.send({ type: 'record', series, value, ...(fields === undefined ? {} : { fields }) }) }
      })
    } catch (err) {
      await this.flush({ type: 'start-failed', error: errorInfo(err) })
      process.exit(1)
    }
    this.snapshot()
    this.send({ type: 'started', peerId: this.handle.peerId, multiaddrs: this.handle.multiaddrs })
    this.timer = setInterval(() => { this.snapshot() }, m.snapshotMs)
  }

  private sample (): ProcessSample {
    const cpu = process.cpuUsage()
    const h = this.loop
    // the histogram's values include its 10 ms sampling resolution
    const ms = (ns: number): number => Number.isFinite(ns) ? Math.max(0, ns / 1e6 - 10) : 0
    return { cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, rssBytes: process.memoryUsage.rss(), eventLoop: { meanMs: ms(h.mean), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) } }
  }

  private snapshot (withReservoir = false): void {
    const h = this.handle
    const e = this.emulator
    if (h === undefined || e === undefined) return
    const reservoir = withReservoir || this.snapshots++ % RESERVOIR_EVERY === 0
    try {
      this.send({ type: 'snapshot', metrics: h.metrics(), digest: h.registryDigest(), members: h.registryMembers(), neighbours: h.liveNeighbours(), links: e.rawCounters(reservoir), openConnections: e.traffic().openConnections, process: this.sample() })
    } catch {
      // a peer half-way through stopping may throw from its metrics; the next snapshot will do
    }
  }

  private async stop (): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    clearInterval(this.timer)
    try {
      await this.handle?.stop()
    } finally {
      this.snapshot(true)
      this.emulator?.close()
      await this.flush({ type: 'stopped' })
      process.exit(0)
    }
  }
}

/**
 * Runs this process as one peer of a multi-process sim-net run, driven over
 * the IPC channel of `child_process.fork`. Resolves once the handlers are in
 * place; the process then lives until the orchestrator stops or kills it.
 */
export async function runSimPeerChild (build: SimChildFactoryBuilder): Promise<void> {
  if (process.send === undefined) throw new PeerProcessProtocolError('sim-net peer process: no IPC channel (it is forked by `sim-net run --processes`, not run by hand)')
  const child = new PeerChild(build)
  // the orchestrator is gone (exited, crashed, killed -9): never outlive it
  process.on('disconnect', () => { process.exit(0) })
  // Ctrl-C on a terminal reaches the whole process group: the orchestrator decides when peers stop
  process.on('SIGINT', () => {})
  process.on('message', (m: ToChild) => {
    child.onMessage(m).catch(err => {
      process.stderr.write(`sim-net peer process: ${errorInfo(err).name}: ${errorInfo(err).message}\n`)
      process.exit(1)
    })
  })
}
