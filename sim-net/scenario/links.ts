/**
 * `links:` — a default link, named link classes, rules choosing a class by
 * the two ends' tiers and distance, per-pair overrides, and an optional RTT
 * matrix (e.g. the Seattle data in ../shared/data/nimbus/rtt_matrices).
 */
import { resolve } from 'node:path'
import { DEFAULT_LINK } from '../constants.js'
import { NAME_RE, NAME_TEXT, readLinkParams, resolveFile, resolveGroup, resolveSelector, LINK_FIELDS } from './common.js'
import { fail, join, optNumber, readEnum, readList, readMap, readNumber, readObject, readString } from './fields.js'
import type { Ctx } from './common.js'
import type { LinkClassRule, LinkPair, RttMatrixSpec, ScenarioLinks } from './schema.js'
import type { LinkParams, Tier } from '../types.js'

const TIERS: readonly Tier[] = [1, 2, 3]

function readParamsObject (v: unknown, path: string, base: LinkParams): LinkParams {
  const o = readObject(v, path, LINK_FIELDS)
  return readLinkParams(o, path, base)
}

function readRules (v: unknown, path: string, classes: Record<string, LinkParams>): LinkClassRule[] {
  if (v === undefined) return []
  return readList(v, path).map((raw, i) => {
    const p = join(path, i)
    const o = readObject(raw, p, ['class', 'tiers', 'maxDistanceM'])
    const cls = readString(o.class, join(p, 'class'))
    if (classes[cls] === undefined && cls !== 'default') fail(join(p, 'class'), `unknown link class "${cls}" (declared: ${['default', ...Object.keys(classes)].join(', ')})`)
    const rule: LinkClassRule = { class: cls }
    if (o.tiers !== undefined) {
      const t = readList(o.tiers, join(p, 'tiers'))
      if (t.length !== 2) fail(join(p, 'tiers'), `must be a pair of tiers like [1, 2], got a list of ${t.length}`)
      rule.tiers = [readEnum(t[0], join(p, 'tiers[0]'), TIERS), readEnum(t[1], join(p, 'tiers[1]'), TIERS)]
    }
    if (o.maxDistanceM !== undefined) rule.maxDistanceM = readNumber(o.maxDistanceM, join(p, 'maxDistanceM'), { min: 0 })
    return rule
  })
}

function readPairs (v: unknown, path: string, dflt: LinkParams, ctx: Ctx): LinkPair[] {
  if (v === undefined) return []
  return readList(v, path).map((raw, i) => {
    const p = join(path, i)
    const o = readObject(raw, p, ['between', ...LINK_FIELDS])
    const b = readList(o.between, join(p, 'between'))
    if (b.length !== 2) fail(join(p, 'between'), `must name two nodes, got ${b.length}`)
    const a = resolveSelector(b[0], join(p, 'between[0]'), ctx.names)
    const c = resolveSelector(b[1], join(p, 'between[1]'), ctx.names)
    if (a.length !== 1 || c.length !== 1) fail(join(p, 'between'), 'must name two single nodes (no globs)')
    if (a[0] === c[0]) fail(join(p, 'between'), `a link needs two different nodes, got "${a[0]}" twice`)
    return { between: [a[0], c[0]], params: readLinkParams(o, p, dflt) }
  })
}

function readRttMatrix (v: unknown, path: string, ctx: Ctx): RttMatrixSpec | undefined {
  if (v === undefined) return undefined
  const o = readObject(v, path, ['file', 'unit', 'nodes', 'offset', 'minRttMs'])
  const file = resolveFile(readString(o.file, join(path, 'file')), ctx, resolve)
  return {
    file,
    unit: o.unit === undefined ? 's' : readEnum(o.unit, join(path, 'unit'), ['s', 'ms'] as const),
    nodes: o.nodes === undefined ? [...ctx.names] : resolveGroup(o.nodes, join(path, 'nodes'), ctx.names),
    offset: optNumber(o.offset, join(path, 'offset'), { min: 0, integer: true }, 0),
    minRttMs: optNumber(o.minRttMs, join(path, 'minRttMs'), { min: 0 }, 1)
  }
}

export function readLinks (v: unknown, ctx: Ctx): ScenarioLinks {
  if (v === undefined) return { default: { ...DEFAULT_LINK }, classes: {}, rules: [], pairs: [] }
  const o = readObject(v, 'links', ['default', 'classes', 'rules', 'pairs', 'rttMatrix'])
  const dflt = o.default === undefined ? { ...DEFAULT_LINK } : readParamsObject(o.default, 'links.default', DEFAULT_LINK)
  const classes: Record<string, LinkParams> = {}
  if (o.classes !== undefined) {
    const c = readMap(o.classes, 'links.classes')
    for (const [name, params] of Object.entries(c)) {
      const p = join('links.classes', name)
      if (!NAME_RE.test(name) || name === 'default' || name === 'pair' || name === 'rtt-matrix') fail(p, `class name must be ${NAME_TEXT} other than default, pair and rtt-matrix`)
      classes[name] = readParamsObject(params, p, dflt)
    }
  }
  const links: ScenarioLinks = {
    default: dflt,
    classes,
    rules: readRules(o.rules, 'links.rules', classes),
    pairs: readPairs(o.pairs, 'links.pairs', dflt, ctx)
  }
  const rtt = readRttMatrix(o.rttMatrix, 'links.rttMatrix', ctx)
  if (rtt !== undefined) links.rttMatrix = rtt
  return links
}
