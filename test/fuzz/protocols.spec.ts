/**
 * Issue 9 item 6: every protobuf decoder of protocols/ fed garbage, damaged
 * valid encodings, odd varints (versions, enums) and oversize input. Each must
 * return a value or throw its documented typed error within MAX_DECODE_MS.
 * crdt/ decoders have their own fuzz tests (test/crdt/encoding.spec.ts).
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import {
  AckStatus, applyDelta, BundleAck, checkRequirements, CHECKPOINT_WIRE_VERSION, CheckpointMessage, checkEnum, checkVersion, checkpointMessage, CommandOp, ControlOp, ControlRequest,
  ControlResponse, createFreeParking, createRevocation, decodeBid, decodeBundle, decodeBundleAck, decodeCheckpointMessage,
  decodeControlRequest, decodeControlResponse, decodeDenm, decodeFreeParking, decodeGossip, decodeMessage, decodeOffloadMessage,
  decodePeerState, decodeSignedFreeParking, decodeSignedWarning, encodeBid, encodeBundle, encodeOffloadMessage, formatIssuer, ImageRequest,
  ImageResponse, ImageStatus, MAX_OFFLOAD_FRAME_BYTES, OffloadMessage, openCommand, openDescriptor, parseCertificate, parseDescriptorYaml,
  PeerState, PipelineGossip, requirementsToWire, SignedWarning, signCommand, signDescriptor, signFreeParking, simulatedDevice, StateAnnouncement, TrustStore,
  verifyParking, verifyRevocation, verifyWarning, type SignedDescriptor
} from '../../protocols/index.js'
// not re-exported by their protocol's index: the decode the network reaches, imported directly
import { decodeAnnouncement } from '../../protocols/state/codec.js'
import { SyncMessage } from '../../protocols/sync/pb/sync.js'
import { decodeCheckpoint, encodeCheckpoint, encodeUnimemValue } from '../../unikernels/index.js'
import { ROAD_START, signed, station, type Station } from '../hazards/fixtures.js'
import { concat, hostileBytes, holds, holdsAsync, lengthField, params } from './harness.js'

const WIRE = ['InvalidMessageError']
const OVERSIZE = lengthField(15, new Uint8Array(8 * 1024 * 1024))

const bytesOf = (xs: Uint8Array[]): fc.Arbitrary<Uint8Array> => fc.constantFrom(...xs)

/** A sync/sync-like decode reached from the network: one property, default 300 runs. */
function fuzz (what: string, seed: number, valid: () => Uint8Array[], decode: (b: Uint8Array) => unknown, allowed = WIRE, runs = 300): void {
  it(what, () => {
    fc.assert(fc.property(hostileBytes(bytesOf(valid())), holds(what, decode, allowed)), params(seed, runs))
    // oversize: a valid encoding followed by an 8 MiB unknown field
    holds(`${what} (8 MiB)`, decode, allowed)(concat(valid()[0], OVERSIZE))
  })
}

function fuzzAsync (what: string, seed: number, valid: () => Uint8Array[], decode: (b: Uint8Array) => Promise<unknown>, allowed: string[], runs = 150): void {
  it(what, async () => {
    await fc.assert(fc.asyncProperty(hostileBytes(bytesOf(valid())), holdsAsync(what, decode, allowed)), params(seed, runs))
  })
}

const peerState = (): PeerState => ({
  version: 1,
  name: 'lamppost-1',
  lat: 48.26,
  lon: 11.66,
  cell: 'u281zq',
  tier: 1,
  sensors: [{ id: 'ice', type: 'road-surface', unit: 'C' }],
  radios: [{ type: 'wifi', rangeM: 300 }],
  capacity: { cpuCores: 4, memoryMb: 2048, accelerator: '', maxEdgeFunctions: 8 },
  load: { runningEdgeFunctions: 1, pipelines: 1, queuedBundles: 0, offloadClients: 0, cpuPermille: 100, memoryRssBytes: 1000n },
  multiaddrs: ['/ip4/127.0.0.1/tcp/4001'],
  startedAt: 1n,
  roles: ['nimbus']
})

