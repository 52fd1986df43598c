/**
 * npm run bench:hazard — detection-to-vehicle latency of black-ice warnings on a road of
 * roadside peers (default 30, every 200 m) on loopback, with vehicles driving along it;
 * gossip deliveries per warning (amplification) and per vehicle.
 *
 * Detection time is when the finale output (a hazard record, as the hazard-broadcaster
 * EF emits it) reaches `hazards.onFinaleOutput`; the vehicle time is its `warning:shown`
 * event after verification. Everything runs in one Node process (the EFs are not run
 * here: their cost is in bench:ef and bench:pipeline).
 * Env: BENCH_HAZARD_PEERS (30), BENCH_HAZARD_WARNINGS (20), BENCH_HAZARD_VEHICLES (3).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { Message } from '@libp2p/interface'
import { defaultConfig } from '../node/config/parse.js'
import { getHazards, parseHazardsSection, type HazardsFeature } from '../node/hazards/index.js'
import { loadOrCreateIdentity } from '../node/identity.js'
import { createLogger } from '../node/logger.js'
import { createEccoPeer, type EccoPeer } from '../node/peer.js'
import { createVehicle, type Vehicle } from '../node/vehicle/index.js'
import { CAUSE_CODE, SUB_CAUSE, issueCertificate, offsetMetres } from '../protocols/index.js'
import { percentile, writeResults } from './results.js'

const N = Number(process.env.BENCH_HAZARD_PEERS ?? 30)
const WARNINGS = Number(process.env.BENCH_HAZARD_WARNINGS ?? 20)
const VEHICLES = Number(process.env.BENCH_HAZARD_VEHICLES ?? 3)
const SPACING_M = 200
const ORIGIN = { lat: 48.2625, lon: 11.668 }
const at = (m: number): { lat: number, lon: number } => offsetMetres(ORIGIN, 0, m)

async function until (cond: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const start = performance.now()
  while (!cond()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timeout: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return performance.now() - start
}

const root = await mkdtemp(join(tmpdir(), 'ecco-bench-hazard-'))
const operator = await generateKeyPair('Ed25519')
const opFile = join(root, 'operator.pub')
await writeFile(opFile, publicKeyToProtobuf(operator.publicKey))
const peers: EccoPeer[] = []
const hazards: HazardsFeature[] = []
const vehicles: Vehicle[] = []
const setupStart = performance.now()
try {
  for (let i = 0; i < N; i++) {
    const dataDir = join(root, `p${i}`)
    await mkdir(dataDir, { recursive: true })
    const { key } = await loadOrCreateIdentity(dataDir)
    const certFile = join(dataDir, 'peer.cert')
    await writeFile(certFile, await issueCertificate(operator, {
      subject: key.publicKey, notBefore: Date.now() - 60_000, notAfter: Date.now() + 86_400_000,
      causeCodes: [CAUSE_CODE.adverseWeatherConditionAdhesion], area: { centre: at(i * SPACING_M), radiusM: 2000 }
    }))
    const config = {
      ...defaultConfig(dataDir),
      name: `lamp-${i}`,
      position: at(i * SPACING_M),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: i === 0 ? [] : [peers[0].multiaddrs()[0]],
      bootstrapMode: i === 0,
      logLevel: 'error' as const,
      discoveryIntervalMs: 10_000,
      sections: { hazards: parseHazardsSection({ operatorKeys: [opFile], certificate: certFile, transmissionIntervalMs: 10_000, clearAfterMs: 60_000 }, 'hazards') }
    }
    const peer = await createEccoPeer({ config, log: createLogger({ level: 'error' }) })
    await peer.start()
    peers.push(peer)
    const h = getHazards(peer)
    if (h === undefined) throw new Error('hazards feature missing')
    hazards.push(h)
  }
  const roadM = (N - 1) * SPACING_M
  for (let v = 0; v < VEHICLES; v++) {
    const car = await createVehicle({
      operatorKeys: [operator.publicKey], listen: ['/ip4/127.0.0.1/tcp/0'], route: [at(-1000), at(roadM + 1000)],
      position: at((v * roadM) / Math.max(1, VEHICLES)), bootstrap: [peers[(v * 7) % N].multiaddrs()[0]], lookaheadM: 3000
    })
    await car.start()
    vehicles.push(car)
  }
  // deliveries of hazard-topic messages at every node (roadside and vehicle)
  const delivered = { roadside: 0, vehicles: new Map<Vehicle, number>() }
  for (const p of peers) p.libp2p.services.pubsub.addEventListener('message', (e: CustomEvent<Message>) => { if (e.detail.topic.startsWith('ecco/v1/hazards/')) delivered.roadside++ })
  for (const car of vehicles) {
    delivered.vehicles.set(car, 0)
    car.libp2p.services.pubsub.addEventListener('message', (e: CustomEvent<Message>) => { if (e.detail.topic.startsWith('ecco/v1/hazards/')) delivered.vehicles.set(car, (delivered.vehicles.get(car) ?? 0) + 1) })
  }
  await until(() => peers.every((p) => p.libp2p.getConnections().length >= 1), 300_000, 'road connected')
  const setupMs = performance.now() - setupStart

  const latencies: number[] = []
  const perWarning: number[] = []
  const perVehicle: number[] = []
  const copiesPublished: number[] = []
  let missed = 0
  for (let w = 0; w < WARNINGS; w++) {
    const src = hazards[(w * 11 + 3) % N]
    const srcPos = peers[(w * 11 + 3) % N].config.position
    const r0 = delivered.roadside
    const v0 = new Map(delivered.vehicles)
    const shownAt = new Map<Vehicle, number>()
    const listeners = vehicles.map((car) => {
      const l = (): void => { if (!shownAt.has(car)) shownAt.set(car, performance.now()) }
      car.addEventListener('warning:shown', l)
      return l
    })
    const sent0 = src.publisher?.stats.messages ?? 0
    const t0 = performance.now()
    const key = await src.onFinaleOutput({ cause: 6, subCause: SUB_CAUSE.blackIceOnRoad, informationQuality: 6, kind: 1, validityS: 600, relevanceM: 1000, detectionTime: Date.now(), confidence: 0.9, actionSeq: w + 1 }, { pipelineId: 'black-ice', position: srcPos })
    // every vehicle within the relevance area or with the event ahead within its look-ahead should show it
    const expected = vehicles.filter((car) => car.relevance(src.publisher?.active().find((a) => a.key === key)?.denm ?? ({} as never)).relevant)
    try {
      await until(() => expected.every((c) => shownAt.has(c)), 15_000, `warning ${w}`)
    } catch {
      missed += expected.filter((c) => !shownAt.has(c)).length
    }
    for (const c of expected) { const t = shownAt.get(c); if (t !== undefined) latencies.push(t - t0) }
    // let the first copy finish spreading (repetition is 10 s, so this is one copy)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    copiesPublished.push((src.publisher?.stats.messages ?? 0) - sent0)
    perWarning.push(delivered.roadside - r0 + vehicles.reduce((n, c) => n + (delivered.vehicles.get(c) ?? 0) - (v0.get(c) ?? 0), 0))
    for (const c of vehicles) perVehicle.push((delivered.vehicles.get(c) ?? 0) - (v0.get(c) ?? 0))
    vehicles.forEach((c, i) => { c.removeEventListener('warning:shown', listeners[i]) })
    await src.terminate(key)
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  const result = {
    peers: N,
    spacingM: SPACING_M,
    vehicles: VEHICLES,
    warnings: WARNINGS,
    setupMs: Math.round(setupMs),
    detectionToVehicleMs: { samples: latencies.length, p50: +percentile(latencies, 50).toFixed(1), p99: +percentile(latencies, 99).toFixed(1), max: +Math.max(...latencies).toFixed(1) },
    missedDeliveries: missed,
    copiesPublishedPerWarning: +mean(copiesPublished).toFixed(2),
    deliveriesPerWarning: { mean: +mean(perWarning).toFixed(1), perPublishedCopy: +(mean(perWarning) / Math.max(1, mean(copiesPublished))).toFixed(2), nodes: N + VEHICLES },
    deliveriesPerVehiclePerWarning: +mean(perVehicle).toFixed(2),
    loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(2))
  }
  process.stdout.write(JSON.stringify(result) + '\n')
  const file = await writeResults('hazard', {
    note: 'one Node process for all roadside peers and vehicles on loopback; deliveries count gossipsub message events on hazard topics (one per node per unique message, wire duplicates not included); the first copy of each warning only (repetition 10 s)',
    ...result
  })
  process.stdout.write(`wrote ${file}\n`)
} finally {
  await Promise.allSettled(vehicles.map(async (v) => { await v.stop() }))
  await Promise.allSettled(peers.map(async (p) => { await p.stop() }))
  await rm(root, { recursive: true, force: true })
}
