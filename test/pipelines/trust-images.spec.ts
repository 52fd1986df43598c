/**
 * Trust (issue 4 item 3): unsigned, untrusted and altered descriptors are
 * rejected and counted, on submission and on gossip. Images (item 5): a peer
 * that lacks an EF image fetches it from a peer by content hash and verifies it.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command, CommandOp, PIPELINE_VERSION, PipelineState, signCommand } from '../../protocols/index.js'
import { encodeFrame, normaliseFrame } from '../../unikernels/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'
import { addPipelinePeer, fullMesh, loadRepoDescriptor, newIssuer, pipelinesOf, samePlacement, sign, type Issuer } from './helpers.js'

describe('pipeline trust and image transfer', () => {
  const mesh = new TestMesh()
  let good: Issuer, rogue: Issuer
  let a: EccoPeer, b: EccoPeer, c: EccoPeer

  before(async () => {
    good = await newIssuer()
    rogue = await newIssuer()
    a = await addPipelinePeer(mesh, { name: 'a', roles: ['nuc'], trusted: [good.trusted] })
    b = await addPipelinePeer(mesh, { name: 'b', east: 100, roles: ['srv1'], trusted: [good.trusted], bootstrap: [mesh.addrOf(a)] })
    c = await addPipelinePeer(mesh, { name: 'c', east: 200, trusted: [rogue.trusted], bootstrap: [mesh.addrOf(a)] })
    await fullMesh([a, b, c])
  })

  after(async () => { await mesh.stop() })

  it('rejects and counts unsigned, untrusted and altered descriptors', async () => {
    const pa = pipelinesOf(a)
    const d = await loadRepoDescriptor('p1.yaml', (x) => { x.id = 'rogue' })
    const signed = await sign(d, good)
    await assert.rejects(pa.submit({ ...signed, signature: new Uint8Array(0) }), { name: 'UnsignedDescriptorError' })
    await assert.rejects(pa.submit(await sign(d, rogue)), { name: 'UntrustedIssuerError' })
    const altered = new Uint8Array(signed.descriptor)
    altered[altered.length - 1] ^= 0x01 // a character of the description
    await assert.rejects(pa.submit({ ...signed, descriptor: altered }), { name: 'InvalidSignatureError' })
    assert.deepEqual(pa.book.rejected, { unsigned: 1, untrusted: 1, signature: 1, invalid: 0 })
    // c trusts the rogue issuer and gossips its descriptor: a and b refuse it
    await pipelinesOf(c).submit(await sign(d, rogue))
    await waitFor(() => pipelinesOf(b).book.rejected.untrusted >= 1, { timeoutMs: 10_000, message: 'b did not count the gossiped descriptor' })
    assert.equal(pa.status('rogue'), undefined)
    assert.equal(pipelinesOf(b).status('rogue'), undefined)
    assert.notEqual(pipelinesOf(c).status('rogue'), undefined)
  })
})

describe('EF image transfer by content hash', () => {
  const mesh = new TestMesh()
  let issuer: Issuer

  after(async () => { await mesh.stop() })

  it('a peer without the image fetches and verifies it, then runs its stage', async () => {
    issuer = await newIssuer()
    const trusted = [issuer.trusted]
    const a = await addPipelinePeer(mesh, { name: 'a', roles: ['nuc'], trusted })
    const emptyDir = await mkdtemp(join(tmpdir(), 'ecco-no-images-'))
    const b = await addPipelinePeer(mesh, { name: 'b', east: 100, roles: ['srv1'], trusted, bootstrap: [mesh.addrOf(a)], catalogueDir: emptyDir })
    await fullMesh([a, b])
    const pb = pipelinesOf(b)
    assert.equal(pb.images.names().size, 0)
    await pipelinesOf(a).submit(await sign(await loadRepoDescriptor('p1.yaml'), issuer))
    await samePlacement([a, b], 'p1')
    assert.equal(pb.images.stats.fetched, 1)
    assert.deepEqual([...pb.images.names().keys()], ['image-normalise'])
    const input = encodeFrame({ width: 8, height: 8, channels: 1, pixels: Uint8Array.from({ length: 64 }, (_, i) => 100 + i) })
    let out: Uint8Array | undefined
    pipelinesOf(a).addEventListener('pipeline:output', (e) => { out = e.detail.bytes })
    const cmd: Command = { version: PIPELINE_VERSION, pipelineId: 'p1', op: CommandOp.COMMAND_TRIGGER, issuedAtMs: BigInt(Date.now()), run: 1n, payload: input }
    await pipelinesOf(a).command(await signCommand(cmd, issuer.key))
    await waitFor(() => out !== undefined, { timeoutMs: 15_000, message: () => `no output; b: ${pb.status('p1')?.recentFailures.join(' | ') ?? ''}` })
    assert.deepEqual(out, normaliseFrame(input))

    // the deadline stops a pipeline on every peer
    const d = await loadRepoDescriptor('p1.yaml', (x) => { x.id = 'short'; x.deadlineMs = x.issuedAtMs + 4000n })
    await pipelinesOf(b).submit(await sign(d, issuer))
    await samePlacement([a, b], 'short')
    assert.equal(pipelinesOf(a).status('short')?.state, PipelineState.STATE_WAITING, 'on-demand: placed, waiting for triggers')
    await waitFor(() => [a, b].every((p) => pipelinesOf(p).status('short')?.state === PipelineState.STATE_EXPIRED && pipelinesOf(p).status('short')?.localStages.length === 0), {
      timeoutMs: 15_000, message: 'deadline did not stop the pipeline everywhere'
    })
  })
})