const DESCRIPTOR_YAML = `
id: demo
priority: 3
area: { lat: 48.2625, lon: 11.668, radiusM: 5000 }
stages:
  - { name: a, image: fusion, role: start, input: { source: sensors, intervalMs: 1000 } }
  - { name: b, image: fusion, role: finale, after: [a] }
`

describe('fuzz: protocols/ decoders', () => {
  let operator: PrivateKey
  let issuer: PrivateKey
  let s: Station
  let trust: TrustStore
  let warnings: Uint8Array[] = []
  let parkings: Uint8Array[] = []
  let revocations: Uint8Array[] = []
  let signedDescriptor: SignedDescriptor
  let gossip: Uint8Array[] = []

  before(async () => {
    operator = await generateKeyPair('Ed25519')
    issuer = await generateKeyPair('Ed25519')
    s = await station(operator, { parking: true })
    trust = new TrustStore({ operatorKeys: [operator.publicKey] })
    warnings = [await signed(s), await signed(s, { sequenceNumber: 7, informationQuality: 1 })]
    const p = createFreeParking({ originator: s.originator, sequenceNumber: 1, position: ROAD_START, spots: 24, free: [1, 5, 7] })
    parkings = [await signFreeParking(p, s.key, s.cert)]
    revocations = [await createRevocation(operator, parseCertificate(s.cert))]
    signedDescriptor = await signDescriptor(parseDescriptorYaml(DESCRIPTOR_YAML, 'fuzz.yaml', { now: 1_000_000 }), issuer)
    const command = await signCommand({ version: 1, pipelineId: 'demo', op: CommandOp.COMMAND_TRIGGER, issuedAtMs: 5n, run: 1n, payload: new Uint8Array(3) }, issuer)
    gossip = [
      PipelineGossip.encode({ version: 1, descriptor: signedDescriptor, bids: new Uint8Array(0) }),
      PipelineGossip.encode({ version: 1, command, bids: new Uint8Array([1, 2, 3]) })
    ]
  })

  describe('state', () => {
    fuzz('decodePeerState', 9001, () => [PeerState.encode(peerState())], decodePeerState)
    fuzz('decodeAnnouncement', 9002, () => [StateAnnouncement.encode({ version: 1, heartbeat: 3n, delta: PeerState.encode(peerState()), digest: 'abc' })], decodeAnnouncement)
  })

  describe('sync', () => {
    // inline in AntiEntropy.receive: the same decode, limits and checks
    fuzz('SyncMessage (anti-entropy receive)', 9003, () => [SyncMessage.encode({ version: 1, kind: SyncMessage.Kind.RESPONSE, documents: [{ name: 'registry', summary: new Uint8Array(8), update: new Uint8Array(30) }] })], (b) => {
      const msg = decodeMessage(SyncMessage, b, 'SyncMessage', { maxBytes: 4 * 1024 * 1024, limits: { documents: 64 } })
      checkVersion('SyncMessage', msg.version, 1)
      if (msg.kind !== SyncMessage.Kind.RESPONSE) return
    })
  })

  describe('hazard', () => {
    fuzz('decodeSignedWarning', 9010, () => warnings, decodeSignedWarning)
    fuzz('decodeDenm', 9011, () => warnings.map((w) => decodeSignedWarning(w).denm), decodeDenm, ['InvalidMessageError', 'InvalidWarningError'])
    fuzz('decodeSignedFreeParking', 9012, () => parkings, decodeSignedFreeParking)
    fuzz('decodeFreeParking', 9013, () => parkings.map((p) => decodeSignedFreeParking(p).parking), decodeFreeParking, ['InvalidMessageError', 'InvalidWarningError'])
    // verify* never throw: every defect is a Rejected verdict
    fuzzAsync('verifyWarning', 9014, () => warnings, async (b) => { const v = await verifyWarning(b, { trust }); assert.equal(typeof v.valid, 'boolean') }, [])
    fuzzAsync('verifyParking', 9015, () => parkings, async (b) => { const v = await verifyParking(b, { trust }); assert.equal(typeof v.valid, 'boolean') }, [])
  })

  describe('signed hostile contents', () => {
    // an insider with a valid certificate signs damaged DENMs: everything after the signature check runs
    it('verifyWarning on validly signed, damaged DENMs', async () => {
      const denm = (): Uint8Array => decodeSignedWarning(warnings[0]).denm
      const verify = holdsAsync('verifyWarning(signed)', async (bytes: Uint8Array) => {
        const w = SignedWarning.encode({ version: 1, denm: bytes, signature: await s.key.sign(bytes), certificate: s.cert })
        const v = await verifyWarning(w, { trust, topicCell: 'u281z' })
        assert.equal(typeof v.valid, 'boolean')
      }, [])
      await fc.assert(fc.asyncProperty(hostileBytes(fc.constant(null).map(denm)), verify), params(9016, 150))
    })
  })

  describe('certs', () => {
    fuzz('parseCertificate', 9020, () => [s.cert], parseCertificate, ['InvalidCertificateError'])
    fuzzAsync('verifyRevocation', 9021, () => revocations, async (b) => await verifyRevocation(b, trust), ['InvalidRevocationError'])
  })

  describe('pipeline', () => {
    fuzz('decodeGossip', 9030, () => gossip, decodeGossip)
    fuzz('decodeControlRequest', 9031, () => [ControlRequest.encode({ version: 1, op: ControlOp.CONTROL_SUBMIT, descriptor: signedDescriptor, pipelineId: 'demo' })], decodeControlRequest)
    fuzz('decodeControlResponse', 9032, () => [ControlResponse.encode({ version: 1, ok: true, error: '', status: [] })], decodeControlResponse)
    fuzz('decodeBid', 9033, () => [encodeBid({ pipelineId: 'demo', stage: 'a', peer: 'p1', cost: 1.5, withdrawn: false, atMs: 3n })], (b) => decodeBid('demo/a/p1', b))
    const OPEN = ['InvalidMessageError', 'UnsignedDescriptorError', 'InvalidSignatureError', 'UntrustedIssuerError']
    fuzzAsync('openDescriptor (gossip -> descriptor)', 9034, () => gossip.slice(0, 1), async (b) => {
      const g = decodeGossip(b)
      if (g.descriptor !== undefined) await (openDescriptor(g.descriptor, new Set([formatIssuer(issuer.publicKey)])))
    }, OPEN)
    fuzzAsync('openCommand (gossip -> command)', 9035, () => gossip.slice(1), async (b) => {
      const g = decodeGossip(b)
      if (g.command !== undefined) await (openCommand(g.command, (id) => id === 'demo' ? publicKeyToProtobuf(issuer.publicKey) : undefined, new Set([formatIssuer(issuer.publicKey)])))
    }, OPEN)
  })

  describe('bundle', () => {
    const bundle = (): Uint8Array => encodeBundle({ pipelineId: 'demo', run: 1n, fromStage: 'a', fromSlot: 0, toStage: 'b', sequence: 4, payload: new Uint8Array(40), partial: false, degraded: false })
    fuzz('decodeBundle', 9040, () => [bundle()], decodeBundle)
    fuzz('decodeBundleAck', 9041, () => [BundleAck.encode({ version: 1, status: AckStatus.ACK_STORED, reason: '' })], decodeBundleAck)
    it('refuses an oversize bundle by its length', () => {
      const big = lengthField(8, new Uint8Array(64 * 1024 * 1024))
      assert.throws(() => decodeBundle(big), { name: 'InvalidMessageError' })
    })
  })

  describe('image', () => {
    // inline in fetchImage / serveImage: the same decode calls and limits
    fuzz('ImageResponse (fetchImage)', 9050, () => [ImageResponse.encode({
      version: 1, status: ImageStatus.IMAGE_OK, wasm: new Uint8Array(16), manifest: { name: 'x', version: '1', description: '', hash: 'a'.repeat(64), size: 16, abi: 1, memoryLimitBytes: 65536, timeLimitMs: 10, sensors: ['ice'], stateful: false, inboxOffset: 1024, inboxCapacity: 1024 }
    })], (b) => {
      const r = decodeMessage(ImageResponse, b, 'ImageResponse', { maxBytes: 16 * 1024 * 1024, limits: { manifest: { sensors: 32 } } })
      checkVersion('ImageResponse', r.version, 1)
      checkEnum('ImageResponse', 'status', r.status, Object.values(ImageStatus))
    })
    fuzz('ImageRequest (serveImage)', 9051, () => [ImageRequest.encode({ version: 1, hash: 'a'.repeat(64) })], (b) => {
      checkVersion('ImageRequest', decodeMessage(ImageRequest, b, 'ImageRequest', { maxBytes: 1024 }).version, 1)
    })
  })

  describe('checkpoint', () => {
    fuzz('decodeCheckpointMessage', 9060, () => [
      CheckpointMessage.encode(checkpointMessage({ kind: CheckpointMessage.Kind.STORE, instance: 'ef-1', epoch: 2n, seq: 3n, checkpoint: new Uint8Array(20) })),
      CheckpointMessage.encode(checkpointMessage({ kind: CheckpointMessage.Kind.FETCH, instance: 'ef-1', replicaSet: ['a', 'b'] }))
    ], (b) => decodeCheckpointMessage(b, 1024 * 1024))
    it('wire version is 3', () => { assert.equal(CHECKPOINT_WIRE_VERSION, 3) })
    // a replica applies a STORE delta to the checkpoint it holds; the result must still decode
    const base = encodeCheckpoint({ imageHash: 'ab'.repeat(32), imageName: 'ice', terminated: false, unimem: [['n', 3n], ['l', [1, 'x']]], outputSeq: 1, clock: 5, steps: 2 })
    fuzz('applyDelta (STORE delta)', 9061, () => [CheckpointMessage.encode(checkpointMessage({
      kind: CheckpointMessage.Kind.STORE,
      instance: 'ef-1',
      delta: { baseEpoch: 1n, baseSeq: 2n, step: 'a', lastStep: '', terminated: false, set: [{ key: 'n', value: encodeUnimemValue(4n) }, { key: 'm', value: encodeUnimemValue('x') }], removed: ['l'], outputSeq: 2n, clock: 6, steps: 3n }
    }))], (b) => {
      const msg = decodeCheckpointMessage(b, 1024 * 1024)
      if (msg.delta !== undefined) decodeCheckpoint(applyDelta(base, msg.delta))
    }, ['InvalidMessageError', 'CheckpointDeltaError'])
  })

  describe('offload', () => {
    fuzz('decodeOffloadMessage', 9070, () => [
      encodeOffloadMessage({ kind: OffloadMessage.Kind.HANDSHAKE, handshake: requirementsToWire(simulatedDevice('md-1')) }),
      encodeOffloadMessage({ kind: OffloadMessage.Kind.RESERVE, reserve: { candidates: [{ device: 'd1', epsT: 1, epsB: 1, networkMs: 1, gateway: 'g', leaseMs: 0 }] } })
    ], (b) => {
      // the handler validates a handshake's numbers next
      const m = decodeOffloadMessage(b)
      if (m.handshake !== undefined) checkRequirements(m.handshake, 'OffloadMessage.handshake')
    })
    it('refuses a frame over MAX_OFFLOAD_FRAME_BYTES', () => {
      assert.throws(() => decodeOffloadMessage(new Uint8Array(MAX_OFFLOAD_FRAME_BYTES + 1)), { name: 'InvalidMessageError' })
    })
  })
})
