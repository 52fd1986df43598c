/**
 * npm run chaos — a permissioned road of roadside peers (default 30, every 200 m, real
 * ecco peers with the security and hazards features on loopback) and vehicles, while
 * black-ice warnings flow from certified lampposts, published directly and through the
 * running black-ice pipeline (chaos-pipeline.ts: detectors on icy road-weather stations,
 * fusion, a stateful hazard-broadcaster whose DENM action sequence lives in Unimem with
 * checkpoint replication; its finale outputs become DENMs through the hazards feature).
 * Hostile peers send forged warnings (every kind), junk on mesh topics, a flood, oversized
 * gossip, malformed stream frames and a stolen certificate; lampposts are killed (kill -9
 * semantics, restarted from their data dir), among them a detector host and the stateful
 * broadcaster's host (down long enough to be declared gone: its slot fails over to the
 * spare from the replicas, and comes back); the road is partitioned across the detectors
 * and healed. Faults are scheduled by elapsed time. Seeded (CHAOS_SEED).
 *
 * At the end it asserts that no hostile message was accepted anywhere, that every genuine
 * warning reached every lamppost that had a path to its origin, and, once the detectors
 * stop and the road settles, that no pipeline bundle was lost or applied twice and the
 * stateful stage's action sequence has no gap and no duplicate; writes bench/results/chaos.json
 * and exits 1 when a target is missed.
 * Env: CHAOS_PEERS (30, at least 12), CHAOS_SECONDS (60), CHAOS_SEED (9), CHAOS_VEHICLES (3),
 * CHAOS_HEARTBEAT_MS (2000), CHAOS_DISCOVERY_MS (60000), CHAOS_SETUP_ONLY (stop after setup).
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Message } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { CAUSE_CODE, SUB_CAUSE, TrustStore, createDenm, disseminationCells, offsetMetres, signWarning, verifyWarning, type Position } from '../protocols/index.js'
import { createRng } from '../sim-net/index.js'
import { getHazards } from '../node/hazards/index.js'
import type { EccoPeer } from '../node/peer.js'
import { createVehicle, type Vehicle } from '../node/vehicle/index.js'
import { SecureMesh, securityOf } from '../test/security/harness.js'
import { FORGERY_KINDS, flood, forge, forger, malformedFrames, send, topicOf, type Forger } from './chaos-hostile.js'
import { ChaosPipeline } from './chaos-pipeline.js'
import { percentile, writeResults } from './results.js'

const N = Number(process.env.CHAOS_PEERS ?? 30)
const SECONDS = Number(process.env.CHAOS_SECONDS ?? 60)
const SEED = Number(process.env.CHAOS_SEED ?? 9)
const VEHICLES = Number(process.env.CHAOS_VEHICLES ?? 3)
/** state heartbeats; every peer re-validates every other's, so this sets the idle load of the road */
const HEARTBEAT_MS = Number(process.env.CHAOS_HEARTBEAT_MS ?? 2000)
/** the road links are dialled explicitly: DHT rediscovery only adds load here */
const DISCOVERY_MS = Number(process.env.CHAOS_DISCOVERY_MS ?? 60_000)
const SPACING_M = 200
const ORIGIN = { lat: 48.2625, lon: 11.668 }
/** a genuine warning must reach every expected lamppost within this */
const DELIVERY_WINDOW_MS = 10_000
const FLOOD_MESSAGES = 3000
/** registry: a peer silent for 3 heartbeats is gone; a host down longer than this fails over */
const GONE_MS = 3 * HEARTBEAT_MS
/**
 * after the source stops, every pipeline bundle must be consumed (or dropped as late): waited for
 * while bundles are in flight with progress (steps, hand-ons, the count falling), up to the maximum
 */
const SETTLE_STALL_MS = 30_000
const SETTLE_MAX_MS = 300_000
const at = (i: number): Position => offsetMetres(ORIGIN, 0, i * SPACING_M)
/** lamppost `i` of a 30-post road, scaled to N posts (hostile placement) */
const L = (i: number): number => Math.min(N - 1, Math.round(i * N / 30))

