/**
 * Three-tier Nimbus topologies for the offload tests and the mesh benchmark: slices are
 * geohash-5 areas side by side; T1 gateways, T2 micro-servers and T3 GPU servers are spread
 * inside each area, deterministically from a seed.
 */
import { cellCentre, createNimbusRng, decodeGeohash, encodeGeohash, offsetMetres, simulatedDevice, type DeviceRequirements, type Position } from '../../protocols/index.js'

export const ORIGIN: Position = { lat: 48.2625, lon: 11.668 }
export const SLICE_PRECISION = 5

export interface TopologyNode {
  name: string
  tier: 1 | 2 | 3
  position: Position
  /** index of its geohash-5 area */
  area: number
}

/** centre of the geohash-5 cell `dx` cells east of ORIGIN's */
export function areaCentre (dx: number): Position {
  const b = decodeGeohash(encodeGeohash(ORIGIN, SLICE_PRECISION))
  const c = cellCentre(encodeGeohash(ORIGIN, SLICE_PRECISION))
  return { lat: c.lat, lon: c.lon + dx * (b.maxLon - b.minLon) }
}

/** `tiers[t]` nodes of tier t+1 dealt round-robin over `areas` areas, within 1.2 km of each area's centre */
export function threeTierTopology (areas: number, tiers: [number, number, number], seed = 7): TopologyNode[] {
  const rng = createNimbusRng(seed)
  const out: TopologyNode[] = []
  tiers.forEach((count, t) => {
    for (let i = 0; i < count; i++) {
      const area = i % areas
      const position = offsetMetres(areaCentre(area), (rng.next() - 0.5) * 2400, (rng.next() - 0.5) * 2400)
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
    'nimbus:',
    ...nimbus.split('\n').filter((l) => l.trim() !== '').map((l) => `  ${l}`)
  ].join('\n') + '\n'
}

/** the section used by the mesh tests: Wi-Fi 6 APs so the R/N share leaves room to offload */
export const MESH_NIMBUS = `slice: { by: geohash, precision: ${SLICE_PRECISION} }
apBandwidthMbps: 2000
batchWindowMs: 25
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
