/**
 * Certificate-bound membership on real peers: certified roadside peers admit each other
 * (and into their DHT routing tables); a stolen, foreign-issued or revoked certificate
 * gets its connection closed and the peer banned; an uncertified client stays connected
 * but out of the DHT, and its publications on mesh topics are rejected.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { createRevocation } from '../../protocols/index.js'
import { getHazards } from '../../node/hazards/index.js'
import { routingTableOf, parseSecuritySection, DEFAULT_SECURITY_LIMITS } from '../../node/security/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { waitFor } from '../helpers/wait.js'
import { SecureMesh, securityOf, scoreOf } from './harness.js'

const P = { lat: 48.2625, lon: 11.668 }
/** a mesh topic without a feature validator: only the guard stands in front of it */
const MESH_TOPIC = 'ecco/v1/test-mesh'

function connected (a: EccoPeer, id: string): boolean {
  return a.libp2p.getConnections().some((c) => c.remotePeer.toString() === id)
}

function inRoutingTable (peer: EccoPeer, id: string): boolean {
  const rt = routingTableOf(peer.libp2p.services.dht) as unknown as { kb?: { toIterable: () => Iterable<{ peerId: { toString: () => string } }> } }
  for (const c of rt.kb?.toIterable() ?? []) if (c.peerId.toString() === id) return true
  return false
}

describe('security config section', () => {
  it('defaults to open and names a bad field', () => {
    assert.equal(parseSecuritySection({}, 'security').mode, DEFAULT_SECURITY_LIMITS.mode)
    assert.throws(() => parseSecuritySection({ mode: 'closed' }, 'security'), (err: Error) => err.name === 'ConfigError' && err.message.includes('security.mode'))
    assert.throws(() => parseSecuritySection({ maxMessageBytes: 1 }, 'security'), (err: Error) => err.name === 'ConfigError' && err.message.includes('security.maxMessageBytes'))
    assert.throws(() => parseSecuritySection({ bogus: 1 }, 'security'), (err: Error) => err.name === 'ConfigError' && err.message.includes('security.bogus'))
  })
})

