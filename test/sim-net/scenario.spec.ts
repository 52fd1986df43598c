/**
 * Scenario validation: every error names the path of the bad field, and the
 * scenarios shipped in sim-net/scenarios/ are valid.
 */
import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { distanceMetres } from '../../protocols/index.js'
import { checkCapabilities, createBarePeerFactory, loadScenario, parseScenario, validateScenario } from '../../sim-net/index.js'
import type { Scenario } from '../../sim-net/index.js'

const BASE = {
  name: 'unit',
  duration: '60s',
  roads: { main: { path: [[48.0, 11.0], [48.0, 11.0135]] } },
  nodes: [
    { name: 'lamp', count: 5, road: { name: 'main', spacingM: 100 } },
    { name: 'cabinet', position: { lat: 48.001, lon: 11.005 }, tier: 2 }
  ]
}

type Doc = Record<string, unknown>

function withPatch (patch: Doc): Doc {
  return { ...structuredClone(BASE), ...patch }
}

function rejects (doc: unknown, message: string | RegExp): void {
  assert.throws(() => validateScenario(doc), (err: Error & { path?: string }) => {
    assert.equal(err.name, 'ScenarioError')
    if (typeof message === 'string') assert.equal(err.message, message)
    else assert.match(err.message, message)
    return true
  })
}

