/**
 * Three-tier Nimbus topologies for the offload tests and the mesh benchmark: slices are
 * geohash-6 areas side by side; T1 gateways, T2 micro-servers and T3 GPU servers are spread
 * inside each area, deterministically from a seed.
 */
import { writeFile } from 'node:fs/promises'
import { getJson, spawnPeer, type PeerProcess, type ProcessMesh } from '../helpers/processes.js'
import { waitFor } from '../helpers/wait.js'
import { cellCentre, createNimbusRng, decodeGeohash, encodeGeohash, offsetMetres, simulatedDevice, type DeviceRequirements, type Position } from '../../protocols/index.js'

export const ORIGIN: Position = { lat: 48.2625, lon: 11.668 }
/**
 * Slices are geohash-6 cells side by side: the same precision as discovery cells, so peers of
 * neighbouring slices find each other through the DHT and the registry gossip has a dense mesh.
 */
export const SLICE_PRECISION = 6

export interface TopologyNode {
  name: string
  tier: 1 | 2 | 3
  position: Position
  /** index of its geohash-6 area (its slice) */
  area: number
}

/** centre of the geohash-6 cell `dx` cells east of ORIGIN's */
export function areaCentre (dx: number): Position {
  const b = decodeGeohash(encodeGeohash(ORIGIN, SLICE_PRECISION))
  const c = cellCentre(encodeGeohash(ORIGIN, SLICE_PRECISION))
  return { lat: c.lat, lon: c.lon + dx * (b.maxLon - b.minLon) }
}

/** `tiers[t]` nodes of tier t+1 dealt round-robin over `areas` areas, inside each area's cell (±250 m east, ±180 m north) */
export function threeTierTopology (areas: number, tiers: [number, number, number], seed = 7): TopologyNode[] {
  const rng = createNimbusRng(seed)
  const out: TopologyNode[] = []
  tiers.forEach((count, t) => {
    for (let i = 0; i < count; i++) {
      const area = i % areas
      const position = offsetMetres(areaCentre(area), (rng.next() - 0.5) * 360, (rng.next() - 0.5) * 500)
      out.push({ name: `t${t + 1}-${i}`, tier: (t + 1) as 1 | 2 | 3, position, area })
    }
  })
  return out
}

/** YAML of a Nimbus peer (the ProcessMesh adds name and listen) */
export function nimbusYaml (node: TopologyNode, nimbus: string, heartbeatMs = 1000): string {
  return [
    `position: { lat: ${node.position.lat}, lon: ${node.position.lon} }`,
    `tier: ${node.tier}`,
    `heartbeatMs: ${heartbeatMs}`,
    // a starved process on a shared 2-core machine can miss three heartbeats without being gone
    'goneAfterHeartbeats: 5',
    'nimbus:',
    ...nimbus.split('\n').filter((l) => l.trim() !== '').map((l) => `  ${l}`)
  ].join('\n') + '\n'
}

/** the section used by the mesh tests: Wi-Fi 6 APs so the R/N share leaves room to offload */
export const MESH_NIMBUS = `slice: { by: geohash, precision: ${SLICE_PRECISION} }
apBandwidthMbps: 2000
batchWindowMs: 25
solveTimeoutMs: 30000
reserveTimeoutMs: 15000
tiers:
  t3: { maxload: 60 }`

/** seeded devices: FPS 10, 15 or 20 and the three profiles of Table 2 */
export function devices (prefix: string, n: number, seed: number): DeviceRequirements[] {
  const rng = createNimbusRng(seed)
  const profiles = ['Mobile_A', 'Mobile_B', 'Mobile_C'] as const
  return Array.from({ length: n }, (_, i) => simulatedDevice(`${prefix}-${i}`, {
    profile: profiles[rng.int(3)],
    fps: [10, 15, 20][rng.int(3)]
  }))
}

/**
 * Start Nimbus peers as ecco-peer processes in groups (booting 30 Node processes at once starves
 * a small machine), each with its own dialable address read from /status (the process prints
 * only its bootstrap's address when it joins).
 */
export async function startNimbusProcesses (
  mesh: ProcessMesh, nodes: readonly TopologyNode[], nimbus: string, join: string, opts: { group?: number, timeoutMs?: number } = {}
): Promise<Map<TopologyNode, PeerProcess>> {
  const root = await mesh.dir()
  const out = new Map<TopologyNode, PeerProcess>()
  const group = opts.group ?? 6
  for (let i = 0; i < nodes.length; i += group) {
    await Promise.all(nodes.slice(i, i + group).map(async (n) => {
      const cfg = `${root}/${n.name}.yaml`
      await writeFile(cfg, `name: ${n.name}\nlisten: [/ip4/127.0.0.1/tcp/0]\n${nimbusYaml(n, nimbus)}`)
      const p = spawnPeer(n.name, ['--join', join, '--config', cfg, '--data-dir', `${root}/${n.name}`, '--http', '0', '--log-level', 'warn'])
      mesh.procs.push(p)
      await waitFor(() => p.httpPort !== undefined, { timeoutMs: opts.timeoutMs ?? 90_000, message: () => `${n.name} did not start: ${p.stderr.slice(-500)}` })
      const status = await getJson<{ peerId: string, multiaddrs: string[] }>(p, '/status')
      p.addr = status.multiaddrs.find((a) => a.includes('/127.0.0.1/')) ?? status.multiaddrs[0]
      out.set(n, p)
    }))
  }
  return out
}
