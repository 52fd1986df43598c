/**
 * npm run bench:hazard — detection-to-display latency of black-ice warnings through the
 * real, submitted black-ice pipeline on a road of roadside peers (default 30, every
 * 200 m) on loopback, with vehicles parked along it looking ahead; gossip deliveries per
 * published warning copy (amplification) and per vehicle.
 *
 * Three road-weather stations around km 3 host the detectors (their SACs read the ice),
 * the fusion joins them, and a broadcaster on every ITS-G5 lamppost (one per km) turns
 * its finale output into a signed DENM. One sample per (vehicle, actionId): the vehicle's
 * `warning:shown` time minus the DENM detectionTime (the detectors' reading time the
 * fusion carries). Each event: freeze the stations, wait for every vehicle to show every
 * broadcaster's warning, melt, wait for the terminations (melt to cancelled at every vehicle,
 * and whether quiet runs or the clearAfterMs fallback ended each warning). The event-loop
 * delay over the events tells how loaded the one process was: every pipeline hop costs a
 * few event-loop turns (store writes, acks), so loaded turns multiply into the latencies.
 * Env: BENCH_HAZARD_PEERS (30), BENCH_HAZARD_EVENTS (10), BENCH_HAZARD_VEHICLES (3).
 */
import { loadavg } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Message } from '@libp2p/interface'
import type { HazardsFeature } from '../node/hazards/index.js'
import type { EccoPeer } from '../node/peer.js'
import type { Vehicle } from '../node/vehicle/index.js'
import { Termination, offsetMetres, type PipelineDescriptor } from '../protocols/index.js'
import { HazardMesh, stationWeather } from '../test/hazards/harness.js'
import { loadRepoDescriptor, newIssuer, pipelinesOf, samePlacement, sign } from '../test/pipelines/helpers.js'
import { decodeHazard } from '../unikernels/index.js'
import { percentile, writeResults } from './results.js'
import { tuneHeapForPeers } from '../node/runtime.js'

// the same process tuning as the bins: a bench process hosts peers
tuneHeapForPeers()

const N = Number(process.env.BENCH_HAZARD_PEERS ?? 30)
const EVENTS = Number(process.env.BENCH_HAZARD_EVENTS ?? 10)
const VEHICLES = Number(process.env.BENCH_HAZARD_VEHICLES ?? 3)
const SPACING_M = 200
const BROADCASTER_EVERY = 5 // one ITS-G5 lamppost per km
const ORIGIN = { lat: 48.2625, lon: 11.668 }
const at = (m: number): { lat: number, lon: number } => offsetMetres(ORIGIN, 0, m)
const ICE_INDEX = Math.floor(N / 2)
const DETECTORS = [ICE_INDEX - 1, ICE_INDEX, ICE_INDEX + 1]
const r1 = (x: number): number => Math.round(x * 10) / 10
/** the road is dialled explicitly; slow DHT rounds keep 30 peers in one process from starving the hazard path */
const DISCOVERY_MS = 60_000
/** state-gossip heartbeats: the deployment default (beat vectors keep 30 peers in one process affordable) */
const HEARTBEAT_MS = Number(process.env.BENCH_HAZARD_HEARTBEAT_MS ?? 1000)
/**
 * The hazards section's fallback: cancel when no record came for this long. Warnings are
 * meant to end by evidence (finale runs without a record once the road is dry); the
 * fallback is long so a stalled pipeline shows up in `cancellations.byTimeout`.
 */
const CLEAR_AFTER_MS = 60_000
/** melt to cancellation at every vehicle: past the fallback, so a fallback ending is measured, not a failure */
const TERMINATION_WAIT_MS = CLEAR_AFTER_MS + 30_000

