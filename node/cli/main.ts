/**
 * The ecco-peer command line: subcommands dispatch here; invalid input is
 * one line naming the bad flag or field, exit code 2.
 */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../errors.js'
import { RUN_USAGE, runPeer } from './run-peer.js'
import { runOffload } from './offload.js'
import { runCerts } from './certs.js'
import { runPipeline } from './pipeline.js'
import { runDrain, runEf } from './ef.js'

/**
 * `ecco-peer <subcommand> ...`: each capability adds its own entry. A
 * subcommand gets the arguments after its name and returns an exit code; it
 * throws ConfigError for bad input (printed as one line, exit 2).
 */
export const SUBCOMMANDS: Record<string, { summary: string, run: (argv: string[]) => Promise<number> }> = {
  pipeline: { summary: 'pipeline descriptors: keygen, sign, validate, submit, status, trigger, stop', run: runPipeline },
  certs: { summary: 'operator key, roadside certificates and revocations', run: runCerts },
  offload: { summary: 'play mobile devices against a Nimbus T1 gateway (test client)', run: runOffload },
  ef: { summary: 'stateful edge functions on a running peer: list, start, migrate', run: runEf },
  drain: { summary: 'migrate every hosted edge function away before maintenance', run: runDrain }
}

function version (): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

export async function main (argv: string[]): Promise<number> {
  const sub = argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0]) ? SUBCOMMANDS[argv[0]] : undefined
  if (sub === undefined && (argv.includes('--help') || argv.includes('-h'))) {
    const subs = Object.entries(SUBCOMMANDS).map(([name, s]) => `  ecco-peer ${name.padEnd(10)} ${s.summary}`).join('\n')
    process.stdout.write(RUN_USAGE + (subs === '' ? '' : `\n\nSubcommands (each has --help):\n${subs}`) + '\n')
    return 0
  }
  if (argv.includes('--version')) {
    process.stdout.write(`ecco-peer ${version()}\n`)
    return 0
  }
  try {
    return sub === undefined ? await runPeer(argv) : await sub.run(argv.slice(1))
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ecco-peer: ${err.message}\n`)
      return 2
    }
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'fatal', error: { name: (err as Error).name, message: (err as Error).message } }) + '\n')
    return 1
  }
}
