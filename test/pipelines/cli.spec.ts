/**
 * `ecco-peer pipeline validate` (issue 4 item 2): every validation error is one
 * line naming the file and the path of the bad field, exit code 2.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { runPipeline } from '../../node/cli/pipeline.js'
import { PEER_BIN } from '../helpers/processes.js'

const run = promisify(execFile)

const BASE = `id: demo
execution: automatic
area: { lat: 48.2625, lon: 11.668, radiusM: 5000 }
stages:
  - { name: a, image: black-ice-detector, role: start, input: { source: sensors, intervalMs: 1000 } }
  - { name: b, image: fusion, role: midsection, after: [a] }
  - { name: c, image: hazard-broadcaster, role: finale, after: [b], needs: { radios: [its-g5] } }
`

describe('ecco-peer pipeline validate', () => {
  let dir = ''
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'ecco-cli-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  const check = async (name: string, yaml: string, error: string, path: string): Promise<void> => {
    const file = join(dir, `${name}.yaml`)
    await writeFile(file, yaml)
    await assert.rejects(runPipeline(['validate', file]), (err: Error) => {
      assert.equal(err.name, 'ConfigError')
      assert.ok(err.message.includes(`${error}: ${path}:`), `${name}: ${err.message}`)
      return true
    })
  }

  it('accepts every descriptor in pipelines/', async () => {
    for (const f of ['p1', 'p2', 'p3', 'p4-a', 'p4-b', 'black-ice', 'crash-detection', 'parking']) {
      await runPipeline(['validate', join(process.cwd(), 'pipelines', `${f}.yaml`)])
    }
  })

  it('names the bad field of each broken rule', async () => {
    await check('cycle', BASE.replace('after: [a] }', 'after: [a, c] }').replace('role: finale, after: [b]', 'role: midsection, after: [b]'), 'PipelineCycleError', 'stages[1].after')
    await check('unknown-after', BASE.replace('after: [b]', 'after: [z]'), 'PipelineValidationError', 'stages[2].after[0]')
    await check('roles', BASE.replace('role: midsection', 'role: finale'), 'PipelineValidationError', 'stages[1].role')
    await check('image', BASE.replace('image: fusion', 'image: fusion-9000'), 'UnknownImageError', 'stages[1].image')
    await check('needs', BASE.replace('radios: [its-g5]', 'radios: [carrier-pigeon]'), 'UnmeetableNeedsError', 'stages[2].needs.radios[0]')
    await check('syntax', BASE.replace('execution: automatic', 'execution: automatic\npriority: high'), 'DescriptorSyntaxError', 'priority')
    await writeFile(join(dir, 'yaml.yaml'), 'id: [x')
    await assert.rejects(runPipeline(['validate', join(dir, 'yaml.yaml')]), { name: 'ConfigError', message: /invalid YAML/ })
  })

  it('exits 2 with one line on stderr, 0 with a summary on stdout', async () => {
    const bad = join(dir, 'exit.yaml')
    await writeFile(bad, BASE.replace('after: [b]', 'after: [q]'))
    const err = await run(process.execPath, [PEER_BIN, 'pipeline', 'validate', bad]).then(() => undefined, (e: { code: number, stderr: string }) => e)
    assert.equal(err?.code, 2)
    assert.equal(err?.stderr.trim().split('\n').length, 1)
    assert.match(err?.stderr ?? '', /stages\[2\]\.after\[0\]: unknown stage "q"/)
    const ok = await run(process.execPath, [PEER_BIN, 'pipeline', 'validate', join(process.cwd(), 'pipelines', 'black-ice.yaml')])
    assert.match(ok.stdout, /ok: pipeline black-ice, 3 stages/)
  })

  it('creates issuer keys and signs descriptors', async () => {
    const key = join(dir, 'issuer.key')
    const { stdout } = await run(process.execPath, [PEER_BIN, 'pipeline', 'keygen', '--out', key])
    assert.match(stdout.trim(), /^z[1-9A-HJ-NP-Za-km-z]+$/)
    assert.equal(((await import('node:fs')).statSync(key).mode & 0o777), 0o600)
    const out = join(dir, 'p1.signed')
    await runPipeline(['sign', join(process.cwd(), 'pipelines', 'p1.yaml'), '--key', key, '--out', out])
    assert.ok((await readFile(out)).byteLength > 100)
    await assert.rejects(runPipeline(['sign', join(process.cwd(), 'pipelines', 'p1.yaml'), '--out', out]), { name: 'ConfigError', message: /--key/ })
  })
})
