/**
 * Which cells a lookup round walks. A peer whose registry names its
 * neighbours (learnsNeighbours) looks up its 3x3 block only when something
 * asks for it (its first connection, its first record out, a new cell); the
 * rounds in between are a safety net of one walk, for its own cell, and a
 * refreshed record asks for no round. Without the registry every round walks
 * the block. Scheduling logic only: the DHT is a recording stand-in.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { TypedEventEmitter, type Connection, type Libp2pEvents } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { cellAndNeighbours, encodeGeohash } from '../../protocols/geo/index.js'
import { cellDiscovery, cellKey, type CellDiscovery, type CellDiscoveryComponents, type CellDiscoveryInit } from '../../protocols/index.js'
import { waitFor } from '../helpers/wait.js'

const SELF = peerIdFromString('12D3KooWGRUVh8Q2Ph6PLDwRGzcsnVC5C2ndkMJRvbNeuNHJ6WS7')
const OTHER = peerIdFromString('12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK')
const POSITION = { lat: 48.1374, lon: 11.5755 }
const PRECISION = 7

interface Walks { lookups: string[], provides: number }

/** A discovery whose DHT records each walk; every provide stores one record. */
async function startDiscovery (init: Partial<CellDiscoveryInit>): Promise<{ discovery: CellDiscovery & { start: () => Promise<void>, afterStart: () => void, stop: () => Promise<void> }, walks: Walks }> {
  const walks: Walks = { lookups: [], provides: 0 }
  const keys = new Map<string, string>()
  for (const cell of cellAndNeighbours(encodeGeohash(POSITION, PRECISION))) keys.set((await cellKey(cell)).toString(), cell)
  const connection = { remotePeer: OTHER, status: 'open', direction: 'outbound', streams: [], timeline: { open: Date.now() } }
  const components = {
    peerId: SELF,
    contentRouting: {
      async * findProviders (key: { toString: () => string }) { walks.lookups.push(keys.get(key.toString()) ?? 'unknown') },
      async provide (_key: unknown, options: { onProgress?: (evt: { type: string, detail: unknown }) => void }) {
        walks.provides++
        options.onProgress?.({ type: 'kad-dht:query:peer-response', detail: { messageName: 'ADD_PROVIDER' } })
      },
      async cancelReprovide () {}
    },
    connectionManager: { getConnections: () => [connection as unknown as Connection], openConnection: async () => connection },
    events: new TypedEventEmitter<Libp2pEvents>(),
    registrar: { handle: async () => {}, unhandle: async () => {} },
    peerStore: { get: async () => { throw new Error('not stored') }, merge: async () => {} },
    logger: defaultLogger()
  } as unknown as CellDiscoveryComponents
  const discovery = cellDiscovery({ position: POSITION, precision: PRECISION, maxConnections: 0, ...init })(components) as Awaited<ReturnType<typeof startDiscovery>>['discovery']
  await discovery.start()
  discovery.afterStart()
  return { discovery, walks }
}

const block = cellAndNeighbours(encodeGeohash(POSITION, PRECISION)).sort()
const own = encodeGeohash(POSITION, PRECISION)

describe('discovery lookup rounds', () => {
  const running: Array<{ stop: () => Promise<void> }> = []
  after(async () => { await Promise.all(running.map(async (d) => { await d.stop() })) })

  it('with the registry naming neighbours: the block when asked for, then one walk of the own cell an interval', async () => {
    const { discovery, walks } = await startDiscovery({ learnsNeighbours: true, intervalMs: 400, reprovideMs: 600 })
    running.push(discovery)
    // the first connection asks for a round, and so does the first record out: two blocks
    await waitFor(() => discovery.stats.safetyNetRounds >= 2, { timeoutMs: 10_000, message: () => `rounds ${discovery.stats.rounds}, walks ${walks.lookups.join(' ')}` })
    const blocks = discovery.stats.rounds - discovery.stats.safetyNetRounds
    assert.ok(blocks >= 1 && blocks <= 2, `block rounds: ${blocks}`)
    assert.deepEqual(walks.lookups.slice(0, 9).sort(), block)
    assert.deepEqual(walks.lookups.slice(9 * blocks), Array(walks.lookups.length - 9 * blocks).fill(own))
    // the record is refreshed (reprovideMs): that asks for no block round
    const provides = walks.provides
    await waitFor(() => walks.provides > provides && discovery.stats.safetyNetRounds >= 4, { timeoutMs: 10_000, message: () => `provides ${walks.provides}` })
    assert.equal(discovery.stats.rounds - discovery.stats.safetyNetRounds, blocks)
    // something that may have made records findable asks for the block again
    const before = walks.lookups.length
    discovery.runNow(0)
    await waitFor(() => walks.lookups.length >= before + 9, { timeoutMs: 10_000, message: () => `walks ${walks.lookups.slice(before).join(' ')}` })
    assert.deepEqual(walks.lookups.slice(before, before + 9).sort(), block)
  })

  it('without it: every round walks the whole block', async () => {
    const { discovery, walks } = await startDiscovery({ intervalMs: 300, quietRoundMinMs: 300 })
    running.push(discovery)
    await waitFor(() => discovery.stats.rounds >= 3 && walks.lookups.length >= 27, { timeoutMs: 10_000, message: () => `rounds ${discovery.stats.rounds}` })
    assert.equal(discovery.stats.safetyNetRounds, 0)
    for (let i = 0; i + 9 <= walks.lookups.length; i += 9) assert.deepEqual(walks.lookups.slice(i, i + 9).sort(), block)
  })
})
