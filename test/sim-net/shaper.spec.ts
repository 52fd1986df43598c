/**
 * The link model as arithmetic (no sockets): token bucket, delay, jitter,
 * in-order delivery and the retransmission model of loss.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createRng, DirectionShaper, LinkTable } from '../../sim-net/index.js'
import type { LinkParams } from '../../sim-net/index.js'

const OPTS = { burstBytes: 16 * 1024, minRtoMs: 200, segmentBytes: 1460 }

function link (p: Partial<LinkParams>): LinkParams {
  return { latencyMs: 0, jitterMs: 0, loss: 0, ...p }
}

describe('DirectionShaper', () => {
  it('delays by latency and keeps order', () => {
    const s = new DirectionShaper(createRng(1), OPTS)
    assert.equal(s.schedule(100, 10, link({ latencyMs: 20 })).arrival, 120)
    // a later chunk on a faster setting may not overtake the first
    assert.equal(s.schedule(101, 10, link({ latencyMs: 5 })).arrival, 120)
  })

  it('serialises a busy link at the token-bucket rate after the burst', () => {
    const s = new DirectionShaper(createRng(1), OPTS)
    const p = link({ bandwidthMbps: 8 }) // 1000 bytes per ms
    let last = 0
    for (let i = 0; i < 100; i++) last = s.schedule(0, 10_000, p).arrival
    // 1 MB at 1000 bytes/ms, less the 16 KiB burst
    assert.ok(Math.abs(last - (1_000_000 - 16_384) / 1000) < 1e-6, `last departure ${last}`)
  })

  it('lets an idle link refill its bucket', () => {
    const s = new DirectionShaper(createRng(1), OPTS)
    const p = link({ bandwidthMbps: 8 })
    s.schedule(0, 16_384, p)
    assert.equal(s.schedule(0, 1000, p).arrival, 1, 'empty bucket: 1000 bytes wait 1 ms')
    assert.equal(s.schedule(1000, 1000, p).arrival, 1000, 'refilled after a second')
  })

  it('draws jitter with the configured sd and shares one draw within a burst', () => {
    const s = new DirectionShaper(createRng(9), OPTS)
    const p = link({ latencyMs: 50, jitterMs: 5 })
    const d: number[] = []
    for (let i = 0; i < 4000; i++) {
      const t = i * 100
      const a = s.schedule(t, 100, p).arrival
      const b = s.schedule(t + 0.2, 100, p).arrival
      assert.ok(Math.abs((b - (t + 0.2)) - Math.max(0, a - t)) < 1e-9 || b === a, 'same burst, same delay')
      d.push(a - t)
    }
    const mean = d.reduce((x, y) => x + y, 0) / d.length
    const sd = Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / d.length)
    assert.ok(Math.abs(mean - 50) < 0.5, `mean ${mean}`)
    assert.ok(Math.abs(sd - 5) < 0.4, `sd ${sd}`)
  })

  it('loses segments at the configured rate; RTO for a tail loss, fast retransmit otherwise', () => {
    const s = new DirectionShaper(createRng(3), OPTS)
    const p = link({ latencyMs: 10, loss: 0.05 })
    let segments = 0; let lost = 0
    const smallDelays = new Set<number>()
    for (let i = 0; i < 20_000; i++) {
      const t = i * 1000
      const r = s.schedule(t, 100, p)
      segments += r.segments; lost += r.lostSegments
      smallDelays.add(Math.round(r.arrival - t))
    }
    assert.ok(Math.abs(lost / segments - 0.05) < 0.005, `loss ${lost / segments}`)
    // one-segment chunks: 10 ms, or + RTO (20 + 200), or + RTO + 2 RTO
    assert.ok(smallDelays.has(10) && smallDelays.has(230) && smallDelays.has(670), `delays ${[...smallDelays].join(',')}`)
    const big = new DirectionShaper(createRng(4), OPTS)
    const fast = new Set<number>()
    for (let i = 0; i < 2000; i++) fast.add(Math.round(big.schedule(i * 1000, 1460 * 10, link({ latencyMs: 10, loss: 0.02 })).arrival - i * 1000))
    assert.ok(fast.has(30), 'a segment with three behind it is recovered one RTT later (10 + 20)')
  })
})

describe('LinkTable', () => {
  const nodes = [
    { name: 'a', tier: 1 as const, position: { lat: 48, lon: 11 } },
    { name: 'b', tier: 1 as const, position: { lat: 48, lon: 11.001 } },
    { name: 'c', tier: 1 as const, position: { lat: 48, lon: 11.01 } },
    { name: 'd', tier: 2 as const, position: { lat: 48, lon: 11 } }
  ]
  const table = new LinkTable({
    default: link({ latencyMs: 1 }),
    classes: { radio: link({ latencyMs: 3 }), fibre: link({ latencyMs: 0.5 }) },
    rules: [{ class: 'radio', tiers: [1, 1], maxDistanceM: 200 }, { class: 'fibre', tiers: [2, 1] }],
    pairs: [{ between: ['a', 'c'], params: link({ latencyMs: 9 }) }]
  }, nodes)

  it('picks pair, then rule by tiers and distance, then default', () => {
    assert.equal(table.resolve('a', 'c').class, 'pair')
    assert.equal(table.resolve('c', 'a').params.latencyMs, 9)
    assert.equal(table.resolve('a', 'b').class, 'radio')
    assert.equal(table.resolve('b', 'c').class, 'default', '650 m apart: too far for radio')
    assert.equal(table.resolve('a', 'd').class, 'fibre', 'tiers match in either order')
    assert.equal(table.resolve('a', undefined).class, 'default')
  })

  it('applies and removes degradations by class or between groups', () => {
    table.degrade('x', { class: 'radio' }, { latencyMs: 30 })
    table.degrade('y', { between: [['a'], ['d']] }, { loss: 0.1 })
    assert.equal(table.resolve('b', 'a').params.latencyMs, 30)
    assert.equal(table.resolve('d', 'a').params.loss, 0.1)
    table.restore('x'); table.restore('y')
    assert.equal(table.resolve('a', 'b').params.latencyMs, 3)
    assert.equal(table.resolve('a', 'd').params.loss, 0)
  })
})
