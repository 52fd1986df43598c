/**
 * The shard side of one-process mode over several cores: a worker thread
 * hosting many peers on one link emulator, built like the orchestrator's
 * (same table, its addresses, partitions and degradations). It starts,
 * stops and kills peers when asked, answers the hooks' calls on them,
 * applies link changes in order, and reports every peer's counters and
 * registry view plus its emulator's counters in one snapshot per period.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { PeerProcessProtocolError } from '../errors.js'
import { createLinkEmulator } from '../link/emulator.js'
import { errorInfo } from '../process/messages.js'
import { createLinkProbe } from '../testing/probe.js'
import type { FromShard, PeerView, ShardInit, ShardRequest, StartedPeer, ToShard } from './messages.js'
import type { LinkEmulator } from '../link/emulator.js'
import type { SimChildFactories, SimChildFactoryBuilder } from '../process/child.js'
import type { SimPeerHandle } from '../types.js'
import type { MessagePort } from 'node:worker_threads'

/** Snapshots that also carry the emulator's accuracy reservoirs: one in this many. */
const RESERVOIR_EVERY = 8
/** @see Shard.snapshot */
const VIEWS_PER_TURN = 10

/** A peer's view; its member list only when `lastDigest` (its previous view's) differs. */
function view (peer: string, h: SimPeerHandle, lastDigest?: string): PeerView {
  const digest = h.registryDigest()
  return { peer, metrics: h.metrics(), digest, ...(digest === lastDigest ? {} : { members: h.registryMembers() }), neighbours: h.liveNeighbours() }
}

class Shard {
  private readonly port: MessagePort
  private readonly init: ShardInit
  private readonly emulator: LinkEmulator
  private readonly factories: Promise<SimChildFactories>
  /** live peers by incarnation */
  private readonly peers = new Map<string, SimPeerHandle>()
  private readonly timer: ReturnType<typeof setInterval>
  private snapshots = 0
  private snapshotting: Promise<void> | undefined
  /** the digest each peer's last view carried (its member list went with it) */
  private readonly sentDigests = new Map<string, string>()

  constructor (port: MessagePort, init: ShardInit, build: SimChildFactoryBuilder) {
    this.port = port
    this.init = init
    this.emulator = createLinkEmulator({ links: init.links.links, nodes: init.links.nodes, seed: init.links.seed, streamLabel: `links:${init.label}` })
    for (const u of init.updates) this.emulator.apply(u)
    this.factories = Promise.resolve(build(init.childInit))
    this.timer = setInterval(() => { void this.snapshot() }, init.snapshotMs)
  }

  send (m: FromShard): void {
    this.port.postMessage(m)
  }

  onMessage (m: ToShard): void {
    switch (m.type) {
      case 'links': this.send({ type: 'links-ack', seq: m.seq, cut: this.emulator.apply(m.update) }); return
      // a builder that failed answers every request with its error; a broadcast has no one to tell
      case 'broadcast': this.factories.then(f => { f.onBroadcast?.(m.kind, m.payload) }, () => {}); return
      default: void this.request(m)
    }
  }

  private async request (m: ShardRequest & { rid: number }): Promise<void> {
    try {
      this.send({ type: 'reply', rid: m.rid, ok: true, value: await this.answer(m) })
    } catch (err) {
      this.send({ type: 'reply', rid: m.rid, ok: false, error: errorInfo(err) })
    }
  }

