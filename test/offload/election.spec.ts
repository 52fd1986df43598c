/** Slice keys, solver election and its failover rule; the `nimbus:` config section; wire decoding. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  decodeOffloadMessage, electSliceSolver, electStage2Solver, encodeOffloadMessage, membersFromRegistry, OffloadMessage, sliceKey, sliceSolvers,
  solverRoles, PeerState, requirementsToWire, simulatedDevice, type NimbusMember, type RegistryEntry
} from '../../protocols/index.js'
import { parseNimbusSection } from '../../node/offload/index.js'
import { parseConfigText, applyLayer, defaultConfig } from '../../node/config/parse.js'

const m = (peerId: string, slice: string, live = true): NimbusMember => ({ peerId, slice, tier: 1, lat: 0, lon: 0, multiaddrs: [], offloadClients: 0, gateway: true, live })

describe('slices and solver election', () => {
  it('derives slice keys from the geohash prefix, the tier or a group name', () => {
    assert.equal(sliceKey({ by: 'geohash', precision: 4 }, { cell: 'u281zz', tier: 1 }), 'gh:u281')
    assert.equal(sliceKey({ by: 'tier' }, { cell: 'u281zz', tier: 2 }), 'tier:2')
    assert.equal(sliceKey({ by: 'group', name: 'north' }, { cell: 'u281zz', tier: 3 }), 'group:north')
    assert.throws(() => sliceKey({ by: 'geohash', precision: 7 }, { cell: 'u281zz', tier: 1 }), (err: Error) => err.name === 'InvalidOffloadConfigError' && /precision/.test(err.message))
  })

  it('elects the lowest live PeerId per slice and a stage-2 solver that solves no slice; excluded or gone peers are skipped', () => {
    const ms = [m('c', 'A'), m('a', 'A'), m('b', 'B'), m('d', 'B'), m('e', 'A')]
    assert.equal(electSliceSolver(ms, 'A'), 'a')
    assert.equal(electSliceSolver(ms, 'B'), 'b')
    assert.equal(electStage2Solver(ms), 'c')
    assert.deepEqual([...sliceSolvers(ms)].sort(), [['A', 'a'], ['B', 'b']])
    assert.deepEqual(solverRoles(ms, 'a'), ['nimbus-solver:A'])
    assert.deepEqual(solverRoles(ms, 'c'), ['nimbus-stage2'])
    // the solver dies: the rule without it names the next; every peer computes the same
    const gone = ms.map((x) => x.peerId === 'a' ? { ...x, live: false } : x)
    assert.equal(electSliceSolver(gone, 'A'), 'c')
    assert.equal(electStage2Solver(gone), 'd')
    assert.equal(electSliceSolver(ms, 'A', new Set(['a', 'c'])), 'e')
    // every member solves a slice: stage 2 falls back to the lowest
    assert.equal(electStage2Solver([m('x', 'A'), m('y', 'B')]), 'x')
    assert.equal(electSliceSolver([], 'A'), undefined)
  })

  it('reads members from registry roles only', () => {
    const entry = (peerId: string, roles: string[]): RegistryEntry => ({
      peerId, live: true,
      state: PeerState.decode(PeerState.encode({ version: 1, name: peerId, lat: 1, lon: 2, cell: 'u', tier: 2, sensors: [], radios: [], multiaddrs: [], startedAt: 0n, roles, load: { runningEdgeFunctions: 0, pipelines: 0, queuedBundles: 0, offloadClients: 3, cpuPermille: 0, memoryRssBytes: 0n } }))
    })
    const ms = membersFromRegistry([entry('z', ['nimbus-en', 'nimbus-slice:gh:u2']), entry('y', ['roadside']), entry('x', ['nimbus-en'])])
    assert.deepEqual(ms.map((x) => [x.peerId, x.slice, x.offloadClients]), [['z', 'gh:u2', 3]])
  })
})

describe('nimbus config section', () => {
  it('enables Nimbus with the paper defaults and overrides the tier profile', () => {
    const c = applyLayer(defaultConfig('/tmp/x'), parseConfigText('nimbus:\n  slice: { by: tier }\n  tiers:\n    t1: { maxload: 4, queue: { slopeMs: 20 } }\n', 'p.yaml'), 'p.yaml')
    const n = c.sections.nimbus as ReturnType<typeof parseNimbusSection>
    assert.deepEqual(n.slice, { by: 'tier' })
    assert.equal(n.tiers.t1.maxload, 4)
    assert.equal(n.tiers.t1.queue.slopeMs, 20)
    assert.ok(n.tiers.t1.queue.interceptMs < 0)
    assert.equal(n.tiers.t2.tetMs, parseNimbusSection({}, 'nimbus').tiers.t2.tetMs)
    assert.equal(parseNimbusSection(null, 'nimbus').solver.alpha, undefined)
  })

  it('names the bad field', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ slice: { by: 'zip' } }, /nimbus\.slice\.by: must be one of/],
      [{ tiers: { t4: {} } }, /nimbus\.tiers\.t4: unknown field/],
      [{ tiers: { t2: { maxload: -1 } } }, /nimbus\.tiers\.t2\.maxload: must be >= 0/],
      [{ clouds: [{ id: 'a', rttMs: 1 }, { id: 'a', rttMs: 2 }] }, /nimbus\.clouds\[1\]\.id: duplicate/],
      [{ solver: { kappa: 1.5 } }, /nimbus\.solver\.kappa: must be an integer/],
      [{ leaseMs: 90_000_000 }, /nimbus\.leaseMs: 90000000 exceeds maxLeaseMs/],
      [{ batchWindow: 5 }, /nimbus\.batchWindow: unknown field/]
    ]
    for (const [v, re] of bad) assert.throws(() => parseNimbusSection(v, 'nimbus'), (err: Error) => err.name === 'ConfigError' && re.test(err.message), JSON.stringify(v))
  })
})

describe('offload wire format', () => {
  it('round-trips and rejects bad versions, kinds, missing bodies and oversize lists', () => {
    const hs = { kind: OffloadMessage.Kind.HANDSHAKE, handshake: requirementsToWire(simulatedDevice('md-1')) }
    assert.equal(decodeOffloadMessage(encodeOffloadMessage(hs)).handshake?.device, 'md-1')
    const reject = (bytes: Uint8Array, re: RegExp): void => {
      assert.throws(() => decodeOffloadMessage(bytes), (err: Error) => err.name === 'InvalidMessageError' && re.test(err.message))
    }
    reject(OffloadMessage.encode({ ...hs, version: 9 }), /unsupported version 9/)
    reject(encodeOffloadMessage({ kind: OffloadMessage.Kind.OFFER }), /without its offer/)
    // kind 42 does not exist: field 2, varint
    reject(Uint8Array.from([0x08, 0x01, 0x10, 42]), /enum/)
    const many = { kind: OffloadMessage.Kind.RESERVE, reserve: { candidates: Array.from({ length: 1025 }, (_, i) => ({ device: `d${i}`, epsT: 1, epsB: 1, networkMs: 1, gateway: 'g', leaseMs: 0 })) } }
    reject(encodeOffloadMessage(many), /candidates/)
    reject(new Uint8Array(2 * 1024 * 1024), /exceeds/)
  })
})
