/**
 * Discovery's pauses between lookup rounds are shortened at random, never
 * lengthened: peers that start together drift apart instead of walking the
 * DHT in step for good, and the interval stays the longest pause.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { jitteredPause, ROUND_PAUSE_JITTER } from '../../protocols/index.js'

describe('discovery round pauses', () => {
  it('stay within [1 - jitter, 1] of the back-off and spread over it', () => {
    assert.equal(jitteredPause(15_000, () => 0), 15_000)
    assert.equal(jitteredPause(15_000, () => 1), Math.round(15_000 * (1 - ROUND_PAUSE_JITTER)))
    const pauses = Array.from({ length: 200 }, () => jitteredPause(60_000))
    assert.ok(pauses.every(p => p >= 60_000 * (1 - ROUND_PAUSE_JITTER) && p <= 60_000), pauses.join(', '))
    // two peers that start together no longer share a schedule
    assert.ok(new Set(pauses).size > 150)
  })
})
