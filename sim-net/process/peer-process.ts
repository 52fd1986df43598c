/**
 * The orchestrator's side of one peer process: forks it, starts the peer in
 * it, keeps its latest snapshot (so the handle answers `metrics()` and the
 * registry view synchronously, as the engine expects), relays its records,
 * pairs requests with replies, and turns an exit nobody asked for into an
 * error for whatever was waiting and a fault for the engine.
 */
import { fork } from 'node:child_process'
import { PeerProcessExitedError } from '../errors.js'
import { ControlReplies } from './control.js'
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
  /** requests, replies and link acknowledgements of the IPC channel */
  readonly replies = new ControlReplies()
  private snap: Snapshot | undefined
  private readonly init: PeerProcessInit
  private stderr = ''

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
    await this.replies.wait(0)
  }

  async request (m: ChildRequest): Promise<unknown> {
    if (!this.alive) throw this.exitError(`cannot ${m.type}`)
    return await this.replies.request(m, (r) => { this.send(r) })
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
        this.replies.settle(0)
        return
      case 'start-failed': this.replies.settle(0, m.error); return
      case 'record': this.init.spec.record(m.series, m.value, m.fields); return
      case 'links-ack': this.replies.ack(m.seq, m.cut); return
      case 'reply': if (m.ok) this.replies.settle(m.rid, undefined, m.value); else this.replies.settle(m.rid, m.error); return
      case 'stopped': return
    }
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
    this.replies.end(err)
    this.init.onExit(this, !expected, err.message)
  }

  private fromSample (s: ProcessSample, rssMax: number): Pick<SimProcessStats, 'cpuUserMs' | 'cpuSystemMs' | 'rssMaxBytes' | 'rssLastBytes' | 'eventLoop'> {
    return { cpuUserMs: s.cpuUserMs, cpuSystemMs: s.cpuSystemMs, rssMaxBytes: rssMax, rssLastBytes: s.rssBytes, eventLoop: s.eventLoop }
  }
}
