/**
 * A libp2p-only peer factory (TCP through the emulator, Noise, Yamux) with a
 * gossip-style membership (heartbeat counters, van Renesse et al. 1998). It
 * is NOT ecco-peer: it exists to test the scenario engine end to end and to
 * load the link emulator in benchmarks before node/ provides the real
 * factory. It supports peers only (no vehicles, pipelines or sensors).
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import * as lp from 'it-length-prefixed'
import { pipe } from 'it-pipe'
import { createLibp2p } from 'libp2p'
import { encodeFrames } from '../../protocols/index.js'
import { createRng } from '../prng.js'
import { BareHeartbeat } from './bare.js'
import { Feed } from './feed.js'
import type { Rng } from '../prng.js'
import type { SimPeerFactory, SimPeerHandle, SimPeerSpec } from '../types.js'
import type { Connection, PrivateKey } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

export const BARE_PROTOCOL = '/sim-net/bare-heartbeat/1.0.0'
const MAX_MESSAGE_BYTES = 1 << 20
const MAX_ENTRIES = 10_000
const ADDRESS_EVERY = 10n

export interface BarePeerFactoryInit {
  /** heartbeats without news before a member is dropped @default 5 */
  goneAfterHeartbeats?: number
  /** neighbours a heartbeat is sent to (random subset) @default 3 */
  fanout?: number
  /** below this many connections, dial known members @default 3 */
  minConnections?: number
}

async function loadKey (dataDir: string): Promise<PrivateKey> {
  const file = join(dataDir, 'peer.key')
  try {
    return privateKeyFromProtobuf(await readFile(file))
  } catch {
    const key = await generateKeyPair('Ed25519')
    await mkdir(dataDir, { recursive: true })
    await writeFile(file, privateKeyToProtobuf(key), { mode: 0o600 })
    return key
  }
}

/** Highest (incarnation, counter) heard of a peer; kept after it is gone so stale gossip cannot revive it. */
interface Member { incarnation: bigint, counter: bigint, heardAt: number, addr: string }

class BarePeer {
  readonly node: Libp2p
  readonly spec: SimPeerSpec
  private readonly members = new Map<string, Member>()
  private readonly self = { incarnation: BigInt(Date.now()), counter: 0n }
  private readonly counters = { heartbeats_sent: 0, heartbeats_received: 0, heartbeats_bad: 0, dial_failures: 0 }
  private readonly init: Required<BarePeerFactoryInit>
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly rng: Rng
  private readonly senders = new Map<string, Feed>()

  constructor (node: Libp2p, spec: SimPeerSpec, init: Required<BarePeerFactoryInit>) {
    this.node = node
    this.spec = spec
    this.init = init
    this.rng = createRng(1).fork(spec.name)
  }

  async start (): Promise<void> {
    await this.node.handle(BARE_PROTOCOL, ({ stream }) => {
      void pipe(stream.source, (src) => lp.decode(src, { maxDataLength: MAX_MESSAGE_BYTES }), async (src) => {
        for await (const buf of src) this.receive(buf.subarray())
      }).then(async () => { await stream.close() }, () => {
        this.counters.heartbeats_bad++
        stream.abort(new Error('bad heartbeat stream'))
      })
    })
    this.timer = setInterval(() => { void this.beat() }, this.spec.heartbeatMs)
    await this.connectBootstrap()
  }

  private async connectBootstrap (): Promise<void> {
    await Promise.all(this.spec.bootstrap.map(async a => {
      const ma = multiaddr(a)
      const id = ma.getPeerId()
      if (id !== null && this.node.getConnections().some(c => c.remotePeer.toString() === id)) return
      try { await this.node.dial(ma, { signal: AbortSignal.timeout(this.spec.heartbeatMs * 2) }) } catch { this.counters.dial_failures++ }
    }))
  }

  private receive (bytes: Uint8Array): void {
    let msg: BareHeartbeat
    try {
      msg = BareHeartbeat.decode(bytes, { limits: { entries: MAX_ENTRIES } })
    } catch {
      this.counters.heartbeats_bad++
      return
    }
    if (msg.version !== 1) { this.counters.heartbeats_bad++; return }
    this.counters.heartbeats_received++
    const now = performance.now()
    const me = this.node.peerId.toString()
    for (const e of msg.entries) {
      if (e.peer === me) continue
      const m = this.members.get(e.peer)
      if (m === undefined || e.incarnation > m.incarnation || (e.incarnation === m.incarnation && e.counter > m.counter)) {
        this.members.set(e.peer, { incarnation: e.incarnation, counter: e.counter, heardAt: now, addr: e.addr !== '' ? e.addr : m?.addr ?? '' })
      }
    }
  }

  private isLive (m: Member, now: number): boolean {
    return now - m.heardAt <= this.init.goneAfterHeartbeats * this.spec.heartbeatMs
  }

