/**
 * patches/@chainsafe+libp2p-yamux: a Yamux receiver grants credit once half
 * its window is consumed (as go-yamux and rust-yamux do), not with a window
 * update after every frame it reads. Every long-lived stream of small messages
 * (beat vectors above all) sent one frame back per message: a second Noise
 * message, socket write and emulated-link chunk, and a fifth of an idle
 * fleet's CPU. Two real Yamux muxers, piped to each other in memory.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { yamux } from '@chainsafe/libp2p-yamux'
import { defaultLogger } from '@libp2p/logger'
import type { Stream } from '@libp2p/interface'

describe('yamux window updates', () => {
  it('a reader of small messages sends no frame per message, and a bulk writer still never stalls', async () => {
    const factory = yamux()({ logger: defaultLogger() })
    const received: number[] = []
    const readers: Array<Promise<void>> = []
    const listener = factory.createStreamMuxer({
      direction: 'inbound',
      onIncomingStream: (s: Stream) => {
        readers.push((async () => { let n = 0; for await (const c of s.source) n += c.byteLength; received.push(n) })())
      }
    })
    const dialer = factory.createStreamMuxer({ direction: 'outbound' })
    /** frames the listener sends back, by type (byte 1 of the 12-byte header; 1 is a window update) */
    const back = new Map<number, number>()
    void dialer.sink((async function * () {
      for await (const chunk of listener.source) {
        const bytes = chunk.subarray()
        // a chunk is one frame here: a header, and its data if any
        back.set(bytes[1], (back.get(bytes[1]) ?? 0) + 1)
        yield chunk
      }
    })())
    void listener.sink(dialer.source)

    const small = await dialer.newStream()
    await small.sink((async function * () { for (let i = 0; i < 200; i++) yield new Uint8Array(100) })())
    // 2 MB, eight times the initial 256 KB window: only credit lets it through
    const bulk = await dialer.newStream()
    await bulk.sink((async function * () { for (let i = 0; i < 32; i++) yield new Uint8Array(64 * 1024) })())
    await dialer.close()
    await Promise.all(readers)
    assert.deepEqual(received, [200 * 100, 32 * 64 * 1024])
    const updates = back.get(1) ?? 0
    // the streams' acknowledgements and closes, plus a few grants for the bulk stream; it was one per frame read
    assert.ok(updates < 40, `${updates} window updates for 200 small messages and 32 large ones`)
  })
})
