/**
 * Issue 5 regression: how a black-ice detection reaches the finale and how the warning
 * ends, asserted on the mechanism, not on timings. Six lampposts on loopback run the
 * repo's black-ice descriptor with the fusion's join timeout set to ten minutes and the
 * hazards fallback (`clearAfterMs`) to an hour, both far beyond any wait here:
 * - every fused run that reaches a broadcaster fired because all three detectors'
 *   bundles of that run were in (a join that only fired at its timeout would never
 *   arrive, and would be marked partial);
 * - after the road is dry, each broadcaster's warning is cancelled by finale runs
 *   without a record (quiet runs), never by the fallback timer.
 * And, pure logic (HazardSource with a real publisher on a recording pubsub stub): a record
 * of a run older than the quiet runs that ended its event (it finished late, or out of
 * order) does not start the warning again.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PubSub } from '@libp2p/interface'
import { Termination, offsetMetres, parseCertificate } from '../../protocols/index.js'
import { HazardSource, WarningPublisher, type HazardsFeature } from '../../node/hazards/index.js'
import type { HazardRecord } from '../../unikernels/index.js'
import type { PipelineRunEvent } from '../../node/pipelines/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { waitFor } from '../helpers/wait.js'
import { fullMesh, loadRepoDescriptor, newIssuer, pipelinesOf, samePlacement, sign } from '../pipelines/helpers.js'
import { ROAD_START, station } from './fixtures.js'
import { HazardMesh, stationWeather } from './harness.js'

const WEATHER = ['road-surface-temperature', 'air-temperature', 'humidity'] as const
const HOUR = 3_600_000
/** far beyond every wait below: a run fused only at the join's timeout cannot show up */
const JOIN_TIMEOUT_MS = 600_000
/** far beyond every wait below: only quiet runs can end a warning */
const CLEAR_AFTER_MS = HOUR
const DETECTORS = [2, 3, 4]
const WORKER = 3
const BROADCASTERS = [0, 3]

describe('hazards: black-ice detection latency and termination mechanism (issue 5)', () => {
  const h = new HazardMesh()
  const posts: Array<{ peer: EccoPeer, hazards: HazardsFeature }> = []
  /** broadcast runs per broadcaster, in arrival order */
  const runs = new Map<number, PipelineRunEvent[]>(BROADCASTERS.map((b) => [b, []]))
  const at = (m: number): { lat: number, lon: number } => offsetMetres(ROAD_START, 0, m)
  const weather = stationWeather((i) => posts[i].peer)
  const originated = (b: number): Array<{ key: string, termination: Termination }> =>
    (posts[b].hazards.publisher?.active() ?? []).map((a) => ({ key: a.key, termination: a.denm.termination }))
  const runsOf = (b: number): PipelineRunEvent[] => runs.get(b) ?? []

  before(async () => {
    await h.init()
    const issuer = await newIssuer()
    for (let i = 0; i < 6; i++) {
      posts.push(await h.roadside({
        name: `lamp-${i}`, position: at(i * 200), transmissionIntervalMs: 500, clearAfterMs: CLEAR_AFTER_MS, heartbeatMs: 1000,
        ...(i === 0 ? {} : { bootstrap: [h.addrOf(posts[0].peer)] }),
        pipelines: {
          trusted: [issuer.trusted],
          ...(BROADCASTERS.includes(i) ? { radios: ['its-g5' as const] } : {}),
          ...(i === WORKER ? { roles: ['worker'] } : {}),
          ...(DETECTORS.includes(i) ? { sensors: [...WEATHER] } : {})
        }
      }))
      const mine = runs.get(i)
      if (mine !== undefined) pipelinesOf(posts[i].peer).addEventListener('pipeline:run', (e) => { if (e.detail.stage === 'broadcast') mine.push(e.detail) })
    }
    await fullMesh(posts.map((p) => p.peer))
    for (const i of DETECTORS) weather(i, false)
    const descriptor = await loadRepoDescriptor('black-ice.yaml', (d) => {
      if (d.area !== undefined) { d.area.lat = at(600).lat; d.area.lon = at(600).lon }
      const fuse = d.stages.find((s) => s.name === 'fuse')
      if (fuse?.input !== undefined) fuse.input.joinTimeoutMs = JOIN_TIMEOUT_MS
    })
    await pipelinesOf(posts[5].peer).submit(await sign(descriptor, issuer))
    await samePlacement(posts.map((p) => p.peer), 'black-ice', 60_000)
  })

  after(async () => {
    await h.stop()
  })

  it('the fusion fires each run as soon as all three detectors\' bundles are in, not at its timeout', async () => {
    const st = pipelinesOf(posts[WORKER].peer).status('black-ice')
    assert.deepEqual(st?.placement.filter((p) => p.stage === 'fuse').map((p) => p.peer), [posts[WORKER].peer.peerId.toString()])
    assert.equal(st?.placement.filter((p) => p.stage === 'detect').length, DETECTORS.length)
    await waitFor(() => BROADCASTERS.every((b) => runsOf(b).length >= 3), {
      timeoutMs: 60_000,
      message: () => `broadcast runs: ${BROADCASTERS.map((b) => runsOf(b).length).join(',')}; failures: ${pipelinesOf(posts[WORKER].peer).status('black-ice')?.recentFailures.join(' | ') ?? ''}`
    })
    for (const b of BROADCASTERS) {
      for (const r of runsOf(b)) {
        assert.equal(r.partial, false, `lamp-${b} run ${r.run} came from a partial join`)
        assert.equal(r.failed, false, `lamp-${b} run ${r.run} failed`)
        assert.equal(r.outputs, 0, `lamp-${b} run ${r.run} warned on a dry road`)
      }
    }
  })

  it('ice: every broadcaster warns; dry again: each warning is cancelled by quiet runs, not by the fallback timer', async () => {
    for (const i of DETECTORS) weather(i, true)
    await waitFor(() => BROADCASTERS.every((b) => originated(b).some((a) => a.termination === Termination.NONE)), {
      timeoutMs: 60_000,
      message: () => `originated: ${JSON.stringify(BROADCASTERS.map(originated))}`
    })
    const keys = BROADCASTERS.flatMap((b) => originated(b).map((a) => a.key))
    for (const i of DETECTORS) weather(i, false)
    await waitFor(() => BROADCASTERS.every((b) => originated(b).every((a) => a.termination !== Termination.NONE)), {
      timeoutMs: 60_000,
      message: () => `still active: ${JSON.stringify(BROADCASTERS.map(originated))}; runs since: ${JSON.stringify(BROADCASTERS.map((b) => runsOf(b).slice(-6).map((r) => [Number(r.run), r.outputs, r.partial, r.failed])))}`
    })
    for (const b of BROADCASTERS) {
      const stats = posts[b].hazards.source?.stats
      assert.ok(stats !== undefined)
      assert.equal(stats.started, 1, `lamp-${b}: one warning for the icy spell`)
      assert.equal(stats.cancelledByQuietRuns, 1, `lamp-${b}: cancelled on the evidence of quiet runs`)
      assert.equal(stats.cancelledByTimeout, 0, `lamp-${b}: the fallback timer never fired`)
    }
    for (const k of keys) assert.ok(BROADCASTERS.some((b) => originated(b).some((a) => a.key === k && a.termination === Termination.IS_CANCELLATION)), `${k} cancelled`)
    // every fused run still came from a complete join (the timeout never fired)
    for (const b of BROADCASTERS) assert.deepEqual(runsOf(b).filter((r) => r.partial).map((r) => Number(r.run)), [])
  })
})

