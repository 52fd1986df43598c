/**
 * An in-process harness of real peers on loopback, each with its own data
 * directory, torn down by `stop()`. No module-level state: one per test.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ConnectionGater, PeerId } from '@libp2p/interface'
import { defaultConfig } from '../../node/config/parse.js'
import type { PeerConfig } from '../../node/config/schema.js'
import { createLogger } from '../../node/logger.js'
import { createEccoPeer, type EccoPeer } from '../../node/peer.js'
import type { PeerFeatureFactory } from '../../node/features.js'
import type { Position } from '../../protocols/index.js'

export interface TestPeerOptions {
  name: string
  position: Position
  bootstrap?: string[]
  dataDir?: string
  heartbeatMs?: number
  config?: Partial<PeerConfig>
  /** @default DEFAULT_FEATURES */
  features?: PeerFeatureFactory[]
}

/** Blocks connections to a changeable set of peers: a partition without touching the network. */
export class PartitionGater implements ConnectionGater {
  readonly blocked = new Set<string>()
  denyDialPeer = (peer: PeerId): boolean => this.blocked.has(peer.toString())
  denyInboundEncryptedConnection = (peer: PeerId): boolean => this.blocked.has(peer.toString())
  denyOutboundEncryptedConnection = (peer: PeerId): boolean => this.blocked.has(peer.toString())
}

export class TestMesh {
  readonly peers: EccoPeer[] = []
  readonly gaters = new Map<EccoPeer, PartitionGater>()
  private root?: string

  async dir (name: string): Promise<string> {
    this.root ??= await mkdtemp(join(tmpdir(), 'ecco-test-'))
    return join(this.root, name)
  }

  async add (opts: TestPeerOptions): Promise<EccoPeer> {
    const config: PeerConfig = {
      ...defaultConfig(opts.dataDir ?? await this.dir(opts.name)),
      name: opts.name,
      position: opts.position,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: opts.bootstrap ?? [],
      bootstrapMode: opts.bootstrap === undefined,
      heartbeatMs: opts.heartbeatMs ?? 1000,
      logLevel: 'warn',
      ...opts.config
    }
    const gater = new PartitionGater()
    const peer = await createEccoPeer({ config, log: createLogger({ level: 'error', base: { peer: opts.name } }), connectionGater: gater, ...(opts.features === undefined ? {} : { features: opts.features }) })
    await peer.start()
    this.peers.push(peer)
    this.gaters.set(peer, gater)
    return peer
  }

  /** The first peer's dialable address, for others to bootstrap from. */
  addrOf (peer: EccoPeer): string {
    return peer.multiaddrs()[0]
  }

  async remove (peer: EccoPeer): Promise<void> {
    const i = this.peers.indexOf(peer)
    if (i >= 0) this.peers.splice(i, 1)
    this.gaters.delete(peer)
    await peer.stop()
  }

  /** Cuts every connection between the two groups and refuses new ones. */
  async partition (a: EccoPeer[], b: EccoPeer[]): Promise<void> {
    for (const [x, ys] of [[a, b], [b, a]] as const) {
      for (const p of x) {
        const gater = this.gaters.get(p)
        for (const q of ys) gater?.blocked.add(q.peerId.toString())
      }
    }
    await Promise.all([...a, ...b].map(async (p) => {
      const blocked = this.gaters.get(p)?.blocked ?? new Set()
      await Promise.all(p.libp2p.getConnections().filter((c) => blocked.has(c.remotePeer.toString())).map(async (c) => { await c.close() }))
    }))
  }

  heal (): void {
    for (const g of this.gaters.values()) g.blocked.clear()
  }

  async stop (): Promise<void> {
    await Promise.allSettled(this.peers.map(async (p) => { await p.stop() }))
    this.peers.length = 0
    if (this.root !== undefined) await rm(this.root, { recursive: true, force: true })
  }
}
