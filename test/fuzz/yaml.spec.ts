/**
 * Issue 9 item 6 for the text loaders: peer config YAML (with every feature
 * section), pipeline descriptor YAML, sim-net scenario YAML, GPX routes and
 * --route points. Random YAML-ish text, random JSON-like objects dumped as
 * YAML, mutations of the real files, deep nesting and alias bombs: each
 * loader returns a value or throws its documented typed error, quickly.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { stringify } from 'yaml'
import { parseDescriptorYaml, validateDescriptor } from '../../protocols/index.js'
import { parseScenario } from '../../sim-net/index.js'
import { applyLayer, defaultConfig, parseConfigText } from '../../node/config/parse.js'
import { CONFIG_SECTIONS } from '../../node/config/sections.js'
import { parseGpx, parseRoutePoints } from '../../node/vehicle/route.js'
import { holds, params } from './harness.js'

const ROOT = process.cwd()
/** a ~1 MB document on a loaded 2-core machine */
const HUGE_DOCUMENT_MS = 5000
/** alias bombs and 5000-deep nesting (the parser recurses until its stack overflows) */
const HOSTILE_STRUCTURE_MS = 1000
const filesIn = (dir: string): string[] => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(join(ROOT, dir, f), 'utf8'))

const CONFIG = `name: gantry-3
position: { lat: 48.1, lon: 11.6 }
tier: 2
sensors: [{ type: camera, id: cam0 }, { type: air-temperature, unit: C }]
radios: [its-g5, { type: lte-v2x, rangeM: 800 }]
capacity: { cpuCores: 8, memoryMb: 16384, accelerator: tpu, maxEdgeFunctions: 32 }
listen: [/ip4/0.0.0.0/tcp/4001]
heartbeatMs: 250
http: 9100
`

export const PIPELINE_ERRORS = ['DescriptorSyntaxError', 'PipelineValidationError', 'PipelineCycleError', 'UnknownImageError', 'UnmeetableNeedsError']

export function loadConfig (text: string): unknown {
  return applyLayer(defaultConfig('/tmp/fuzz'), parseConfigText(text, 'peer.yaml'), 'peer.yaml')
}

export function loadDescriptor (text: string): unknown {
  const d = parseDescriptorYaml(text, 'fuzz.yaml', { now: 1_000_000 })
  validateDescriptor(d)
  return d
}

export function loadScenario (text: string): unknown {
  return parseScenario(text)
}

/** The names each loader may throw. */
export const LOADERS: Array<{ name: string, load: (text: string) => unknown, allowed: string[], valid: () => string[] }> = [
  { name: 'peer config', load: loadConfig, allowed: ['ConfigError'], valid: () => [CONFIG] },
  { name: 'pipeline descriptor', load: loadDescriptor, allowed: PIPELINE_ERRORS, valid: () => filesIn('pipelines') },
  { name: 'sim-net scenario', load: loadScenario, allowed: ['ScenarioError'], valid: () => filesIn('sim-net/scenarios') }
]

/** Text mutations at line granularity (YAML structure) and character granularity. */
const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(': ', '- ', '&a ', '*a', '!!binary ', '!!js/function ', '[', '{', '"', '\'', '\t', '\n', '#', '---\n', '<<: *a\n', '~', '1e999', '-0x1p-1074', '? ', '%YAML 1.1\n', '\u0000', '\ud800', '__proto__: { polluted: 1 }\n') }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('number' as const), at: fc.nat(), value: fc.constantFrom('-1', '0', '1e308', 'NaN', '.inf', '-.inf', '99999999999999999999', '0.5', 'null', 'true', '[]', '{}', '""', '&z [ *z ]', '&z { a: *z }', '&z { lat: *z, lon: 1 }') })
)
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never

function mutateText (text: string, m: TextMutation): string {
  const lines = text.split('\n')
  const i = m.at % Math.max(1, lines.length)
  switch (m.kind) {
    case 'drop-line': lines.splice(i, 1); return lines.join('\n')
    case 'dup-line': lines.splice(i, 0, lines[i] ?? ''); return lines.join('\n')
    case 'indent': lines[i] = m.by >= 0 ? ' '.repeat(m.by) + (lines[i] ?? '') : (lines[i] ?? '').slice(-m.by); return lines.join('\n')
    case 'insert': { const at = m.at % (text.length + 1); return text.slice(0, at) + m.text + text.slice(at) }
    case 'cut': return text.slice(0, m.at % (text.length + 1))
    case 'number': {
      // replace the value of one `key: value` line
      const line = lines[i] ?? ''
      const c = line.indexOf(': ')
      if (c >= 0) lines[i] = line.slice(0, c + 2) + m.value
      return lines.join('\n')
    }
  }
}

const yamlTokens = fc.array(fc.constantFrom('a', 'b', 'name', 'stages', 'nodes', 'position', ':', ': ', '- ', '\n', '  ', '[', ']', '{', '}', ',', '&x', '*x', '!!str', '"', '1', '-1.5', 'true', '~', '#c', '|\n', '>\n', '---', '...', '? ', '<<'), { maxLength: 60 }).map((t) => t.join(''))

