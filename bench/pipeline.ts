// Benchmark of pipelines negotiated between peers (issue 4):
//  1. completion time ECDF of P1-P4 (thesis Fig. 4.18/4.19) with image-normalise on 250 KB
//     frames, 100 runs each, broken down into EF boot, intra-node transfer, network
//     transfer and compute (a fresh EF per stage and run, as the thesis' unikernels);
//  2. the same with warm EFs: per-hop overhead with compute excluded (target <= 3 ms p50),
//     on 250 KB frames and on a 56-byte frame (the fixed cost of a hop), with where the
//     time of a hop goes (level writes, stream open, EF invoke) from timing wrappers;
//  3. placement convergence of a 3-stage pipeline over 5, 20 and 50 peers.
// Run: npm run bench:pipeline  ->  bench/results/pipeline.json
// Env: BENCH_RUNS (default 100), BENCH_SIZES (default "5,20,50").
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import { defaultConfig } from '../node/config/parse.js'
import type { PeerConfig } from '../node/config/schema.js'
import { createLogger } from '../node/logger.js'
import { createEccoPeer, type EccoPeer } from '../node/peer.js'
import { pipelinesFeature, type PipelinesFeature, type PipelineRunEvent } from '../node/pipelines/index.js'
import {
  CommandOp, formatIssuer, generateIssuerKey, offsetMetres, parseDescriptorYaml, PIPELINE_VERSION, signCommand, signDescriptor, type PipelineDescriptor
} from '../protocols/index.js'
import { encodeFrame, loadCatalogue } from '../unikernels/index.js'
import { percentile, writeResults } from './results.js'
import { readFile } from 'node:fs/promises'
import { tuneHeapForPeers } from '../node/runtime.js'

// the same process tuning as the bins: a bench process hosts peers
tuneHeapForPeers()

const RUNS = Number(process.env.BENCH_RUNS ?? 100)
const SIZES = (process.env.BENCH_SIZES ?? '5,20,50').split(',').map(Number)
const STARTUP_LIMIT_MS = Number(process.env.BENCH_STARTUP_LIMIT_MS ?? 240_000)
const ORIGIN = { lat: 48.2625, lon: 11.668 }
const FRAME_W = 262
const FRAME_H = 326 // 262 x 326 x 3 + 8 = 256,244 bytes, about 250 KB

interface Harness { root: string, peers: EccoPeer[], key: PrivateKey, trusted: string }

async function harness (): Promise<Harness> {
  const key = await generateIssuerKey()
  return { root: await mkdtemp(join(tmpdir(), 'ecco-bench-pipe-')), peers: [], key, trusted: formatIssuer(key.publicKey) }
}

async function addPeer (h: Harness, name: string, i: number, roles: string[], o: { bootPerRun?: boolean, idleWorkers?: number, bootstrap?: string } = {}): Promise<EccoPeer> {
  const config: PeerConfig = {
    ...defaultConfig(join(h.root, name)),
    name,
    // a grid of roadside units 300 m apart, as in bench:mesh (at ~100 m every peer is in every other's 3x3 cells)
    position: offsetMetres(ORIGIN, Math.floor(i / 10) * 300, (i % 10) * 300),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap: o.bootstrap === undefined ? [] : [o.bootstrap],
    bootstrapMode: o.bootstrap === undefined,
    logLevel: 'error',
    capacity: { cpuCores: 2, memoryMb: 2048, maxEdgeFunctions: 32 },
    sections: { pipelines: { trustedIssuers: [h.trusted], roles, bootPerRun: o.bootPerRun ?? false, retainMs: 60_000, idleWorkers: o.idleWorkers ?? 1 } }
  }
  // one process for all peers: the process's CPU and RSS are nobody's own load
  const peer = await createEccoPeer({ config, log: createLogger({ level: 'error' }), features: [pipelinesFeature], processLoad: false })
  await peer.start()
  h.peers.push(peer)
  return peer
}

const feature = (p: EccoPeer): PipelinesFeature => p.features.get('pipelines') as PipelinesFeature

