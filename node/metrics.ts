/**
 * Prometheus text exposition (format 0.0.4) built from collectors that read
 * the counters each service keeps. Labels are bounded (protocol names, states),
 * never per peer.
 */
export type MetricType = 'counter' | 'gauge'

export interface Sample {
  labels?: Record<string, string>
  value: number
}

export interface MetricFamily {
  name: string
  help: string
  type: MetricType
  samples: Sample[]
}

export type Collector = () => MetricFamily[]

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')

export function renderPrometheus (families: MetricFamily[]): string {
  const out: string[] = []
  for (const f of families) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`)
    for (const s of f.samples) {
      const labels = s.labels === undefined || Object.keys(s.labels).length === 0
        ? ''
        : `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`
      out.push(`${f.name}${labels} ${Number.isFinite(s.value) ? s.value : 0}`)
    }
  }
  return out.join('\n') + '\n'
}

export function counter (name: string, help: string, samples: Sample[] | number): MetricFamily {
  return { name, help, type: 'counter', samples: typeof samples === 'number' ? [{ value: samples }] : samples }
}

export function gauge (name: string, help: string, samples: Sample[] | number): MetricFamily {
  return { name, help, type: 'gauge', samples: typeof samples === 'number' ? [{ value: samples }] : samples }
}
