/**
 * The orchestrator's side of one peer process: forks it, starts the peer in
 * it, keeps its latest snapshot (so the handle answers `metrics()` and the
 * registry view synchronously, as the engine expects), relays its records,
 * pairs requests with replies, and turns an exit nobody asked for into an
 * error for whatever was waiting and a fault for the engine.
 */
import { fork } from 'node:child_process'
import { PeerProcessExitedError } from '../errors.js'
import type { ChildRequest, FromChild, ProcessSample, Snapshot, StartMessage, ToChild } from './messages.js'
import type { SimPeerHandle, SimPeerSpec, SimProcessStats } from '../types.js'
import type { ChildProcess } from 'node:child_process'

/** Characters of a child's stderr kept for the message of an unexpected exit. */
const STDERR_TAIL = 2000

export interface PeerProcessInit {
  entry: string
  execArgv: string[]
  spec: SimPeerSpec
  start: Omit<StartMessage, 'type' | 'spec'>
  onSnapshot: (p: PeerProcess, s: Snapshot) => void
  /** the process ended; `unexpected` when nobody stopped or killed it */
  onExit: (p: PeerProcess, unexpected: boolean, message: string) => void
}

export class PeerProcess {
  readonly name: string
  readonly incarnation: string
  readonly child: ChildProcess
  /** startedAtMs and endedAtMs are performance.now() readings: the runtime converts them to simulated time */
  readonly stats: SimProcessStats
  readonly exited: Promise<void>
  state: 'starting' | 'live' | 'stopping' | 'killed' | 'exited' = 'starting'
  peerId = ''
  multiaddrs: string[] = []
  ackedSeq = 0
  cutSinceSettle = 0
  private snap: Snapshot | undefined
  private readonly init: PeerProcessInit
  private readonly pending = new Map<number, { resolve: (v: unknown) => void, reject: (e: Error) => void }>()
  private nextRid = 1
  private stderr = ''
  private readonly ackWaiters = new Set<() => void>()