describe('scenario validation', () => {
  it('accepts a minimal scenario and applies defaults', () => {
    const s = validateScenario(withPatch({}))
    assert.equal(s.seed, 1)
    assert.equal(s.durationMs, 60_000)
    assert.equal(s.heartbeatMs, 1000)
    assert.deepEqual(s.nodes.map(n => n.name), ['lamp-01', 'lamp-02', 'lamp-03', 'lamp-04', 'lamp-05', 'cabinet'])
    assert.equal(s.nodes[0].tier, 1)
    assert.equal(s.links.default.latencyMs, 1)
  })

  it('names the bad field with its path: nodes[1].position.lat out of range', () => {
    const doc = withPatch({})
    ;(doc.nodes as Doc[])[1] = { name: 'cabinet', position: { lat: 91, lon: 11 } }
    rejects(doc, 'nodes[1].position.lat: must be a number in [-90, 90], got 91')
  })

  it('rejects unknown fields, so typos do not pass silently', () => {
    const doc = withPatch({})
    ;(doc.nodes as Doc[])[0] = { name: 'lamp', count: 5, road: { name: 'main', spacingM: 100 }, tierr: 2 }
    rejects(doc, /^nodes\[0\]\.tierr: unknown field \(expected one of: name, count, tier/)
  })

  it('passes a geohash cell precision to the peers, and names a bad one', () => {
    assert.equal(validateScenario(withPatch({})).cellPrecision, undefined)
    assert.equal(validateScenario(withPatch({ cellPrecision: 7 })).cellPrecision, 7)
    rejects(withPatch({ cellPrecision: 13 }), /^cellPrecision: must be an integer in \[1, 12\]/)
  })

  it('requires duration and parses units', () => {
    const doc = withPatch({})
    delete doc.duration
    rejects(doc, /^duration: must be a duration/)
    assert.equal(validateScenario(withPatch({ duration: '2m' })).durationMs, 120_000)
    assert.equal(validateScenario(withPatch({ duration: 90 })).durationMs, 90_000)
    rejects(withPatch({ duration: '5 parsecs' }), /^duration: must be a duration .* got "5 parsecs"/)
  })

  it('places nodes along a road at the spacing and rejects ones that do not fit', () => {
    const s = validateScenario(withPatch({}))
    const d = distanceMetres(s.nodes[0].position, s.nodes[1].position)
    assert.ok(Math.abs(d - 100) < 0.5, `spacing ${d}`)
    const doc = withPatch({})
    ;(doc.nodes as Doc[])[0] = { name: 'lamp', count: 50, road: { name: 'main', spacingM: 100 } }
    rejects(doc, /^nodes\[0\]\.count: 50 nodes at 100 m from km 0 do not fit on road "main" \(\d+ m long; at most 11\)$/)
  })

  it('rejects an unknown road and names the declared ones', () => {
    const doc = withPatch({})
    ;(doc.nodes as Doc[])[0] = { name: 'lamp', count: 2, road: { name: 'mian', spacingM: 10 } }
    rejects(doc, 'nodes[0].road.name: unknown road "mian" (declared roads: main)')
  })

  it('lays out grids row by row and seeds area placement', () => {
    const grid = validateScenario(withPatch({ nodes: [{ name: 'g', grid: { origin: [48, 11], rows: 2, cols: 3, spacingM: 50 } }] }))
    assert.equal(grid.nodes.length, 6)
    assert.ok(Math.abs(distanceMetres(grid.nodes[0].position, grid.nodes[3].position) - 50) < 0.5)
    const area = (seed: number): Scenario => validateScenario(withPatch({ seed, nodes: [{ name: 'a', count: 4, area: { centre: [48, 11], radiusM: 200 } }] }))
    assert.deepEqual(area(3).nodes, area(3).nodes)
    assert.notDeepEqual(area(3).nodes.map(n => n.position), area(4).nodes.map(n => n.position))
    for (const n of area(3).nodes) assert.ok(distanceMetres(n.position, { lat: 48, lon: 11 }) <= 200.5)
  })

  it('rejects duplicate node names', () => {
    rejects(withPatch({ nodes: [{ name: 'x', position: [48, 11] }, { name: 'x', position: [48, 11.001] }] }), 'nodes[1].name: node name "x" is already used by nodes[0]')
  })

  it('validates link parameters, classes and rules', () => {
    rejects(withPatch({ links: { default: { latencyMs: 5, loss: 0.9 } } }), 'links.default.loss: must be a number in [0, 0.5], got 0.9')
    rejects(withPatch({ links: { classes: { radio: { latencyMs: -1 } } } }), 'links.classes.radio.latencyMs: must be a number in [0, 60000], got -1')
    rejects(withPatch({ links: { rules: [{ class: 'radoi' }] } }), 'links.rules[0].class: unknown link class "radoi" (declared: default)')
    rejects(withPatch({ links: { pairs: [{ between: ['lamp-01', 'lamp-99'], latencyMs: 3 }] } }), 'links.pairs[0].between[1]: unknown node "lamp-99"')
    const s = validateScenario(withPatch({ links: { default: { latencyMs: 5 }, classes: { radio: { jitterMs: 2 } } } }))
    assert.deepEqual(s.links.classes.radio, { latencyMs: 5, jitterMs: 2, loss: 0 }, 'a class inherits the default link')
  })

  it('checks events against node states in time order', () => {
    rejects(withPatch({ events: [{ at: '5s', restart: 'lamp-02' }] }), 'events[0].restart: node "lamp-02" is not crashed at 5s; only a crashed node can be restarted')
    rejects(withPatch({ events: [{ at: '5s', crash: 'lamp-02' }, { at: '3s', crash: 'lamp-02' }] }), 'events[0].crash: node "lamp-02" is already crashed at 5s')
    rejects(withPatch({ events: [{ at: '5s', crash: 'lamp-9' }] }), 'events[0].crash: unknown node "lamp-9"')
    rejects(withPatch({ events: [{ at: '70s', crash: 'lamp-01' }] }), 'events[0].at: 70s is not before the end of the scenario (duration 60s)')
    rejects(withPatch({ events: [{ at: '5s', heal: 'p' }] }), 'events[0].heal: no partition "p" is in place at 5s (active: none)')
    rejects(withPatch({ events: [{ at: '5s', crash: 'lamp-01', restart: 'lamp-01' }] }), 'events[0]: needs exactly one of crash, restart, partition, heal, degrade, condition, got crash and restart')
    rejects(withPatch({ events: [{ at: '5s', crash: 'lamp-01', until: '9s' }] }), 'events[0].until: not allowed in a crash event')
  })

  it('validates partitions, degradations and conditions', () => {
    rejects(withPatch({ events: [{ at: 1, partition: [['lamp-01', 'lamp-02'], ['lamp-02']] }] }), 'events[0].partition: node "lamp-02" is in both groups')
    rejects(withPatch({ events: [{ at: 1, partition: ['lamp-7*'] }] }), 'events[0].partition[0]: "lamp-7*" matches no node')
    rejects(withPatch({ events: [{ at: 1, degrade: { class: 'wifi', latencyMs: 9 } }] }), 'events[0].degrade.class: unknown link class "wifi" (declared: default)')
    rejects(withPatch({ events: [{ at: 10, condition: 'ice', position: { road: 'main', km: 0.5 }, until: 5 }] }), 'events[0].until: must be after at (10s), got 5s')
    rejects(withPatch({ events: [{ at: 10, condition: 'ice', position: { road: 'main', km: 7 } }] }), /^events\[0\]\.position\.km: must be a number in \[0, 1\.00\d+\], got 7$/)
    const s = validateScenario(withPatch({ events: [{ at: 1, partition: ['lamp-0*'], id: 'west' }, { at: 2, heal: 'west' }] }))
    const p = s.events[0]
    assert.ok(p.type === 'partition')
    assert.deepEqual(p.groups, [['lamp-01', 'lamp-02', 'lamp-03', 'lamp-04', 'lamp-05'], ['cabinet']])
  })

  it('reports YAML syntax errors with line and column', () => {
    assert.throws(() => parseScenario('name: x\nnodes: [\n  - oops'), (err: Error) => {
      assert.equal(err.name, 'ScenarioError')
      assert.match(err.message, /YAML syntax error at line \d+, column \d+/)
      return true
    })
  })

  it('loads every shipped scenario, including the Seattle RTT matrix', async () => {
    const dir = resolve(process.cwd(), 'sim-net/scenarios')
    const files = (await readdir(dir)).filter(f => f.endsWith('.yaml'))
    for (const need of ['black-ice', 'intersection-crash', 'smart-parking', 'p1-p4-testbed', 'nimbus-three-tier', 'city-grid-soak', 'mesh-smoke']) {
      assert.ok(files.includes(`${need}.yaml`), `${need}.yaml is shipped`)
    }
    for (const f of files) {
      const s = await loadScenario(join(dir, f))
      assert.equal(`${s.name}.yaml`, f)
    }
    const black = await loadScenario(join(dir, 'black-ice.yaml'))
    assert.equal(black.nodes.filter(n => n.group === 'lamp').length, 40)
    assert.equal(black.vehicles.length, 3)
    const grid = await loadScenario(join(dir, 'city-grid-soak.yaml'))
    assert.equal(grid.nodes.length, 200)
    const nimbus = await loadScenario(join(dir, 'nimbus-three-tier.yaml'))
    assert.equal(nimbus.links.rttMatrix?.rttMs?.length, 99)
  })

  it('fails loudly when a needed capability is missing, before anything starts', async () => {
    const s = await loadScenario(resolve(process.cwd(), 'sim-net/scenarios/black-ice.yaml'))
    await assert.rejects(checkCapabilities(s, { peers: createBarePeerFactory() }), (err: Error & { capability?: string }) => {
      assert.equal(err.name, 'CapabilityMissingError')
      assert.equal(err.capability, 'hazards/vehicles')
      assert.match(err.message, /^capability hazards\/vehicles not available/)
      return true
    })
    const smoke = await loadScenario(resolve(process.cwd(), 'sim-net/scenarios/mesh-smoke.yaml'))
    await checkCapabilities(smoke, { peers: createBarePeerFactory() })
  })
})
