/**
 * The liveness view (protocols/state/liveness.ts) as pure logic over a fake
 * clock: what a beat, a suspicion, a refutation, silence and staleness do to
 * a peer's standing, what becomes news for the beat vectors, and for how long.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { LivenessView } from '../../protocols/index.js'

const HB = 1000
const GONE_AFTER = 3 * HB
const CHANGE_TICKS = 4

function view (): { v: LivenessView, events: string[], stats: { suspicions: number, silentSuspicions: number, refutations: number } } {
  const events: string[] = []
  const stats = { suspicions: 0, silentSuspicions: 0, refutations: 0 }
  const v = new LivenessView({
    self: 'me', heartbeatMs: HB, goneAfterMs: GONE_AFTER, changeTicks: CHANGE_TICKS, stats,
    onTransition: (peer, live) => { events.push(`${peer} ${live ? 'live' : 'gone'}`) }
  })
  return { v, events, stats }
}

/** Ticks until the news of now has aged out; returns the new time. */
function settle (v: LivenessView, now: number): number {
  for (let i = 0; i <= CHANGE_TICKS; i++) v.tick(now += HB, 0, [])
  return now
}

const news = (v: LivenessView): string[] => [...v.changed()].map(([p, e]) => `${p}${e.suspect ? '?' : ''}`)

describe('liveness view', () => {
  it('takes a peer heard for the first time as live, and tells every stream for the rotation', () => {
    const { v, events } = view()
    let now = 1_000_000
    v.beat('a', now, now)
    assert.deepEqual(events, ['a live'])
    for (let i = 0; i < CHANGE_TICKS; i++) {
      v.tick(now += HB, 0, [])
      assert.deepEqual(news(v), ['a'], `tick ${i + 1}`)
    }
    v.tick(now += HB, 0, [])
    assert.deepEqual(news(v), [])
    // a newer beat in the same refresh period is no news
    v.beat('a', now, now)
    v.tick(now += HB, 0, [])
    assert.deepEqual(news(v), [])
  })

  it('ignores its own entry, older beats and beats of the same age', () => {
    const { v, events } = view()
    v.beat('me', 5, 5)
    v.beat('a', 100, 100)
    v.beat('a', 50, 110)
    assert.equal(v.get('a')?.heardAt, 100)
    assert.equal(v.get('me'), undefined)
    assert.deepEqual(events, ['a live'])
  })

  it('keeps a suspect live until the deadline the suspicion carries, then counts it gone', () => {
    const { v, events } = view()
    let now = 1_000_000
    v.beat('a', now - 500, now)
    v.suspected('a', now - 500, 5000, now, false)
    assert.equal(v.isLive('a'), true)
    assert.deepEqual(news(v).slice(-1), ['a?'])
    v.tick(now += 4000, 0, [])
    assert.equal(v.isLive('a'), true)
    v.tick(now += 1000, 0, [])
    assert.equal(v.isLive('a'), false)
    assert.deepEqual(events, ['a live', 'a gone'])
  })

  it('withdraws a suspicion when the suspect beats again, and spreads the refutation', () => {
    const { v, events, stats } = view()
    let now = 1_000_000
    v.beat('a', now, now)
    v.suspected('a', now, 6000, now, false)
    now = settle(v, now)
    assert.deepEqual(news(v), [])
    v.beat('a', now, now)
    assert.equal(v.get('a')?.suspect, false)
    assert.equal(stats.refutations, 1)
    v.tick(now += HB, 0, [])
    assert.deepEqual(news(v), ['a'])
    v.tick(now += 10 * HB, 0, [])
    assert.deepEqual(events, ['a live'])
  })

  it('refutes, on its behalf, a suspicion of a peer it heard beat since', () => {
    const { v } = view()
    let now = 1_000_000
    v.beat('a', now, now)
    now = settle(v, now)
    v.suspected('a', now - 20 * HB, 6000, now, false)
    assert.equal(v.get('a')?.suspect, false)
    v.tick(now += HB, 0, [])
    assert.deepEqual(news(v), ['a'], 'our newer beat goes out')
  })

  it('lets only the peer itself leave no time: a relayed zero deadline gets a gone period', () => {
    const { v, events } = view()
    let now = 1_000_000
    v.beat('a', now, now)
    v.beat('b', now, now)
    v.suspected('a', now, 0, now, true)
    assert.equal(v.isLive('a'), false)
    v.suspected('b', now, 0, now, false)
    assert.equal(v.isLive('b'), true)
    v.tick(now += GONE_AFTER, 0, [])
    assert.equal(v.isLive('b'), false)
    assert.deepEqual(events, ['a live', 'b live', 'a gone', 'b gone'])
  })

  it('never reports as live a peer first heard of as suspected', () => {
    const { v, events } = view()
    const now = 1_000_000
    v.suspected('a', now - 60_000, 0, now, false)
    assert.equal(v.isLive('a'), false)
    v.tick(now + 10 * HB, 0, [])
    assert.deepEqual(events, [])
    assert.deepEqual([...v.all()].map(([p]) => p), ['a'], 'still told to new members, so they know')
  })

  it('suspects a directly connected member silent for a rotation and a heartbeat, not one heard from', () => {
    const { v, stats } = view()
    let now = 1_000_000
    v.beat('a', now, now)
    v.beat('b', now, now)
    v.tick(now += GONE_AFTER + HB, 0, ['a', 'b'])
    assert.equal(stats.suspicions, 0)
    v.beat('b', now, now)
    v.tick(now += 1, 0, ['a', 'b'])
    assert.equal(v.get('a')?.suspect, true)
    assert.equal(v.get('b')?.suspect, false)
    assert.equal(stats.suspicions, 1)
    assert.equal(stats.silentSuspicions, 1)
  })

  it('counts a remote peer gone once no refresh reached it for two refresh periods and a gone period', () => {
    const { v, events } = view()
    let now = 1_000_000
    v.beat('far', now, now)
    v.tick(now += 2 * 10 * HB + GONE_AFTER, 0, [])
    assert.equal(v.isLive('far'), true)
    v.tick(now += 1, 0, [])
    assert.equal(v.isLive('far'), false)
    v.beat('far', now, now)
    assert.deepEqual(events, ['far live', 'far gone', 'far live'])
  })

  it('makes a beat news for one tick when it enters a new refresh period', () => {
    const { v } = view()
    let now = 1_000_000
    v.beat('a', now, now)
    now = settle(v, now)
    let refreshes = 0
    for (let i = 0; i < 30; i++) {
      v.beat('a', now, now)
      v.tick(now += HB, 0, [])
      refreshes += news(v).length
    }
    assert.equal(refreshes, 3, 'one refresh per ten heartbeats')
  })

  it('extends every deadline by the time its own event loop stalled', () => {
    const { v } = view()
    let now = 1_000_000
    v.beat('a', now, now)
    v.beat('b', now, now)
    v.suspected('b', now, 6000, now, false)
    v.tick(now += 20_000, 19_000, ['a'])
    assert.equal(v.isLive('a'), true)
    assert.equal(v.get('a')?.suspect, false)
    assert.equal(v.isLive('b'), true)
  })

  it('holds at most maxPeers peers', () => {
    const v = new LivenessView({ self: 'me', heartbeatMs: HB, goneAfterMs: GONE_AFTER, changeTicks: CHANGE_TICKS, stats: { suspicions: 0, silentSuspicions: 0, refutations: 0 }, onTransition: () => {}, maxPeers: 2 })
    for (const p of ['a', 'b', 'c']) v.beat(p, 10, 10)
    assert.deepEqual([...v.all()].map(([p]) => p), ['a', 'b'])
  })
})