const rng = createRng(SEED)
const rand = (): number => rng.next()
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]
const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

interface Genuine { key: string, origin: number, at: number, cells: string[] }
/** lamp index -> the interval it was down or cut off from `side` */
interface Outage { lamp: number, from: number, to: number }
interface Cut { from: number, to: number, boundary: number }

const m = new SecureMesh()
const lamps: Array<EccoPeer | undefined> = []
const pipe = new ChaosPipeline(N, at, lamps)
/** every incarnation, killed ones included: their counters still count */
const incarnations: EccoPeer[] = []
const vehicles: Vehicle[] = []
const faults: Record<string, number> = {}
const hostileSent: Record<string, number> = {}
const genuine: Genuine[] = []
/** key -> lamp index -> first delivery time */
const deliveries = new Map<string, Map<number, number>>()
const outages: Outage[] = []
const cuts: Cut[] = []
const hostileIds = new Set<string>()
let hostileAccepted = 0
const hostileAcceptedDetail: string[] = []
const vehicleShown = new Map<string, number>()
/**
 * gossip messages from honest lampposts that a validator answered Reject (a gossipsub penalty),
 * by topic family and reason (the guard's, or the hazard inbox's for hazard topics)
 */
const honestRejects: Record<string, number> = {}
const hostileRejects: Record<string, number> = {}
/** the state topic's validator refusals, by originator (honest lamppost, hostile, other) and reason */
const stateInvalid: Record<string, number> = {}
const topicFamily = (topic: string): string => topic.split('/').slice(0, 3).join('/')
const fault = (k: string, n = 1): void => { faults[k] = (faults[k] ?? 0) + n }
const sent = (k: string, n = 1): void => { hostileSent[k] = (hostileSent[k] ?? 0) + n }

function watch (i: number, peer: EccoPeer): void {
  const guard = securityOf(peer).guard
  let validatorRejects = guard.stats.rejected['topic-validator'] ?? 0
  const honest = (from: string): boolean => !hostileIds.has(from) && incarnations.some((p) => p.peerId.toString() === from)
  securityOf(peer).addEventListener('message:refused', (e) => {
    const { reason, topic, from } = e.detail
    // the guard counts the verdict before it reports it: a rise in its reject count means Reject, not Ignore
    const now = guard.stats.rejected['topic-validator'] ?? 0
    const rejected = reason !== 'topic-validator' || now > validatorRejects
    validatorRejects = now
    if (!rejected || ['rate-limited', 'unknown-originator'].includes(reason)) return
    const k = `${topicFamily(topic)} ${reason}`
    const tally = honest(from) ? honestRejects : hostileRejects
    tally[k] = (tally[k] ?? 0) + 1
  })
  // why the registry's validator refused a state message, by whether its originator is honest
  peer.libp2p.services.state.addEventListener('message:invalid', (e) => {
    const who = e.detail.from !== undefined && honest(e.detail.from) ? 'honest' : e.detail.from !== undefined && hostileIds.has(e.detail.from) ? 'hostile' : 'other'
    const k = `${who} origin: ${e.detail.reason.replace(/12D3Koo\w+/g, '<peer>').replace(/\d+/g, 'N').slice(0, 120)}`
    stateInvalid[k] = (stateInvalid[k] ?? 0) + 1
  })
  getHazards(peer)?.inbox.addEventListener('warning:rejected', (e) => {
    if (!honest(e.detail.from) || ['warning-expired', 'replay'].includes(e.detail.reason)) return
    const k = `${topicFamily(e.detail.topic)} inbox:${e.detail.reason}`
    honestRejects[k] = (honestRejects[k] ?? 0) + 1
  })
  getHazards(peer)?.inbox.addEventListener('warning', (e) => {
    const byLamp = deliveries.get(e.detail.key) ?? new Map<number, number>()
    if (!byLamp.has(i)) byLamp.set(i, Date.now())
    deliveries.set(e.detail.key, byLamp)
  })
  peer.libp2p.services.pubsub.addEventListener('message', (e: CustomEvent<Message>) => {
    const msg = e.detail
    if (msg.type === 'signed' && hostileIds.has(msg.from.toString())) {
      hostileAccepted++
      hostileAcceptedDetail.push(`${msg.topic} from ${msg.from.toString()} at lamp ${i}`)
    }
  })
}

