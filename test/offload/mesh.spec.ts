/**
 * Decentralised 2PMT on five real in-process peers: a plain bootstrap peer and four Nimbus
 * peers in two geohash-6 slices (two T1 gateways and a T2 in one, a T3 in the other). Devices
 * go through a gateway over a light libp2p client; reservations are confirmed by the target
 * ENs; two solvers racing for one EN never overbook it; a removed slice solver's role moves.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import {
  createOffloadClient, offsetMetres, OffloadMessage, OffloadRefusal, simulatedDevice, type FitRequest, type OffloadClient
} from '../../protocols/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { parseNimbusSection, type NimbusOffload } from '../../node/offload/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'
import { areaCentre } from './topology.js'

const HEARTBEAT_MS = 500

function feature (p: EccoPeer): NimbusOffload {
  const f = p.features.get('nimbus')
  assert.ok(f !== undefined, `${p.config.name ?? ''} has no nimbus feature`)
  return f as NimbusOffload
}

describe('offload over an in-process mesh', () => {
  const mesh = new TestMesh()
  let nimbus: EccoPeer[] = []
  let client: Libp2p
  let md: OffloadClient
  const names = ['g1', 'g2', 's2', 'big']

  before(async () => {
    const boot = await mesh.add({ name: 'boot', position: areaCentre(0), heartbeatMs: HEARTBEAT_MS })
    const section = (extra: object): unknown => parseNimbusSection({ slice: { by: 'geohash', precision: 6 }, apBandwidthMbps: 2000, batchWindowMs: 10, ...extra }, 'nimbus')
    const spots = [
      { tier: 1, position: offsetMetres(areaCentre(0), 100, 0) },
      { tier: 1, position: offsetMetres(areaCentre(0), -100, 50) },
      { tier: 2, position: offsetMetres(areaCentre(0), 0, 150) },
      { tier: 3, position: areaCentre(1) }
    ] as const
    for (const [i, s] of spots.entries()) {
      nimbus.push(await mesh.add({
        name: names[i],
        position: s.position,
        bootstrap: [mesh.addrOf(boot)],
        heartbeatMs: HEARTBEAT_MS,
        config: { tier: s.tier, sections: { nimbus: section({ tiers: { t3: { maxload: 5 } } }) } }
      }))
    }
    client = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()], connectionGater: { denyDialMultiaddr: () => false } })
    md = createOffloadClient({ dialer: client }, { timeoutMs: 20_000 })
    await waitFor(() => nimbus.every((p) => feature(p).members().filter((m) => m.live).length === 4), {
      timeoutMs: 20_000, message: () => nimbus.map((p) => `${p.config.name ?? ''}:${feature(p).members().length}`).join(' ')
    })
  })

  after(async () => {
    await client?.stop()
    await mesh.stop()
  })

  it('elects the same solvers everywhere: lowest PeerId per slice, stage 2 on a peer that solves no slice', async () => {
    const ids = nimbus.map((p) => p.peerId.toString())
    const sliceA = ids.slice(0, 3).sort()[0]
    const stage2 = ids.slice(0, 3).sort().filter((id) => id !== sliceA)[0]
    await waitFor(() => nimbus.every((p) => feature(p).sliceSolver() === (feature(p).slice === feature(nimbus[0]).slice ? sliceA : ids[3]) && feature(p).stage2Solver() === stage2), {
      timeoutMs: 5000, message: () => nimbus.map((p) => `${p.config.name ?? ''}:${feature(p).sliceSolver()?.slice(-4) ?? '-'}/${feature(p).stage2Solver()?.slice(-4) ?? '-'}`).join(' ')
    })
    assert.notEqual(feature(nimbus[0]).slice, feature(nimbus[3]).slice)
    // the roles are visible in every registry
    await waitFor(() => nimbus.every((p) => p.registry().find((e) => e.peerId === stage2)?.state.roles.includes('nimbus-stage2') === true), { timeoutMs: 5000, message: 'stage-2 role tag not gossiped' })
  })

  it('places devices through a gateway with confirmed reservations, and releases them', async () => {
    const gw = multiaddr(nimbus[0].multiaddrs()[0])
    const reqs = Array.from({ length: 30 }, (_, i) => simulatedDevice(`md-${i}`, { fps: 10, profile: 'Mobile_B' }))
    const results = await Promise.all(reqs.map(async (r) => await md.offload(gw, r)))
    const edge = results.filter((r) => r.placement.target === 'edge')
    assert.ok(edge.length >= 15, `only ${edge.length} of 30 on the edge`)
    for (const r of results) {
      const p = r.placement
      assert.ok(p.latencyMs <= p.epsT + 1e-9 || p.target === 'local', `${p.device}: L ${p.latencyMs} > eps_t ${p.epsT}`)
      if (p.target !== 'edge') continue
      assert.equal(p.reserved, true)
      const holder = nimbus.find((n) => n.peerId.toString() === p.en)
      assert.ok(holder !== undefined)
      assert.ok(feature(holder).table.get(p.device) !== undefined, `${p.device} not in ${holder.config.name ?? ''}'s table`)
      assert.ok(p.multiaddrs.length > 0)
    }
    const total = (): number => nimbus.reduce((s, p) => s + feature(p).table.size, 0)
    assert.equal(total(), edge.length)
    // a device that does not fit the small T1s goes on through stage 2 (the T3 of the other slice)
    assert.ok(results.some((r) => r.placement.stage === 2 && r.placement.target === 'edge'), 'no stage-2 edge placement')
    for (const r of edge) assert.equal(await md.release(gw, r.placement.device, r.placement.en ?? ''), true)
    assert.equal(total(), 0)
    // the registry learns the new load from the next heartbeats
    await waitFor(() => nimbus.every((p) => feature(p).members().every((m) => m.offloadClients === 0)), { timeoutMs: 5000, message: 'registry still shows offload clients' })
    // a second release of the same device holds nothing
    assert.equal(await md.release(gw, edge[0].placement.device, edge[0].placement.en ?? ''), false)
  })

  it('refuses handshakes at a non-gateway and bad requirements', async () => {
    const t2 = multiaddr(nimbus[2].multiaddrs()[0])
    await assert.rejects(md.offload(t2, simulatedDevice('x-1')), (err: Error) => err.name === 'OffloadRefusedError' && /not a gateway/.test(err.message))
    const gw = multiaddr(nimbus[0].multiaddrs()[0])
    await assert.rejects(md.offload(gw, { ...simulatedDevice('x-2'), epsT: -1 }), (err: Error) => err.name === 'InvalidMessageError' && /epsT/.test(err.message))
  })

  it('never overbooks an EN when two solvers race for it: the loser is refused', async () => {
    const big = nimbus[3]
    for (const d of feature(big).table.list()) await feature(big).releaseLocal(d.device, big.peerId.toString())
    const fit = (device: string): FitRequest => ({ device, epsT: 100, epsB: 1000, networkMs: 10, gateway: nimbus[0].peerId.toString(), leaseMs: 0 })
    const race = async (from: EccoPeer, prefix: string): Promise<boolean[]> => {
      const reply = await feature(from).call(big.peerId.toString(), { kind: OffloadMessage.Kind.RESERVE, reserve: { candidates: [0, 1, 2, 3, 4].map((i) => fit(`${prefix}-${i}`)) } }, OffloadMessage.Kind.RESERVE_REPLY, 20_000)
      return (reply.reserveReply?.verdicts ?? []).map((v) => {
        if (!v.ok) assert.equal(v.reason, OffloadRefusal.CAPACITY, v.message)
        return v.ok
      })
    }
    const [a, b] = await Promise.all([race(nimbus[1], 'ra'), race(nimbus[2], 'rb')])
    const confirmed = [...a, ...b].filter(Boolean).length
    assert.equal(confirmed, 5, `maxload 5, confirmed ${confirmed}`)
    assert.equal(feature(big).table.size, 5)
    for (const d of feature(big).table.list()) await feature(big).releaseLocal(d.device, big.peerId.toString())
  })

  it('moves the slice solver role when the solver is removed', async () => {
    const sliceA = feature(nimbus[0]).slice
    const solver = feature(nimbus[0]).sliceSolver()
    const victim = nimbus.slice(0, 3).find((p) => p.peerId.toString() === solver)
    assert.ok(victim !== undefined)
    const rest = nimbus.filter((p) => p !== victim)
    await mesh.remove(victim)
    nimbus = rest
    const alive = rest.filter((p) => feature(p).slice === sliceA).map((p) => p.peerId.toString()).sort()
    await waitFor(() => rest.every((p) => electedFor(p, sliceA) === alive[0]), {
      timeoutMs: 5 * HEARTBEAT_MS + 3000, message: () => rest.map((p) => `${p.config.name ?? ''}:${electedFor(p, sliceA)?.slice(-4) ?? '-'}`).join(' ')
    })
    const gw = rest.find((p) => feature(p).gateway && feature(p).slice === sliceA)
    assert.ok(gw !== undefined)
    const r = await md.offload(multiaddr(gw.multiaddrs()[0]), simulatedDevice('after-1', { fps: 10 }))
    if (r.placement.stage === 1 && r.placement.target === 'edge') assert.equal(r.placement.solver, alive[0])
    assert.notEqual(r.placement.solver, solver)
  })
})

function electedFor (p: EccoPeer, slice: string): string | undefined {
  const f = p.features.get('nimbus') as NimbusOffload
  return f.members().filter((m) => m.live && m.slice === slice).map((m) => m.peerId).sort()[0]
}
