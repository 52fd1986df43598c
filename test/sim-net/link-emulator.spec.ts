/**
 * The link emulator measured from the outside: real libp2p peers (TCP,
 * Noise, Yamux) on loopback, round trips and throughput timed by the test,
 * compared with the configured delay, jitter, bandwidth and loss.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createLinkEmulator, LinkEmulator } from '../../sim-net/index.js'
import { createTestPeer, DRAIN, median, openEcho, robustSd, waitFor } from './helpers.js'
import type { TestPeer } from './helpers.js'
import type { LinkParams, ScenarioLinks } from '../../sim-net/index.js'

function links (params: Partial<LinkParams>): ScenarioLinks {
  return { default: { latencyMs: 0, jitterMs: 0, loss: 0, ...params }, classes: {}, rules: [], pairs: [] }
}

const peers: TestPeer[] = []
async function pair (emu: LinkEmulator, tag: string): Promise<[TestPeer, TestPeer]> {
  const a = await createTestPeer(`${tag}-a`, emu)
  const b = await createTestPeer(`${tag}-b`, emu)
  peers.push(a, b)
  return [a, b]
}

after(async () => {
  await Promise.all(peers.map(async p => p.node.stop()))
})

async function roundTrips (a: TestPeer, b: TestPeer, n: number): Promise<number[]> {
  const echo = await openEcho(a, b)
  await echo.roundTrip() // warm up: stream negotiation
  const rtts: number[] = []
  for (let i = 0; i < n; i++) rtts.push(await echo.roundTrip())
  await echo.close()
  return rtts
}

describe('link emulator (real libp2p peers on loopback)', () => {
  // the stack's own round trip (Noise, Yamux, loopback, event loop) is not the
  // emulator's to account for: it is measured once and added to expectations
  let base = 0
  before(async () => {
    const emu = createLinkEmulator({ links: links({}), seed: 2 })
    const [a, b] = await pair(emu, 'base')
    base = median(await roundTrips(a, b, 40))
    emu.close()
  })

  it('delays each direction by latencyMs: RTT within 10% of 2 x latency', async () => {
    const emu = createLinkEmulator({ links: links({ latencyMs: 20 }), seed: 3 })
    const [a, b] = await pair(emu, 'delay')
    const rtts = await roundTrips(a, b, 40)
    const m = median(rtts) - base
    assert.ok(Math.abs(m - 40) <= 4, `median RTT ${m.toFixed(2)} ms over the ${base.toFixed(2)} ms baseline, expected 40 ms +- 10%`)
    assert.ok(Math.min(...rtts) >= 39.5, `no round trip may beat the emulated delay, min ${Math.min(...rtts).toFixed(2)} ms`)
    const late = emu.stats().classes.default.lateness
    assert.ok(late.meanMs < 2, `the emulator delivers chunks on time: mean lateness ${late.meanMs.toFixed(3)} ms`)
    emu.close()
  })

  it('adds normal jitter with the configured standard deviation', async () => {
    const emu = createLinkEmulator({ links: links({ latencyMs: 20, jitterMs: 4 }), seed: 4 })
    const [a, b] = await pair(emu, 'jitter')
    const rtts = await roundTrips(a, b, 80)
    const m = median(rtts) - base
    const sd = robustSd(rtts)
    const expected = Math.sqrt(2) * 4 // two independent one-way draws
    const late = emu.stats().classes.default.lateness
    assert.ok(Math.abs(m - 40) <= 4, `median RTT ${m.toFixed(2)} ms over baseline, expected 40 ms +- 10% (emulator lateness mean ${late.meanMs.toFixed(2)} ms, p99 ${late.p99Ms.toFixed(2)} ms)`)
    assert.ok(sd > expected * 0.6 && sd < expected * 1.4, `RTT sd ${sd.toFixed(2)} ms, expected about ${expected.toFixed(2)} ms`)
    emu.close()
  })

  it('limits throughput to bandwidthMbps (token bucket), within 10%', async () => {
    const emu = createLinkEmulator({ links: links({ latencyMs: 2, bandwidthMbps: 8 }), seed: 5 })
    const [a, b] = await pair(emu, 'bw')
    const stream = await a.node.dialProtocol(b.node.getMultiaddrs()[0], DRAIN)
    const total = 1536 * 1024
    const chunk = new Uint8Array(16 * 1024).fill(1)
    await stream.sink((async function * () { for (let sent = 0; sent < total; sent += chunk.byteLength) yield chunk })())
    await waitFor(() => b.drained.reduce((s, d) => s + d.bytes, 0) >= total, 20_000, 'all bytes drained')
    // rate between the 5% and 95% marks: a scheduling hiccup of this shared machine at either end does not count
    let acc = 0
    const at = (frac: number): { t: number, bytes: number } => {
      acc = 0
      for (const d of b.drained) { acc += d.bytes; if (acc >= frac * total) return { t: d.t, bytes: acc } }
      return { t: b.drained[b.drained.length - 1].t, bytes: acc }
    }
    const lo = at(0.05)
    const hi = at(0.95)
    const mbps = (hi.bytes - lo.bytes) * 8 / 1000 / (hi.t - lo.t)
    // payload throughput is a little under the wire rate: Noise and Yamux add headers
    assert.ok(mbps > 8 * 0.9 && mbps <= 8 * 1.05, `payload throughput ${mbps.toFixed(3)} Mbit/s, expected 8 Mbit/s -10%/+5%`)
    emu.close()
  })

  it('models loss as TCP retransmission delay: the share of late round trips matches 1-(1-p)^2', async () => {
    const loss = 0.1
    const emu = createLinkEmulator({ links: links({ latencyMs: 10, loss }), seed: 6, minRtoMs: 40 })
    const [a, b] = await pair(emu, 'loss')
    const rtts = await roundTrips(a, b, 200)
    // a lost 32-byte segment waits RTT + minRto = 60 ms more (>= 80 ms in all); on time is 20 ms
    const late = rtts.filter(r => r > 65).length / rtts.length
    const expected = 1 - (1 - loss) ** 2
    assert.ok(Math.abs(late - expected) <= 0.08, `late share ${late.toFixed(3)}, expected ${expected.toFixed(3)} +- 0.08`)
    const onTime = median(rtts.filter(r => r <= 65)) - base
    assert.ok(Math.abs(onTime - 20) <= 2, `on-time RTT ${onTime.toFixed(2)} ms over baseline, expected 20 ms +- 10%`)
    const s = emu.stats().classes.default
    const rate = s.lostSegments / s.segments
    assert.ok(Math.abs(rate - loss) <= 0.04, `segment loss ${rate.toFixed(3)}, expected ${loss}`)
    emu.close()
  })

  it('applies a degradation to an open connection and restores it', async () => {
    const emu = createLinkEmulator({ links: links({ latencyMs: 10 }), seed: 7 })
    const [a, b] = await pair(emu, 'degrade')
    const echo = await openEcho(a, b)
    await echo.roundTrip()
    const measure = async (): Promise<number> => {
      const rtts: number[] = []
      for (let i = 0; i < 9; i++) rtts.push(await echo.roundTrip())
      return median(rtts) - base
    }
    const normal = await measure()
    emu.degrade('slow', { class: 'default' }, { latencyMs: 30 })
    const during = await measure()
    emu.restore('slow')
    const afterwards = await measure()
    await echo.close()
    assert.ok(Math.abs(normal - 20) <= 2, `before ${normal.toFixed(2)} ms, expected 20`)
    assert.ok(Math.abs(during - 60) <= 6, `during ${during.toFixed(2)} ms, expected 60`)
    assert.ok(Math.abs(afterwards - 20) <= 2, `after ${afterwards.toFixed(2)} ms, expected 20`)
    emu.close()
  })

  it('a graceful close delivers what was written before it, as a socket does; an abort drops it', async () => {
    const emu = createLinkEmulator({ links: links({ latencyMs: 200 }), seed: 9 })
    const [a, b] = await pair(emu, 'close')
    const received: string[] = []
    await b.node.handle('/test/last-words/1.0.0', ({ stream }) => {
      void (async () => { for await (const chunk of stream.source) received.push(new TextDecoder().decode(chunk.subarray())) })().catch(() => {})
    })
    const send = async (words: string): Promise<void> => {
      const stream = await a.node.dialProtocol(b.node.getMultiaddrs()[0], '/test/last-words/1.0.0')
      stream.sink([new TextEncoder().encode(words)]).catch(() => {})
      // written, not yet delivered: it spends 200 ms on the emulated link
      await waitFor(() => stream.writeStatus === 'closed', 5000, 'the stream to be written')
    }
    await send('goodbye')
    await a.node.hangUp(b.node.peerId)
    await waitFor(() => received.includes('goodbye'), 5000, 'the last words written before the close to arrive')
    await send('cut off')
    for (const c of a.node.getConnections(b.node.peerId)) c.abort(new Error('cut'))
    await waitFor(() => b.node.getConnections(a.node.peerId).length === 0, 5000, 'the aborted connection to drop')
    assert.deepEqual(received, ['goodbye'])
    emu.close()
  })

  it('a reset of delivery accuracy reaches the emulators that shape connections for this one', async () => {
    // the orchestrator of a sharded run: its shards' emulators shape, it merges their counters
    const main = createLinkEmulator({ links: links({ latencyMs: 2 }), seed: 10 })
    const shard = createLinkEmulator({ links: links({ latencyMs: 2 }), seed: 11 })
    main.onUpdate((u) => { shard.apply(u) })
    const [a, b] = await pair(shard, 'reset')
    const sampled = (): number => { main.setRemote('shard', shard.rawCounters(true), 0); return main.stats().classes.default.lateness.count }
    await roundTrips(a, b, 10)
    const before = sampled()
    assert.ok(before > 0, 'chunks of the warm-up counted')
    main.resetAccuracy()
    assert.equal(main.stats().classes.default.lateness.count, 0, 'the merged counters forget the warm-up at once')
    assert.equal(shard.stats().classes.default.lateness.count, 0, 'the shard was told')
    await roundTrips(a, b, 10)
    const after = sampled()
    assert.ok(after > 0 && after < before + 1, `only chunks after the reset count (${after}, warm-up ${before})`)
    assert.ok(main.stats().classes.default.bytes > 0, 'traffic counters stay')
    main.close()
    shard.close()
  })

  it('partition cuts open connections and refuses dials; heal lets them dial again', async () => {
    const emu = createLinkEmulator({ links: links({ latencyMs: 1 }), seed: 8 })
    const [a, b] = await pair(emu, 'part')
    await a.node.dial(b.node.getMultiaddrs()[0])
    assert.equal(a.node.getConnections(b.node.peerId).length, 1)
    const cut = emu.partition('p1', [a.name], [b.name])
    assert.equal(cut, 1)
    await waitFor(() => a.node.getConnections(b.node.peerId).length === 0 && b.node.getConnections(a.node.peerId).length === 0, 5000, 'both sides to drop the connection')
    await assert.rejects(a.node.dial(b.node.getMultiaddrs()[0]), (err: Error) => {
      // libp2p may wrap the transport error in an AggregateError of dial attempts
      const errs = err instanceof AggregateError ? err.errors as Error[] : [err]
      return errs.some(e => e.name === 'LinkPartitionedError')
    })
    assert.equal(emu.stats().classes.default.refusedDials, 1)
    emu.heal('p1')
    await a.node.dial(b.node.getMultiaddrs()[0])
    assert.equal(a.node.getConnections(b.node.peerId).length, 1)
    emu.close()
  })
})