async function startLamp (i: number): Promise<EccoPeer> {
  const bootstrap = i === 0 ? undefined : [m.mesh.addrOf(lamps[0] ?? lamps.find((p) => p !== undefined) as EccoPeer)]
  // gossip messages above 64 KiB are refused outright (pipeline descriptors and bids stay far below);
  // member announcements at the default pace (30 peers re-validating each other every second costs a core)
  const peer = await m.roadside({ name: `lamp-${i}`, position: at(i), heartbeatMs: HEARTBEAT_MS, discoveryIntervalMs: DISCOVERY_MS, security: { maxMessageBytes: 65_536, announceIntervalMs: 10_000 }, ...(bootstrap === undefined ? {} : { bootstrap }), ...pipe.roadside(i) })
  lamps[i] = peer
  incarnations.push(peer)
  watch(i, peer)
  pipe.watch(i, peer)
  // a road: each lamppost also talks to its two neighbours on either side
  for (const j of [i - 2, i - 1, i + 1, i + 2]) {
    const q = lamps[j]
    if (q !== undefined && j >= 0) await peer.libp2p.dial(q.libp2p.getMultiaddrs()[0]).catch(() => {})
  }
  return peer
}

async function killAndRestart (i: number, downMs: number): Promise<void> {
  const peer = lamps[i]
  if (peer === undefined) return
  const from = Date.now()
  lamps[i] = undefined
  const k = m.mesh.peers.indexOf(peer)
  if (k >= 0) m.mesh.peers.splice(k, 1)
  pipe.killing(i, peer)
  await peer.kill()
  fault('kill')
  await sleep(downMs)
  await startLamp(i)
  fault('restart')
  outages.push({ lamp: i, from, to: Date.now() + 3000 })
}

async function partition (boundary: number, ms: number): Promise<void> {
  const live = (xs: number[]): EccoPeer[] => xs.map((j) => lamps[j]).filter((p): p is EccoPeer => p !== undefined)
  const left = [...Array(boundary).keys()]
  const right = [...Array(N - boundary).keys()].map((j) => j + boundary)
  const cut: Cut = { from: Date.now(), to: Infinity, boundary }
  cuts.push(cut)
  await m.mesh.partition(live(left), live(right))
  pipe.cut()
  fault('partition')
  await sleep(ms)
  m.mesh.heal()
  pipe.healed()
  // the road link across the cut comes back
  for (const [a, b] of [[boundary - 1, boundary], [boundary - 2, boundary], [boundary - 1, boundary + 1]]) {
    const p = lamps[a]
    const q = lamps[b]
    if (p !== undefined && q !== undefined) await p.libp2p.dial(q.libp2p.getMultiaddrs()[0]).catch(() => {})
  }
  cut.to = Date.now() + 3000
  fault('heal')
}

async function publishGenuine (): Promise<void> {
  const candidates = [...lamps.keys()].filter((i) => lamps[i] !== undefined && !outages.some((o) => o.lamp === i && o.to > Date.now() - 1000))
  const i = pick(candidates)
  const hz = getHazards(lamps[i] as EccoPeer)
  if (hz === undefined) return
  const pos = offsetMetres(at(i), 20, 0)
  const t = Date.now()
  const key = await hz.publish({ eventPosition: pos, causeCode: CAUSE_CODE.adverseWeatherConditionAdhesion, subCauseCode: SUB_CAUSE.blackIceOnRoad, validityS: 30 })
  const denm = hz.publisher?.active().find((a) => a.key === key)?.denm
  genuine.push({ key, origin: i, at: t, cells: denm === undefined ? [] : disseminationCells(denm) })
}

