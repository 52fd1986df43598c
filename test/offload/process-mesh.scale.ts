/**
 * The mesh test: 30 EN peers in three tiers (20 T1 gateways, 8 T2, 2 T3) in four
 * geohash-6 slices, each an ecco-peer OS process on loopback (plus a plain bootstrap peer),
 * and 300 simulated mobile devices sent through their T1 gateways over real libp2p streams.
 * Every reservation must hold eps_t, eps_b and maxload on its EN at the end, although four
 * slice solvers and the stage-2 solver reserve concurrently on shared ENs; killing a slice
 * solver (kill -9) must move its role to the next member by the rule.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { createOffloadClient, type DeviceRequirements, type OffloadClient, type OffloadPlacement } from '../../protocols/index.js'
import { getJson, ProcessMesh, type PeerProcess } from '../helpers/processes.js'
import { waitFor } from '../helpers/wait.js'
import { areaCentre, devices, MESH_NIMBUS, startNimbusProcesses, threeTierTopology, type TopologyNode } from './topology.js'

interface OffloadView {
  peerId: string
  tier: number
  slice: string
  gateway: boolean
  sliceSolver?: string
  stage2Solver?: string
  members: number
  profile: { tetMs: number, queue: { slopeMs: number, interceptMs: number }, capacity?: number }
  reservations: Array<{ device: string, epsT: number, epsB: number, networkMs: number }>
  stats: { refused: Record<string, number>, confirmed: number, retried: number, solverFailovers: number }
}

const W = 1.21
const le = (v: OffloadView, n: number): number => n === 0 ? 0 : v.profile.tetMs + Math.max(0, v.profile.queue.slopeMs * n + v.profile.queue.interceptMs)

/** every EN's table holds its constraints: maxload, and eps_t / eps_b of every device at the final load */
function checkTables (views: OffloadView[]): string[] {
  const bad: string[] = []
  for (const v of views) {
    const n = v.reservations.length
    if (v.profile.capacity !== undefined && n > v.profile.capacity) bad.push(`${v.peerId.slice(-6)} serves ${n} > maxload ${v.profile.capacity}`)
    for (const r of v.reservations) {
      if (r.networkMs + le(v, n) > r.epsT + 1e-9) bad.push(`${r.device} on ${v.peerId.slice(-6)}: L ${(r.networkMs + le(v, n)).toFixed(2)} > eps_t ${r.epsT.toFixed(2)} (n=${n})`)
      if (r.networkMs * W >= r.epsB) bad.push(`${r.device}: B ${(r.networkMs * W).toFixed(1)} >= eps_b ${r.epsB}`)
    }
  }
  return bad
}

/** devices arrive at each gateway a few at a time (at most `perGateway` handshakes in flight) */
async function offloadAll (md: OffloadClient, plan: Array<{ gw: PeerProcess, req: DeviceRequirements }>, perGateway = 4): Promise<OffloadPlacement[]> {
  const out = new Map<string, OffloadPlacement>()
  const byGw = new Map<PeerProcess, DeviceRequirements[]>()
  for (const { gw, req } of plan) byGw.set(gw, [...(byGw.get(gw) ?? []), req])
  const failures: string[] = []
  await Promise.all([...byGw].flatMap(([gw, reqs]) => Array.from({ length: perGateway }, async () => {
    for (let req = reqs.shift(); req !== undefined; req = reqs.shift()) {
      try {
        out.set(req.device, (await md.offload(multiaddr(gw.addr ?? ''), req)).placement)
      } catch (err) {
        failures.push(`${req.device} via ${gw.name}: ${(err as Error).name} ${(err as Error).message}`)
      }
    }
  })))
  assert.deepEqual(failures, [], `${failures.length} devices got no offer`)
  return plan.map((p) => out.get(p.req.device)).filter((p): p is OffloadPlacement => p !== undefined)
}

/** the scale by default; NIMBUS_MESH_TIERS=8,3,1 NIMBUS_MESH_MDS=120 shrinks it for a crowded machine */
const TIERS = (process.env.NIMBUS_MESH_TIERS ?? '20,8,2').split(',').map(Number) as [number, number, number]
const MDS = Number(process.env.NIMBUS_MESH_MDS ?? 300)

