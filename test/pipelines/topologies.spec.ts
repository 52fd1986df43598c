/**
 * P1-P4 (thesis Fig. 4.18) end to end with image-normalise on four real peers
 * (NUC, SRV1, OPX, SRV2 by role tag): every peer computes the same placement,
 * the thesis' assignment is what they compute, and triggered runs come out of
 * the finale normalised.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Command, CommandOp, PIPELINE_VERSION, signCommand } from '../../protocols/index.js'
import { encodeFrame, normaliseFrame } from '../../unikernels/index.js'
import type { EccoPeer } from '../../node/peer.js'
import type { PipelineOutput } from '../../node/pipelines/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { addPipelinePeer, fullMesh, loadRepoDescriptor, newIssuer, pipelinesOf, samePlacement, sign, type Issuer } from './helpers.js'

function frame (seed: number): Uint8Array {
  const w = 64
  const h = 48
  const pixels = new Uint8Array(w * h * 3)
  let x = seed
  for (let i = 0; i < pixels.length; i++) { x = (x * 1103515245 + 12345) >>> 0; pixels[i] = 60 + ((x >>> 16) % 100) }
  return encodeFrame({ width: w, height: h, channels: 3, pixels })
}

describe('pipelines P1-P4 (thesis topologies)', () => {
  const mesh = new TestMesh()
  let issuer: Issuer
  const peers: Record<string, EccoPeer> = {}
  const files = ['p1.yaml', 'p2.yaml', 'p3.yaml', 'p4-a.yaml', 'p4-b.yaml']

  before(async () => {
    issuer = await newIssuer()
    const trusted = [issuer.trusted]
    peers.nuc = await addPipelinePeer(mesh, { name: 'nuc', roles: ['nuc'], trusted })
    const boot = [mesh.addrOf(peers.nuc)]
    peers.srv1 = await addPipelinePeer(mesh, { name: 'srv1', east: 100, roles: ['srv1'], tier: 2, trusted, bootstrap: boot })
    peers.opx = await addPipelinePeer(mesh, { name: 'opx', east: 200, roles: ['opx'], trusted, bootstrap: boot })
    peers.srv2 = await addPipelinePeer(mesh, { name: 'srv2', east: 300, roles: ['srv2'], tier: 2, trusted, bootstrap: boot })
    await fullMesh(Object.values(peers))
  })

  after(async () => { await mesh.stop() })

  it('places every topology identically on every peer, as the thesis assigns it', async () => {
    for (const f of files) await pipelinesOf(peers.nuc).submit(await sign(await loadRepoDescriptor(f), issuer))
    const all = Object.values(peers)
    for (const f of files) {
      const id = f.replace('.yaml', '')
      await samePlacement(all, id)
      const st = pipelinesOf(peers.opx).status(id)
      assert.ok(st !== undefined)
      const hostOf = (stage: string): string | undefined => Object.entries(peers).find(([, p]) => p.peerId.toString() === st.placement.find((x) => x.stage === stage)?.peer)?.[0]
      if (id === 'p1') assert.deepEqual(['a', 'b', 'c'].map(hostOf), ['nuc', 'srv1', 'nuc'])
      if (id === 'p4-b') assert.deepEqual(['a', 'b', 'c'].map(hostOf), ['opx', 'srv2', 'opx'])
      assert.deepEqual(st.skippedStages, [])
    }
  })

  it('runs each topology end to end: the finale outputs the normalised frame', async () => {
    const outputs = new Map<string, PipelineOutput>()
    for (const p of [peers.nuc, peers.opx]) {
      pipelinesOf(p).addEventListener('pipeline:output', (e) => { outputs.set(`${e.detail.pipelineId}/${e.detail.run}`, e.detail) })
    }
    const input = frame(7)
    const expected = normaliseFrame(input)
    for (const [i, f] of files.entries()) {
      const id = f.replace('.yaml', '')
      const c: Command = { version: PIPELINE_VERSION, pipelineId: id, op: CommandOp.COMMAND_TRIGGER, issuedAtMs: BigInt(Date.now()), run: BigInt(100 + i), payload: input }
      await pipelinesOf(peers.srv2).command(await signCommand(c, issuer.key))
    }
    const { waitFor } = await import('../helpers/wait.js')
    await waitFor(() => outputs.size === files.length, { timeoutMs: 30_000, message: () => `outputs: ${[...outputs.keys()].join(', ')}; failures: ${Object.values(peers).flatMap((p) => pipelinesOf(p).statuses().flatMap((s) => s.recentFailures)).join(' | ')}` })
    for (const [key, out] of outputs) {
      assert.deepEqual(out.bytes, expected, `${key} output differs`)
      assert.equal(out.final, true)
      assert.equal(out.partial, false)
    }
    const p3 = [...outputs.values()].find((o) => o.pipelineId === 'p3')
    assert.equal(p3?.trace.hops, 11, 'p3 crosses 11 stage boundaries')
  })
})
