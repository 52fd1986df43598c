/**
 * Descriptor rules (issue 4 item 2): every validation error names the path of
 * the bad field; signing and trust (item 3); the placement rule (item 4) is
 * deterministic whatever order bids arrive in.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  bidCost, computePlacement, decodeBid, encodeBid, formatIssuer, generateIssuerKey, openDescriptor, parseDescriptorYaml, parseIssuer,
  signDescriptor, validateDescriptor, Role, type Bid, type HostCapabilities, type PipelineDescriptor
} from '../../protocols/index.js'

const BASE = `
id: demo
priority: 3
execution: automatic
area: { lat: 48.2625, lon: 11.668, radiusM: 5000 }
stages:
  - { name: a, image: fusion, role: start, input: { source: sensors, intervalMs: 1000 } }
  - { name: b, image: fusion, role: midsection, after: [a] }
  - { name: c, image: fusion, role: finale, after: [b] }
`
const IMAGES = new Map([['fusion', 'a'.repeat(64)], ['image-normalise', 'b'.repeat(64)]])

function parse (yaml: string): PipelineDescriptor { return parseDescriptorYaml(yaml, 'test.yaml', { now: 1_000_000 }) }

function fails (yaml: string, name: string, path: string, ctx: Parameters<typeof validateDescriptor>[1] = { images: IMAGES }): void {
  assert.throws(() => { validateDescriptor(parse(yaml), ctx) }, (err: Error & { path?: string }) => {
    assert.equal(err.name, name, err.message)
    assert.equal(err.path, path, err.message)
    return true
  })
}

const stages = (s: string): string => BASE.replace(/stages:[\s\S]*$/, `stages:\n${s}`)

describe('pipeline descriptor validation', () => {
  it('accepts the base descriptor and every descriptor file in pipelines/', async () => {
    validateDescriptor(parse(BASE), { images: IMAGES })
    const dir = join(process.cwd(), 'pipelines')
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml'))
    assert.ok(files.length >= 8)
    for (const f of files) validateDescriptor(parseDescriptorYaml(await readFile(join(dir, f), 'utf8'), f))
  })

  it('rejects a cycle, naming its path', () => {
    fails(stages(`  - { name: a, image: fusion, role: start, input: { source: sensors, intervalMs: 1000 } }
  - { name: b, image: fusion, role: midsection, after: [a, c] }
  - { name: c, image: fusion, role: finale, after: [b] }`), 'PipelineCycleError', 'stages[1].after')
    fails(stages(`  - { name: a, image: fusion, role: start, input: { source: sensors, intervalMs: 1000 } }
  - { name: b, image: fusion, role: finale, after: [b] }`), 'PipelineCycleError', 'stages[1].after[0]')
  })

  it('rejects an unknown `after`', () => {
    fails(BASE.replace('after: [b]', 'after: [x]'), 'PipelineValidationError', 'stages[2].after[0]')
  })

  it('rejects roles inconsistent with the graph', () => {
    fails(BASE.replace('role: midsection', 'role: start'), 'PipelineValidationError', 'stages[1].role')
    fails(BASE.replace('role: finale', 'role: midsection'), 'PipelineValidationError', 'stages[2].role')
    fails(BASE.replace('name: b, image: fusion, role: midsection', 'name: b, image: fusion, role: finale'), 'PipelineValidationError', 'stages[1].role')
    fails(BASE.replace("{ name: a, image: fusion, role: start, input: { source: sensors, intervalMs: 1000 } }", '{ name: a, image: fusion, role: midsection }'), 'PipelineValidationError', 'stages[0].role')
  })

  it('rejects unknown images and wrong content hashes', () => {
    fails(BASE.replace('name: b, image: fusion', 'name: b, image: no-such-ef'), 'UnknownImageError', 'stages[1].image')
    fails(BASE.replace('name: c, image: fusion', `name: c, image: "fusion@${'c'.repeat(64)}"`), 'UnknownImageError', 'stages[2].image.hash')
  })

  it('rejects needs that no capability can meet', () => {
    fails(BASE.replace('role: finale', 'role: finale, needs: { sensors: [x-ray] }'), 'UnmeetableNeedsError', 'stages[2].needs.sensors[0]')
    fails(BASE.replace('role: finale', 'role: finale, needs: { radios: [smoke-signal] }'), 'UnmeetableNeedsError', 'stages[2].needs.radios[0]')
    fails(BASE.replace('role: finale', 'role: finale, needs: { minTier: 3, maxTier: 1 }'), 'UnmeetableNeedsError', 'stages[2].needs.maxTier')
    const hosts: HostCapabilities[] = [{ peerId: 'p', sensors: ['camera'], radios: [], tier: 1, accelerator: '', roles: [], memoryMb: 512, lat: 48.26, lon: 11.66 }]
    fails(BASE.replace('role: finale', 'role: finale, needs: { radios: [its-g5] }'), 'UnmeetableNeedsError', 'stages[2].needs', { images: IMAGES, hosts })
  })

  it('names the bad field of malformed YAML', () => {
    fails(BASE.replace('priority: 3', 'priority: high'), 'DescriptorSyntaxError', 'priority')
    fails(BASE.replace('execution: automatic', 'execution: sometimes'), 'DescriptorSyntaxError', 'execution')
    fails(BASE.replace('role: finale', 'role: finale, replicas: 0'), 'DescriptorSyntaxError', 'stages[2].replicas')
    fails(BASE.replace('role: finale', 'role: finale, colour: red'), 'DescriptorSyntaxError', 'stages[2].colour')
    fails(BASE.replace('radiusM: 5000', 'radiusM: 0'), 'PipelineValidationError', 'area.radiusM')
    fails(BASE.replace('id: demo', 'id: Demo!'), 'PipelineValidationError', 'id')
    fails(BASE.replace('intervalMs: 1000', 'intervalMs: 1'), 'PipelineValidationError', 'stages[0].input.intervalMs')
    fails(BASE.replace('name: b, image: fusion', 'name: a, image: fusion'), 'PipelineValidationError', 'stages[1].name')
    assert.throws(() => parse('id: [unclosed'), { name: 'DescriptorSyntaxError' })
  })
})

describe('pipeline signatures and trust', () => {
  it('opens a descriptor signed by a trusted issuer and rejects unsigned, untrusted and altered ones', async () => {
    const key = await generateIssuerKey()
    const other = await generateIssuerKey()
    const trusted = new Set([formatIssuer(key.publicKey)])
    const signed = await signDescriptor(parse(BASE), key)
    const { descriptor, issuer } = await openDescriptor(signed, trusted)
    assert.equal(descriptor.id, 'demo')
    assert.equal(issuer, formatIssuer(key.publicKey))
    await assert.rejects(openDescriptor({ ...signed, signature: new Uint8Array(0) }, trusted), { name: 'UnsignedDescriptorError' })
    await assert.rejects(openDescriptor(await signDescriptor(parse(BASE), other), trusted), { name: 'UntrustedIssuerError' })
    const altered = new Uint8Array(signed.descriptor)
    altered[altered.length - 1] ^= 1
    await assert.rejects(openDescriptor({ ...signed, descriptor: altered }, trusted), { name: 'InvalidSignatureError' })
  })

  it('parses trusted issuer keys as base58btc or hex', async () => {
    const key = await generateIssuerKey()
    const b58 = formatIssuer(key.publicKey)
    assert.equal(parseIssuer(b58), b58)
    assert.equal(parseIssuer(Buffer.from(key.publicKey.raw).toString('hex')), b58)
    assert.throws(() => parseIssuer('not-a-key'), { name: 'IssuerKeyError' })
  })
})

describe('placement rule', () => {
  const d = parse(BASE.replace("{ name: b, image: fusion, role: midsection, after: [a] }", '{ name: b, image: fusion, role: midsection, after: [a], replicas: 2 }'))
  const bid = (stage: string, peer: string, cost: number, withdrawn = false): Bid => ({ version: 1, pipelineId: 'demo', stage, peer, cost, withdrawn, atMs: 0n })
  const bids = [bid('a', 'p1', 0.5), bid('a', 'p2', 0.2), bid('b', 'p1', 0.3), bid('b', 'p2', 0.3), bid('b', 'p3', 0.1), bid('b', 'p4', 0.9), bid('c', 'p3', 0.4)]

  it('is the same for any order of bids (lowest cost, ties by PeerId)', () => {
    const p = computePlacement(d, bids)
    assert.deepEqual(p.stages.get('a'), [{ slot: 0, peer: 'p2' }])
    assert.deepEqual(p.stages.get('b'), [{ slot: 0, peer: 'p3' }, { slot: 1, peer: 'p1' }])
    for (let seed = 1; seed <= 20; seed++) {
      let x = seed
      const shuffled = [...bids].sort(() => { x = (x * 48271) % 2147483647; return (x % 3) - 1 })
      assert.equal(computePlacement(d, shuffled).digest, p.digest, `seed ${seed}`)
    }
  })

  it('gives a gone peer\'s slot to the best unused candidate, or skips it', () => {
    const p = computePlacement(d, bids, new Set(['p3']))
    assert.deepEqual(p.stages.get('b'), [{ slot: 0, peer: 'p2' }, { slot: 1, peer: 'p1' }])
    assert.deepEqual(p.stages.get('c'), [{ slot: 0 }])
    assert.deepEqual(p.skipped, ['c'])
    const q = computePlacement(d, bids.map((b) => b.stage === 'a' && b.peer === 'p2' ? { ...b, withdrawn: true } : b))
    assert.deepEqual(q.stages.get('a'), [{ slot: 0, peer: 'p1' }], 'a withdrawn bid does not count')
  })

  it('costs distance to the area plus load, and refuses hosts outside the area', () => {
    const host: HostCapabilities = { peerId: 'p', sensors: [], radios: [], tier: 1, accelerator: '', roles: [], memoryMb: 512, lat: 48.2625, lon: 11.668 }
    assert.equal(bidCost(d, { host, loadFraction: 0.5 }), 0.5)
    assert.equal(bidCost(d, { host: { ...host, lat: 49 }, loadFraction: 0 }), undefined)
    const b = decodeBid('demo/a/p1', encodeBid({ pipelineId: 'demo', stage: 'a', peer: 'p1', cost: 1, withdrawn: false, atMs: 1n }))
    assert.equal(b.cost, 1)
    assert.throws(() => decodeBid('demo/a/p2', encodeBid({ pipelineId: 'demo', stage: 'a', peer: 'p1', cost: 1, withdrawn: false, atMs: 1n })), { name: 'InvalidMessageError' })
    assert.equal(d.stages[0].role, Role.ROLE_START)
  })
})
