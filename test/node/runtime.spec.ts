/**
 * Process tuning for threads that host peers (node/runtime.ts): the
 * small-Buffer pool is per thread, so a shard sets its own.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { describe, it } from 'node:test'
import { Worker } from 'node:worker_threads'
import { BUFFER_POOL_BYTES } from '../../node/runtime.js'

/** the slab a small Buffer is cut from, once the pool in use when tuned has run out */
const PROBE = `
  const { tuneBufferPool } = await import(${JSON.stringify(new URL('../../node/runtime.js', import.meta.url).href)})
  const { parentPort } = await import('node:worker_threads')
  const before = Buffer.poolSize
  tuneBufferPool()
  let b = Buffer.allocUnsafe(16)
  for (let i = 0; i < 8192 && b.buffer.byteLength !== Buffer.poolSize; i++) b = Buffer.allocUnsafe(16)
  parentPort.postMessage({ before, after: Buffer.poolSize, slab: b.buffer.byteLength })
`

describe('node runtime tuning', () => {
  it('tuneBufferPool cuts small Buffers from 8 KB slabs in the calling thread only', async () => {
    const mainPool = Buffer.poolSize
    const worker = new Worker(PROBE, { eval: true })
    const [r] = await once(worker, 'message') as [{ before: number, after: number, slab: number }]
    await worker.terminate()
    assert.equal(r.after, BUFFER_POOL_BYTES)
    assert.equal(r.slab, BUFFER_POOL_BYTES, 'a small Buffer pins an 8 KB slab, not a 64 KB one')
    assert.equal(Buffer.poolSize, mainPool, 'the test thread keeps its own pool')
  })
})