async function until (cond: () => boolean, timeoutMs: number, what: string | (() => string), pollMs = 5): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`bench: timed out: ${typeof what === 'string' ? what : what()}`)
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

async function descriptor (file: string, patch: (d: PipelineDescriptor) => void = () => {}): Promise<PipelineDescriptor> {
  const d = parseDescriptorYaml(await readFile(join(process.cwd(), 'pipelines', file), 'utf8'), file)
  const catalogue = await loadCatalogue()
  for (const s of d.stages) if (s.image !== undefined) s.image.hash = catalogue.get(s.image.name).manifest.hash
  patch(d)
  return d
}

function frame (w = FRAME_W, h = FRAME_H): Uint8Array {
  const pixels = new Uint8Array(w * h * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = 60 + ((i * 2654435761) >>> 25) % 120
  return encodeFrame({ width: w, height: h, channels: 3, pixels })
}

/** Timing wrappers on the hot path of a hop, per peer (profiling only: same behaviour). */
type Timings = Record<string, number[]>

function instrument (peers: EccoPeer[], t: Timings): void {
  const wrap = <O extends object>(o: O, name: string, as: string): void => {
    const rec = o as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
    const orig = rec[name].bind(o)
    rec[name] = async (...a: unknown[]) => {
      const t0 = performance.now()
      try { return await orig(...a) } finally { (t[as] ??= []).push(performance.now() - t0) }
    }
  }
  for (const p of peers) {
    const f = feature(p)
    wrap(f.queues, 'commit', 'levelCommitStep')
    wrap(f.queues, 'acceptInbound', 'levelAcceptInbound')
    wrap(f.queues, 'acked', 'levelAcked')
    wrap(f.queues, 'outbound', 'levelReadOutbound')
    wrap(p.libp2p, 'dialProtocol', 'streamOpen')
    const rt = f.runtime as unknown as { boot: (...a: unknown[]) => Promise<{ invoke: (...a: unknown[]) => Promise<unknown> }> }
    const boot = rt.boot.bind(rt)
    rt.boot = async (...a: unknown[]) => { const sb = await boot(...a); wrap(sb, 'invoke', 'efInvoke'); return sb }
  }
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000

function summary (xs: number[]): Record<string, number> {
  return { n: xs.length, p10: r3(percentile(xs, 10)), p50: r3(percentile(xs, 50)), p90: r3(percentile(xs, 90)), p99: r3(percentile(xs, 99)), mean: r3(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) }
}

function ecdf (xs: number[]): Array<[number, number]> {
  const s = [...xs].sort((a, b) => a - b)
  return s.map((x, i) => [r3(x), r3((i + 1) / s.length)])
}

/** run numbers are unique per pipeline: a reused one would be dropped as a duplicate */
let runCounter = 1_000_000

interface Sample { triggerToEndMs: number, totalMs: number, bootMs: number, computeMs: number, intraMs: number, networkMs: number, hops: number }

/** Triggers `ids` together `runs` times, one run at a time; a run completes when every finale did. */
async function measure (h: Harness, ids: string[], starters: Record<string, EccoPeer>, finales: EccoPeer[], runs: number, payload: Uint8Array): Promise<Sample[]> {
  const done = new Map<string, PipelineRunEvent>()
  const finishedAt = new Map<string, number>()
  const on = (e: CustomEvent<PipelineRunEvent>): void => {
    if (!ids.includes(e.detail.pipelineId)) return
    done.set(`${e.detail.pipelineId}/${e.detail.run}`, e.detail)
    finishedAt.set(`${e.detail.pipelineId}/${e.detail.run}`, Date.now())
  }
  for (const f of finales) feature(f).addEventListener('pipeline:run', on)
  const samples: Sample[] = []
  try {
    for (let r = 0; r < runs; r++) {
      const run = BigInt(++runCounter)
      const t0 = performance.now()
      await Promise.all(ids.map(async (id) => {
        const cmd = await signCommand({ version: PIPELINE_VERSION, pipelineId: id, op: CommandOp.COMMAND_TRIGGER, issuedAtMs: BigInt(Date.now()), run, payload }, h.key)
        await feature(starters[id]).command(cmd)
      }))
      await until(() => ids.every((id) => done.has(`${id}/${run}`)), 60_000, `run ${run} of ${ids.join('+')}: ${h.peers.map((p) => ids.map((id) => `${p.config.name ?? ''}: ${JSON.stringify(feature(p).status(id), (_k, v: unknown) => typeof v === 'bigint' ? Number(v) : v)}`).join('\n')).join('\n')}`)
      const triggerToEnd = performance.now() - t0
      const ev = ids.map((id) => done.get(`${id}/${run}`)?.trace)
      // completion: from the start stage's first instruction to the finale's end (the thesis' pipeline execution time)
      const total = Math.max(...ids.map((id) => (finishedAt.get(`${id}/${run}`) ?? 0) - (done.get(`${id}/${run}`)?.trace.startedAtMs ?? 0)))
      const sum = (f: (t: NonNullable<typeof ev[number]>) => number): number => Math.max(...ev.map((t) => t === undefined ? 0 : f(t)))
      samples.push({ triggerToEndMs: triggerToEnd, totalMs: total, bootMs: sum((t) => t.bootMs), computeMs: sum((t) => t.computeMs), intraMs: sum((t) => t.intraMs), networkMs: sum((t) => t.networkMs), hops: sum((t) => t.hops) })
    }
  } finally {
    for (const f of finales) feature(f).removeEventListener('pipeline:run', on)
  }
  return samples
}

function breakdown (s: Sample[]): Record<string, unknown> {
  const perHop = s.map((x) => (x.totalMs - x.computeMs - x.bootMs) / Math.max(1, x.hops))
  return {
    completionMs: summary(s.map((x) => x.totalMs)),
    triggerToFinaleMs: summary(s.map((x) => x.triggerToEndMs)),
    ecdf: ecdf(s.map((x) => x.totalMs)),
    breakdownMeanMs: {
      efBoot: summary(s.map((x) => x.bootMs)).mean,
      compute: summary(s.map((x) => x.computeMs)).mean,
      intraNode: summary(s.map((x) => x.intraMs)).mean,
      network: summary(s.map((x) => x.networkMs)).mean,
      other: r3(summary(s.map((x) => x.totalMs - x.bootMs - x.computeMs - x.intraMs - x.networkMs)).mean)
    },
    hops: s[0]?.hops ?? 0,
    perHopOverheadMs: summary(perHop)
  }
}

async function topologies (bootPerRun: boolean, runs: number, payload = frame(), only?: string, timings?: Timings): Promise<Record<string, unknown>> {
  const h = await harness()
  try {
    const nuc = await addPeer(h, 'nuc', 0, ['nuc'], { bootPerRun })
    const boot = nuc.multiaddrs()[0]
    const srv1 = await addPeer(h, 'srv1', 1, ['srv1'], { bootPerRun, bootstrap: boot })
    const opx = await addPeer(h, 'opx', 2, ['opx'], { bootPerRun, bootstrap: boot })
    const srv2 = await addPeer(h, 'srv2', 3, ['srv2'], { bootPerRun, bootstrap: boot })
    for (const a of h.peers) for (const b of h.peers) if (a !== b && a.libp2p.getConnections(b.peerId).length === 0) await a.libp2p.dial(b.libp2p.getMultiaddrs()[0])
    const ids = ['p1', 'p2', 'p3', 'p4-a', 'p4-b']
    for (const id of ids) await feature(nuc).submit(await signDescriptor(await descriptor(`${id}.yaml`), h.key))
    await until(() => ids.every((id) => new Set(h.peers.map((p) => feature(p).status(id)?.digest ?? '')).size === 1 && feature(nuc).status(id)?.digest !== ''), 60_000, 'placement')
    const out: Record<string, unknown> = {}
    const starters = { p1: nuc, p2: nuc, p3: nuc, 'p4-a': nuc, 'p4-b': opx }
    await measure(h, ['p1'], starters, [nuc], 3, payload) // warm the JIT and the image caches
    if (timings !== undefined) instrument(h.peers, timings)
    for (const [name, set] of [['P1', ['p1']], ['P2', ['p2']], ['P3', ['p3']], ['P4', ['p4-a', 'p4-b']]] as const) {
      if (only !== undefined && name !== only) continue
      out[name] = breakdown(await measure(h, [...set], starters, [nuc, opx], runs, payload))
      process.stderr.write(`bench pipeline: ${name} ${bootPerRun ? 'cold' : 'warm'} done\n`)
    }
    void srv1; void srv2
    return out
  } finally {
    await Promise.allSettled(h.peers.map(async (p) => { await p.stop() }))
    await rm(h.root, { recursive: true, force: true })
  }
}

async function convergence (n: number): Promise<Record<string, unknown>> {
  const h = await harness()
  const started = performance.now()
  try {
    // a few workers and detectors host stages; every peer bids for the broadcasters
    const first = await addPeer(h, 'peer-0', 0, ['worker'], { idleWorkers: 0 })
    const boot = first.multiaddrs()[0]
    for (let i = 1; i < n; i++) {
      // all peers share one event loop: past some size, starting the next one takes minutes
      if (performance.now() - started > STARTUP_LIMIT_MS) throw new Error(`does not fit in one process: ${i} of ${n} peers started in ${Math.round((performance.now() - started) / 1000)} s (limit ${STARTUP_LIMIT_MS / 1000} s)`)
      const p = await addPeer(h, `peer-${i}`, i, i % 5 === 0 ? ['worker'] : [], { idleWorkers: 0, bootstrap: boot })
      // neighbours along the grid, not only the bootstrap peer (it sheds connections at 50 peers)
      for (const j of [i - 1, i - 10]) if (j >= 0) await p.libp2p.dial(h.peers[j].libp2p.getMultiaddrs()[0]).catch(() => {})
    }
    const startup = performance.now() - started
    await until(() => h.peers.every((p) => p.libp2p.getConnections().length > 0), 120_000, () => `connections: ${h.peers.filter((p) => p.libp2p.getConnections().length === 0).length} peers without one`)
    const d = parseDescriptorYaml(`
id: conv-${n}
execution: on-demand
area: { lat: ${ORIGIN.lat}, lon: ${ORIGIN.lon}, radiusM: 20000 }
bidWindowMs: 1000
stages:
  - { name: detect, image: image-normalise, role: start, replicas: 3, input: { source: trigger } }
  - { name: fuse, image: image-normalise, role: midsection, after: [detect], needs: { roles: [worker] } }
  - { name: tell, image: image-normalise, role: finale, after: [fuse], replicas: 2, output: { target: sink } }
`, 'conv')
    const catalogue = await loadCatalogue()
    for (const s of d.stages) if (s.image !== undefined) s.image.hash = catalogue.get(s.image.name).manifest.hash
    // each peer's placement as it announces it (polling status() of every peer would load the loop under test)
    const placed = new Map<EccoPeer, { digest: string, firstAt: number }>()
    let goneVerdicts = 0
    let placements = 0
    for (const p of h.peers) {
      p.addEventListener('peer:gone', () => { goneVerdicts++ })
      feature(p).addEventListener('pipeline:placed', (e) => {
        placements++
        placed.set(p, { digest: e.detail.digest, firstAt: placed.get(p)?.firstAt ?? performance.now() })
      })
    }
    // the issuer signs just before submitting: the bid window starts then
    d.issuedAtMs = BigInt(Date.now())
    const t0 = performance.now()
    await feature(first).submit(await signDescriptor(d, h.key))
    let digest = ''
    await until(() => {
      const ds = new Set(h.peers.map((p) => placed.get(p)?.digest ?? ''))
      digest = [...ds][0]
      return ds.size === 1 && digest !== ''
    }, 120_000, () => {
      // which peers disagree, and how: no descriptor, no placement, or another one
      // (bids seen / peers seen gone tell a missed bid from a liveness disagreement)
      const by = new Map<string, number>()
      for (const p of h.peers) {
        const digest = feature(p).status(d.id)?.digest?.slice(0, 8) ?? 'no descriptor'
        const k = `${digest === '' ? 'unplaced' : digest} (bids ${feature(p).book.bidsOf(d.id).length}, gone ${p.registry().filter((e) => !e.live).length})`
        by.set(k, (by.get(k) ?? 0) + 1)
      }
      return `convergence over ${n} peers: ${[...by].map(([k, c]) => `${c}× ${k}`).join(', ')}`
    }, 20)
    const total = performance.now() - t0
    const bids = feature(first).book.bidsOf(d.id).length
    const firstPlaced = [...placed.values()].map((x) => x.firstAt - t0)
    return { peers: n, startupMs: Math.round(startup), bidWindowMs: d.bidWindowMs, convergedMs: r3(total), afterBidWindowMs: r3(total - d.bidWindowMs), firstPlacementMs: summary(firstPlaced), placements, goneVerdicts, bids, digest, loadAverage: loadavg().map(r3) }
  } finally {
    await Promise.allSettled(h.peers.map(async (p) => { await p.stop() }))
    await rm(h.root, { recursive: true, force: true })
  }
}

async function main (): Promise<void> {
  const results: Record<string, unknown> = { runs: RUNS, frameBytes: frame().byteLength, loadAverageAtStart: loadavg().map(r3) }
  if (process.env.BENCH_ONLY_CONVERGENCE === '1') {
    // keep the topology results of the last full run, redo only the convergence part
    const previous = JSON.parse(await readFile(join(process.cwd(), 'bench', 'results', 'pipeline.json'), 'utf8')) as Record<string, unknown>
    for (const k of ['runs', 'frameBytes', 'loadAverageAtStart', 'coldEf', 'warmEf', 'perHopOverhead']) results[k] = previous[k]
  } else {
    results.coldEf = await topologies(true, RUNS)
    results.warmEf = await topologies(false, RUNS)
    const p3 = (results.warmEf as Record<string, { perHopOverheadMs: { p50: number } }>).P3
    // the fixed cost of a hop: the same P3 chain with a 56-byte frame, with timing wrappers
    const timings: Timings = {}
    const tiny = frame(4, 4)
    const small = (await topologies(false, RUNS, tiny, 'P3', timings)).P3 as { perHopOverheadMs: { p50: number } }
    results.perHopOverhead = {
      target: 'p50 <= 3 ms on loopback, compute excluded (issue 4)',
      frame250KB: { p50Ms: p3.perHopOverheadMs.p50, met: p3.perHopOverheadMs.p50 <= 3 },
      frame56B: { p50Ms: small.perHopOverheadMs.p50, met: small.perHopOverheadMs.p50 <= 3, P3: small },
      whereTheTimeGoesMs: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, summary(v)])),
      note: 'a hop = commit step (level batch) + read outbound (in-memory key list) + send on the long-lived /ecco/bundle/1.1.0 stream (opened once per peer pair: streamOpen has few samples), receiver persists (level) + ack + sender records ack (level) + next EF invoke; the wrappers time each on the 56-byte run; EF compute is excluded from the per-hop figure'
    }
  }
  const conv: unknown[] = []
  results.placementConvergence = conv
  results.thesis = { interNodeTransferMs: 20, efBootMs: [25, 46], note: 'Fig. 4.19: completion grows roughly linearly with the number of EFs' }
  for (const n of SIZES) {
    try {
      conv.push(await convergence(n))
    } catch (err) {
      conv.push({ peers: n, error: (err as Error).message.slice(0, 300), stack: (err as Error).stack?.split('\n').slice(0, 4).join(' | '), loadAverage: loadavg().map(r3) })
    }
    process.stderr.write(`bench pipeline: convergence ${n} done: ${JSON.stringify(conv[conv.length - 1])}\n`)
    // written after every size: a size that does not fit in one process still leaves the others
    await writeResults('pipeline', { ...results, loadAverageAtEnd: loadavg().map(r3) })
  }
  results.loadAverageAtEnd = loadavg().map(r3)
  const file = await writeResults('pipeline', results)
  process.stdout.write(`wrote ${file}\n`)
}

main().then(() => { process.exit(0) }, (err) => { process.stderr.write(`bench pipeline failed: ${(err as Error).stack ?? String(err)}\n`); process.exit(1) })