  private async answer (m: ShardRequest): Promise<unknown> {
    const f = await this.factories
    if (m.type === 'probe') return await this.probe(m.durationMs, m.intervalMs)
    if (m.type === 'close') { await this.close(); return undefined }
    if (m.type === 'start') {
      if (this.peers.has(m.peer)) throw new PeerProcessProtocolError(`${m.peer} started twice`)
      const h = await f.peers.createPeer({
        ...m.spec,
        transportWrapper: this.emulator.transportFor(m.spec.name),
        record: (series, value, fields) => { this.send({ type: 'record', peer: m.peer, series, value, ...(fields === undefined ? {} : { fields }) }) }
      })
      this.peers.set(m.peer, h)
      const started: StartedPeer = { peerId: h.peerId, multiaddrs: h.multiaddrs, view: view(m.peer, h) }
      this.sentDigests.set(m.peer, started.view.digest)
      return started
    }
    const h = this.peers.get(m.peer)
    if (h === undefined) throw new PeerProcessProtocolError(`${m.type}: ${m.peer} does not run in ${this.init.label}`)
    switch (m.type) {
      case 'stop':
      case 'kill':
        this.peers.delete(m.peer)
        this.sentDigests.delete(m.peer)
        await (m.type === 'stop' ? h.stop() : h.kill())
        return undefined
      case 'condition-start': await f.sensors?.conditionStarted(h, m.condition); return undefined
      case 'condition-end': await f.sensors?.conditionEnded(h, m.id); return undefined
      case 'submit':
        if (f.pipelines === undefined) throw new PeerProcessProtocolError(`peer "${h.name}": its shard has no pipeline submitter`)
        return await f.pipelines.submit(h, m.file)
    }
  }

  /** Echo round trips between two probe nodes of this shard: delay accuracy as this thread's peers see it. */
  private async probe (durationMs: number, intervalMs: number): Promise<number[]> {
    const probe = await createLinkProbe(this.emulator, [`${this.init.label}-probe-a`, `${this.init.label}-probe-b`])
    try {
      return (await probe.sample(durationMs, intervalMs)).rtts
    } finally {
      await probe.stop()
    }
  }

  /**
   * One snapshot per period, VIEWS_PER_TURN peers per event-loop turn: a
   * shard's hundred views at once held its loop for about 50 ms every period
   * (bench:sim's 200 peers, CPU profile of a shard), and every delivery due
   * meanwhile came late. A period whose snapshot is still going is skipped.
   */
  private snapshot (): Promise<void> {
    this.snapshotting ??= this.takeSnapshot().finally(() => { this.snapshotting = undefined })
    return this.snapshotting
  }

  private async takeSnapshot (): Promise<void> {
    const views: PeerView[] = []
    let n = 0
    for (const [peer, h] of [...this.peers]) {
      if (this.peers.get(peer) !== h) continue // stopped while the snapshot was yielding
      try {
        const v = view(peer, h, this.sentDigests.get(peer))
        this.sentDigests.set(peer, v.digest)
        views.push(v)
      } catch {
        // a peer half-way through stopping may throw from its metrics; the next snapshot will do
      }
      if (++n % VIEWS_PER_TURN === 0) await new Promise(resolve => setImmediate(resolve))
    }
    const withReservoir = this.snapshots++ % RESERVOIR_EVERY === 0
    this.send({ type: 'snapshot', peers: views, links: this.emulator.rawCounters(withReservoir), openConnections: this.emulator.traffic().openConnections })
  }

  /** Stops every peer (the orchestrator is closing the run), then the emulator. */
  private async close (): Promise<void> {
    clearInterval(this.timer)
    await Promise.allSettled([...this.peers.values()].map(async h => { await h.stop() }))
    this.peers.clear()
    // the last snapshot (no peers, the emulator's final counters) must not be one skipped
    await this.snapshotting
    await this.snapshot()
    this.emulator.close()
  }
}

/**
 * Runs this worker thread as a shard of a one-process sim-net run. Call it
 * from the entry the orchestrator's shard runtime starts; it resolves once
 * the handlers are in place; the orchestrator terminates the thread after
 * its `close` request is answered.
 */
export async function runSimShard (build: SimChildFactoryBuilder): Promise<void> {
  const port = parentPort
  if (port === null) throw new PeerProcessProtocolError('sim-net shard: not a worker thread (it is started by the shard runtime, not run by hand)')
  const shard = new Shard(port, workerData as ShardInit, build)
  port.on('message', (m: ToShard) => { shard.onMessage(m) })
}