  constructor (init: PeerProcessInit) {
    this.init = init
    this.name = init.spec.name
    this.incarnation = init.start.incarnation
    this.child = fork(init.entry, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced', execArgv: init.execArgv })
    const sample: ProcessSample = { cpuUserMs: 0, cpuSystemMs: 0, rssBytes: 0, eventLoop: { meanMs: 0, p99Ms: 0, maxMs: 0 } }
    this.stats = { name: this.incarnation, role: 'peer', peer: this.name, pid: this.child.pid ?? -1, startedAtMs: performance.now(), ...this.fromSample(sample, 0), end: 'running' }
    this.child.stdout?.resume()
    this.child.stderr?.setEncoding('utf8').on('data', (t: string) => { this.stderr = (this.stderr + t).slice(-STDERR_TAIL) })
    this.child.on('message', (m: FromChild) => { this.onMessage(m) })
    this.exited = new Promise(resolve => {
      this.child.once('exit', (code, signal) => { this.onExitEvent(code, signal); resolve() })
    })
    const { spec } = init
    const data = { name: spec.name, position: spec.position, tier: spec.tier, sensors: spec.sensors, radios: spec.radios, capacity: spec.capacity, dataDir: spec.dataDir, bootstrap: spec.bootstrap, heartbeatMs: spec.heartbeatMs, ...(spec.cellPrecision === undefined ? {} : { cellPrecision: spec.cellPrecision }), listen: spec.listen, restart: spec.restart }
    this.send({ type: 'start', spec: data, ...init.start })
  }

  get alive (): boolean {
    return this.state !== 'exited'
  }

  send (m: ToChild): void {
    if (this.alive && this.child.connected) this.child.send(m)
  }

  /** Resolves when the peer reports it is running; rejects if the process exits first. */
  async started (): Promise<void> {
    if (this.state === 'live') return
    await new Promise<void>((resolve, reject) => { this.pending.set(0, { resolve: () => { resolve() }, reject }) })
  }

  async request (m: ChildRequest): Promise<unknown> {
    const rid = this.nextRid++
    return await new Promise<unknown>((resolve, reject) => {
      if (!this.alive) { reject(this.exitError(`cannot ${m.type}`)); return }
      this.pending.set(rid, { resolve, reject })
      this.send({ ...m, rid })
    })
  }

  /** Resolves when the child has acknowledged link update `seq` or has exited. */
  async acked (seq: number): Promise<void> {
    while (this.alive && this.ackedSeq < seq) await new Promise<void>(resolve => { this.ackWaiters.add(resolve) })
  }

  /** Graceful stop: the child stops its peer, sends its last counters and exits. */
  async stop (timeoutMs: number): Promise<void> {
    if (!this.alive) return
    this.state = 'stopping'
    this.send({ type: 'stop' })
    const t = setTimeout(() => { this.child.kill('SIGKILL') }, timeoutMs)
    await this.exited
    clearTimeout(t)
  }

  /** kill -9: no goodbye, nothing flushed. */
  async kill (): Promise<void> {
    if (!this.alive) return
    this.state = 'killed'
    this.child.kill('SIGKILL')
    await this.exited
  }

  handle (): SimPeerHandle {
    return {
      name: this.name,
      peerId: this.peerId,
      multiaddrs: this.multiaddrs,
      stop: async () => { await this.stop(10_000) },
      kill: async () => { await this.kill() },
      metrics: () => ({ ...this.snap?.metrics }),
      registryDigest: () => this.snap?.digest ?? '',
      registryMembers: () => this.snap?.members ?? [],
      liveNeighbours: () => this.snap?.neighbours ?? []
    }
  }

  private onMessage (m: FromChild): void {
    switch (m.type) {
      case 'snapshot':
        this.snap = m
        Object.assign(this.stats, this.fromSample(m.process, Math.max(this.stats.rssMaxBytes, m.process.rssBytes)))
        this.init.onSnapshot(this, m)
        return
      case 'started':
        this.peerId = m.peerId
        this.stats.peerId = m.peerId
        this.stats.startupMs = performance.now() - this.stats.startedAtMs
        this.multiaddrs = m.multiaddrs
        this.state = 'live'
        this.settle(0, undefined)
        return
      case 'start-failed': this.settle(0, Object.assign(new Error(m.error.message), { name: m.error.name })); return
      case 'record': this.init.spec.record(m.series, m.value, m.fields); return
      case 'links-ack':
        this.ackedSeq = Math.max(this.ackedSeq, m.seq)
        this.cutSinceSettle += m.cut
        this.wakeAckWaiters()
        return
      case 'reply': this.settle(m.rid, m.ok ? undefined : Object.assign(new Error(m.error.message), { name: m.error.name }), m.ok ? m.value : undefined); return
      case 'stopped': return
    }
  }

  private settle (rid: number, err: Error | undefined, value?: unknown): void {
    const p = this.pending.get(rid)
    if (p === undefined) return
    this.pending.delete(rid)
    if (err === undefined) p.resolve(value); else p.reject(err)
  }

  private wakeAckWaiters (): void {
    for (const w of this.ackWaiters) w()
    this.ackWaiters.clear()
  }

  private exitError (what: string): PeerProcessExitedError {
    const e = this.stats.exit
    const how = e === undefined ? 'exited' : e.signal !== null ? `was killed by ${e.signal}` : `exited with code ${e.code}`
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ')
    return new PeerProcessExitedError(`${what}: process of peer "${this.name}" (pid ${this.stats.pid}) ${how}${tail === '' ? '' : `: ${tail}`}`)
  }

  private onExitEvent (code: number | null, signal: NodeJS.Signals | null): void {
    const expected = this.state === 'stopping' || this.state === 'killed'
    // a graceful stop that overran its timeout ended in SIGKILL too
    this.stats.end = this.state === 'killed' || (this.state === 'stopping' && signal !== null) ? 'killed' : this.state === 'stopping' ? 'stopped' : 'died'
    this.stats.exit = { code, signal }
    this.stats.endedAtMs = performance.now()
    const wasLive = this.state === 'live'
    this.state = 'exited'
    const err = this.exitError(wasLive ? 'peer lost' : 'peer did not start')
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
    this.wakeAckWaiters()
    this.init.onExit(this, !expected, err.message)
  }

  private fromSample (s: ProcessSample, rssMax: number): Pick<SimProcessStats, 'cpuUserMs' | 'cpuSystemMs' | 'rssMaxBytes' | 'rssLastBytes' | 'eventLoop'> {
    return { cpuUserMs: s.cpuUserMs, cpuSystemMs: s.cpuSystemMs, rssMaxBytes: rssMax, rssLastBytes: s.rssBytes, eventLoop: s.eventLoop }
  }
}