describe('certificate-bound membership (permissioned)', () => {
  const m = new SecureMesh()
  let a: EccoPeer
  let b: EccoPeer
  let c: EccoPeer

  before(async () => {
    await m.init()
    a = await m.roadside({ name: 'a', position: P })
    b = await m.roadside({ name: 'b', position: P, bootstrap: [m.mesh.addrOf(a)] })
    c = await m.roadside({ name: 'c', position: P, bootstrap: [m.mesh.addrOf(a)] })
  })

  after(async () => { await m.stop() })

  it('certified peers admit each other and enter each other\'s routing tables', async () => {
    await waitFor(() => [b, c].every((p) => securityOf(a).membership.isMember(p.peerId.toString())) && securityOf(b).membership.isMember(a.peerId.toString()), {
      timeoutMs: 10_000, message: () => JSON.stringify(securityOf(a).status())
    })
    await waitFor(() => inRoutingTable(a, b.peerId.toString()) && inRoutingTable(b, a.peerId.toString()), { timeoutMs: 10_000, message: 'a and b not in each other\'s routing table' })
    // c learns b through b's announcement even before any direct connection
    await waitFor(() => securityOf(c).membership.isMember(b.peerId.toString()), { timeoutMs: 10_000, message: 'c never learnt b' })
  })

  it('a stolen certificate (for another PeerId) is refused, the connection closed and the peer banned', async () => {
    const victim = await generateKeyPair('Ed25519')
    const thief = await m.hostile({ certificate: await m.certificateFor(victim, P) })
    await thief.dial(multiaddr(m.mesh.addrOf(a))).catch(() => {})
    await waitFor(() => securityOf(a).stats.refused['peer-mismatch'] === 1 && !connected(a, thief.peerId.toString()), { timeoutMs: 10_000, message: () => JSON.stringify(securityOf(a).stats) })
    assert.equal(securityOf(a).gater.isBanned(thief.peerId.toString()), true)
    await waitFor(() => thief.getConnections(a.peerId).length === 0, { timeoutMs: 5000, message: 'the thief still holds a connection' })
    // the dialer may see its half of the upgrade finish: what matters is that a denies it after Noise
    await thief.dial(multiaddr(m.mesh.addrOf(a)), { signal: AbortSignal.timeout(5000) }).catch(() => {})
    await waitFor(() => securityOf(a).gater.stats.deniedBanned >= 1, { timeoutMs: 5000, message: 'the banned peer was not denied' })
    assert.equal(connected(a, thief.peerId.toString()), false)
  })

  it('a certificate from an untrusted operator and a garbage certificate are refused', async () => {
    const rogueOperator = await generateKeyPair('Ed25519')
    const key = await generateKeyPair('Ed25519')
    const rogue = await m.hostile({ key, certificate: await m.certificateFor(key, P, rogueOperator) })
    const garbage = await m.hostile({ certificate: new Uint8Array(300).fill(7) })
    await rogue.dial(multiaddr(m.mesh.addrOf(b))).catch(() => {})
    await garbage.dial(multiaddr(m.mesh.addrOf(b))).catch(() => {})
    await waitFor(() => securityOf(b).stats.refused['untrusted-issuer'] === 1 && securityOf(b).stats.refused['bad-certificate'] === 1, {
      timeoutMs: 10_000, message: () => JSON.stringify(securityOf(b).stats)
    })
    await waitFor(() => !connected(b, rogue.peerId.toString()) && !connected(b, garbage.peerId.toString()), { timeoutMs: 5000, message: 'still connected' })
  })

  it('an uncertified client stays connected, stays out of the DHT, and its mesh publications are rejected', async () => {
    const car = await m.hostile()
    await car.dial(multiaddr(m.mesh.addrOf(c)))
    const carId = car.peerId.toString()
    await waitFor(() => securityOf(c).membership.standing(carId) === 'client', { timeoutMs: 10_000, message: () => `standing ${securityOf(c).membership.standing(carId)}` })
    assert.equal(connected(c, carId), true)
    assert.equal(inRoutingTable(c, carId), false)
    assert.equal(securityOf(c).mayServe(car.peerId), false)
    assert.equal(securityOf(c).mayServe(a.peerId), true)
    c.libp2p.services.pubsub.subscribe(MESH_TOPIC)
    car.services.pubsub.subscribe(MESH_TOPIC)
    await waitFor(() => car.services.pubsub.getSubscribers(MESH_TOPIC).some((p) => p.equals(c.peerId)), { timeoutMs: 10_000, message: 'c never subscribed' })
    const before = scoreOf(c, carId)
    for (let i = 0; i < 5; i++) await car.services.pubsub.publish(MESH_TOPIC, new TextEncoder().encode(`not a member ${i}`))
    await waitFor(() => (securityOf(c).guard.stats.rejected['non-member-sender'] ?? 0) >= 5, { timeoutMs: 10_000, message: () => JSON.stringify(securityOf(c).guard.stats) })
    // gossipsub caches scores for a moment: poll
    await waitFor(() => scoreOf(c, carId) < -80, { timeoutMs: 5000, message: () => `score ${scoreOf(c, carId)} (was ${before}) not below the graylist threshold -80` })
  })

  it('a slow member is retried and admitted; a silent one is cut off but not banned', async () => {
    const patient = await m.roadside({ name: 'patient', position: P, security: { certTimeoutMs: 300 } })
    const { CERT_PROTOCOL, serveCertificate } = await import('../../node/security/index.js')
    const slowKey = await generateKeyPair('Ed25519')
    const slowCert = await m.certificateFor(slowKey, P)
    const slow = await m.hostile({ key: slowKey })
    let asked = 0
    // the first answer comes after the first deadline, the second in time
    await slow.handle(CERT_PROTOCOL, ({ stream }) => {
      const delay = asked++ === 0 ? 600 : 0
      setTimeout(() => { void serveCertificate(stream, slowCert, 5000) }, delay)
    })
    const silent = await m.hostile()
    await silent.handle(CERT_PROTOCOL, () => {})
    await slow.dial(multiaddr(m.mesh.addrOf(patient)))
    await silent.dial(multiaddr(m.mesh.addrOf(patient))).catch(() => {})
    const sec = securityOf(patient)
    await waitFor(() => sec.membership.isMember(slow.peerId.toString()), { timeoutMs: 10_000, message: () => JSON.stringify(sec.stats) })
    assert.ok(asked >= 2)
    // three deadlines: 300 + 600 + 900 ms
    await waitFor(() => sec.stats.refused['no-answer'] === 1 && !connected(patient, silent.peerId.toString()), { timeoutMs: 10_000, message: () => JSON.stringify(sec.stats) })
    assert.equal(sec.gater.isBanned(silent.peerId.toString()), false)
  })

  it('clients are refused when security.allowClients is false', async () => {
    const strict = await m.roadside({ name: 'strict', position: P, security: { allowClients: false } })
    const car = await m.hostile()
    await car.dial(multiaddr(m.mesh.addrOf(strict))).catch(() => {})
    await waitFor(() => securityOf(strict).stats.refused['clients-not-allowed'] === 1, { timeoutMs: 10_000, message: () => JSON.stringify(securityOf(strict).stats) })
    await waitFor(() => !connected(strict, car.peerId.toString()), { timeoutMs: 5000, message: 'client still connected' })
  })

  it('a member whose certificate is revoked is disconnected and leaves the routing table', async () => {
    const hz = getHazards(b)
    assert.ok(hz?.certificate !== undefined)
    await getHazards(a)?.revoke(await createRevocation(m.operator, hz.certificate))
    await waitFor(() => securityOf(a).stats.refused['certificate-revoked'] !== undefined && !connected(a, b.peerId.toString()), {
      timeoutMs: 10_000, message: () => JSON.stringify(securityOf(a).stats)
    })
    assert.equal(inRoutingTable(a, b.peerId.toString()), false)
    assert.equal(securityOf(a).membership.isMember(b.peerId.toString()), false)
  })
})

