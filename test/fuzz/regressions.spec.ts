/**
 * Crashes the decoder fuzzers found, each reduced to its minimal input. The
 * see test/fuzz/README.md for the findings.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import {
  createFreeParking, createRevocation, formatIssuer, openDescriptor, parseCertificate, parseDescriptorYaml, SignedCertificate, SignedParking,
  SignedRevocation, SignedWarning, signDescriptor, signFreeParking, TrustStore, verifyParking, verifyRevocation, verifyWarning
} from '../../protocols/index.js'
import { parseScenario } from '../../sim-net/index.js'
import { applyLayer, defaultConfig, parseConfigText } from '../../node/config/parse.js'
import { parseManifest } from '../../unikernels/index.js'
import { ROAD_START, signed, station, type Station } from '../hazards/fixtures.js'

const SHORT = (sig: Uint8Array): Uint8Array => sig.subarray(0, 63)

describe('fuzz regressions', () => {
  let operator: PrivateKey
  let s: Station
  let trust: TrustStore

  before(async () => {
    operator = await generateKeyPair('Ed25519')
    s = await station(operator, { parking: true })
    trust = new TrustStore({ operatorKeys: [operator.publicKey] })
  })

  // seed 9021: an Ed25519 key throws TypeError('"sig" must be 64 bytes in length') instead of returning false
  it('verifyRevocation: a 63-byte signature is InvalidRevocationError', async () => {
    const r = SignedRevocation.decode(await createRevocation(operator, parseCertificate(s.cert)))
    const bad = SignedRevocation.encode({ ...r, signature: SHORT(r.signature) })
    await assert.rejects(verifyRevocation(bad, trust), { name: 'InvalidRevocationError', message: /signature: does not verify/ })
  })

  it('TrustStore.verifyCertificate: a 63-byte operator signature is InvalidCertificateError', async () => {
    const c = SignedCertificate.decode(s.cert)
    const bad = SignedCertificate.encode({ ...c, signature: SHORT(c.signature) })
    await assert.rejects(trust.verifyCertificate(bad), { name: 'InvalidCertificateError', message: /operator signature does not verify/ })
  })

  it('verifyWarning / verifyParking: a 63-byte station signature is a bad-signature verdict', async () => {
    const w = SignedWarning.decode(await signed(s))
    const v = await verifyWarning(SignedWarning.encode({ ...w, signature: SHORT(w.signature) }), { trust })
    assert.equal(v.valid ? 'valid' : v.reason, 'bad-signature')
    const p = SignedParking.decode(await signFreeParking(createFreeParking({ originator: s.originator, sequenceNumber: 1, position: ROAD_START, spots: 4, free: [1] }), s.key, s.cert))
    const pv = await verifyParking(SignedParking.encode({ ...p, signature: SHORT(p.signature) }), { trust })
    assert.equal(pv.valid ? 'valid' : pv.reason, 'bad-signature')
  })

  // seed 9104: String() of an object whose toString is not a function throws TypeError
  it('parseManifest: fields whose toString/valueOf are not functions are InvalidManifestError', () => {
    for (const field of ['name', 'abi', 'size']) {
      const m = { name: 'ok', version: '1', hash: 'a'.repeat(64), size: 1, abi: 1, memoryLimitBytes: 65536, timeLimitMs: 1, sensors: [], stateful: false, inbox: { offset: 1, capacity: 1 } }
      assert.throws(() => parseManifest({ ...m, [field]: { toString: 1, valueOf: 2 } }), { name: 'InvalidManifestError' }, field)
      assert.throws(() => parseManifest({ ...m, [field]: Object.create(null) }), { name: 'InvalidManifestError' }, field)
    }
  })

  // seed 9221: yaml's toJS throws ReferenceError for an unresolved alias and for an alias bomb
  it('parseScenario: an unresolved alias is ScenarioError', () => {
    assert.throws(() => parseScenario('*x: \n'), { name: 'ScenarioError', message: /Unresolved alias/ })
  })

  it('parseScenario: the billion-laughs alias bomb is ScenarioError', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`)
    assert.throws(() => parseScenario(lines.join('\n')), { name: 'ScenarioError', message: /resource exhaustion/ })
  })

  // seed 9240: JSON.stringify() of a self-referencing YAML alias in the error message threw TypeError
  it('peer config: a self-referencing alias is ConfigError', () => {
    for (const text of ['tier: &x [ *x ]', 'position: &x { lat: *x, lon: 1 }', 'logLevel: &x { a: *x }', 'http: { certificate: &x [ *x ] }', 'checkpoints: { replicas: &x [ *x ] }']) {
      assert.throws(() => applyLayer(defaultConfig('/tmp/fuzz'), parseConfigText(text, 'peer.yaml'), 'peer.yaml'), { name: 'ConfigError' }, text)
    }
    assert.throws(() => applyLayer(defaultConfig('/tmp/fuzz'), parseConfigText('tier: &x [ *x ]', 'peer.yaml'), 'peer.yaml'), { message: /tier: must be a number, got \(a self-referencing list\)/ })
  })

  // protocols/pipeline/yaml.ts str/num/oneOf/parseTime JSON.stringify the bad value (folder owned by another helper)
  it('pipeline YAML: a self-referencing alias is DescriptorSyntaxError', () => {
    assert.throws(() => parseDescriptorYaml('id: &x [ *x ]\narea: { lat: 1, lon: 1, radiusM: 1 }\nstages: []\n', 'x.yaml', { now: 1 }), { name: 'DescriptorSyntaxError' })
  })

  // protocols/pipeline/sign.ts verifySigned calls key.verify unguarded (folder owned by another helper)
  it('openDescriptor: a 63-byte signature is InvalidSignatureError', async () => {
    const issuer = await generateKeyPair('Ed25519')
    const d = await signDescriptor(parseDescriptorYaml('id: demo\narea: { lat: 48.26, lon: 11.66, radiusM: 500 }\nstages:\n  - { name: a, image: fusion, role: start, input: { source: sensors, intervalMs: 1000 } }\n', 'x.yaml', { now: 1 }), issuer)
    await assert.rejects(openDescriptor({ ...d, signature: SHORT(d.signature) }, new Set([formatIssuer(issuer.publicKey)])), { name: 'InvalidSignatureError' })
  })
})