describe('hazards: a stale record after the quiet runs that ended its event (issue 5)', () => {
  const ICE: HazardRecord = { cause: 6, subCause: 6, informationQuality: 6, kind: 1, validityS: 600, relevanceM: 1000, detectionTime: 0, confidence: 0.9, actionSeq: 1 }
  let publisher: WarningPublisher
  let source: HazardSource
  let seq = 0

  before(async () => {
    const s = await station(await generateKeyPair('Ed25519'))
    const pubsub = { publish: async () => ({ recipients: [] }) } as unknown as PubSub
    publisher = new WarningPublisher({ pubsub, key: s.key, certificate: { bytes: s.cert, parsed: parseCertificate(s.cert) }, nextSequence: async () => ++seq }, { transmissionIntervalMs: 10_000 })
    source = new HazardSource(publisher, { clearAfterMs: CLEAR_AFTER_MS, clearAfterQuietRuns: 3 })
  })

  after(() => {
    source.stop()
    publisher.stop()
  })

  it('does not start the warning again; a record of a newer run does', async () => {
    const ctx = (run: bigint): { pipelineId: string, position: { lat: number, lon: number }, run: bigint } => ({ pipelineId: 'black-ice', position: offsetMetres(ROAD_START, 0, 1000), run })
    const first = await source.onRecord(ICE, ctx(10n))
    for (const r of [12n, 13n, 14n]) source.onQuietRun('black-ice', r)
    // the source's chain is serial: a record queued behind the quiet runs sees their outcome
    const late = await source.onRecord(ICE, ctx(11n))
    assert.equal(late, first, 'the late record of run 11 folds into the cancelled warning')
    const live = (): string[] => publisher.active().filter((a) => a.denm.termination === Termination.NONE).map((a) => a.key)
    // the cancellation is queued behind the late record on the same chain
    await waitFor(() => live().length === 0, { timeoutMs: 5000, message: () => `still live: ${live().join(',')}` })
    assert.deepEqual({ ...source.stats }, { started: 1, cancelledByQuietRuns: 1, cancelledByTimeout: 0, staleRecords: 1 })
    const again = await source.onRecord(ICE, ctx(15n))
    assert.notEqual(again, first, 'ice read after the dry runs is a new event')
    assert.deepEqual(live(), [again])
  })
})
