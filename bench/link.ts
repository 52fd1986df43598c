/**
 * bench:link — what sim-net's link pipe (sim-net/link/pipe.ts) costs and how
 * exactly it keeps a delay, apart from any libp2p stack: `connections` shaped
 * pipes on this thread, each writing a 100-byte chunk every `periodMs` on
 * average (uniformly 0.5-1.5x) into a 5 ms link. Reports the thread's CPU,
 * the share of chunks delivered within max(1 ms, 10%) of their time (bench:sim's
 * "on time"), and lateness quantiles; once on an idle loop, once with the loop
 * blocked 5 ms in every 50 (a host busy with other work).
 *
 * Env: LINK_BENCH_SECONDS (default 10).
 */
import { onTime, ShapedPipe } from '../sim-net/index.js'
import { percentile, writeResults } from './results.js'

const DELAY_MS = 5
const SECONDS = Number(process.env.LINK_BENCH_SECONDS ?? 10)
const CASES = [
  { connections: 500, periodMs: 100, busyMs: 0 },
  { connections: 500, periodMs: 20, busyMs: 0 },
  { connections: 500, periodMs: 100, busyMs: 5 }
]

async function * writer (periodMs: number, until: number): AsyncGenerator<Uint8Array> {
  while (performance.now() < until) {
    await new Promise(resolve => setTimeout(resolve, periodMs * (0.5 + Math.random())))
    yield new Uint8Array(100)
  }
}

async function run (c: typeof CASES[number]): Promise<Record<string, number>> {
  const lateness: number[] = []
  let within = 0
  const until = performance.now() + SECONDS * 1000
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const blocker = c.busyMs > 0
    ? setInterval(() => { const t = performance.now(); while (performance.now() - t < c.busyMs) { /* the host's other work */ } }, 50)
    : undefined
  await Promise.all(Array.from({ length: c.connections }, async () => {
    const pipe = new ShapedPipe({
      now: () => performance.now(),
      schedule: () => performance.now() + DELAY_MS,
      maxQueuedBytes: 1 << 20,
      delivered: (_bytes, scheduled, actual) => {
        const late = actual - scheduled
        lateness.push(late)
        if (onTime(late, DELAY_MS)) within++
      }
    })
    for await (const _ of pipe.run(writer(c.periodMs, until))) { /* the reader takes each chunk at once */ }
  }))
  clearInterval(blocker)
  const cpu = process.cpuUsage(cpu0)
  const wallMs = performance.now() - t0
  return {
    ...c,
    chunksPerSecond: lateness.length / (wallMs / 1000),
    cpuPercent: 100 * (cpu.user + cpu.system) / 1000 / wallMs,
    onTime: within / lateness.length,
    latenessP01Ms: percentile(lateness, 1),
    latenessP50Ms: percentile(lateness, 50),
    latenessP99Ms: percentile(lateness, 99)
  }
}

const cases: Array<Record<string, number>> = []
for (const c of CASES) {
  const r = await run(c)
  cases.push(r)
  process.stdout.write(`${c.connections} pipes, a chunk every ~${c.periodMs} ms each${c.busyMs > 0 ? `, loop blocked ${c.busyMs} ms in 50` : ''}: ${r.chunksPerSecond.toFixed(0)} chunks/s, cpu ${r.cpuPercent.toFixed(0)}%, on time ${(100 * r.onTime).toFixed(1)}%, lateness p01 ${r.latenessP01Ms.toFixed(2)} / p50 ${r.latenessP50Ms.toFixed(2)} / p99 ${r.latenessP99Ms.toFixed(2)} ms\n`)
}
const file = await writeResults('link', { delayMs: DELAY_MS, seconds: SECONDS, cases })
process.stdout.write(`wrote ${file}\n`)
