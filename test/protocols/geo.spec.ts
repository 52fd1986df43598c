import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { cellAndNeighbours, cellsWithin, decodeGeohash, distanceMetres, encodeGeohash, offsetMetres } from '../../protocols/index.js'

describe('geohash cells', () => {
  it('encodes the reference point of the geohash spec', () => {
    // the classic example: 57.64911, 10.40744 -> u4pruydqqvj
    assert.equal(encodeGeohash({ lat: 57.64911, lon: 10.40744 }, 11), 'u4pruydqqvj')
    const b = decodeGeohash('u4pruydqqvj')
    assert.ok(b.minLat <= 57.64911 && b.maxLat >= 57.64911 && b.minLon <= 10.40744 && b.maxLon >= 10.40744)
  })

  it('gives a cell and its eight distinct neighbours', () => {
    const n = cellAndNeighbours('u281z7')
    assert.equal(n.length, 9)
    assert.equal(new Set(n).size, 9)
    assert.equal(n[0], 'u281z7')
  })

  it('measures distances and covers a radius with cells', () => {
    const a = { lat: 48.2625, lon: 11.668 }
    const b = offsetMetres(a, 0, 1000)
    assert.ok(Math.abs(distanceMetres(a, b) - 1000) < 1)
    const cells = cellsWithin(a, 1500, 6)
    assert.ok(cells.includes(encodeGeohash(a, 6)) && cells.includes(encodeGeohash(b, 6)))
    assert.ok(cells.length < 30)
  })

  it('rejects bad input with a typed error', () => {
    assert.throws(() => encodeGeohash({ lat: 100, lon: 0 }, 5), { name: 'InvalidPositionError' })
    assert.throws(() => decodeGeohash('abc!'), { name: 'InvalidPositionError' })
  })
})
