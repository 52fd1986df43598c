/**
 * `/ecco/cert/1.0.0`: one request frame, one response frame with the answering peer's
 * certificate (empty when it has none). Both directions are bounded by a frame limit
 * and a deadline, so a silent peer costs one stream for `timeoutMs` at most.
 */
import type { Connection, Stream } from '@libp2p/interface'
import { checkVersion, decodeMessage, openChannel } from '../../protocols/index.js'
import { CERT_PROTOCOL, MAX_CERT_FRAME_BYTES, SECURITY_VERSION } from './constants.js'
import { CertificateExchangeError } from './errors.js'
import { CertRequest, CertResponse } from './pb/security.js'

/** Answers one certificate request with `certificate` (empty: we are a client). */
export async function serveCertificate (stream: Stream, certificate: Uint8Array, timeoutMs: number): Promise<void> {
  const ch = openChannel(stream, { maxFrameBytes: MAX_CERT_FRAME_BYTES, timeoutMs })
  try {
    const req = decodeMessage(CertRequest, await ch.read(), 'CertRequest', { maxBytes: MAX_CERT_FRAME_BYTES })
    checkVersion('CertRequest', req.version, SECURITY_VERSION)
    ch.write(CertResponse.encode({ version: SECURITY_VERSION, certificate }))
    await ch.close()
  } catch (err) {
    ch.abort(err as Error)
  }
}

/** The result of asking: the remote's certificate bytes (empty if it has none), or `unsupported` (it does not speak the protocol). */
export type ExchangeResult = { kind: 'certificate', bytes: Uint8Array } | { kind: 'unsupported' }

/** Asks the remote end of `connection` for its certificate. CertificateExchangeError on timeout or garbage. */
export async function requestCertificate (connection: Connection, opts: { timeoutMs: number, signal?: AbortSignal }): Promise<ExchangeResult> {
  const signal = opts.signal === undefined ? AbortSignal.timeout(opts.timeoutMs) : AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)])
  let stream: Stream
  try {
    stream = await connection.newStream(CERT_PROTOCOL, { signal })
  } catch (err) {
    // multistream-select's "na": a peer without the protocol, e.g. a light vehicle client
    if ((err as Error).name === 'UnsupportedProtocolError') return { kind: 'unsupported' }
    throw new CertificateExchangeError(`${CERT_PROTOCOL} to ${connection.remotePeer.toString()}: ${(err as Error).message}`)
  }
  const ch = openChannel(stream, { maxFrameBytes: MAX_CERT_FRAME_BYTES, timeoutMs: opts.timeoutMs, signal })
  try {
    ch.write(CertRequest.encode({ version: SECURITY_VERSION }))
    const res = decodeMessage(CertResponse, await ch.read(), 'CertResponse', { maxBytes: MAX_CERT_FRAME_BYTES })
    checkVersion('CertResponse', res.version, SECURITY_VERSION)
    await ch.close()
    return { kind: 'certificate', bytes: res.certificate }
  } catch (err) {
    ch.abort(err as Error)
    throw new CertificateExchangeError(`${CERT_PROTOCOL} from ${connection.remotePeer.toString()}: ${(err as Error).message}`)
  }
}
