/**
 * The HTML report: one self-contained file (inline CSS and SVG, no scripts,
 * no external assets) that opens from disk. Every number shown is read from
 * the results object, which is also embedded as JSON for tools.
 */
import { mapSvg } from './map.js'
import { warningsSection } from './warnings.js'
import { ecdfPlot, esc, fmtNum, linePlot, SVG_STYLE } from './svg.js'
import type { SimResults, Summary } from '../engine/results.js'

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f4f4f4}td.l,th.l{text-align:left}.ok{color:#2a7d2a;font-weight:600}.bad{color:#c0392b;font-weight:600}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:130px}
.card b{display:block;font-size:20px}h3{font-size:15px;margin-top:18px}.grid{display:flex;flex-wrap:wrap;gap:12px}.muted{color:#777}${SVG_STYLE}`

function ms (v: number | undefined): string {
  return v === undefined ? '–' : v >= 10_000 ? `${fmtNum(v / 1000)} s` : `${fmtNum(v)} ms`
}

function bytes (v: number): string {
  return v >= 1 << 20 ? `${fmtNum(v / (1 << 20))} MiB` : v >= 1024 ? `${fmtNum(v / 1024)} KiB` : `${v} B`
}

function table (head: string[], rows: string[][], leftCols = 1): string {
  const th = head.map((h, i) => `<th${i < leftCols ? ' class="l"' : ''}>${esc(h)}</th>`).join('')
  const tr = rows.map(r => `<tr>${r.map((c, i) => `<td${i < leftCols ? ' class="l"' : ''}>${c}</td>`).join('')}</tr>`).join('')
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`
}

function card (label: string, value: string): string {
  return `<div class="card"><span class="muted">${esc(label)}</span><b>${value}</b></div>`
}

function convergedValues (r: SimResults): number[] {
  return r.convergence.filter(c => c.status === 'converged' && c.convergedMs !== undefined).map(c => c.convergedMs ?? 0)
}

function header (r: SimResults): string {
  const status = r.ok ? '<span class="ok">ok</span>' : `<span class="bad">${esc(r.status)}${r.status === 'completed' ? ' with failed actions' : ''}</span>`
  const crashes = r.nodes.reduce((a, n) => a + n.crashes, 0)
  const bytesAll = Object.values(r.links.stats.classes).reduce((a, c) => a + c.bytes, 0)
  const conv = convergedValues(r)
  return `<h1>sim-net: ${esc(r.scenario.name)}</h1>
<p>${esc(r.scenario.description)}</p>
<p class="muted">seed ${r.scenario.seed} · scenario ${ms(r.scenario.durationMs)} · heartbeat ${ms(r.scenario.heartbeatMs)} · wall ${ms(r.wallMs)} · started ${esc(r.startedAt)} · ${r.machine.cpus} × ${esc(r.machine.model)} · node ${esc(r.machine.node)} · ${esc(r.mode ?? 'one-process')} · ${r.shards === undefined ? '' : ` over ${r.shards} shards`} · event-loop delay${r.mode === 'multi-process' || r.shards !== undefined ? ' (orchestrator)' : ''} mean ${fmtNum(r.eventLoop.meanMs)} ms, p99 ${fmtNum(r.eventLoop.p99Ms)} ms, max ${fmtNum(r.eventLoop.maxMs)} ms</p>
${r.error === undefined ? '' : `<p class="bad">${esc(r.error.name)}: ${esc(r.error.message)}</p>`}
<div class="cards">${card('status', status)}${card('peers', String(r.nodes.length))}${card('vehicles', String(r.vehicles.length))}${card('crashes', String(crashes))}${card('actions failed', String(r.faults.filter(f => !f.ok).length))}${card('convergence p50', ms(median(conv)))}${card('changes converged', `${conv.length}/${r.convergence.length}`)}${card('bytes on links', bytes(bytesAll))}</div>`
}

function median (v: number[]): number | undefined {
  if (v.length === 0) return undefined
  const s = [...v].sort((a, b) => a - b)
  return s[Math.floor((s.length - 1) / 2)]
}

function summaryRow (name: string, s: Summary): string[] {
  return [esc(name), String(s.count), fmtNum(s.min), fmtNum(s.mean), fmtNum(s.p50), fmtNum(s.p95), fmtNum(s.p99), fmtNum(s.max)]
}

function measurements (r: SimResults): string {
  const names = Object.keys(r.series).sort()
  const conv = convergedValues(r)
  const plots: string[] = []
  if (conv.length > 0) plots.push(ecdfPlot([{ name: 'registry convergence', values: conv }], { title: 'Registry convergence after each change', xLabel: 'ms' }))
  for (const n of names) plots.push(ecdfPlot([{ name: n, values: r.series[n].samples.map(s => s.v) }], { title: n, xLabel: 'value' }))
  const rows = names.map(n => summaryRow(n, r.series[n].summary))
  return `<h2>Measurements reported by peers and vehicles</h2>
${names.length === 0 ? '<p class="muted">No peer or vehicle reported measurements (warning latency, pipeline completion, ...) in this run.</p>' : table(['series', 'count', 'min', 'mean', 'p50', 'p95', 'p99', 'max'], rows)}
<div class="grid">${plots.join('')}</div>`
}

function timeSeries (r: SimResults): string {
  const ts = r.timeSeries
  const x = ts.t.map(t => t / 1000)
  const zip = (ys: Array<number | null>): Array<[number, number | null]> => x.map((t, i) => [t, ys[i] ?? null])
  const rate = ts.linkBytes.map((b, i) => i === 0 ? null : (b - ts.linkBytes[i - 1]) / Math.max(1e-9, (ts.t[i] - ts.t[i - 1]) / 1000) / 1024)
  const plots = [
    linePlot([{ name: 'live peers', points: zip(ts.livePeers) }, { name: 'open connections', points: zip(ts.connections) }], { title: 'Peers and connections', xLabel: 'simulated time (s)', yLabel: 'count' }),
    linePlot([{ name: '', points: zip(rate) }], { title: 'Traffic on emulated links', xLabel: 'simulated time (s)', yLabel: 'KiB/s' })
  ]
  for (const k of Object.keys(ts.metrics).sort().slice(0, 12)) {
    plots.push(linePlot([{ name: '', points: zip(ts.metrics[k]) }], { title: `${k} (sum over live peers)`, xLabel: 'simulated time (s)', yLabel: k, width: 370, height: 220 }))
  }
  const more = Object.keys(ts.metrics).length - 12
  return `<h2>Time series</h2><div class="grid">${plots.join('')}</div>${more > 0 ? `<p class="muted">${more} more metrics in results.json.</p>` : ''}`
}

function links (r: SimResults): string {
  const rows = Object.entries(r.links.stats.classes).sort().map(([cls, s]) => {
    const p = r.links.classes[cls]
    const setting = p === undefined ? '<span class="muted">per pair</span>' : `${fmtNum(p.latencyMs)} ms ± ${fmtNum(p.jitterMs)}, ${p.bandwidthMbps === undefined ? '∞' : `${fmtNum(p.bandwidthMbps)} Mbit/s`}, loss ${fmtNum(p.loss)}`
    return [esc(cls), setting, String(s.connections), String(s.messages), bytes(s.bytes), `${s.lostSegments}/${s.segments}`, String(s.refusedDials), String(s.cutConnections), fmtNum(s.lateness.meanMs), fmtNum(s.lateness.p99Ms), `${fmtNum(100 * s.withinTenPercent)}%`]
  })
  return `<h2>Links</h2><p class="muted">Messages are chunks written to the socket (one or more libp2p frames). Lateness is the emulator's own error: actual minus scheduled delivery.</p>
${table(['class', 'setting', 'connections', 'messages', 'bytes', 'lost segments', 'refused dials', 'cut', 'lateness mean ms', 'lateness p99 ms', 'within 10%'], rows, 2)}`
}

function actions (r: SimResults): string {
  const rows = r.faults.map(f => {
    const c = f.convergence === undefined ? undefined : r.convergence[f.convergence]
    const conv = c === undefined ? '' : c.status === 'converged' ? `converged in ${ms(c.convergedMs)}` : c.status
    const o = f.outcome
    const outcome = o === undefined ? conv : `${conv}${conv === '' ? '' : '; '}${o.survived ? 'warnings kept arriving' : 'warnings lost'} (${o.vehicleMessages} messages in ${ms(o.windowMs)})`
    const detail = Object.entries(f.detail ?? {}).map(([k, v]) => `${esc(k)}=${esc(String(v))}`).join(' ')
    return [ms(f.atMs), esc(f.type), esc(f.target), f.ok ? '<span class="ok">ok</span>' : `<span class="bad">${esc(f.error?.name ?? 'failed')}: ${esc(f.error?.message ?? '')}</span>`, ms(f.applyMs), esc(outcome), detail]
  })
  const conv = r.convergence.map(c => [esc(c.change), ms(c.atMs), esc(c.status), ms(c.convergedMs)])
  return `<h2>Timed actions and faults</h2>${rows.length === 0 ? '<p class="muted">none</p>' : table(['at', 'action', 'target', 'result', 'applied in', 'outcome', 'detail'], rows, 0)}
<h2>Registry convergence</h2>${table(['change', 'at', 'status', 'converged after'], conv)}`
}

function nodes (r: SimResults): string {
  const keys = Object.keys(r.totals).sort().slice(0, 6)
  const rows = r.nodes.map(n => [esc(n.name), String(n.tier), esc(n.state), String(n.crashes), String(n.restarts), `<span class="muted">${esc(n.peerId.slice(-10))}</span>`, ...keys.map(k => fmtNum(n.metrics[k] ?? 0))])
  const totals = Object.entries(r.totals).sort().map(([k, v]) => [esc(k), fmtNum(v)])
  return `<h2>Totals over all peers</h2>${totals.length === 0 ? '<p class="muted">no metrics</p>' : table(['metric', 'total'], totals)}
<details><summary>Per node (${r.nodes.length})</summary>${table(['node', 'tier', 'state', 'crashes', 'restarts', 'peer id', ...keys], rows)}</details>
<details><summary>Event log (${r.log.length})</summary>${table(['at', 'event'], r.log.map(e => [ms(e.atMs), esc(e.text)]), 0)}</details>`
}

function processes (r: SimResults): string {
  const ps = r.processes ?? []
  const mode = r.mode ?? 'one-process'
  if (ps.length === 0) return ''
  const mib = (b: number): string => fmtNum(b / (1 << 20))
  const rows = ps.map(p => [esc(p.name), esc(p.role), String(p.pid), ms(p.startedAtMs), ms(p.startupMs), ms(p.endedAtMs), fmtNum(p.cpuUserMs + p.cpuSystemMs), mib(p.rssMaxBytes), fmtNum(p.eventLoop.meanMs), fmtNum(p.eventLoop.p99Ms), fmtNum(p.eventLoop.maxMs), p.end === 'died' ? `<span class="bad">died</span>` : esc(p.end), p.exit === undefined ? '' : esc(p.exit.signal ?? `code ${String(p.exit.code)}`)])
  const note = mode === 'multi-process'
    ? 'Each peer ran in its own OS process (a restart is a new process: name#2); the orchestrator ran the timeline, the vehicles and the metrics. A crash is SIGKILL.'
    : r.shards === undefined ? 'Every peer ran in this one process.' : `Every peer ran in this one process, spread over ${r.shards} worker threads (shards); the figures below include them, the event-loop delay is the main thread's.`
  return `<h2>Processes (${esc(mode)})</h2><p class="muted">${note} CPU is user + system time; RSS is the largest sampled.</p>
${table(['process', 'role', 'pid', 'forked at', 'start-up', 'ended', 'CPU ms', 'RSS max MiB', 'loop mean ms', 'loop p99 ms', 'loop max ms', 'end', 'exit'], rows)}`
}

/** Renders the report for a results object. */
export function renderReport (r: SimResults): string {
  const json = JSON.stringify(r).replace(/</g, '\\u003c')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sim-net ${esc(r.scenario.name)}</title><style>${CSS}</style></head><body>
${header(r)}
<h2>Map</h2>${mapSvg(r)}
${warningsSection(r)}
${timeSeries(r)}
${measurements(r)}
${links(r)}
${actions(r)}
${processes(r)}
${nodes(r)}
<script type="application/json" id="sim-net-results">${json}</script>
</body></html>
`
}