/** JSON-like objects keyed by the loaders' real field names, dumped as YAML. */
const KEYS = ['name', 'position', 'lat', 'lon', 'tier', 'sensors', 'radios', 'capacity', 'listen', 'bootstrap', 'hazards', 'nimbus', 'pipelines', 'checkpoints',
  'id', 'priority', 'area', 'radiusM', 'stages', 'image', 'role', 'after', 'input', 'output', 'needs', 'replicas', 'window', 'deadline',
  'seed', 'duration', 'roads', 'path', 'nodes', 'count', 'road', 'links', 'events', 'vehicles', 'at', 'kind', 'type', '__proto__', 'constructor']
const jsonLike = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null), fc.constantFrom('1s', '500ms', 'start', 'finale', 'sensors', 'camera', 'its-g5')),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 6 }))
})).v

describe('fuzz: YAML loaders', () => {
  // hostile YAML makes the yaml package print a warning per odd tag or directive: keep the test output readable
  const emitWarning = process.emitWarning
  before(() => { process.emitWarning = () => {} })
  after(() => { process.emitWarning = emitWarning })

  LOADERS.forEach(({ name, load, allowed, valid }, n) => {
    const texts = fc.constantFrom(...valid())
    it(`${name}: mutated real files`, () => {
      const arb = fc.tuple(texts, fc.array(textMutation, { minLength: 1, maxLength: 4 })).map(([t, ms]) => ms.reduce(mutateText, t))
      fc.assert(fc.property(arb, holds(name, load, allowed)), params(9200 + 10 * n, 200))
    })
    it(`${name}: random YAML-ish text`, () => {
      fc.assert(fc.property(fc.oneof(yamlTokens, fc.string({ maxLength: 200 })), holds(name, load, allowed)), params(9201 + 10 * n, 300))
    })
    it(`${name}: random JSON-like objects`, () => {
      fc.assert(fc.property(jsonLike.map((v) => stringify(v)), holds(name, load, allowed)), params(9202 + 10 * n, 300))
    })
    it(`${name}: alias bomb, deep nesting, self-reference, huge document`, () => {
      const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
      for (let i = 1; i < 10; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`)
      const hostile = [
        laughs.join('\n'),
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        `${'{a: '.repeat(5000)}1${'}'.repeat(5000)}`,
        Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}- `).join('\n'),
        'name: &x [ *x ]\ntier: &y { a: *y }\nstages: &s [ *s ]\nnodes: &n [ *n ]\nid: &i [ *i ]\nposition: &p { lat: *p }'
      ]
      // recursion until the stack overflows costs a few hundred ms, once: bounded, not a hang
      for (const text of hostile) holds(`${name} (hostile)`, load, allowed, HOSTILE_STRUCTURE_MS)(text)
      // 150 000 list items (about 1 MB): linear, so bounded by its size rather than the per-decode bound
      const huge = `sensors: [${Array(50_000).fill('camera').join(', ')}]\nstages: [${Array(50_000).fill('{}').join(', ')}]\nnodes: [${Array(50_000).fill('{}').join(', ')}]`
      holds(`${name} (1 MB)`, load, allowed, HUGE_DOCUMENT_MS)(huge)
    })
  })

  it('self-referencing aliases under every field name', () => {
    const arb = fc.tuple(fc.constantFrom(...KEYS), fc.option(fc.constantFrom(...KEYS), { nil: undefined }), fc.constantFrom('&z [ *z ]', '&z { a: *z }', '&z { lat: *z, lon: 1 }'))
      .map(([k1, k2, v]) => k2 === undefined ? `${k1}: ${v}\n` : `${k1}: { ${k2}: ${v} }\n`)
    LOADERS.forEach(({ name, load, allowed }, n) => {
      fc.assert(fc.property(arb, holds(`${name} (self-reference)`, load, allowed)), params(9240 + n, 300))
    })
  })

  it('each config section parser: random JSON-like values', () => {
    for (const [key, parse] of Object.entries(CONFIG_SECTIONS)) {
      fc.assert(fc.property(jsonLike, holds(`section ${key}`, (v) => parse(v, key), ['ConfigError'])), params(9250, 300))
    }
  })

  it('GPX routes', () => {
    const gpx = '<?xml version="1.0"?><gpx version="1.1"><trk><trkseg><trkpt lat="48.26" lon="11.66"></trkpt><trkpt lat=\'48.27\' lon="11.67"/></trkseg></trk></gpx>'
    const arb = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.tuple(fc.constant(gpx), fc.array(textMutation, { minLength: 1, maxLength: 4 })).map(([t, ms]) => ms.reduce(mutateText, t)),
      fc.array(fc.constantFrom('<trkpt ', '<rtept ', '<wpt ', 'lat="', 'lon="', '"', '\'', '>', '/>', '1e999', '-91', 'NaN', '48.2', ' '), { maxLength: 80 }).map((t) => t.join(''))
    )
    fc.assert(fc.property(arb, holds('parseGpx', parseGpx, ['ConfigError'])), params(9260, 500))
    // a huge track with no closing quote must stay linear
    holds('parseGpx (huge)', parseGpx, ['ConfigError'])(`<trkpt lat="${'4'.repeat(1_000_000)}`)
    holds('parseGpx (many)', parseGpx, ['ConfigError'])('<trkpt lat="1" lon="2"/>'.repeat(50_000))
  })

  it('--route points', () => {
    const arb = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.constantFrom('48.1', ',', ';', '|', ' ', '11.6', '-', '1e999', 'NaN', '0x10', ''), { maxLength: 60 }).map((t) => t.join('')))
    fc.assert(fc.property(arb, holds('parseRoutePoints', parseRoutePoints, ['ConfigError'])), params(9270, 500))
  })
})