describe(`decentralised 2PMT on ${TIERS.reduce((a, b) => a + b, 0)} EN processes`, () => {
  const mesh = new ProcessMesh()
  const topo: TopologyNode[] = threeTierTopology(4, TIERS)
  const ENS = topo.length
  let procs = new Map<TopologyNode, PeerProcess>()
  const ids = new Map<PeerProcess, string>()
  let killed: PeerProcess | undefined
  let startMs = 0
  let client: Libp2p
  let md: OffloadClient
  const live = (): PeerProcess[] => [...procs.values()].filter((p) => p !== killed)
  const views = async (ps = live()): Promise<OffloadView[]> => await Promise.all(ps.map(async (p) => await getJson<OffloadView>(p, '/offload')))

  before(async () => {
    const t0 = Date.now()
    const boot = await mesh.start('boot', `position: { lat: ${areaCentre(1).lat}, lon: ${areaCentre(1).lon} }\n`)
    procs = await startNimbusProcesses(mesh, topo, MESH_NIMBUS, boot.addr ?? '')
    for (const p of procs.values()) ids.set(p, (await getJson<{ peerId: string }>(p, '/status')).peerId)
    client = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()], connectionGater: { denyDialMultiaddr: () => false }, connectionManager: { dialTimeout: 30_000 } })
    md = createOffloadClient({ dialer: client }, { timeoutMs: 60_000 })
    // connect to every gateway first: a burst of first dials is not what is being tested
    await Promise.all(topo.filter((n) => n.tier === 1).map(async (n) => await client.dial(multiaddr(procs.get(n)?.addr ?? ''), { signal: AbortSignal.timeout(60_000) })))
    startMs = Date.now() - t0
  })

  after(async () => {
    await client?.stop()
    const codes = await mesh.stop()
    const expected = mesh.procs.map((p) => p === killed ? null : 0)
    assert.deepEqual(codes, expected, 'exit codes')
  })

  it('every peer sees every member and the same four slice solvers and stage-2 solver', async (t) => {
    let vs: OffloadView[] = []
    const ms = await waitFor(async () => {
      vs = await views()
      return vs.every((v) => v.members === ENS) && new Set(vs.map((v) => `${v.slice}>${v.sliceSolver ?? ''}`)).size === 4 && new Set(vs.map((v) => v.stage2Solver)).size === 1
    }, { timeoutMs: 90_000, intervalMs: 500, message: () => vs.map((v) => `${v.members}:${v.sliceSolver?.slice(-4) ?? '-'}`).join(' ') })
    t.diagnostic(`${ENS + 1} processes started in ${startMs} ms; registry converged on roles ${ms} ms later`)
    for (const v of vs) {
      const slice = vs.filter((x) => x.slice === v.slice).map((x) => x.peerId).sort()
      assert.equal(v.sliceSolver, slice[0], 'lowest PeerId of the slice')
    }
  })

  it(`places ${MDS} devices: constraints and capacities hold on every EN, racing solvers never overbook`, async (t) => {
    const gateways = topo.filter((n) => n.tier === 1).map((n) => procs.get(n)).filter((p): p is PeerProcess => p !== undefined)
    const reqs = devices('md', MDS, 11)
    const t0 = Date.now()
    const placements = await offloadAll(md, reqs.map((req, i) => ({ gw: gateways[i % gateways.length], req })))
    const ms = Date.now() - t0
    const count = (f: (p: OffloadPlacement) => boolean): number => placements.filter(f).length
    const vs = await views()
    const refused = vs.reduce((s, v) => s + Object.values(v.stats.refused).reduce((a, b) => a + b, 0), 0)
    t.diagnostic(`${MDS} devices in ${ms} ms: ${count((p) => p.target === 'edge')} edge (${count((p) => p.target === 'edge' && p.stage === 2)} by stage 2), ${count((p) => p.target === 'cloud')} cloud, ${count((p) => p.target === 'local')} local; ${refused} reservations refused and retried`)
    assert.equal(placements.length, MDS)
    assert.deepEqual(checkTables(vs), [])
    // every edge placement is held by exactly the EN it names, and nothing else is held
    const held = new Map<string, string>()
    for (const v of vs) for (const r of v.reservations) { assert.ok(!held.has(r.device), `${r.device} held twice`); held.set(r.device, v.peerId) }
    const edge = placements.filter((p) => p.target === 'edge')
    for (const p of edge) assert.equal(held.get(p.device), p.en, `${p.device} placed on ${p.en ?? '?'} but held by ${held.get(p.device) ?? 'nobody'}`)
    assert.equal(held.size, edge.length)
    for (const p of placements.filter((x) => x.target === 'cloud')) {
      assert.ok(p.latencyMs <= p.epsT && p.energyMJ <= (reqs.find((r) => r.device === p.device)?.epsB ?? 0), `${p.device} cloud breaks a constraint`)
    }
    assert.ok(edge.length >= MDS / 2, `only ${edge.length} of ${MDS} on the edge`)
    assert.ok(edge.some((p) => p.stage === 2), 'stage 2 placed nothing on the edge')
  })

  it('moves a slice solver role when its peer is killed (-9), and the slice keeps placing devices', async (t) => {
    const vs = await views()
    const stage2 = vs[0].stage2Solver
    const victimId = vs.map((v) => v.sliceSolver).find((s) => s !== undefined && s !== stage2)
    const victim = [...procs.values()].find((p) => ids.get(p) === victimId)
    assert.ok(victim !== undefined)
    const slice = vs.find((v) => v.peerId === victimId)?.slice ?? ''
    const successor = vs.filter((v) => v.slice === slice && v.peerId !== victimId).map((v) => v.peerId).sort()[0]
    victim.child.kill('SIGKILL')
    killed = victim
    const t0 = Date.now()
    let now: OffloadView[] = []
    await waitFor(async () => {
      now = await views()
      return now.every((v) => v.slice !== slice || v.sliceSolver === successor)
    }, { timeoutMs: 20_000, intervalMs: 250, message: () => now.map((v) => `${v.members}:${v.sliceSolver?.slice(-4) ?? '-'}`).join(' ') })
    t.diagnostic(`slice ${slice}: role moved from ${(victimId ?? '').slice(-6)} to ${successor.slice(-6)} in ${Date.now() - t0} ms`)
    const gws = topo.filter((n) => n.tier === 1).map((n) => procs.get(n)).filter((p): p is PeerProcess => p !== undefined && p !== victim && now.find((v) => v.peerId === ids.get(p))?.slice === slice)
    assert.ok(gws.length > 0)
    const more = await offloadAll(md, devices('late', 20, 12).map((req, i) => ({ gw: gws[i % gws.length], req })))
    assert.equal(more.length, 20)
    for (const p of more) {
      assert.notEqual(p.solver, victimId)
      if (p.stage === 1 && p.target === 'edge') assert.equal(p.solver, successor)
      assert.notEqual(p.en, victimId)
    }
    assert.deepEqual(checkTables(await views()), [])
  })
})
