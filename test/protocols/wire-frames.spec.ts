/**
 * A framed message reaches the stream's sink as one chunk. A muxer sends each
 * chunk it is given as its own frame, so a length prefix yielded apart from
 * its message (it-length-prefixed's `encode`) doubled every framed protocol's
 * frames, Noise messages, socket writes and Yamux window updates.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as lp from 'it-length-prefixed'
import { Uint8ArrayList } from 'uint8arraylist'
import { framedWriter } from '../../protocols/index.js'

describe('framed writer', () => {
  it('hands the sink one chunk per message, prefix included', async () => {
    const chunks: Array<Uint8Array | Uint8ArrayList> = []
    const writer = framedWriter({ sink: async (source) => { for await (const c of source) chunks.push(c) } })
    const messages = [new Uint8Array([1, 2, 3]), new Uint8Array(300).fill(7), new Uint8Array(0)]
    for (const m of messages) writer.out.push(m)
    writer.out.end()
    await writer.done
    assert.equal(chunks.length, messages.length)
    const decoded = []
    for await (const f of lp.decode(chunks)) decoded.push(f.subarray())
    assert.deepEqual(decoded, messages)
    assert.equal(writer.unread(), 0)
  })
})
