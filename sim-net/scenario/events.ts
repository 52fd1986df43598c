/**
 * `events:` — timed faults and conditions. Each entry has `at` and exactly
 * one of crash, restart, partition, heal, degrade, condition. Events are
 * replayed in time order against the node states, so "restart a live node"
 * or "heal a partition that does not exist" is caught before anything runs.
 */
import { DEFAULT_CONDITION_RADIUS_M } from '../constants.js'
import { LINK_FIELDS, NAME_RE, NAME_TEXT, readLinkPatch, readPosition, resolveGroup, resolveSelector } from './common.js'
import { fail, fmtMs, join, optNumber, readDuration, readList, readObject, readString } from './fields.js'
import type { Ctx } from './common.js'
import type { ScenarioEvent, ScenarioNode } from './schema.js'

const KINDS = ['crash', 'restart', 'partition', 'heal', 'degrade', 'condition'] as const
const EVENT_FIELDS = ['at', 'until', 'id', 'position', 'radiusM', 'severity', ...KINDS] as const

function readUntil (o: Record<string, unknown>, path: string, atMs: number, ctx: Ctx): number | undefined {
  if (o.until === undefined) return undefined
  const untilMs = readDuration(o.until, join(path, 'until'))
  if (untilMs <= atMs) fail(join(path, 'until'), `must be after at (${fmtMs(atMs)}), got ${fmtMs(untilMs)}`)
  if (untilMs > ctx.durationMs) fail(join(path, 'until'), `${fmtMs(untilMs)} is after the end of the scenario (duration ${fmtMs(ctx.durationMs)})`)
  return untilMs
}

function readPartition (o: Record<string, unknown>, path: string, atMs: number, index: number, ctx: Ctx): ScenarioEvent {
  const p = join(path, 'partition')
  const raw = readList(o.partition, p, { min: 1 })
  const nested = raw.every(g => Array.isArray(g))
  let groups: [string[], string[]]
  if (nested) {
    if (raw.length !== 2) fail(p, `must be one group (a list of nodes, cut from all others) or two groups, got ${raw.length} groups`)
    groups = [resolveGroup(raw[0], join(p, 0), ctx.names), resolveGroup(raw[1], join(p, 1), ctx.names)]
    const overlap = groups[0].find(n => groups[1].includes(n))
    if (overlap !== undefined) fail(p, `node "${overlap}" is in both groups`)
  } else {
    const a = resolveGroup(raw, p, ctx.names)
    groups = [a, ctx.names.filter(n => !a.includes(n))]
    if (groups[1].length === 0) fail(p, 'the group contains every node, so there is nothing to cut it from')
  }
  const id = o.id === undefined ? `partition-${index}` : readString(o.id, join(path, 'id'), NAME_RE, NAME_TEXT)
  return { type: 'partition', atMs, id, groups }
}

function readDegrade (o: Record<string, unknown>, path: string, atMs: number, ctx: Ctx, classes: readonly string[]): ScenarioEvent {
  const p = join(path, 'degrade')
  const d = readObject(o.degrade, p, ['class', 'between', ...LINK_FIELDS])
  const params = readLinkPatch(d, p)
  if (Object.keys(params).length === 0) fail(p, `must change at least one of ${LINK_FIELDS.join(', ')}`)
  const untilMs = readUntil(o, path, atMs, ctx)
  let target: { class: string } | { between: [string[], string[]] }
  if ((d.class === undefined) === (d.between === undefined)) fail(p, 'needs exactly one of class or between')
  if (d.class !== undefined) {
    const cls = readString(d.class, join(p, 'class'))
    if (!classes.includes(cls)) fail(join(p, 'class'), `unknown link class "${cls}" (declared: ${classes.join(', ')})`)
    target = { class: cls }
  } else {
    const b = readList(d.between, join(p, 'between'))
    if (b.length !== 2) fail(join(p, 'between'), `must be two node groups, got ${b.length}`)
    target = { between: [resolveGroup(b[0], join(p, 'between[0]'), ctx.names), resolveGroup(b[1], join(p, 'between[1]'), ctx.names)] }
  }
  return untilMs === undefined ? { type: 'degrade', atMs, target, params } : { type: 'degrade', atMs, untilMs, target, params }
}

function readCondition (o: Record<string, unknown>, path: string, atMs: number, index: number, ctx: Ctx): ScenarioEvent {
  const condition = readString(o.condition, join(path, 'condition'), /^[a-z][a-z0-9-]*$/, 'a kebab-case condition such as "ice"')
  if (o.position === undefined) fail(join(path, 'position'), 'is required for a condition')
  const position = readPosition(o.position, join(path, 'position'), ctx)
  const radiusM = optNumber(o.radiusM, join(path, 'radiusM'), { min: 0, max: 100_000 }, DEFAULT_CONDITION_RADIUS_M)
  const severity = optNumber(o.severity, join(path, 'severity'), { min: 0, max: 1 }, 1)
  const id = o.id === undefined ? `${condition}-${index}` : readString(o.id, join(path, 'id'), NAME_RE, NAME_TEXT)
  const untilMs = readUntil(o, path, atMs, ctx)
  const ev: ScenarioEvent = { type: 'condition', atMs, id, condition, position, radiusM, severity }
  if (untilMs !== undefined) ev.untilMs = untilMs
  return ev
}

