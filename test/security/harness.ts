/**
 * Certified roadside peers (real ecco peers with the security and hazards features) and
 * hostile raw libp2p nodes, on loopback, for the security tests and the chaos run.
 */
import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { PrivateKey, PubSub } from '@libp2p/interface'
import type { GossipSub } from '@chainsafe/libp2p-gossipsub'
import { hazardsFeature, parseHazardsSection } from '../../node/hazards/index.js'
import { parseSecuritySection, securityFeature, type SecurityConfig, type SecurityService } from '../../node/security/index.js'
import type { EccoPeer } from '../../node/peer.js'
import type { PeerConfig } from '../../node/config/schema.js'
import type { PeerFeatureFactory } from '../../node/features.js'
import type { Position } from '../../protocols/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { createOperator, roadsideCertificate, roadsideIdentity } from '../helpers/operator.js'

export { DAY_MS } from '../helpers/operator.js'

export interface SecurePeerOptions {
  name: string
  position: Position
  bootstrap?: string[]
  /** no certificate at all */
  uncertified?: boolean
  /** raw `security:` YAML fields (mode defaults to permissioned) */
  security?: Record<string, unknown>
  /** @default '127.0.0.1' */
  host?: string
  /** @default [securityFeature, hazardsFeature] */
  features?: PeerFeatureFactory[]
  heartbeatMs?: number
  /** @default 5000 */
  discoveryIntervalMs?: number
  /** more parsed feature sections (pipelines, checkpoints, nimbus) */
  sections?: Record<string, unknown>
  /** more peer config fields (sensors, radios, capacity for a pipelines roadside) */
  config?: Partial<PeerConfig>
}

export class SecureMesh {
  readonly mesh = new TestMesh()
  operator!: PrivateKey
  operatorFile = ''
  readonly hostiles: Libp2p[] = []

  async init (): Promise<void> {
    const { key, file } = await createOperator(this.mesh)
    this.operator = key
    this.operatorFile = file
  }

  async certificateFor (key: PrivateKey, position: Position, issuer: PrivateKey = this.operator, name = 'lamppost'): Promise<Uint8Array> {
    return await roadsideCertificate(issuer, key, { name, position, radiusM: 20_000 })
  }

  async roadside (o: SecurePeerOptions): Promise<EccoPeer> {
    const { dataDir, hazards } = await roadsideIdentity(this.mesh, { key: this.operator, file: this.operatorFile }, {
      name: o.name, position: o.position, radiusM: 20_000, ...(o.uncertified === undefined ? {} : { uncertified: o.uncertified })
    })
    const security: SecurityConfig = parseSecuritySection({ mode: 'permissioned', announceIntervalMs: 1000, recheckIntervalMs: 250, ...o.security }, 'security')
    const sections: Record<string, unknown> = { security, hazards: parseHazardsSection(hazards, 'hazards'), ...o.sections }
    const peer = await this.mesh.add({
      name: o.name,
      position: o.position,
      dataDir,
      ...(o.bootstrap === undefined ? {} : { bootstrap: o.bootstrap }),
      ...(o.heartbeatMs === undefined ? {} : { heartbeatMs: o.heartbeatMs }),
      features: o.features ?? [securityFeature, hazardsFeature],
      config: { ...o.config, sections, discoveryIntervalMs: o.discoveryIntervalMs ?? 5000, listen: [`/ip4/${o.host ?? '127.0.0.1'}/tcp/0`] }
    })
    return peer
  }

  /**
   * A hostile node: plain libp2p with gossipsub (StrictSign, so its messages are
   * validly signed by its own key) and, if `certificate` is given, an answer on
   * /ecco/cert/1.0.0 with those bytes (someone else's certificate, garbage, ...).
   */
  async hostile (opts: { certificate?: Uint8Array, key?: PrivateKey, host?: string } = {}): Promise<Hostile> {
    const node = await createLibp2p({
      ...(opts.key === undefined ? {} : { privateKey: opts.key }),
      addresses: { listen: [`/ip4/${opts.host ?? '127.0.0.1'}/tcp/0`] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: { denyDialMultiaddr: () => false },
      services: {
        identify: identify(),
        pubsub: gossipsub({ globalSignaturePolicy: 'StrictSign', allowPublishToZeroTopicPeers: true, emitSelf: false })
      }
    }) as unknown as Hostile
    if (opts.certificate !== undefined) {
      const { serveCertificate, CERT_PROTOCOL } = await import('../../node/security/index.js')
      const cert = opts.certificate
      await node.handle(CERT_PROTOCOL, ({ stream }) => { void serveCertificate(stream, cert, 5000) })
    }
    await node.start()
    this.hostiles.push(node)
    return node
  }

  async stop (): Promise<void> {
    await Promise.allSettled(this.hostiles.map(async (h) => { await h.stop() }))
    await this.mesh.stop()
  }
}

export type Hostile = Libp2p<{ pubsub: PubSub, identify: unknown }>

export function securityOf (peer: EccoPeer): SecurityService {
  return peer.libp2p.services.security
}

/** The gossipsub score `peer` gives `other` (P1-P7). */
export function scoreOf (peer: EccoPeer, other: { toString: () => string }): number {
  return (peer.libp2p.services.pubsub as unknown as GossipSub).getScore(other.toString())
}
