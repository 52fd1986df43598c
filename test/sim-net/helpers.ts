/**
 * Real libp2p peers on loopback for link emulator tests: TCP wrapped by the
 * emulator, Noise, Yamux, and two small test protocols (echo, drain).
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import type { LinkEmulator } from '../../sim-net/index.js'
import type { Stream } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

export const ECHO = '/sim-test/echo/1.0.0'
export const DRAIN = '/sim-test/drain/1.0.0'

export interface TestPeer {
  name: string
  node: Libp2p
  /** arrival times (performance.now) of chunks received on DRAIN streams, with sizes */
  drained: Array<{ t: number, bytes: number }>
}

export async function createTestPeer (name: string, emu: LinkEmulator): Promise<TestPeer> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [emu.transportFor(name)(tcp())],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  const peer: TestPeer = { name, node, drained: [] }
  await node.handle(ECHO, ({ stream }) => { void stream.sink(stream.source).catch(() => {}) })
  await node.handle(DRAIN, ({ stream }) => {
    void (async () => {
      for await (const chunk of stream.source) peer.drained.push({ t: performance.now(), bytes: chunk.byteLength })
    })().catch(() => {})
  })
  emu.register(name, node.getMultiaddrs().map(String))
  return peer
}

/** A writable source for a stream sink: push chunks, end when done. */
export class Feeder {
  private readonly items: Uint8Array[] = []
  private done = false
  private wake: (() => void) | undefined

  push (b: Uint8Array): void { this.items.push(b); this.wake?.() }
  end (): void { this.done = true; this.wake?.() }

  async * source (): AsyncGenerator<Uint8Array> {
    while (true) {
      const b = this.items.shift()
      if (b !== undefined) { yield b; continue }
      if (this.done) return
      await new Promise<void>(resolve => { this.wake = resolve })
      this.wake = undefined
    }
  }
}

/** Round trips over one echo stream: each call writes `size` bytes and waits for them to come back. */
export class EchoClient {
  private readonly feeder = new Feeder()
  private readonly reader: AsyncIterator<{ byteLength: number }>
  private readonly stream: Stream

  constructor (stream: Stream) {
    this.stream = stream
    void stream.sink(this.feeder.source()).catch(() => {})
    this.reader = stream.source[Symbol.asyncIterator]()
  }

  async roundTrip (size = 32): Promise<number> {
    const start = performance.now()
    this.feeder.push(new Uint8Array(size).fill(7))
    let got = 0
    while (got < size) {
      const r = await this.reader.next()
      if (r.done === true) throw new Error('echo stream ended')
      got += r.value.byteLength
    }
    return performance.now() - start
  }

  async close (): Promise<void> {
    this.feeder.end()
    await this.stream.close().catch(() => {})
  }
}

export async function openEcho (from: TestPeer, to: TestPeer): Promise<EchoClient> {
  const stream = await from.node.dialProtocol(to.node.getMultiaddrs()[0], ECHO)
  return new EchoClient(stream)
}

export function mean (xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}

export function stdev (xs: readonly number[]): number {
  const m = mean(xs)
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1))
}

export function quantile (xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo)
}

/** Median: robust to the odd round trip stretched by another process on this shared machine. */
export function median (xs: readonly number[]): number {
  return quantile(xs, 0.5)
}

/** Standard deviation estimated from the interquartile range (normal data), robust to outliers. */
export function robustSd (xs: readonly number[]): number {
  return (quantile(xs, 0.75) - quantile(xs, 0.25)) / 1.349
}

/** Polls `cond` until it holds or the deadline passes. */
export async function waitFor (cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}
