import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Level } from 'level'
import {
  compareTimestamps, createCrdtStore, createHybridLogicalClock, createLwwMap, createLwwRegister, createMaxMap,
  createMaxRegister, createOrSet
} from '../../crdt/index.js'
import { ManualTime, T0 } from './utils.js'
import type { CrdtDatabase, HybridLogicalClock } from '../../crdt/index.js'

const bytes = (n: number): Uint8Array => Uint8Array.of(n)

/** A real Level in a temp dir, opened the way the peer does: a Uint8Array-valued 'crdt' sublevel. */
class TempLevel {
  level!: Level

  constructor (readonly dir: string) {}

  async open (): Promise<CrdtDatabase> {
    this.level = new Level(this.dir)
    await this.level.open()
    // no cast: the sublevel must satisfy CrdtDatabase as it is
    return this.level.sublevel<string, Uint8Array>('crdt', { valueEncoding: 'view' })
  }

  async close (): Promise<void> {
    await this.level.close()
  }
}

function clockAt (time: ManualTime, node = 'a'): HybridLogicalClock {
  return createHybridLogicalClock({ nodeId: node }, { now: time.now })
}

describe('CrdtStore (real LevelDB)', () => {
  let dir: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecco-crdt-'))
  })

  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('persists an LWW map and reloads it after reopen; the clock moves past the stored stamps', async () => {
    const tl = new TempLevel(join(dir, 'lww'))
    const time = new ManualTime()
    const map = createLwwMap({ clock: clockAt(time) })
    let store = createCrdtStore({ db: await tl.open() })
    map.set('peer-1', bytes(1))
    map.set('peer-2', bytes(2))
    map.delete('peer-2')
    assert.equal(await store.save('registry', map), 2)
    map.set('peer-3', bytes(3))
    assert.equal(await store.save('registry', map), 1, 'only the changed record is written')
    assert.equal(await store.save('registry', map), 0)
    const stamp3 = map.entry('peer-3')?.stamp
    await tl.close()

    // restart with a physical clock ten minutes behind: loading is trusted, so nothing is rejected
    const later = new ManualTime(T0 - 600_000)
    const reloaded = createLwwMap({ clock: clockAt(later) })
    store = createCrdtStore({ db: await tl.open() })
    assert.equal(await store.load('registry', reloaded), 3)
    assert.equal(reloaded.digest(), map.digest())
    assert.deepEqual(reloaded.get('peer-3'), bytes(3))
    assert.equal(reloaded.has('peer-2'), false)
    assert.deepEqual(reloaded.dirtyKeys(), [], 'loaded records are not rewritten')
    const next = reloaded.set('peer-3', bytes(4)).entries[0].stamp
    assert.ok(stamp3 !== undefined && compareTimestamps(next, stamp3) > 0, 'a write after restart wins over the stored one')
    await tl.close()
  })

  it('keeps several documents apart and reloads each type', async () => {
    const tl = new TempLevel(join(dir, 'many'))
    const time = new ManualTime()
    const store = createCrdtStore({ db: await tl.open() })
    const orSet = createOrSet({ clock: clockAt(time) })
    const maxMap = createMaxMap()
    const reg = createLwwRegister({ clock: clockAt(time) })
    const maxReg = createMaxRegister()
    orSet.add('revoked-1')
    orSet.add('revoked-2', { ttlMs: 5000 })
    orSet.remove('revoked-1')
    maxMap.raise('ef-a', { epoch: 2, seq: 7 })
    reg.set(bytes(42))
    maxReg.raise(9)
    await store.save('revocations', orSet)
    await store.save('epochs', maxMap)
    await store.save('reg', reg)
    await store.save('fence', maxReg)
    await tl.close()

    const store2 = createCrdtStore({ db: await tl.open() })
    const docs = {
      revocations: createOrSet({ clock: clockAt(time, 'b') }),
      epochs: createMaxMap(),
      reg: createLwwRegister({ clock: clockAt(time, 'b') }),
      fence: createMaxRegister()
    }
    for (const [name, doc] of Object.entries(docs)) await store2.load(name, doc)
    assert.equal(docs.revocations.digest(), orSet.digest())
    assert.deepEqual(docs.revocations.values(), ['revoked-2'])
    assert.equal(docs.epochs.digest(), maxMap.digest())
    assert.deepEqual(docs.reg.get(), bytes(42))
    assert.deepEqual(docs.fence.get(), { epoch: 9, seq: 0 })
    await tl.close()
  })

  it('gc deletes the records it drops', async () => {
    const tl = new TempLevel(join(dir, 'gc'))
    const time = new ManualTime()
    const store = createCrdtStore({ db: await tl.open() })
    const map = createLwwMap({ clock: clockAt(time) }, { tombstoneGraceMs: 1000 })
    const set = createOrSet({ clock: clockAt(time) }, { defaultTtlMs: 500 })
    map.set('x', bytes(1))
    map.delete('x')
    set.add('cert')
    await store.save('m', map)
    await store.save('s', set)
    time.advance(1000)
    assert.deepEqual(map.gc(), ['x'])
    assert.deepEqual(set.gc(), { expired: 1, purged: 0 })
    assert.equal(await store.save('m', map), 1)
    assert.equal(await store.save('s', set), 1)
    await tl.close()
    const store2 = createCrdtStore({ db: await tl.open() })
    assert.equal(await store2.load('m', createLwwMap({ clock: clockAt(time) })), 0)
    assert.equal(await store2.load('s', createOrSet({ clock: clockAt(time) })), 0)
    await tl.close()
  })

  it('a failed write keeps the changes dirty, so the next save writes them', async () => {
    const tl = new TempLevel(join(dir, 'fail'))
    const time = new ManualTime()
    const map = createLwwMap({ clock: clockAt(time) })
    const store = createCrdtStore({ db: await tl.open() })
    await tl.close()
    map.set('k', bytes(7))
    await assert.rejects(store.save('registry', map), { name: 'CrdtStoreError' })
    assert.deepEqual(map.dirtyKeys(), ['k'])
    const store2 = createCrdtStore({ db: await tl.open() })
    assert.equal(await store2.save('registry', map), 1)
    const reloaded = createLwwMap({ clock: clockAt(time) })
    await store2.load('registry', reloaded)
    assert.deepEqual(reloaded.get('k'), bytes(7))
    await tl.close()
  })

  it('rejects bad document names and reports a corrupt record by key', async () => {
    const tl = new TempLevel(join(dir, 'bad'))
    const db = await tl.open()
    const store = createCrdtStore({ db })
    const map = createLwwMap({ clock: clockAt(new ManualTime()) })
    await assert.rejects(store.save('a/b', map), { name: 'InvalidCrdtArgumentError' })
    await assert.rejects(store.load('', map), { name: 'InvalidCrdtArgumentError' })
    await db.batch([{ type: 'put', key: 'registry/x', value: Uint8Array.of(1, 2, 3) }])
    await assert.rejects(store.load('registry', map), (err: Error) => {
      assert.equal(err.name, 'CrdtStoreError')
      assert.match(err.message, /record "registry\/x" of document "registry" is invalid/)
      return true
    })
    await store.clear('registry')
    assert.equal(await store.load('registry', map), 0)
    await tl.close()
  })

  it('survives kill -9 mid-write: every batch is all or nothing', async () => {
    const levelDir = join(dir, 'crash')
    const writer = fileURLToPath(new URL('./crash-writer.js', import.meta.url))
    const child = spawn(process.execPath, [writer, levelDir], { stdio: ['ignore', 'pipe', 'inherit'] })
    let acknowledged = 0
    const exited = new Promise<void>(resolve => child.once('exit', () => { resolve() }))
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => { reject(new Error(`writer acknowledged only ${acknowledged} batches in 15 s`)) }, 15_000)
      child.stdout.setEncoding('utf8')
      child.stdout.on('data', (chunk: string) => {
        const lines = chunk.trim().split('\n')
        acknowledged = Number(lines[lines.length - 1])
        if (acknowledged >= 40) {
          clearTimeout(deadline)
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.once('exit', code => { if (acknowledged < 40) { clearTimeout(deadline); reject(new Error(`writer exited early with ${String(code)}`)) } })
    })
    await exited

    const tl = new TempLevel(levelDir)
    const map = createLwwMap({ clock: createHybridLogicalClock({ nodeId: 'reader' }) })
    await createCrdtStore({ db: await tl.open() }).load('pairs', map)
    const values = new Set([...map.entries()].map(([, v]) => new TextDecoder().decode(v)))
    assert.equal(map.size, 20)
    assert.equal(values.size, 1, `keys from different batches: ${[...values].join(',')}`)
    assert.ok(Number([...values][0]) >= acknowledged, 'every acknowledged batch is on disk')
    await tl.close()
  })
})
