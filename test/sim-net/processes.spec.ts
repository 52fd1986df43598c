/**
 * The pieces of multi-process mode that need no child process: a second
 * link emulator brought to the orchestrator's state through `updates()` and
 * `apply()`, counters of other processes merged into stats and traffic, and
 * the command line's mode flags. The real processes are tested with node/'s
 * peers in test/node/sim-net-processes.spec.ts.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createBarePeerFactory, createLinkEmulator, runSimNetCli } from '../../sim-net/index.js'
import type { LinkUpdate, ScenarioLinks } from '../../sim-net/index.js'

const LINKS: ScenarioLinks = {
  default: { latencyMs: 4, jitterMs: 0, loss: 0 },
  classes: { radio: { latencyMs: 9, jitterMs: 1, bandwidthMbps: 6, loss: 0.01 } },
  rules: [{ class: 'radio', tiers: [1, 1] }],
  pairs: []
}
const NODES = [
  { name: 'a', tier: 1 as const, position: { lat: 48, lon: 11 } },
  { name: 'b', tier: 1 as const, position: { lat: 48, lon: 11.001 } },
  { name: 'c', tier: 2 as const, position: { lat: 48, lon: 11.002 } }
]

describe('link emulator state across processes', () => {
  it('a fresh emulator that applies the updates agrees on addresses, partitions and degradations', () => {
    const parent = createLinkEmulator({ links: LINKS, nodes: NODES, seed: 4 })
    const seen: LinkUpdate[] = []
    const off = parent.onUpdate(u => { seen.push(u) })
    parent.register('a', ['/ip4/127.0.0.1/tcp/4001'])
    parent.register('b', ['/ip4/127.0.0.1/tcp/4002'])
    parent.register('b', ['/ip4/127.0.0.1/tcp/4012'])
    parent.partition('cut', ['a'], ['b', 'c'])
    parent.degrade('slow', { class: 'radio' }, { latencyMs: 40 })
    parent.degrade('gone', { class: 'default' }, { loss: 0.2 })
    parent.restore('gone')
    off()
    parent.heal('never-seen')
    assert.deepEqual(seen.map(u => u.op), ['register', 'register', 'register', 'partition', 'degrade', 'degrade', 'restore'])

    const child = createLinkEmulator({ links: LINKS, nodes: NODES, seed: 4, streamLabel: 'links:b#1' })
    for (const u of parent.updates()) child.apply(u)
    assert.equal(child.cutBetween('a', 'c'), 'cut')
    assert.equal(child.cutBetween('b', 'c'), undefined)
    assert.deepEqual(child.table.resolve('a', 'b'), { class: 'radio', params: { latencyMs: 40, jitterMs: 1, bandwidthMbps: 6, loss: 0.01 } })
    assert.deepEqual(child.table.resolve('a', 'c').params, LINKS.default, 'the restored degradation is not carried over')
    // the re-registered address replaced the old one
    assert.deepEqual(parent.updates().filter(u => u.op === 'register'), [
      { op: 'register', name: 'a', multiaddrs: ['/ip4/127.0.0.1/tcp/4001'] },
      { op: 'register', name: 'b', multiaddrs: ['/ip4/127.0.0.1/tcp/4012'] }
    ])
    child.apply({ op: 'heal', id: 'cut' })
    assert.equal(child.cutBetween('a', 'c'), undefined)
  })

  it('merges the counters of other processes into stats and traffic', () => {
    const emu = createLinkEmulator({ links: LINKS, nodes: NODES })
    const raw = { connections: 2, bytes: 5000, messages: 10, segments: 12, lostSegments: 1, refusedDials: 3, cutConnections: 1, lateCount: 4, lateSum: 8, lateMax: 5, within: 3 }
    emu.setRemote('a#1', { radio: { ...raw, reservoir: [1, 2, 0, 5] } }, 2)
    emu.setRemote('b#1', { radio: { ...raw, bytes: 1000 } }, 1)
    assert.deepEqual(emu.traffic(), { bytes: 6000, openConnections: 3 })
    // a snapshot without reservoir keeps the last one
    emu.setRemote('a#1', { radio: { ...raw, bytes: 7000 } }, 2)
    emu.remoteClosed('b#1')
    const s = emu.stats()
    assert.equal(s.openConnections, 2)
    const radio = s.classes.radio
    assert.equal(radio.bytes, 8000)
    assert.equal(radio.refusedDials, 6)
    assert.equal(radio.lateness.count, 8)
    assert.equal(radio.lateness.meanMs, 2)
    assert.equal(radio.lateness.maxMs, 5)
    assert.equal(radio.lateness.p50Ms, 2)
    assert.equal(radio.withinTenPercent, 0.75)
  })
})

describe('sim-net run --mode / --processes', () => {
  let dir = ''
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-net-mode-'))
    await writeFile(join(dir, 's.yaml'), 'name: m\nduration: 1s\nnodes:\n  - { name: n, position: [48, 11] }\n')
  })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  async function cli (args: string[], factories: Parameters<typeof runSimNetCli>[1]): Promise<{ code: number, err: string }> {
    const err: string[] = []
    const code = await runSimNetCli(args, factories, { stdout: () => {}, stderr: t => { err.push(t) }, tty: false })
    return { code, err: err.join('') }
  }

  it('rejects an unknown mode and contradicting flags', async () => {
    const peers = createBarePeerFactory()
    let r = await cli(['run', join(dir, 's.yaml'), '--mode', 'threads'], { peers })
    assert.equal(r.code, 2)
    assert.match(r.err, /--mode must be one of one-process, multi-process, got "threads"/)
    r = await cli(['run', join(dir, 's.yaml'), '--processes', '--mode', 'one-process'], { peers })
    assert.equal(r.code, 2)
    assert.match(r.err, /--mode contradicts --processes/)
  })

  it('refuses multi-process mode with factories that only run peers here', async () => {
    const r = await cli(['run', join(dir, 's.yaml'), '--processes'], { peers: createBarePeerFactory() })
    assert.equal(r.code, 2)
    assert.match(r.err, /--mode multi-process: these factories run peers in one-process mode only/)
  })

  it('asks a factory provider for the mode on the command line', async () => {
    const asked: string[] = []
    const r = await cli(['run', join(dir, 's.yaml'), '--json', '--mode', 'one-process'], (mode) => { asked.push(mode); return { peers: createBarePeerFactory() } })
    assert.equal(r.code, 0, r.err)
    assert.deepEqual(asked, ['one-process'])
  })
})