async function until (cond: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`bench hazard: timed out: ${what()}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function summary (xs: number[]): Record<string, number> {
  return { n: xs.length, p50: r1(percentile(xs, 50)), p90: r1(percentile(xs, 90)), p99: r1(percentile(xs, 99)), max: r1(Math.max(...xs)) }
}

const loadAverageAtStart = loadavg().map((x) => +x.toFixed(2))
const h = new HazardMesh()
const posts: Array<{ peer: EccoPeer, hazards: HazardsFeature }> = []
const setupStart = performance.now()
try {
  await h.init()
  const issuer = await newIssuer()
  for (let i = 0; i < N; i++) {
    const broadcaster = i % BROADCASTER_EVERY === 0
    posts.push(await h.roadside({
      name: `lamp-${i}`, position: at(i * SPACING_M), heartbeatMs: HEARTBEAT_MS, clearAfterMs: CLEAR_AFTER_MS, radiusM: 8000, discoveryIntervalMs: DISCOVERY_MS,
      ...(i === 0 ? {} : { bootstrap: [h.addrOf(posts[0].peer)] }),
      pipelines: {
        trusted: [issuer.trusted],
        ...(broadcaster ? { radios: ['its-g5' as const] } : {}),
        ...(i === ICE_INDEX ? { roles: ['worker'] } : {}),
        ...(DETECTORS.includes(i) ? { sensors: ['road-surface-temperature' as const, 'air-temperature' as const, 'humidity' as const] } : {})
      }
    }))
    // a road: each lamppost also talks to the two before it
    for (const j of [i - 1, i - 2]) if (j > 0) await posts[i].peer.libp2p.dial(posts[j].peer.libp2p.getMultiaddrs()[0]).catch(() => {})
    process.stderr.write(`bench hazard: lamp-${i} up at ${Math.round(performance.now() - setupStart)} ms\n`)
  }
  const setWeather = stationWeather((i) => posts[i].peer)
  for (const i of DETECTORS) setWeather(i, false)

  const roadM = (N - 1) * SPACING_M
  const iceM = ICE_INDEX * SPACING_M
  const vehicles: Vehicle[] = []
  for (let v = 0; v < VEHICLES; v++) {
    // parked before the ice, facing it, within the look-ahead
    const car = await h.vehicle({ route: [at(-1000), at(roadM + 1000)], position: at(iceM - 500 - v * 1000), bootstrap: [h.addrOf(posts[(v * 7) % N].peer)], lookaheadM: 4000 })
    vehicles.push(car)
  }
  // the issuer narrows the area to the icy bridge at km 3 (the detectors and the fusion go there)
  const patch = (d: PipelineDescriptor): void => { if (d.area !== undefined) { d.area.lat = at(iceM).lat; d.area.lon = at(iceM).lon } }
  const submitted = performance.now()
  await pipelinesOf(posts[N - 1].peer).submit(await sign(await loadRepoDescriptor('black-ice.yaml', patch), issuer))
  await samePlacement(posts.map((p) => p.peer), 'black-ice', 180_000)
  const placedMs = performance.now() - submitted
  const setupMs = performance.now() - setupStart
  process.stderr.write(`bench hazard: ${N} peers placed in ${Math.round(placedMs)} ms (setup ${Math.round(setupMs)} ms)\n`)

  // deliveries of hazard-topic messages at every node (roadside and vehicle)
  let roadsideDeliveries = 0
  const vehicleDeliveries = new Map<Vehicle, number>(vehicles.map((c) => [c, 0]))
  const isHazard = (e: CustomEvent<Message>): boolean => e.detail.topic.startsWith('ecco/v1/hazards/')
  for (const p of posts) p.peer.libp2p.services.pubsub.addEventListener('message', (e) => { if (isHazard(e)) roadsideDeliveries++ })
  for (const car of vehicles) car.libp2p.services.pubsub.addEventListener('message', (e) => { if (isHazard(e)) vehicleDeliveries.set(car, (vehicleDeliveries.get(car) ?? 0) + 1) })
  // finale outputs at the broadcasters: when the pipeline part ended, per run
  const outputs: Array<{ lamp: number, at: number, detectionTime: number }> = []
  for (const [i, p] of posts.entries()) {
    pipelinesOf(p.peer).addEventListener('pipeline:output', (e) => { outputs.push({ lamp: i, at: Date.now(), detectionTime: decodeHazard(e.detail.bytes).detectionTime }) })
  }
  const shown: Array<{ car: number, key: string, at: number, detectionTime: number }> = []
  const cleared = new Set<string>()
  vehicles.forEach((car, c) => {
    car.addEventListener('warning:shown', (e) => { shown.push({ car: c, key: e.detail.key, at: e.detail.shownAt, detectionTime: Number(e.detail.denm.detectionTime) }) })
    car.addEventListener('warning:cleared', (e) => { cleared.add(`${c}/${e.detail.key}`) })
  })
  const broadcasters = posts.filter((_p, i) => i % BROADCASTER_EVERY === 0)
  const active = (): string[] => broadcasters.flatMap((b) => (b.hazards.publisher?.active() ?? []).filter((a) => a.denm.termination === Termination.NONE).map((a) => a.key))
  const copies = (): number => broadcasters.reduce((n, b) => n + (b.hazards.publisher?.stats.messages ?? 0), 0)

  const latencies: number[] = []
  const firstPerVehicle: number[] = []
  const injectToFirst: number[] = []
  const detectionToOutput: number[] = []
  const perCopy: number[] = []
  const perVehiclePerCopy: number[] = []
  const meltToCancelled: number[] = []
  const failures: string[] = []
  const seenKeys = new Set<string>()
  const loopDelay = monitorEventLoopDelay({ resolution: 20 })
  loopDelay.enable()
  for (let ev = 0; ev < EVENTS; ev++) {
    // the previous event must be over at every broadcaster, or its actionIds would carry on
    try {
      await until(() => active().length === 0, 120_000, () => `event ${ev}: ${active().length} warnings of the previous event still active`)
    } catch (err) {
      failures.push((err as Error).message)
      continue
    }
    const from = shown.length
    const copies0 = copies()
    const road0 = roadsideDeliveries
    const veh0 = new Map(vehicleDeliveries)
    const injectedAt = Date.now()
    for (const i of DETECTORS) setWeather(i, true)
    try {
      const fresh = (): string[] => active().filter((k) => !seenKeys.has(k))
      await until(() => fresh().length === broadcasters.length, 60_000, () => `event ${ev}: ${fresh().length} of ${broadcasters.length} broadcasters warn`)
      const keys = fresh()
      for (const k of keys) seenKeys.add(k)
      await until(() => vehicles.every((_c, ci) => keys.every((k) => shown.slice(from).some((s) => s.car === ci && s.key === k))), 30_000, () => `event ${ev}: shown ${shown.length - from} of ${keys.length * vehicles.length}`)
      const mine = shown.slice(from)
      for (const s of mine) latencies.push(s.at - s.detectionTime)
      for (let ci = 0; ci < vehicles.length; ci++) {
        const first = mine.filter((s) => s.car === ci).reduce((a, b) => a.at < b.at ? a : b)
        firstPerVehicle.push(first.at - first.detectionTime)
        injectToFirst.push(first.at - injectedAt)
      }
      // the first finale output of the event at each broadcaster: the pipeline's share
      for (const b of new Set(outputs.map((o) => o.lamp))) {
        const o = outputs.find((x) => x.lamp === b && x.at >= injectedAt)
        if (o !== undefined) detectionToOutput.push(o.at - o.detectionTime)
      }
      for (const i of DETECTORS) setWeather(i, false)
      const meltedAt = Date.now()
      await until(() => vehicles.every((_c, ci) => keys.every((k) => cleared.has(`${ci}/${k}`))), TERMINATION_WAIT_MS, () => `event ${ev}: terminations`)
      meltToCancelled.push(Date.now() - meltedAt)
      const n = copies() - copies0
      const toVehicles = vehicles.map((c) => (vehicleDeliveries.get(c) ?? 0) - (veh0.get(c) ?? 0))
      perCopy.push((roadsideDeliveries - road0 + toVehicles.reduce((a, b) => a + b, 0)) / Math.max(1, n))
      for (const x of toVehicles) perVehiclePerCopy.push(x / Math.max(1, n))
    } catch (err) {
      failures.push((err as Error).message)
      for (const i of DETECTORS) setWeather(i, false)
    }
    outputs.length = 0
    process.stderr.write(`bench hazard: event ${ev + 1}/${EVENTS}\n`)
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  const result = {
    peers: N,
    spacingM: SPACING_M,
    broadcasters: broadcasters.length,
    detectors: DETECTORS.length,
    vehicles: VEHICLES,
    events: EVENTS,
    setupMs: Math.round(setupMs),
    placementMs: Math.round(placedMs),
    detectionToDisplayMs: summary(latencies),
    firstWarningPerVehicleMs: summary(firstPerVehicle),
    detectionToFinaleOutputMs: summary(detectionToOutput),
    iceInjectedToFirstWarningMs: summary(injectToFirst),
    meltToCancelledAtEveryVehicleMs: summary(meltToCancelled),
    cancellations: {
      byQuietRuns: broadcasters.reduce((n, b) => n + (b.hazards.source?.stats.cancelledByQuietRuns ?? 0), 0),
      byTimeout: broadcasters.reduce((n, b) => n + (b.hazards.source?.stats.cancelledByTimeout ?? 0), 0)
    },
    // finale runs whose fused input came from a join that timed out (a detector's bundle was late)
    finaleRuns: {
      completed: broadcasters.reduce((n, b) => n + Number(pipelinesOf(b.peer).status('black-ice')?.runsCompleted ?? 0n), 0),
      partial: broadcasters.reduce((n, b) => n + Number(pipelinesOf(b.peer).status('black-ice')?.runsPartial ?? 0n), 0)
    },
    eventLoopDelayMs: { p50: r1(loopDelay.percentile(50) / 1e6), p99: r1(loopDelay.percentile(99) / 1e6), max: r1(loopDelay.max / 1e6) },
    target: 'issue 5 sets no number; reference: ETSI TR 102 638 road-hazard signalling, 100 ms maximum latency (radio hop); here the path is 3 pipeline hops + signing + multi-hop gossip + verification',
    deliveriesPerPublishedCopy: { mean: r1(mean(perCopy)), nodes: N + VEHICLES },
    deliveriesPerVehiclePerCopy: r1(mean(perVehiclePerCopy) * 100) / 100,
    failures,
    loadAverageAtStart,
    loadAverage: loadavg().map((x) => +x.toFixed(2))
  }
  process.stdout.write(JSON.stringify(result) + '\n')
  const file = await writeResults('hazard', {
    discoveryIntervalMs: DISCOVERY_MS,
    heartbeatMs: HEARTBEAT_MS,
    clearAfterMs: CLEAR_AFTER_MS,
    note: 'one Node process for all roadside peers (real pipelines feature, EFs in worker threads) and vehicles on loopback; detectionTime is the detectors\' reading time carried by the fusion; deliveries count gossipsub message events on hazard topics (one per node per unique message, wire duplicates not included), including repetitions and terminations of the event window',
    ...result
  })
  process.stdout.write(`wrote ${file}\n`)
} finally {
  await h.stop()
}
process.exit(0)
