import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile, readFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { main } from '../../node/cli/main.js'
import { parseHazardsSection } from '../../node/hazards/index.js'
import { loadOrCreateIdentity } from '../../node/identity.js'
import { Route, parseGpx, parseRoutePoints, relevanceOf, resolveVehicleOptions } from '../../node/vehicle/index.js'
import { RelevanceTrafficDirection, TrustStore, createDenm, offsetMetres, parseCertificate, verifyRevocation } from '../../protocols/index.js'
import { ROAD_START, blackIce, station } from './fixtures.js'

const GPX = `<?xml version="1.0"?><gpx version="1.1"><trk><trkseg>
<trkpt lat="48.2625" lon="11.6680"></trkpt><trkpt lat='48.2625' lon='11.6950'/></trkseg></trk></gpx>`

describe('vehicle: route, relevance and the ecco-vehicle / certs command lines', () => {
  let dir = ''
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'ecco-hz-cli-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('parses routes from GPX and point lists, projects points onto them', () => {
    const pts = parseGpx(GPX)
    assert.equal(pts.length, 2)
    assert.deepEqual(parseRoutePoints('48.2625,11.668;48.2625,11.695'), pts)
    assert.throws(() => parseRoutePoints('48.2,north'), { name: 'ConfigError' })
    assert.throws(() => parseGpx('<gpx></gpx>'), { name: 'ConfigError' })
    const r = new Route(pts)
    assert.ok(Math.abs(r.length - 2000) < 10, `length ${r.length}`)
    const p = r.project(offsetMetres(ROAD_START, 30, 500))
    assert.ok(Math.abs(p.along - 500) < 2 && Math.abs(p.lateral - 30) < 2)
    assert.ok(Math.abs(p.bearing - 90) < 1)
  })

  it('relevance: ahead within the look-ahead, passed, off the route, traffic direction', async () => {
    const s = await station(await generateKeyPair('Ed25519'))
    const route = new Route([offsetMetres(ROAD_START, 0, -5000), offsetMetres(ROAD_START, 0, 5000)])
    const event = offsetMetres(ROAD_START, 0, 1000)
    const denm = createDenm(blackIce(s, { eventPosition: event }))
    const view = (m: number): Parameters<typeof relevanceOf>[1] => ({ position: offsetMetres(ROAD_START, 0, m), route, along: m + 5000, lookaheadM: 3000 })
    assert.equal(relevanceOf(denm, view(-3000)).relevant, false) // 4 km ahead, beyond the look-ahead
    const ahead = relevanceOf(denm, view(-1500))
    assert.equal(ahead.relevant, true)
    assert.ok(Math.abs((ahead.aheadM ?? 0) - 2500) < 5)
    const upstream = createDenm(blackIce(s, { eventPosition: event, relevanceTrafficDirection: RelevanceTrafficDirection.UPSTREAM_TRAFFIC }))
    assert.equal(relevanceOf(upstream, view(1500)).relevant, false) // passed 500 m ago
    assert.equal(relevanceOf(denm, view(1500)).relevant, true) // all directions, within 1 km
    assert.equal(relevanceOf(denm, { position: offsetMetres(event, 3000, 0), lookaheadM: 5000 }).relevant, false)
  })

  it('ecco-vehicle options: route file, speed, errors name the flag', async () => {
    const op = await generateKeyPair('Ed25519')
    const pub = join(dir, 'op.pub')
    await writeFile(pub, publicKeyToProtobuf(op.publicKey))
    const gpx = join(dir, 'road.gpx')
    await writeFile(gpx, GPX)
    const join1 = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWHEjQUfRmP2wn6pn74yzzBZaujN4SGS17d43FSyeXU8Tj'
    const o = await resolveVehicleOptions(['--join', join1, '--operator-key', pub, '--route', gpx, '--speed', '90', '--json'])
    assert.equal(o.json, true)
    assert.equal(o.init.speedMps, 25)
    assert.deepEqual(o.init.position, { lat: 48.2625, lon: 11.668 })
    await assert.rejects(resolveVehicleOptions(['--operator-key', pub, '--position', '48,11']), (e: Error) => e.name === 'ConfigError' && /--join/.test(e.message))
    await assert.rejects(resolveVehicleOptions(['--join', join1, '--position', '48,11']), (e: Error) => e.name === 'ConfigError' && /--operator-key/.test(e.message))
    await assert.rejects(resolveVehicleOptions(['--join', join1, '--operator-key', pub, '--position', '48,11', '--speed', '50']), (e: Error) => /--speed: needs a --route/.test(e.message))
    await assert.rejects(resolveVehicleOptions(['--join', join1, '--operator-key', join(dir, 'nope.pub'), '--position', '48,11']), (e: Error) => /--operator-key: cannot read/.test(e.message))
  })

  it('ecco-peer certs init, issue, revoke, list; the hazards section validates', async () => {
    const opDir = join(dir, 'operator')
    const peerDir = join(dir, 'lamp')
    await mkdir(peerDir, { recursive: true })
    const { key } = await loadOrCreateIdentity(peerDir)
    const out: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => { out.push(String(chunk)); return true }) as typeof process.stdout.write
    try {
      assert.equal(await main(['certs', 'init', '--dir', opDir]), 0)
      assert.equal(await main(['certs', 'init', '--dir', opDir]), 2)
      assert.equal(await main(['certs', 'issue', '--dir', opDir, '--peer-data-dir', peerDir, '--area', '48.2625,11.668,3000', '--causes', '6,97', '--name', 'lamp-1', '--out', join(dir, 'lamp.cert')]), 0)
      assert.equal(await main(['certs', 'issue', '--dir', opDir, '--peer-data-dir', peerDir, '--area', '48.2625,11.668', '--causes', '6']), 2)
      assert.equal(await main(['certs', 'issue', '--dir', opDir, '--peer-data-dir', peerDir, '--area', '48.2625,11.668,3000', '--causes', '6,42']), 2)
      const cert = parseCertificate(await readFile(join(dir, 'lamp.cert')))
      assert.equal(cert.subject.equals(key.publicKey), true)
      assert.deepEqual(cert.body.causeCodes, [6, 97])
      assert.equal(await main(['certs', 'revoke', '--dir', opDir, '--id', cert.id.slice(0, 10), '--out', join(dir, 'lamp.rev')]), 0)
      out.length = 0
      assert.equal(await main(['certs', 'list', '--dir', opDir, '--json']), 0)
    } finally {
      process.stdout.write = write
    }
    const listed = JSON.parse(out.join('').trim()) as { id: string, revoked: boolean, causeCodes: number[] }
    assert.equal(listed.id, cert_id(await readdir(join(opDir, 'issued'))))
    assert.equal(listed.revoked, true)
    const opPub = await readFile(join(opDir, 'operator.pub'))
    const rev = await verifyRevocation(await readFile(join(dir, 'lamp.rev')), new TrustStore({ operatorKeys: [opPub] }))
    assert.equal(rev.certificateId, listed.id)
    assert.throws(() => parseHazardsSection({ operatorKeys: [] }, 'hazards'), (e: Error) => /hazards.operatorKeys/.test(e.message))
    assert.throws(() => parseHazardsSection({ operatorKeys: ['x'], transmissionIntervalMs: 0 }, 'hazards'), (e: Error) => /hazards.transmissionIntervalMs/.test(e.message))
    assert.throws(() => parseHazardsSection({ operatorKeys: ['x'], bogus: 1 }, 'hazards'), (e: Error) => /hazards.bogus: unknown field/.test(e.message))
  })
})

function cert_id (files: string[]): string {
  return files[0].replace(/\.cert$/, '')
}
