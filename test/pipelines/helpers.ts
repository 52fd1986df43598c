/** Shared setup of the pipeline tests: issuer keys, pipeline peers, descriptor files. */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import type { PeerConfig, RadioConfig, SensorConfig } from '../../node/config/schema.js'
import type { EccoPeer } from '../../node/peer.js'
import { pipelinesFeature, type PipelinesFeature } from '../../node/pipelines/index.js'
import {
  formatIssuer, generateIssuerKey, parseDescriptorYaml, signDescriptor, type PipelineDescriptor, type SignedDescriptor
} from '../../protocols/index.js'
import { loadCatalogue } from '../../unikernels/index.js'
import type { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'

export const ORIGIN = { lat: 48.2625, lon: 11.6680 }

export interface Issuer { key: PrivateKey, trusted: string }

export async function newIssuer (): Promise<Issuer> {
  const key = await generateIssuerKey()
  return { key, trusted: formatIssuer(key.publicKey) }
}

export interface PipelinePeerOptions {
  name: string
  /** metres east of ORIGIN */
  east?: number
  bootstrap?: string[]
  roles?: string[]
  sensors?: SensorConfig['type'][]
  radios?: RadioConfig['type'][]
  tier?: 1 | 2 | 3
  maxEdgeFunctions?: number
  trusted: string[]
  dataDir?: string
  bootPerRun?: boolean
  catalogueDir?: string
}

export async function addPipelinePeer (mesh: TestMesh, o: PipelinePeerOptions): Promise<EccoPeer> {
  const config: Partial<PeerConfig> = {
    tier: o.tier ?? 1,
    sensors: (o.sensors ?? []).map((type) => ({ id: type, type, driver: 'emulated' })),
    radios: (o.radios ?? []).map((type) => ({ type })),
    capacity: { cpuCores: 2, memoryMb: 2048, maxEdgeFunctions: o.maxEdgeFunctions ?? 16 },
    sections: { pipelines: { trustedIssuers: o.trusted, roles: o.roles ?? [], bootPerRun: o.bootPerRun ?? false, retainMs: 60_000, ...(o.catalogueDir === undefined ? {} : { catalogueDir: o.catalogueDir }) } }
  }
  return await mesh.add({
    name: o.name,
    position: { lat: ORIGIN.lat, lon: ORIGIN.lon + (o.east ?? 0) / 74_000 },
    ...(o.bootstrap === undefined ? {} : { bootstrap: o.bootstrap }),
    ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }),
    heartbeatMs: 500,
    config,
    features: [pipelinesFeature]
  })
}

export function pipelinesOf (peer: EccoPeer): PipelinesFeature {
  const f = peer.features.get('pipelines')
  if (f === undefined) throw new Error(`${peer.config.name ?? '?'} has no pipelines feature`)
  return f as PipelinesFeature
}

/** A descriptor file from the repo's pipelines/ folder, image hashes pinned, with overrides. */
export async function loadRepoDescriptor (file: string, patch: (d: PipelineDescriptor) => void = () => {}): Promise<PipelineDescriptor> {
  const text = await readFile(join(process.cwd(), 'pipelines', file), 'utf8')
  const d = parseDescriptorYaml(text, file)
  const catalogue = await loadCatalogue()
  for (const s of d.stages) if (s.image !== undefined && s.image.hash === '') s.image.hash = catalogue.get(s.image.name).manifest.hash
  patch(d)
  return d
}

export async function sign (d: PipelineDescriptor, issuer: Issuer): Promise<SignedDescriptor> {
  return await signDescriptor(d, issuer.key)
}

/** Waits until every peer has placed `id` with the same digest; returns it. */
export async function samePlacement (peers: EccoPeer[], id: string, timeoutMs = 20_000, ok: (digest: string) => boolean = () => true): Promise<string> {
  let digest = ''
  await waitFor(() => {
    const ds = peers.map((p) => pipelinesOf(p).status(id)?.digest ?? '')
    digest = ds[0]
    return digest !== '' && ds.every((x) => x === digest) && ok(digest)
  }, { timeoutMs, message: () => `placement of ${id}: ${peers.map((p) => `${p.config.name ?? '?'}=${(pipelinesOf(p).status(id)?.digest ?? '-').slice(0, 8)}`).join(' ')}` })
  return digest
}

/** Connects everyone to everyone (small meshes) so gossip and streams are direct. */
export async function fullMesh (peers: EccoPeer[]): Promise<void> {
  for (const a of peers) {
    for (const b of peers) {
      if (a === b) continue
      if (a.libp2p.getConnections(b.peerId).length === 0) await a.libp2p.dial(b.libp2p.getMultiaddrs()[0])
    }
  }
}

/**
 * Black-ice detections into a hazard broadcaster on a worker: the smallest pipeline with a
 * stateful stage (the broadcaster keeps its DENM action sequence in Unimem).
 */
export function detectBroadcastYaml (id: string, o: { intervalMs: number, bidWindowMs: number }): string {
  return `
id: ${id}
priority: 5
execution: automatic
area: { lat: ${ORIGIN.lat}, lon: ${ORIGIN.lon}, radiusM: 20000 }
bidWindowMs: ${o.bidWindowMs}
stages:
  - name: detect
    image: black-ice-detector
    role: start
    needs: { sensors: [road-surface-temperature, air-temperature, humidity] }
    input: { source: sensors, intervalMs: ${o.intervalMs} }
  - name: broadcast
    image: hazard-broadcaster
    role: finale
    after: [detect]
    needs: { roles: [worker] }
    output: { target: sink }
`
}
