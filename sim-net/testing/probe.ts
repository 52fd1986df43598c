/**
 * A link probe: two libp2p peers joined through the emulator that time
 * echo round trips over one stream. Benchmarks run it next to a scenario's
 * peers to measure, from the outside, how well emulated delays hold under
 * load. Its link is the scenario's `default` class (the probe nodes match
 * no class rule).
 */
import { TIMED_OUT, within } from '../../protocols/index.js'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { Feed } from './feed.js'
import type { LinkEmulator } from '../link/emulator.js'
import type { Stream } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

export const PROBE_PROTOCOL = '/sim-net/probe-echo/1.0.0'

export interface LinkProbe {
  /** one round trip of `size` bytes; resolves with the time in ms */
  roundTrip: (size?: number) => Promise<number>
  /**
   * Round trips every `intervalMs` for `durationMs`. One still out when the
   * window ends is not waited for: a caller's window has a deadline.
   */
  sample: (durationMs: number, intervalMs: number) => Promise<{ rtts: number[], errors: number }>
  stop: () => Promise<void>
}

async function probeNode (name: string, emulator: LinkEmulator): Promise<Libp2p> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [emulator.transportFor(name)(tcp())],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  await node.handle(PROBE_PROTOCOL, ({ stream }) => { void stream.sink(stream.source).catch(() => {}) })
  emulator.register(name, node.getMultiaddrs().map(String))
  return node
}

export async function createLinkProbe (emulator: LinkEmulator, names: [string, string] = ['probe-a', 'probe-b']): Promise<LinkProbe> {
  const a = await probeNode(names[0], emulator)
  const b = await probeNode(names[1], emulator)
  let session: { feed: Feed, reader: AsyncIterator<{ byteLength: number }> } | undefined
  const open = async (): Promise<{ feed: Feed, reader: AsyncIterator<{ byteLength: number }> }> => {
    const stream: Stream = await a.dialProtocol(b.getMultiaddrs()[0], PROBE_PROTOCOL)
    const feed = new Feed()
    void stream.sink(feed.source()).catch(() => {})
    return { feed, reader: stream.source[Symbol.asyncIterator]() }
  }
  const once = async (size: number): Promise<number> => {
    session ??= await open()
    const { feed, reader } = session
    const start = performance.now()
    feed.push(new Uint8Array(size))
    for (let got = 0; got < size;) {
      const r = await reader.next()
      if (r.done === true) { session = undefined; throw new Error('probe stream ended') }
      got += r.value.byteLength
    }
    return performance.now() - start
  }
  const roundTrip = async (size = 32): Promise<number> => {
    // a stream the connection manager closed while idle is reopened once
    try { return await once(size) } catch { session = undefined; return await once(size) }
  }
  return {
    roundTrip,
    sample: async (durationMs, intervalMs) => {
      const rtts: number[] = []
      let errors = 0
      const end = performance.now() + durationMs
      while (performance.now() < end) {
        const rtt = await within(roundTrip().catch(() => undefined), end - performance.now() + intervalMs)
        if (rtt === TIMED_OUT) break
        if (rtt === undefined) errors++
        else rtts.push(rtt)
        await new Promise(resolve => setTimeout(resolve, intervalMs))
      }
      return { rtts, errors }
    },
    stop: async () => {
      session?.feed.end()
      await Promise.all([a.stop(), b.stop()])
    }
  }
}
