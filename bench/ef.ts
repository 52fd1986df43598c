// Benchmark of the EF runtime (issue 3): boot times, image and memory sizes, blackboard
// transfer, and image-normalise in the sandbox versus plain TypeScript.
// Run: npm run bench:ef  ->  bench/results/ef.json
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { EfRuntime, encodeFrame, loadCatalogue, normaliseFrame, sha256Hex } from '../unikernels/index.js'
import type { Catalogue, EfImage, Sandbox } from '../unikernels/index.js'

const FRAME_W = 262 // 0x0106: first frame byte doubles as the probe's relay mode
const FRAME_H = 326 // 262 x 326 x 3 + 8 = 256,244 bytes, about 250 KB

interface Stats { n: number, p50: number, p99: number, mean: number, min: number, max: number }

function stats (xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b)
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]
  const r = (x: number): number => Math.round(x * 1000) / 1000
  return { n: s.length, p50: r(q(0.5)), p99: r(q(0.99)), mean: r(s.reduce((a, b) => a + b, 0) / s.length), min: r(s[0]), max: r(s[s.length - 1]) }
}

async function until (check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench: timed out waiting for the warm pool')
    await new Promise(resolve => setTimeout(resolve, 1))
  }
}

function frame (): Uint8Array {
  const pixels = new Uint8Array(FRAME_W * FRAME_H * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = 60 + ((i * 2654435761) >>> 25) % 120
  return encodeFrame({ width: FRAME_W, height: FRAME_H, channels: 3, pixels })
}

let nonce = 0

/**
 * The same image with a unique custom section appended: new bytes and hash, so neither
 * the runtime's cache nor V8's per-isolate module cache can serve it (a truly cold boot).
 */
function unique (image: EfImage): EfImage {
  const name = new TextEncoder().encode('ecco-bench-nonce')
  const body = [name.length, ...name, ...new Uint8Array(new Uint32Array([++nonce]).buffer)]
  const bytes = new Uint8Array(image.bytes.length + 2 + body.length)
  bytes.set(image.bytes)
  bytes.set([0, body.length, ...body], image.bytes.length)
  return { manifest: { ...image.manifest, hash: sha256Hex(bytes), size: bytes.length }, bytes }
}

async function coldBoots (runtime: EfRuntime, image: EfImage, n: number, firstCall?: number[]): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const fresh = unique(image)
    const t = performance.now()
    const ef = await runtime.boot(fresh)
    out.push(performance.now() - t)
    if (firstCall != null) {
      if (ef.graph) await ef.steps(1)
      else await ef.invoke(new Uint8Array(0))
      firstCall.push(performance.now() - t)
    }
    await ef.stop()
    await runtime.evict(fresh.manifest.hash)
    await new Promise(resolve => setImmediate(resolve))
  }
  return out
}

async function bootBench (catalogue: Catalogue): Promise<Record<string, unknown>> {
  const runtime = new EfRuntime({}, { idleWorkers: 2 })
  await runtime.start()
  const cold: number[] = []
  const coldFirst: number[] = []
  const perImage: Record<string, Stats> = {}
  for (const image of catalogue.images.values()) {
    await coldBoots(runtime, image, 3) // JIT warm-up of the host side
    const xs = await coldBoots(runtime, image, 25, coldFirst)
    perImage[image.manifest.name] = stats(xs)
    cold.push(...xs)
  }
  await runtime.stop()

  // cold including a fresh worker thread: no idle pool, and the EFs stay up so no worker
  // is recycled
  const bare = new EfRuntime({}, { idleWorkers: 0 })
  await bare.start()
  const spawn: number[] = []
  const image = catalogue.get('black-ice-detector')
  const alive: Sandbox[] = []
  for (let i = 0; i < 12; i++) {
    const t = performance.now()
    alive.push(await bare.boot(unique(image)))
    spawn.push(performance.now() - t)
  }
  await bare.stop()

  const pooled = new EfRuntime({}, { idleWorkers: 2, warmInstances: 1 })
  await pooled.start()
  const warm: number[] = []
  for (let i = 0; i < 60; i++) {
    await until(() => (pooled.stats().warm['black-ice-detector'] ?? 0) >= 1 || i === 0)
    const t = performance.now()
    const ef = await pooled.boot(image)
    const ms = performance.now() - t
    if (i > 0) warm.push(ms)
    await ef.stop()
  }
  await pooled.stop()
  return {
    coldMs: stats(cold),
    coldPerImageMs: perImage,
    coldUntilFirstOutputMs: stats(coldFirst),
    coldWithWorkerSpawnMs: stats(spawn.slice(2)),
    warmMs: stats(warm),
    note: 'cold = seal (hash, imports, layout) + compile of never-seen bytes + fresh shared memory + instantiate on a pre-spawned idle worker; coldWithWorkerSpawn adds starting the worker thread; warm = booted instance taken from the pool; V8 compiles function bodies lazily, so coldUntilFirstOutput adds the first call'
  }
}