/** Lampposts that watch a cell of `g` and had a path to its origin for the whole delivery window. */
function expectedReceivers (g: Genuine, watched: Map<number, string[]>): number[] {
  const end = g.at + DELIVERY_WINDOW_MS
  return [...watched.keys()].filter((j) => {
    if (j === g.origin) return false
    if (!(watched.get(j) ?? []).some((c) => g.cells.includes(c))) return false
    if (outages.some((o) => (o.lamp === j || o.lamp === g.origin) && o.from < end && o.to > g.at)) return false
    return !cuts.some((c) => c.from < end && c.to > g.at && (j < c.boundary) !== (g.origin < c.boundary))
  })
}

async function validationCost (): Promise<Record<string, number>> {
  const operator = m.operator
  const key = await generateKeyPair('Ed25519')
  const cert = await m.certificateFor(key, ORIGIN)
  const trust = new TrustStore({ operatorKeys: [operator.publicKey] })
  const { peerIdFromPrivateKey } = await import('@libp2p/peer-id')
  const good = await signWarning(createDenm({ originator: peerIdFromPrivateKey(key).toMultihash().bytes, sequenceNumber: 1, eventPosition: ORIGIN, causeCode: 6, subCauseCode: 6 }), key, cert)
  const rogue = await generateKeyPair('Ed25519')
  const forged = await signWarning(createDenm({ originator: peerIdFromPrivateKey(key).toMultihash().bytes, sequenceNumber: 2, eventPosition: ORIGIN, causeCode: 6, subCauseCode: 6 }), key, await m.certificateFor(key, ORIGIN, rogue))
  const run = async (bytes: Uint8Array, n: number): Promise<number> => {
    const c0 = process.cpuUsage()
    for (let i = 0; i < n; i++) await verifyWarning(bytes, { trust })
    const c = process.cpuUsage(c0)
    return Math.round((c.user + c.system) / n)
  }
  return { genuineWarningCpuUs: await run(good, 500), forgedWarningCpuUs: await run(forged, 500) }
}

