/**
 * Joining the mesh: a peer dials its bootstrap addresses until one answers,
 * and again whenever it has lost every connection, so a peer cut off before
 * it learnt anyone does not stay alone.
 */
import { after, describe, it } from 'node:test'
import { offsetMetres } from '../../protocols/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'

const origin = { lat: 48.2625, lon: 11.668 }

describe('joining the mesh', () => {
  const mesh = new TestMesh()
  after(async () => { await mesh.stop() })

  it('a peer whose last connection closes dials its bootstrap peer again', async () => {
    const a = await mesh.add({ name: 'a', position: origin })
    // 20 km away: not in a's 3x3 block of cells, so no neighbour keep-alive redials either side
    const b = await mesh.add({ name: 'b', position: offsetMetres(origin, 0, 20_000), bootstrap: [mesh.addrOf(a)] })
    await waitFor(() => b.libp2p.getConnections(a.peerId).length > 0, { timeoutMs: 10_000, message: 'b never joined a' })
    const before = new Set(b.libp2p.getConnections().map((c) => c.id))
    // every connection b holds closes (one still being set up may land meanwhile: only these must go)
    await Promise.all(b.libp2p.getConnections().map(async (c) => { await c.close() }))
    await waitFor(() => b.libp2p.getConnections().every((c) => !before.has(c.id)), { timeoutMs: 10_000, message: 'b kept a connection it closed' })
    await waitFor(() => b.libp2p.getConnections(a.peerId).some((c) => c.direction === 'outbound' && !before.has(c.id)), {
      timeoutMs: 15_000, message: 'b stayed alone after losing its only connection'
    })
  })
})