  private async beat (): Promise<void> {
    this.self.counter++
    const now = performance.now()
    const live = [...this.members].filter(([, m]) => this.isLive(m, now))
    // others' addresses ride along every tenth beat only: they change rarely and dominate the size
    const withAddrs = this.self.counter % ADDRESS_EVERY === 0n
    const entries = [{ peer: this.node.peerId.toString(), incarnation: this.self.incarnation, counter: this.self.counter, addr: this.node.getMultiaddrs()[0]?.toString() ?? '' },
      ...live.map(([peer, m]) => ({ peer, incarnation: m.incarnation, counter: m.counter, addr: withAddrs ? m.addr : '' }))]
    const bytes = BareHeartbeat.encode({ version: 1, entries })
    const conns = this.shuffle(this.node.getConnections().filter(c => c.status === 'open'))
    // a random subset, so traffic stays linear in the number of peers
    await Promise.all(conns.slice(0, this.init.fanout).map(async c => {
      try {
        await this.send(c, bytes)
        this.counters.heartbeats_sent++
      } catch { /* connection went away; the next beat tries again */ }
    }))
    const open = new Set(conns.map(c => c.id))
    for (const [id, f] of this.senders) if (!open.has(id)) { f.end(); this.senders.delete(id) }
    if (conns.length < this.init.minConnections) await this.dialMore(conns.map(c => c.remotePeer.toString()), live.map(([, m]) => m.addr))
  }

  /** One long-lived outbound stream per connection carries every heartbeat to that neighbour. */
  private async send (c: Connection, bytes: Uint8Array): Promise<void> {
    let feed = this.senders.get(c.id)
    if (feed === undefined) {
      const stream = await c.newStream(BARE_PROTOCOL, { signal: AbortSignal.timeout(this.spec.heartbeatMs) })
      const f = new Feed()
      feed = f
      this.senders.set(c.id, f)
      void pipe(f.source(), encodeFrames, stream.sink).catch(() => {}).finally(() => {
        if (this.senders.get(c.id) === f) this.senders.delete(c.id)
      })
    }
    feed.push(bytes)
  }

  /** Seeded Fisher-Yates. */
  private shuffle<T> (xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.rng.int(0, i)
      const t = xs[i]; xs[i] = xs[j]; xs[j] = t
    }
    return xs
  }

  /** Tops up connections from the bootstrap list and addresses learnt through gossip. */
  private async dialMore (connected: string[], learnt: string[]): Promise<void> {
    const candidates = this.shuffle([...new Set([...this.spec.bootstrap, ...learnt])].filter(a => {
      if (a === '') return false
      const id = multiaddr(a).getPeerId()
      return id !== null && !connected.includes(id) && id !== this.node.peerId.toString()
    }))
    await Promise.all(candidates.slice(0, this.init.minConnections - connected.length).map(async a => {
      try { await this.node.dial(multiaddr(a), { signal: AbortSignal.timeout(this.spec.heartbeatMs * 2) }) } catch { this.counters.dial_failures++ }
    }))
  }

  live (): string[] {
    const now = performance.now()
    return [this.node.peerId.toString(), ...[...this.members].filter(([, m]) => this.isLive(m, now)).map(([id]) => id)].sort()
  }

  metrics (): Record<string, number> {
    return { ...this.counters, members: this.live().length, connections: this.node.getConnections().length }
  }

  async stop (abrupt: boolean): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer)
    for (const f of this.senders.values()) f.end()
    this.senders.clear()
    if (abrupt) for (const c of this.node.getConnections()) c.abort(new Error('killed'))
    await this.node.stop()
  }
}

function handleOf (p: BarePeer): SimPeerHandle {
  return {
    name: p.spec.name,
    peerId: p.node.peerId.toString(),
    multiaddrs: p.node.getMultiaddrs().map(String),
    stop: async () => p.stop(false),
    kill: async () => p.stop(true),
    metrics: () => p.metrics(),
    registryMembers: () => p.live(),
    registryDigest: () => createHash('sha256').update(p.live().join(',')).digest('hex').slice(0, 16),
    liveNeighbours: () => [...new Set(p.node.getConnections().map(c => c.remotePeer.toString()))]
  }
}

/** A SimPeerFactory of libp2p-only calibration peers (see the file comment). */
export function createBarePeerFactory (init: BarePeerFactoryInit = {}): SimPeerFactory {
  const full = { goneAfterHeartbeats: init.goneAfterHeartbeats ?? 5, fanout: init.fanout ?? 3, minConnections: init.minConnections ?? 3 }
  return {
    createPeer: async (spec) => {
      const privateKey = await loadKey(spec.dataDir)
      const transport = tcp()
      const node = await createLibp2p({
        privateKey,
        addresses: { listen: [spec.listen] },
        transports: [spec.transportWrapper === undefined ? transport : spec.transportWrapper(transport)],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()]
      })
      const peer = new BarePeer(node, spec, full)
      await peer.start()
      return handleOf(peer)
    }
  }
}