describe('start-up log', () => {
  it('open mode is a warning line; permissioned mode says so', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { createEccoPeer } = await import('../../node/peer.js')
    const { createLogger } = await import('../../node/logger.js')
    const { defaultConfig } = await import('../../node/config/parse.js')
    const { securityFeature, parseSecuritySection } = await import('../../node/security/index.js')
    const root = await mkdtemp(join(tmpdir(), 'ecco-sec-log-'))
    const lines: Array<{ level: string, msg: string, component?: string }> = []
    try {
      for (const mode of ['open', 'permissioned']) {
        const m = new SecureMesh()
        await m.init()
        const config = { ...defaultConfig(join(root, mode)), listen: ['/ip4/127.0.0.1/tcp/0'], sections: { security: parseSecuritySection({ mode, operatorKeys: [m.operatorFile] }, 'security') } }
        const log = createLogger({ level: 'info', write: (l) => { lines.push(JSON.parse(l)) } })
        const peer = await createEccoPeer({ config, log, features: [securityFeature] })
        await peer.start()
        await peer.stop()
        await m.stop()
      }
    } finally {
      await rm(root, { recursive: true, force: true })
    }
    const sec = lines.filter((l) => l.component?.endsWith('security') === true)
    assert.ok(sec.some((l) => l.level === 'warn' && l.msg.startsWith('security mode OPEN')), JSON.stringify(sec))
    assert.ok(sec.some((l) => l.level === 'info' && l.msg === 'security mode permissioned'), JSON.stringify(sec))
  })
})

describe('open mode', () => {
  const m = new SecureMesh()
  after(async () => { await m.stop() })

  it('admits a peer without a certificate as before (labs)', async () => {
    await m.init()
    const a = await m.roadside({ name: 'open-a', position: P, security: { mode: 'open' } })
    const car = await m.hostile()
    await car.dial(multiaddr(m.mesh.addrOf(a)))
    a.libp2p.services.pubsub.subscribe(MESH_TOPIC)
    car.services.pubsub.subscribe(MESH_TOPIC)
    await waitFor(() => car.services.pubsub.getSubscribers(MESH_TOPIC).some((p) => p.equals(a.peerId)), { timeoutMs: 10_000, message: 'a never subscribed' })
    await car.services.pubsub.publish(MESH_TOPIC, new TextEncoder().encode('hello'))
    await waitFor(() => securityOf(a).guard.stats.accepted >= 1, { timeoutMs: 5000, message: () => JSON.stringify(securityOf(a).guard.stats, (_k, v) => typeof v === 'bigint' ? Number(v) : v) })
    assert.equal(securityOf(a).mode, 'open')
    assert.deepEqual(securityOf(a).guard.stats.rejected, {})
    assert.equal(connected(a, car.peerId.toString()), true)
  })
})
