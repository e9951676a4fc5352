// The dashboard's light donut (issue 20 #8): its labels cannot be cut to "…" in a narrow card —
// the count sits inside its segment and the legend carries each light's name with its count.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { register } from 'node:module'

// the chart component's stylesheet is Vite's business: an empty module here
register('data:text/javascript,' + encodeURIComponent(
  'export async function load(url, ctx, next) { return url.endsWith(".css") ? { format: "module", source: "", shortCircuit: true } : next(url, ctx) }'))
const { lightsOption } = await import('../src/modules/dashboard/charts.js')

test('the light donut puts counts inside the ring and names with counts in the legend', () => {
  const o = lightsOption({ lights: { red: 12, yellow: 30, green: 108 } })
  const s = o.series[0]
  assert.equal(s.label.position, 'inside')
  assert.equal(s.labelLine.show, false)
  const names = s.data.map((d) => d.name)
  assert.deepEqual(s.data.map((d) => s.label.formatter({ value: d.value })), ['12', '30', '108'])
  assert.deepEqual(names.map((n) => o.legend.formatter(n)), names.map((n, i) => `${n} ${[12, 30, 108][i]}`))
  // an empty light shows no 0 inside a segment it does not have
  assert.equal(lightsOption({ lights: { red: 0, yellow: 1, green: 2 } }).series[0].label.formatter({ value: 0 }), '')
})
