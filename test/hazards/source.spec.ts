/**
 * From finale outputs to warnings (node/hazards HazardSource + WarningPublisher), pure
 * logic: records of one event fold into one actionId even when the estimated position
 * moves a little; finale runs without a record end the event (the ice melted); a stale
 * quiet run does not. Real keys and certificates; the pubsub is a stub that records.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PubSub } from '@libp2p/interface'
import { HazardSource, WarningPublisher } from '../../node/hazards/index.js'
import { Termination, offsetMetres, parseCertificate } from '../../protocols/index.js'
import type { HazardRecord } from '../../unikernels/index.js'
import { ROAD_START, station, type Station } from './fixtures.js'

const ICE: HazardRecord = { cause: 6, subCause: 6, informationQuality: 6, kind: 1, validityS: 600, relevanceM: 1000, detectionTime: 0, confidence: 0.9, actionSeq: 1 }

describe('hazards: finale outputs to warnings', () => {
  let s: Station
  let publisher: WarningPublisher
  let source: HazardSource
  const published: string[] = []
  let seq = 0

  before(async () => {
    s = await station(await generateKeyPair('Ed25519'))
    const pubsub = { publish: async (topic: string) => { published.push(topic); return { recipients: [] } } } as unknown as PubSub
    publisher = new WarningPublisher({ pubsub, key: s.key, certificate: { bytes: s.cert, parsed: parseCertificate(s.cert) }, nextSequence: async () => ++seq }, { transmissionIntervalMs: 10_000 })
    source = new HazardSource(publisher, { clearAfterMs: 60_000, clearAfterQuietRuns: 3 })
  })

  after(() => {
    source.stop()
    publisher.stop()
  })

  const termination = (key: string): Termination | undefined => publisher.active().find((a) => a.key === key)?.denm.termination
  /** lets the source's serialised chain run (terminations are queued behind records) */
  const settle = async (): Promise<void> => { await source.onRecord({ ...ICE, cause: 97, subCause: 1 }, { pipelineId: 'other', position: ROAD_START }) }

  it('folds records of one event into one actionId while the estimate moves less than 500 m', async () => {
    const at = offsetMetres(ROAD_START, 0, 1000)
    const a = await source.onRecord({ ...ICE, detectionTime: Date.now() }, { pipelineId: 'black-ice', position: at, run: 10n })
    const b = await source.onRecord(ICE, { pipelineId: 'black-ice', position: offsetMetres(at, 0, 250), run: 11n })
    assert.equal(b, a, 'a detector gone moves the centre by 250 m: same warning')
    const far = await source.onRecord(ICE, { pipelineId: 'black-ice', position: offsetMetres(at, 0, 3000), run: 12n })
    assert.notEqual(far, a, 'ice 3 km away is another event')
    const d = publisher.active().find((x) => x.key === a)?.denm
    assert.ok(d !== undefined && d.referenceTime >= d.detectionTime)
  })

  it('ends the pipeline\'s events after 3 quiet runs newer than the last record; stale quiet runs do not count', async () => {
    const keys = publisher.active().filter((x) => x.denm.pipelineId === 'black-ice').map((x) => x.key)
    assert.equal(keys.length, 2)
    // runs 9..11 finished late, after run 12 confirmed the ice: no evidence
    for (const r of [9n, 10n, 11n]) source.onQuietRun('black-ice', r)
    await settle()
    assert.deepEqual(keys.map(termination), [Termination.NONE, Termination.NONE])
    source.onQuietRun('black-ice', 13n)
    source.onQuietRun('black-ice', 14n)
    await settle()
    assert.deepEqual(keys.map(termination), [Termination.NONE, Termination.NONE], 'two quiet runs are not enough')
    source.onQuietRun('black-ice', 15n)
    await settle()
    await settle()
    assert.deepEqual(keys.map(termination), [Termination.IS_CANCELLATION, Termination.IS_CANCELLATION])
    // another pipeline's event is untouched
    assert.equal(publisher.active().filter((x) => x.denm.pipelineId === 'other').every((x) => x.denm.termination === Termination.NONE), true)
  })

  it('signs a new warning with referenceTime >= detectionTime even when the clock ticks between readings', async () => {
    let t = Date.now() - 10 // the publisher's clock a little behind the system clock createDenm defaults to
    const ticking = new WarningPublisher({
      pubsub: { publish: async () => ({ recipients: [] }) } as unknown as PubSub,
      key: s.key,
      certificate: { bytes: s.cert, parsed: parseCertificate(s.cert) },
      nextSequence: async () => ++seq
    }, { now: () => t++ })
    try {
      for (let i = 0; i < 5; i++) await ticking.publish({ eventPosition: offsetMetres(ROAD_START, 0, 500), causeCode: 6, subCauseCode: 6 })
      for (const a of ticking.active()) assert.ok(a.denm.referenceTime >= a.denm.detectionTime)
    } finally {
      ticking.stop()
    }
  })
})
