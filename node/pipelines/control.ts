/**
 * `/ecco/pipeline/1.0.0`: how `ecco-peer pipeline submit|status|trigger|stop`
 * reach a peer. One request, one response; submissions and commands are
 * checked (signature, trust, rules) exactly like gossip.
 */
import type { Stream } from '@libp2p/interface'
import {
  ControlOp, ControlResponse, decodeControlRequest, openChannel, PIPELINE_CONTROL_PROTOCOL, PIPELINE_VERSION, MAX_CONTROL_BYTES,
  type ControlRequest, type PipelineStatus, type SignedCommand, type SignedDescriptor
} from '../../protocols/index.js'
import type { EccoPeer } from '../peer.js'

export interface ControlTarget {
  submit: (signed: SignedDescriptor) => Promise<unknown>
  command: (signed: SignedCommand) => Promise<unknown>
  statuses: (id?: string) => PipelineStatus[]
}

async function answer (target: ControlTarget, req: ControlRequest): Promise<ControlResponse> {
  const ok = (status: PipelineStatus[] = []): ControlResponse => ({ version: PIPELINE_VERSION, ok: true, error: '', status })
  switch (req.op) {
    case ControlOp.CONTROL_SUBMIT:
      if (req.descriptor === undefined) throw new Error('ControlRequest.descriptor: missing')
      await target.submit(req.descriptor)
      return ok()
    case ControlOp.CONTROL_COMMAND:
      if (req.command === undefined) throw new Error('ControlRequest.command: missing')
      await target.command(req.command)
      return ok()
    default:
      return ok(target.statuses(req.pipelineId === '' ? undefined : req.pipelineId))
  }
}

export async function serveControl (stream: Stream, target: ControlTarget): Promise<void> {
  const ch = openChannel(stream, { maxFrameBytes: MAX_CONTROL_BYTES, timeoutMs: 15_000 })
  try {
    let res: ControlResponse
    try {
      res = await answer(target, decodeControlRequest(await ch.read()))
    } catch (err) {
      res = { version: PIPELINE_VERSION, ok: false, error: `${(err as Error).name}: ${(err as Error).message}`, status: [] }
    }
    ch.write(ControlResponse.encode(res))
    await ch.close()
  } catch (err) {
    ch.abort(err as Error)
  }
}

export async function startControl (peer: EccoPeer, target: ControlTarget): Promise<void> {
  await peer.libp2p.handle(PIPELINE_CONTROL_PROTOCOL, ({ stream }) => { void serveControl(stream, target) }, { maxInboundStreams: 4 })
}