async function memoryBench (catalogue: Catalogue): Promise<Record<string, unknown>> {
  const runtime = new EfRuntime({}, { idleWorkers: 0, maxWorkers: 64 })
  await runtime.start()
  const perImage: Record<string, { imageBytes: number, linearMemoryBytes: number, memoryLimitBytes: number }> = {}
  for (const image of catalogue.images.values()) {
    const ef = await runtime.boot(image)
    if (!ef.graph) await ef.invoke(new Uint8Array(0))
    else await ef.steps(10)
    const usage = await ef.usage()
    perImage[image.manifest.name] = { imageBytes: image.bytes.length, linearMemoryBytes: usage.peakMemoryBytes, memoryLimitBytes: usage.memoryLimitBytes }
    await ef.stop()
  }
  // whole-process cost of a running EF (worker thread + V8 isolate + linear memory)
  const n = 16
  const before = process.memoryUsage().rss
  const efs: Sandbox[] = []
  for (let i = 0; i < n; i++) efs.push(await runtime.boot(catalogue.get('black-ice-detector')))
  await Promise.all(efs.map(async ef => ef.invoke(new Uint8Array(0))))
  const rssPerEf = (process.memoryUsage().rss - before) / n
  await runtime.stop()
  return { perImage, rssPerRunningEfBytes: Math.round(rssPerEf), rssSample: n }
}

async function transferBench (catalogue: Catalogue): Promise<Record<string, unknown>> {
  const runtime = new EfRuntime({}, { idleWorkers: 2 })
  await runtime.start()
  const payload = frame()
  // host -> EF: probe in checksum mode (byte 0 = 7) reads the payload in place
  const probe = await runtime.boot(catalogue.get('probe'))
  const hostPayload = payload.slice()
  hostPayload[0] = 7
  const hostToEf: number[] = []
  const roundTrip: number[] = []
  for (let i = 0; i < 220; i++) {
    const t = performance.now()
    await probe.invoke(hostPayload)
    const rt = performance.now() - t
    if (i >= 20) {
      hostToEf.push(Number(probe.lastTransferNs()) / 1000)
      roundTrip.push(rt * 1000)
    }
  }
  // EF -> EF: probe relays (byte 0 = 6) into image-normalise's inbox over the blackboard
  const normalise = await runtime.boot(catalogue.get('image-normalise'))
  await probe.link(normalise)
  const efToEf: number[] = []
  for (let i = 0; i < 220; i++) {
    const done = new Promise(resolve => { normalise.addEventListener('output', resolve, { once: true }) })
    await probe.invoke(payload)
    await done
    if (i >= 20) efToEf.push(Number(normalise.lastTransferNs()) / 1000)
  }
  await runtime.stop()
  return {
    payloadBytes: payload.length,
    hostToEfUs: stats(hostToEf),
    efToEfUs: stats(efToEf),
    invokeRoundTripUs: stats(roundTrip),
    note: 'one-way: from the start of the copy into the receiver inbox (shared WebAssembly memory) to the receiver thread waking on Atomics.notify and seeing it; round trip adds the EF run and the reply'
  }
}

