/**
 * Decentralised 2PMT in the mesh (issue 7 item 3): 30 EN peers (20 T1 gateways, 8 T2, 2 T3) in
 * four geohash-6 slices, each an ecco-peer process on loopback, and NIMBUS_MESH_MDS simulated
 * devices (default 1000) offloaded through the gateways by one light client. Measures the time to
 * place the whole batch, per-device offload latency, the allocation, refusals and solver work,
 * and the allocation ST and in-process 2PMT reach on the same snapshot and devices.
 * Writes bench/results/nimbus-mesh.json.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import {
  buildSnapshot, createOffloadClient, defaultRttModel, defaultTierProfiles, membersFromRegistry, solveNimbus, solveSliced, toOffloadRequest,
  type Assignment, type OffloadPlacement, type RegistryEntry
} from '../protocols/index.js'
import { parseNimbusSection } from '../node/offload/index.js'
import { getJson, ProcessMesh, type PeerProcess } from '../test/helpers/processes.js'
import { waitFor } from '../test/helpers/wait.js'
import { areaCentre, devices, MESH_NIMBUS, startNimbusProcesses, threeTierTopology } from '../test/offload/topology.js'
import { percentile, writeResults } from './results.js'
import { tuneHeapForPeers } from '../node/runtime.js'

// the same process tuning as the bins: a bench process hosts peers
tuneHeapForPeers()

const MDS = Number(process.env.NIMBUS_MESH_MDS ?? 1000)
const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d

interface View { peerId: string, members: number, slice: string, sliceSolver?: string, reservations: unknown[], stats: { refused: Record<string, number>, retried: number, solverFailovers: number, solves: Record<string, number>, solveMs: Record<string, number> } }

function shares (xs: Array<{ target: string, stage?: number }>): Record<string, number> {
  const n = Math.max(1, xs.length)
  const c = (f: (x: { target: string, stage?: number }) => boolean): number => round(xs.filter(f).length / n, 4)
  return { edge: c((x) => x.target === 'edge'), edgeStage2: c((x) => x.target === 'edge' && x.stage === 2), cloud: c((x) => x.target === 'cloud'), local: c((x) => x.target === 'local') }
}

async function main (): Promise<void> {
  const mesh = new ProcessMesh()
  const topo = threeTierTopology(4, [20, 8, 2])
  const t0 = Date.now()
  const boot = await mesh.start('boot', `position: { lat: ${areaCentre(1).lat}, lon: ${areaCentre(1).lon} }\n`)
  const procs = await startNimbusProcesses(mesh, topo, MESH_NIMBUS, boot.addr ?? '')
  const startMs = Date.now() - t0
  const all = [...procs.values()]
  const views = async (): Promise<View[]> => await Promise.all(all.map(async (p) => await getJson<View>(p, '/offload')))
  const client = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()], connectionGater: { denyDialMultiaddr: () => false }, connectionManager: { dialTimeout: 30_000 } })
  try {
    let vs: View[] = []
    const convergeMs = await waitFor(async () => {
      vs = await views()
      return vs.every((v) => v.members === 30) && new Set(vs.map((v) => `${v.slice}>${v.sliceSolver ?? ''}`)).size === 4
    }, { timeoutMs: 120_000, intervalMs: 500, message: () => `members ${vs.map((v) => v.members).join(',')} (gossipsub IP-colocation penalty on loopback? see report)` })
    const gateways: PeerProcess[] = topo.filter((n) => n.tier === 1).map((n) => procs.get(n)).filter((p): p is PeerProcess => p !== undefined)
    const md = createOffloadClient({ dialer: client }, { timeoutMs: 120_000 })
    const reqs = devices('md', MDS, 21)
    const lat: number[] = []
    const tPlace = performance.now()
    const placements: OffloadPlacement[] = await Promise.all(reqs.map(async (req, i) => {
      const s = performance.now()
      const r = await md.offload(multiaddr(gateways[i % gateways.length].addr ?? ''), req)
      lat.push(performance.now() - s)
      return r.placement
    }))
    const placeMs = performance.now() - tPlace
    vs = await views()
    const sum = (f: (v: View) => number): number => vs.reduce((s, v) => s + f(v), 0)
    // the same devices on the same infrastructure, solved in one process
    const registry = await getJson<RegistryEntry[]>(all[0], '/registry')
    const members = membersFromRegistry(registry).filter((m) => m.live)
    const cfg = parseNimbusSection({ apBandwidthMbps: 2000, tiers: { t3: { maxload: 60 } } }, 'nimbus')
    const users = new Map<string, number>()
    reqs.forEach((_, i) => { const id = members.find((m) => m.multiaddrs.some((a) => a === gateways[i % gateways.length].addr))?.peerId ?? ''; users.set(id, (users.get(id) ?? 0) + 1) })
    const apOf = (i: number): string => members.find((m) => m.multiaddrs.includes(gateways[i % gateways.length].addr ?? ''))?.peerId ?? ''
    const aps = members.filter((m) => users.has(m.peerId)).map((m) => ({ id: m.peerId, users: users.get(m.peerId) ?? 0, bandwidthMbps: 2000, lat: m.lat, lon: m.lon }))
    const snapshot = buildSnapshot({ ens: members, aps, profiles: { ...defaultTierProfiles(), t3: cfg.tiers.t3 }, rtt: defaultRttModel(), clouds: cfg.clouds, served: () => [] })
    const requests = reqs.map((r, i) => toOffloadRequest(r, apOf(i)))
    const st = solveNimbus(snapshot, requests)
    const sliceOf = new Map(members.map((m) => [m.peerId, m.slice]))
    const keys = [...new Set(members.map((m) => m.slice))].sort()
    const plan = { slices: keys.map((k) => members.filter((m) => m.slice === k).map((m) => m.peerId)), apSlice: Object.fromEntries(aps.map((a) => [a.id, keys.indexOf(sliceOf.get(a.id) ?? '')])) }
    const twoPhase = solveSliced(snapshot, requests, { slices: plan })
    const file = await writeResults('nimbus-mesh', {
      setting: `30 EN processes (20 T1 gateways, 8 T2, 2 T3 with maxload 60) in 4 geohash-6 slices, ${MDS} devices (FPS 10/15/20, Table 2 profiles), AP 2000 Mbps shared R/N, one light client on loopback`,
      startMs,
      rolesConvergedMs: convergeMs,
      placeAllMs: round(placeMs),
      devicesPerSecond: round(MDS / (placeMs / 1000)),
      offloadLatencyMs: { p50: round(percentile(lat, 50)), p95: round(percentile(lat, 95)), max: round(Math.max(...lat)) },
      mesh: {
        allocation: shares(placements),
        reserved: sum((v) => v.reservations.length),
        refusedAndRetried: sum((v) => Object.values(v.stats.refused).reduce((a, b) => a + b, 0)),
        solverFailovers: sum((v) => v.stats.solverFailovers),
        solves: { stage1: sum((v) => v.stats.solves['1'] ?? 0), stage2: sum((v) => v.stats.solves['2'] ?? 0) },
        solveAndReserveMs: { stage1: round(sum((v) => v.stats.solveMs['1'] ?? 0)), stage2: round(sum((v) => v.stats.solveMs['2'] ?? 0)) }
      },
      sameInputsInOneProcess: {
        st: { allocation: shares(st.assignments), solveMs: round(st.stats.solveMs, 3) },
        twoPmt: { allocation: shares(twoPhase.assignments as Assignment[]), criticalPathMs: round(twoPhase.criticalPathMs, 3) }
      },
      notes: 'mesh batches are formed by arrival (25 ms gateway windows), solved per slice and then stage 2 concurrently, with registry loads up to a heartbeat old; ST/2PMT see the whole batch at once'
    })
    process.stdout.write(`wrote ${file}\n`)
  } finally {
    await client.stop()
    await mesh.stop()
  }
}

await main()