function readEvent (raw: unknown, index: number, ctx: Ctx, classes: readonly string[]): ScenarioEvent {
  const path = join('events', index)
  const o = readObject(raw, path, EVENT_FIELDS)
  const kinds = KINDS.filter(k => o[k] !== undefined)
  if (kinds.length !== 1) fail(path, `needs exactly one of ${KINDS.join(', ')}${kinds.length > 1 ? `, got ${kinds.join(' and ')}` : ''}`)
  const atMs = readDuration(o.at, join(path, 'at'))
  if (atMs >= ctx.durationMs) fail(join(path, 'at'), `${fmtMs(atMs)} is not before the end of the scenario (duration ${fmtMs(ctx.durationMs)})`)
  const allowed: Record<typeof KINDS[number], readonly string[]> = {
    crash: [], restart: [], partition: ['id'], heal: [], degrade: ['until'], condition: ['id', 'position', 'radiusM', 'severity', 'until']
  }
  for (const k of Object.keys(o)) {
    if (k !== 'at' && k !== kinds[0] && !allowed[kinds[0]].includes(k)) fail(join(path, k), `not allowed in a ${kinds[0]} event`)
  }
  switch (kinds[0]) {
    case 'crash':
    case 'restart': {
      const node = resolveSelector(o[kinds[0]], join(path, kinds[0]), ctx.names)
      if (node.length !== 1) fail(join(path, kinds[0]), `must name one node, "${String(o[kinds[0]])}" matches ${node.length}`)
      return { type: kinds[0], atMs, node: node[0] }
    }
    case 'partition': return readPartition(o, path, atMs, index, ctx)
    case 'heal': return { type: 'heal', atMs, partition: readString(o.heal, join(path, 'heal'), NAME_RE, 'a partition id or "all"') }
    case 'degrade': return readDegrade(o, path, atMs, ctx, classes)
    default: return readCondition(o, path, atMs, index, ctx)
  }
}

/** Replays the events in time order and rejects impossible sequences. */
function checkSequence (events: Array<{ ev: ScenarioEvent, index: number }>, nodes: readonly ScenarioNode[]): void {
  const startAt = new Map(nodes.map(n => [n.name, n.startAtMs]))
  const crashed = new Set<string>()
  const partitions = new Set<string>()
  for (const { ev, index } of events) {
    const path = join('events', index)
    if (ev.type === 'crash' || ev.type === 'restart') {
      const started = startAt.get(ev.node) ?? 0
      if (ev.atMs < started) fail(join(path, ev.type), `node "${ev.node}" starts at ${fmtMs(started)}, after this event at ${fmtMs(ev.atMs)}`)
      if (ev.type === 'crash' && crashed.has(ev.node)) fail(join(path, 'crash'), `node "${ev.node}" is already crashed at ${fmtMs(ev.atMs)}`)
      if (ev.type === 'restart' && !crashed.has(ev.node)) fail(join(path, 'restart'), `node "${ev.node}" is not crashed at ${fmtMs(ev.atMs)}; only a crashed node can be restarted`)
      if (ev.type === 'crash') crashed.add(ev.node); else crashed.delete(ev.node)
    } else if (ev.type === 'partition') {
      if (partitions.has(ev.id)) fail(join(path, 'id'), `partition "${ev.id}" is already in place`)
      partitions.add(ev.id)
    } else if (ev.type === 'heal') {
      if (ev.partition === 'all') { partitions.clear(); continue }
      if (!partitions.has(ev.partition)) fail(join(path, 'heal'), `no partition "${ev.partition}" is in place at ${fmtMs(ev.atMs)} (active: ${partitions.size === 0 ? 'none' : [...partitions].join(', ')})`)
      partitions.delete(ev.partition)
    }
  }
}

export function readEvents (v: unknown, ctx: Ctx, nodes: readonly ScenarioNode[], classes: readonly string[]): ScenarioEvent[] {
  if (v === undefined) return []
  const list = readList(v, 'events').map((raw, index) => ({ ev: readEvent(raw, index, ctx, classes), index }))
  // stable sort: events at the same time keep file order
  list.sort((a, b) => a.ev.atMs - b.ev.atMs || a.index - b.index)
  checkSequence(list, nodes)
  return list.map(e => e.ev)
}
