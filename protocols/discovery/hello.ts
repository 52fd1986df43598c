/**
 * The hello exchange: a peer that found another through a cell lookup sends
 * its own cell; the other answers with its cell. One request, one answer,
 * both bounded in size and time.
 */
import type { PeerId, Stream } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import { checkVersion, decodeMessage, openChannel, InvalidMessageError, StreamClosedError, StreamTimeoutError } from '../wire/index.js'
import { HELLO_MAX_BYTES, HELLO_MAX_CELL_LENGTH, HELLO_PROTOCOL, HELLO_VERSION } from './constants.js'
import { Hello } from './pb/hello.js'

export { Hello }

const GEOHASH = new RegExp(`^[0-9b-hjkmnp-z]{1,${HELLO_MAX_CELL_LENGTH}}$`)

export interface HelloOptions {
  timeoutMs: number
  signal?: AbortSignal
}

/** Decodes and checks an untrusted Hello; InvalidMessageError names the bad field. */
export function decodeHello (bytes: Uint8Array): Hello {
  const hello = decodeMessage(Hello, bytes, 'Hello', { maxBytes: HELLO_MAX_BYTES })
  checkVersion('Hello', hello.version, HELLO_VERSION)
  if (!GEOHASH.test(hello.cell)) throw new InvalidMessageError(`Hello.cell: ${JSON.stringify(hello.cell.slice(0, HELLO_MAX_CELL_LENGTH + 1))} is not a geohash of 1 to ${HELLO_MAX_CELL_LENGTH} characters`)
  return hello
}

/** Sends our cell to `peer` and returns the cell it answers with. */
export async function sendHello (connectionManager: ConnectionManager, peer: PeerId, cell: string, opts: HelloOptions): Promise<Hello> {
  const signal = opts.signal === undefined ? AbortSignal.timeout(opts.timeoutMs) : AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)])
  const conn = await connectionManager.openConnection(peer, { signal })
  const stream = await conn.newStream(HELLO_PROTOCOL, { signal })
  const ch = openChannel(stream, { maxFrameBytes: HELLO_MAX_BYTES, timeoutMs: opts.timeoutMs, signal })
  try {
    ch.write(Hello.encode({ version: HELLO_VERSION, cell }))
    const reply = decodeHello(await ch.read())
    await ch.close()
    return reply
  } catch (err) {
    ch.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

/**
 * Answers one inbound Hello with our cell and returns the sender's. A
 * sender that hangs up or stalls before its Hello broke the protocol.
 */
export async function answerHello (stream: Stream, cell: string, opts: HelloOptions): Promise<Hello> {
  const ch = openChannel(stream, { maxFrameBytes: HELLO_MAX_BYTES, timeoutMs: opts.timeoutMs, signal: opts.signal })
  try {
    const hello = decodeHello(await ch.read())
    ch.write(Hello.encode({ version: HELLO_VERSION, cell }))
    await ch.close()
    return hello
  } catch (err) {
    const e = err instanceof StreamClosedError || err instanceof StreamTimeoutError ? new InvalidMessageError(`Hello: ${err.message}`) : err
    ch.abort(e instanceof Error ? e : new Error(String(e)))
    throw e
  }
}