async function normaliseBench (catalogue: Catalogue): Promise<Record<string, unknown>> {
  const runtime = new EfRuntime({}, { idleWorkers: 1 })
  await runtime.start()
  const ef = await runtime.boot(catalogue.get('image-normalise'))
  const input = frame()
  const inside: number[] = []
  const invoke: number[] = []
  const host: number[] = []
  for (let i = 0; i < 120; i++) {
    const t = performance.now()
    const r = await ef.invoke(input)
    if (i >= 20) {
      invoke.push(performance.now() - t)
      inside.push(r.elapsedMs)
    }
  }
  let sink = 0
  for (let i = 0; i < 120; i++) {
    const t = performance.now()
    sink += normaliseFrame(input)[9]
    if (i >= 20) host.push(performance.now() - t)
  }
  await runtime.stop()
  const sandbox = stats(inside)
  const ts = stats(host)
  return {
    frameBytes: input.length,
    sandboxMs: sandbox,
    sandboxInvokeMs: stats(invoke),
    typescriptMs: ts,
    ratioSandboxOverTypescript: Math.round(sandbox.p50 / ts.p50 * 1000) / 1000,
    ratioInvokeOverTypescript: Math.round(stats(invoke).p50 / ts.p50 * 1000) / 1000,
    checksum: sink
  }
}

async function main (): Promise<void> {
  const catalogue = await loadCatalogue({ fixtures: true })
  const efs = await loadCatalogue()
  process.stdout.write('ef bench: boot\n')
  const boot = await bootBench(efs)
  process.stdout.write('ef bench: memory\n')
  const memory = await memoryBench(efs)
  process.stdout.write('ef bench: transfer\n')
  const transfer = await transferBench(catalogue)
  process.stdout.write('ef bench: image-normalise\n')
  const normalise = await normaliseBench(efs)
  const imageSizes = Object.fromEntries([...efs.images.values()].map(i => [i.manifest.name, i.bytes.length]))
  const b = boot as { coldMs: Stats, warmMs: Stats }
  const t = transfer as { hostToEfUs: Stats, efToEfUs: Stats }
  const m = memory as { perImage: Record<string, { linearMemoryBytes: number }>, rssPerRunningEfBytes: number }
  const maxImage = Math.max(...Object.values(imageSizes))
  const maxLinear = Math.max(...Object.values(m.perImage).map(x => x.linearMemoryBytes))
  const result = {
    name: 'ef',
    timestamp: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadavg: os.loadavg(), model: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}`, totalMemBytes: os.totalmem() },
    boot,
    imageBytes: imageSizes,
    memory,
    transfer,
    imageNormalise: normalise,
    targets: {
      warmBootP50Ms: { target: 1, actual: b.warmMs.p50, met: b.warmMs.p50 <= 1, thesis: 'MirageOS on Xen 25-46 ms' },
      coldBootP50Ms: { target: 20, actual: b.coldMs.p50, met: b.coldMs.p50 <= 20, thesis: 'MirageOS on Xen 25-46 ms; Firecracker slower' },
      imageBytesMax: { target: 100 * 1024, actual: maxImage, met: maxImage <= 100 * 1024, thesis: 'about 5 MB unikernel image' },
      linearMemoryPerEfMax: { target: 2 * 1024 * 1024, actual: maxLinear, met: maxLinear <= 2 * 1024 * 1024, thesis: '12-15 MB per unikernel' },
      rssPerRunningEf: { target: 2 * 1024 * 1024, actual: m.rssPerRunningEfBytes, met: m.rssPerRunningEfBytes <= 2 * 1024 * 1024, thesis: '12-15 MB per unikernel', note: 'includes the worker thread and its V8 isolate' },
      hostToEfP50Us: { target: 50, actual: t.hostToEfUs.p50, met: t.hostToEfUs.p50 <= 50, thesis: 'hundreds of µs up to about 1 ms (Xen grant tables)' },
      efToEfP50Us: { target: 50, actual: t.efToEfUs.p50, met: t.efToEfUs.p50 <= 50, thesis: 'hundreds of µs up to about 1 ms (Xen grant tables)' }
    }
  }
  const dir = join(process.cwd(), 'bench', 'results')
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'ef.json'), JSON.stringify(result, null, 2) + '\n')
  process.stdout.write(JSON.stringify(result.targets, null, 2) + '\n')
  process.stdout.write(`image-normalise sandbox/TypeScript ratio: ${(normalise as { ratioSandboxOverTypescript: number }).ratioSandboxOverTypescript}\n`)
}

main().catch((err: Error) => {
  process.stderr.write(`bench ef: ${err.stack ?? err.message}\n`)
  process.exitCode = 1
})
