/**
 * The ecco-peer command line: subcommands dispatch here; invalid input is
 * one line naming the bad flag or field, exit code 2.
 */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../errors.js'
import { RUN_USAGE, runPeer } from './run-peer.js'

function version (): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

export async function main (argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(RUN_USAGE + '\n')
    return 0
  }
  if (argv.includes('--version')) {
    process.stdout.write(`ecco-peer ${version()}\n`)
    return 0
  }
  try {
    return await runPeer(argv)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ecco-peer: ${err.message}\n`)
      return 2
    }
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'fatal', error: { name: (err as Error).name, message: (err as Error).message } }) + '\n')
    return 1
  }
}
