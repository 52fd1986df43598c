/**
 * Anti-entropy limited to named documents (`syncWith(peer, { documents })`): what the
 * pipelines feature uses to repair bids without re-exchanging the whole registry.
 * And a peer that stops ends its exchanges with it, even with a peer that never answers.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { PeerId, Stream } from '@libp2p/interface'
import { offsetMetres, StreamTimeoutError, SYNC_PROTOCOL } from '../../protocols/index.js'
import type { SyncableDocument } from '../../protocols/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'

const origin = { lat: 48.2625, lon: 11.668 }

/** A grow-only set of strings, one per line: the smallest document that syncs. */
function setDocument (name: string, items: Set<string>): SyncableDocument {
  const encode = (xs: Iterable<string>): Uint8Array => new TextEncoder().encode([...xs].join('\n'))
  const decode = (b: Uint8Array): string[] => b.byteLength === 0 ? [] : new TextDecoder().decode(b).split('\n')
  return {
    name,
    summary: () => encode(items),
    diff: (remote) => { const have = new Set(decode(remote)); return encode([...items].filter((x) => !have.has(x))) },
    apply: (update: Uint8Array, _from: PeerId) => { for (const x of decode(update)) items.add(x) }
  }
}

describe('anti-entropy of named documents', () => {
  const mesh = new TestMesh()
  let a: EccoPeer
  let b: EccoPeer

  before(async () => {
    a = await mesh.add({ name: 'a', position: origin })
    b = await mesh.add({ name: 'b', position: offsetMetres(origin, 0, 100), bootstrap: [mesh.addrOf(a)] })
    // the join's own exchange of everything done and the registries agreed: no digest repair
    // (which exchanges every registered document) runs alongside the named exchange below
    const { state: sa, sync: ya } = a.libp2p.services
    const { state: sb, sync: yb } = b.libp2p.services
    await waitFor(() => ya.stats.exchanges >= 1 && yb.stats.exchanges >= 1 && sa.digest() === sb.digest() && a.registry().length === 2 && b.registry().length === 2,
      { timeoutMs: 20_000, message: 'a and b never exchanged and agreed on the registry' })
  })

  after(async () => { await mesh.stop() })

  it('exchanges only the documents it names, both ways', async () => {
    const on = (p: EccoPeer, init: Record<string, string[]>): Record<string, Set<string>> => {
      const sets = Object.fromEntries(Object.entries(init).map(([k, v]) => [k, new Set(v)]))
      for (const [name, items] of Object.entries(sets)) p.libp2p.services.sync.register(setDocument(name, items))
      return sets
    }
    const atA = on(a, { 'test-bids': ['a1'], 'test-other': ['a2'] })
    const atB = on(b, { 'test-bids': ['b1'], 'test-other': ['b2'] })
    try {
      await a.libp2p.services.sync.syncWith(b.peerId, { documents: ['test-bids'], signal: AbortSignal.timeout(5000) })
      assert.deepEqual([...atA['test-bids']].sort(), ['a1', 'b1'])
      // the responder merges the initiator's update after the initiator is done
      await waitFor(() => atB['test-bids'].has('a1'), { timeoutMs: 5000, message: 'b never merged a1' })
      assert.deepEqual([...atA['test-other']], ['a2'])
      assert.deepEqual([...atB['test-other']], ['b2'])
      // without a list, everything registered goes. An exchange of everything already in flight
      // (the registry's digest repair after the join) is shared, and it started before these
      // documents were registered: the next one carries them
      await waitFor(async () => {
        await a.libp2p.services.sync.syncWith(b.peerId, { signal: AbortSignal.timeout(5000) })
        return atA['test-other'].has('b2')
      }, { timeoutMs: 15_000, message: 'a never got b2 from an exchange of everything' })
      assert.deepEqual([...atA['test-other']].sort(), ['a2', 'b2'])
      await waitFor(() => atB['test-other'].has('a2'), { timeoutMs: 5000, message: 'b never merged a2' })
    } finally {
      for (const p of [a, b]) for (const name of ['test-bids', 'test-other']) p.libp2p.services.sync.unregister(name)
    }
  })
})

describe('anti-entropy stopping', () => {
  const mesh = new TestMesh()
  after(async () => { await mesh.stop() })

  it('a peer that stops ends its exchange in flight and starts no new one', async () => {
    const a = await mesh.add({ name: 'a', position: origin })
    const b = await mesh.add({ name: 'b', position: offsetMetres(origin, 0, 100), bootstrap: [mesh.addrOf(a)] })
    const sync = a.libp2p.services.sync
    await waitFor(() => sync.stats.exchanges >= 1, { timeoutMs: 20_000, message: 'a never finished its join exchange' })
    // b takes the stream and never answers
    const held: Stream[] = []
    let onAsked = (): void => {}
    const asked = new Promise<void>((resolve) => { onAsked = resolve })
    await b.libp2p.unhandle(SYNC_PROTOCOL)
    await b.libp2p.handle(SYNC_PROTOCOL, ({ stream }) => { held.push(stream); onAsked() })
    // a document list of its own: not shared with a repair exchange that b's old handler may be answering
    const exchange = sync.syncWith(b.peerId, { documents: ['registry'] })
    exchange.catch(() => {})
    await asked
    await a.stop()
    // the stop waited for the exchange, which ended with it, not at its deadline (DEFAULT_TIMEOUT_MS)
    await assert.rejects(exchange, (err: Error) => !(err instanceof StreamTimeoutError))
    await assert.rejects(sync.syncWith(b.peerId), { name: 'NotStartedError' })
  })
})
