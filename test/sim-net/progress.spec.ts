/**
 * Live progress: a status line redrawn in place on a TTY, plain lines otherwise.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createProgressPrinter, statusLine } from '../../sim-net/index.js'
import type { SimProgressEvent } from '../../sim-net/index.js'

const tick = (simMs: number): SimProgressEvent => ({ type: 'tick', simMs, durationMs: 60_000, livePeers: 5, totalPeers: 6, vehicles: 2, faults: 1, converging: 1, bytes: 3 << 20 })

describe('progress', () => {
  it('formats simulated time, peers, vehicles, actions and traffic', () => {
    const e = tick(30_500)
    assert.ok(e.type === 'tick')
    assert.equal(statusLine(e), 't=00:30.5/01:00.0  51% | peers 5/6 | vehicles 2 | actions 1 | converging | links 3.0 MiB')
  })

  it('redraws one line on a TTY and prints events above it', () => {
    const out: string[] = []
    const p = createProgressPrinter({ write: t => { out.push(t) }, tty: true })
    p(tick(1000))
    p({ type: 'event', simMs: 1200, text: 'crash lamp-03' })
    assert.match(out[0], /^\r\x1b\[2Kt=00:01\.0/)
    assert.match(out[1], /^\r\x1b\[2K00:01\.2 crash lamp-03\nt=00:01\.0/)
  })

  it('prints plain lines, status every 5 s of simulated time, when not a TTY', () => {
    const out: string[] = []
    const p = createProgressPrinter({ write: t => { out.push(t) } })
    for (let t = 0; t <= 10_000; t += 500) p(tick(t))
    p({ type: 'event', simMs: 10_100, text: 'heal split' })
    assert.equal(out.length, 4)
    assert.ok(out.every(l => l.endsWith('\n') && !l.includes('\r')))
    assert.equal(out[3], '00:10.1 heal split\n')
  })
})
