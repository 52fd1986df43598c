/**
 * Child process for the kill -9 test in store.spec.ts: writes batches of 20 keys that must
 * land together (a0..a9, b0..b9 all set to the batch number), printing each saved batch
 * number, until the parent kills it.
 */
import { Level } from 'level'
import { createCrdtStore, createHybridLogicalClock, createLwwMap } from '../../crdt/index.js'

const dir = process.argv[2]
if (dir === undefined) throw new Error('usage: crash-writer <level dir>')
const level = new Level(dir)
const db = level.sublevel<string, Uint8Array>('crdt', { valueEncoding: 'view' })
const map = createLwwMap({ clock: createHybridLogicalClock({ nodeId: 'writer' }) })
const store = createCrdtStore({ db })
await store.load('pairs', map)
for (let i = 1; ; i++) {
  const value = new TextEncoder().encode(String(i))
  for (let j = 0; j < 10; j++) {
    map.set(`a${j}`, value)
    map.set(`b${j}`, value)
  }
  await store.save('pairs', map)
  process.stdout.write(`${i}\n`)
}