const started = Date.now()
let rssPeak = 0
let rssBeforeFlood = 0
let rssFloodPeak = 0
let flooding = false
const memTimer = setInterval(() => {
  const rss = process.memoryUsage().rss
  rssPeak = Math.max(rssPeak, rss)
  if (flooding) rssFloodPeak = Math.max(rssFloodPeak, rss)
}, 200)
try {
  await m.init()
  await pipe.init()
  for (let i = 0; i < N; i++) {
    await startLamp(i)
    if (i % 5 === 4) process.stderr.write(`chaos: ${i + 1} lampposts up after ${Date.now() - started} ms\n`)
  }
  for (let v = 0; v < VEHICLES; v++) {
    const car = await createVehicle({ operatorKeys: [m.operator.publicKey], listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [m.mesh.addrOf(lamps[(v * 11 + 3) % N] as EccoPeer)], route: [at(-5), at(N + 5)], position: at((v * 11 + 3) % N), lookaheadM: 3000 })
    await car.start()
    car.addEventListener('warning:shown', (e) => { vehicleShown.set(e.detail.key, (vehicleShown.get(e.detail.key) ?? 0) + 1) })
    vehicles.push(car)
  }
  const setupMs = Date.now() - started
  process.stderr.write(`chaos: ${N} lampposts and ${VEHICLES} vehicles up in ${setupMs} ms\n`)
  const pipelineStartMs = await pipe.start(240_000)
  process.stderr.write(`chaos: black-ice pipeline placed and emitting after ${pipelineStartMs} ms\n`)
  if (process.env.CHAOS_SETUP_ONLY !== undefined) throw new Error('CHAOS_SETUP_ONLY: stopping after setup')
  // the hostiles: two forgers (an insider with a genuine certificate, an outsider), a flooder, a malformer, a thief
  const insider = await forger(m, at(L(5)), true)
  const outsider = await forger(m, at(L(12)), false)
  const flooder = await forger(m, at(L(20)), true)
  const malformer = await m.hostile()
  const thief = await m.hostile({ certificate: await m.certificateFor(await generateKeyPair('Ed25519'), at(L(25))) })
  for (const h of [insider.node, outsider.node, flooder.node, malformer, thief]) hostileIds.add(h.peerId.toString())
  const attach = async (node: Forger['node'], i: number): Promise<void> => { await node.dial(multiaddr(m.mesh.addrOf(lamps[i] as EccoPeer))).catch(() => {}) }
  for (const [f, i] of [[insider, L(5)], [insider, L(6)], [outsider, L(12)], [outsider, L(13)], [flooder, L(20)]] as const) await attach(f.node, i)
  await attach(malformer, L(15))
  await attach(thief, L(25))
  fault('stolen-certificate')
  for (const f of [insider, outsider, flooder]) for (const t of [topicOf(at(L(5))), topicOf(at(L(12))), topicOf(at(L(20)))]) f.node.services.pubsub.subscribe(t)
  await sleep(2000)

  const t0 = Date.now()
  const end = t0 + SECONDS * 1000
  const chaos: Array<Promise<void>> = []
  const done = new Set<string>()
  /** a one-off fault due at `frac` of the chaos window, fired once `act` says it was */
  const due = (name: string, frac: number, act: () => boolean): void => {
    if (!done.has(name) && Date.now() - t0 >= frac * SECONDS * 1000 && act()) done.add(name)
  }
  const targeted = new Set<number>()
  /** a pipeline host: killed now, back after `downMs` */
  const killHost = (role: string, i: number | undefined, downMs: number): boolean => {
    if (i === undefined || lamps[i] === undefined || cuts.some((c) => c.to === Infinity)) return false
    targeted.add(i)
    pipe.faults[role] = `lamp-${i}, down ${downMs} ms from ${Math.round((Date.now() - t0) / 1000)} s`
    chaos.push(killAndRestart(i, downMs))
    return true
  }
  let tick = 0
  let seq = 1
  while (Date.now() < end) {
    const t = tick++
    pipe.observe()
    if (t % 3 === 0) await publishGenuine().catch((err: Error) => { process.stderr.write(`chaos: genuine publish failed: ${err.message}\n`) })
    for (const f of [insider, outsider]) {
      const kind = FORGERY_KINDS[(t + (f === insider ? 0 : 3)) % FORGERY_KINDS.length]
      const where = f === insider ? at(L(5)) : at(L(12))
      if (await send(f.node, topicOf(where), await forge(f, kind, seq++, where, (lamps[1] ?? lamps[0] as EccoPeer).peerId.toMultihash().bytes))) sent(`forged:${kind}`)
    }
    if (t % 5 === 1 && await send(outsider.node, 'ecco/v1/state', new Uint8Array(80).fill(t))) sent('mesh-topic-by-client')
    if (t % 10 === 2) { sent('malformed-frame', await malformedFrames(malformer, (lamps[L(15)] ?? lamps[0] as EccoPeer).peerId)); fault('malformed-frames') }
    if (t % 15 === 4 && await send(flooder.node, topicOf(at(L(20))), new Uint8Array(300 * 1024).fill(1))) { sent('oversized'); fault('oversized') }
    due('flood', 1 / 3, () => {
      rssBeforeFlood = process.memoryUsage().rss
      flooding = true
      fault('flood')
      chaos.push(flood(flooder.node, FLOOD_MESSAGES, SEED).then((n) => { sent('flood', n); flooding = false }))
      return true
    })
    // the pipeline's hosts: a detector briefly (its queued bundles arrive after the join gave
    // up on them), the stateful broadcaster long enough to be declared gone (failover)
    due('kill:detector', 0.15, () => killHost('detectorHostKilled', pipe.detectorVictim(), 3000))
    due('kill:broadcaster', 0.3, () => killHost('broadcasterHostKilled', pipe.broadcasterVictim(), GONE_MS + 8000))
    if (t % 12 === 6) {
      // while a pipeline host is down on purpose, the rest of its stretch stays up (its failover needs them)
      const outage = [...targeted].some((j) => lamps[j] === undefined)
      const victims = [...lamps.keys()].filter((i) => i > 2 && lamps[i] !== undefined && !genuine.some((g) => g.origin === i && g.at > Date.now() - DELIVERY_WINDOW_MS) && !(outage && pipe.layout.stretch.includes(i)))
      if (victims.length > 0 && !cuts.some((c) => c.to === Infinity)) chaos.push(killAndRestart(pick(victims), 2000 + Math.floor(rand() * 3000)))
    }
    // long enough for each side to declare the other gone and re-place the pipeline
    due('partition', 2 / 3, () => { chaos.push(partition(pipe.layout.boundary, Math.max(8000, GONE_MS + 6000))); return true })
    await sleep(1000)
  }
  await Promise.allSettled(chaos)
  process.stderr.write('chaos: faults done, settling\n')
  await sleep(DELIVERY_WINDOW_MS)
  const settled = await pipe.settle(SETTLE_STALL_MS, SETTLE_MAX_MS)
  process.stderr.write(`chaos: settled in ${settled.ms} ms (${settled.end}, ${settled.left} unaccounted)\n`)
  clearInterval(memTimer)

  // delivered / expected, per genuine warning and lamppost
  const watched = new Map<number, string[]>()
  lamps.forEach((p, i) => { if (p !== undefined) watched.set(i, getHazards(p)?.inbox.watched() ?? []) })
  let expected = 0
  let delivered = 0
  const lost: string[] = []
  const latencies: number[] = []
  for (const g of genuine.filter((x) => x.at + DELIVERY_WINDOW_MS < Date.now())) {
    for (const j of expectedReceivers(g, watched)) {
      expected++
      const t = deliveries.get(g.key)?.get(j)
      if (t !== undefined && t <= g.at + DELIVERY_WINDOW_MS) { delivered++; latencies.push(t - g.at) } else lost.push(`${g.key.slice(-12)} lamp-${g.origin} -> lamp-${j}`)
    }
  }
  const genuineKeys = new Set(genuine.map((g) => g.key))
  // the pipeline's own warnings are genuine too (originated by the broadcasters)
  const forgedAtLamps = [...deliveries.keys()].filter((k) => !genuineKeys.has(k) && !pipe.warningKeys.has(k))
  const forgedAtVehicles = [...vehicleShown.keys()].filter((k) => !genuineKeys.has(k) && !pipe.warningKeys.has(k))
  const pipeline = await pipe.report()
  const live = lamps.filter((p): p is EccoPeer => p !== undefined)
  const running = live.filter((p) => p.libp2p.status === 'started').length
  const guard = incarnations.map((p) => securityOf(p).guard.stats)
  const checked = guard.reduce((n, g) => n + g.checked, 0)
  const validationNs = guard.reduce((n, g) => n + Number(g.validationNs), 0)
  const sum = (f: (p: EccoPeer) => Record<string, number | undefined>): Record<string, number> => {
    const out: Record<string, number> = {}
    for (const p of incarnations) for (const [k, v] of Object.entries(f(p))) out[k] = (out[k] ?? 0) + (v ?? 0)
    return out
  }
  const mb = (b: number): number => Math.round(b / 2 ** 20 * 10) / 10
  // an honest lamppost's view of its honest neighbours: none should be penalised
  type Scoring = { getScore: (id: string) => number, dumpPeerScoreStats: () => Record<string, { behaviourPenalty: number, topics: Record<string, { invalidMessageDeliveries: number }> }> }
  const belowZeroCauses: Record<string, number> = {}
  const honestScores = live.flatMap((p) => {
    const ps = p.libp2p.services.pubsub as unknown as Scoring
    const dump = ps.dumpPeerScoreStats()
    return p.libp2p.getPeers().filter((q) => !hostileIds.has(q.toString()) && live.some((x) => x.peerId.equals(q))).map((q) => {
      const score = ps.getScore(q.toString())
      if (score < 0) {
        // which term took it below zero: P4 (messages a validator rejected, by topic) or P7 (broken IWANT promises)
        const st = dump[q.toString()]
        const causes = Object.entries(st?.topics ?? {}).filter(([, t]) => t.invalidMessageDeliveries > 0.01).map(([t]) => `P4 ${topicFamily(t)}`)
        if ((st?.behaviourPenalty ?? 0) > 2) causes.push('P7 behaviour penalty')
        for (const c of causes.length === 0 ? ['other'] : causes) belowZeroCauses[c] = (belowZeroCauses[c] ?? 0) + 1
      }
      return score
    })
  })
  const result = {
    seed: SEED,
    peers: N,
    heartbeatMs: HEARTBEAT_MS,
    discoveryIntervalMs: DISCOVERY_MS,
    vehicles: VEHICLES,
    chaosSeconds: SECONDS,
    setupMs,
    faultsInjected: faults,
    hostileMessages: {
      sent: hostileSent,
      sentTotal: Object.values(hostileSent).reduce((a, b) => a + b, 0),
      accepted: hostileAccepted + forgedAtLamps.length + forgedAtVehicles.length,
      acceptedTarget: 0,
      acceptedDetail: [...hostileAcceptedDetail.slice(0, 10), ...forgedAtLamps.slice(0, 5), ...forgedAtVehicles.slice(0, 5)]
    },
    refusedAtLamps: { guardRejected: sum((p) => securityOf(p).guard.stats.rejected), guardIgnored: sum((p) => securityOf(p).guard.stats.ignored), membership: sum((p) => securityOf(p).stats.refused), hazardInbox: sum((p) => getHazards(p)?.inbox.stats.rejected ?? {}) },
    genuineWarnings: {
      published: genuine.length,
      expectedDeliveries: expected,
      delivered,
      ratio: expected === 0 ? null : Math.round(delivered / expected * 1000) / 1000,
      lost: lost.slice(0, 20),
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
      shownAtVehicles: [...vehicleShown.entries()].filter(([k]) => genuineKeys.has(k)).length
    },
    memory: {
      processPeakRssMb: mb(rssPeak),
      rssBeforeFloodMb: mb(rssBeforeFlood),
      rssPeakDuringFloodMb: mb(rssFloodPeak),
      peakRssPerPeerMb: Math.round(mb(rssFloodPeak || rssPeak) / (N + VEHICLES) * 10) / 10,
      method: 'one process: process RSS divided by the roadside peers plus vehicles (hostiles excluded)'
    },
    validation: {
      messagesChecked: checked,
      meanWallUsPerMessage: checked === 0 ? null : Math.round(validationNs / checked / 100) / 10,
      ...await validationCost(),
      note: 'meanWall: time inside the topic guard plus the topic validator (signature and certificate checks), awaited, per gossip message; *CpuUs: process CPU per verifyWarning call (certificate cached) on this machine'
    },
    hostileRejected: hostileRejects,
    stateMessagesInvalid: stateInvalid,
    honestRejected: { byTopicAndReason: honestRejects, total: Object.values(honestRejects).reduce((a, b) => a + b, 0), note: 'gossip from honest lampposts answered Reject by a validator (penalised in gossipsub scoring); Ignore verdicts (late, replayed, rate-limited) are not counted' },
    honestPeerScores: { pairs: honestScores.length, min: Math.min(...honestScores), belowZero: honestScores.filter((x) => x < 0).length, belowZeroCauses, graylisted: honestScores.filter((x) => x < -80).length },
    pipeline: { startMs: pipelineStartMs, settleMs: settled.ms, settleEnd: settled.end, ...pipeline.section },
    peersRunningAtEnd: `${running}/${live.length}`
  }
  process.stdout.write(JSON.stringify(result, null, 2) + '\n')
  const file = await writeResults('chaos', { note: 'npm run chaos: real ecco peers (security + hazards features; pipelines + checkpoints on the pipeline stretch) and vehicles in one Node process on loopback, permissioned mode', ...result })
  process.stdout.write(`wrote ${file}\n`)
  const failures: string[] = []
  if (result.hostileMessages.accepted !== 0) failures.push(`${result.hostileMessages.accepted} hostile messages accepted`)
  if (delivered !== expected) failures.push(`${expected - delivered} of ${expected} genuine deliveries lost`)
  if (running !== live.length) failures.push(`${live.length - running} peers not running`)
  failures.push(...pipeline.failures)
  if (failures.length > 0) {
    process.stderr.write(`chaos: FAILED: ${failures.join('; ')}\n`)
    process.exitCode = 1
  }
} finally {
  clearInterval(memTimer)
  await Promise.allSettled(vehicles.map(async (v) => { await v.stop() }))
  await m.stop()
}
process.exit(process.exitCode ?? 0)
