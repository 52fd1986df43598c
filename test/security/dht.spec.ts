/**
 * DHT routing-table admission and address-group diversity on real peers. Loopback is
 * one host, so these tests turn the loopback exemption off and spread peers over
 * 127.0.0.2 and 127.0.0.3 (Linux routes all of 127/8 to lo).
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { routingTableOf } from '../../node/security/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { waitFor } from '../helpers/wait.js'
import { SecureMesh, securityOf } from './harness.js'

const P = { lat: 48.2625, lon: 11.668 }

function tableIds (peer: EccoPeer): string[] {
  const rt = routingTableOf(peer.libp2p.services.dht) as unknown as { kb?: { toIterable: () => Iterable<{ peerId: { toString: () => string } }> } }
  return [...rt.kb?.toIterable() ?? []].map((c) => c.peerId.toString())
}

describe('DHT admission and diversity', () => {
  const m = new SecureMesh()
  after(async () => { await m.stop() })

  it('admits at most maxRoutingPeersPerGroup certified peers per address group, and no clients', async () => {
    await m.init()
    const strict = { exemptLoopback: false, addressGroup: 'ip', maxRoutingPeersPerGroup: 2 }
    const target = await m.roadside({ name: 'target', position: P, security: strict })
    const boot = [m.mesh.addrOf(target)]
    const crowd: EccoPeer[] = []
    for (let i = 0; i < 4; i++) crowd.push(await m.roadside({ name: `crowd${i}`, position: P, host: '127.0.0.2', bootstrap: boot }))
    const loner = await m.roadside({ name: 'loner', position: P, host: '127.0.0.3', bootstrap: boot })
    const car = await m.hostile()
    await car.dial(multiaddr(m.mesh.addrOf(target)))
    const sec = securityOf(target)
    await waitFor(() => [...crowd, loner].every((p) => sec.membership.isMember(p.peerId.toString())) && sec.membership.standing(car.peerId.toString()) === 'client', {
      timeoutMs: 15_000, message: () => JSON.stringify(sec.status())
    })
    await waitFor(() => tableIds(target).includes(loner.peerId.toString()) && tableIds(target).filter((id) => crowd.some((p) => p.peerId.toString() === id)).length === 2, {
      timeoutMs: 15_000, message: () => `table ${JSON.stringify(sec.admission.groups())} ${JSON.stringify(sec.admission.stats)}`
    })
    const groups = sec.admission.groups()
    assert.ok(Object.values(groups).every((n) => n <= 2), JSON.stringify(groups))
    assert.ok(sec.admission.stats.refusedGroupFull >= 2, JSON.stringify(sec.admission.stats))
    assert.equal(tableIds(target).includes(car.peerId.toString()), false)
  })

  it('limits inbound connections per address group at the gater', async () => {
    const target = await m.roadside({ name: 'gate', position: P, security: { exemptLoopback: false, addressGroup: 'ip', maxInboundConnectionsPerGroup: 2 } })
    const hostiles = await Promise.all([0, 1, 2].map(async () => await m.hostile()))
    await Promise.all(hostiles.map(async (h) => { await h.dial(multiaddr(m.mesh.addrOf(target)), { signal: AbortSignal.timeout(3000) }).catch(() => {}) }))
    const sec = securityOf(target)
    await waitFor(() => sec.gater.stats.deniedGroupFull >= 1, { timeoutMs: 10_000, message: () => JSON.stringify(sec.gater.stats) })
    const inbound = target.libp2p.getConnections().filter((c) => c.direction === 'inbound')
    assert.ok(inbound.length <= 2, `${inbound.length} inbound connections`)
  })
})
