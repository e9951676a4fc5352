// Unit tests of the display formatters (exact decimal arithmetic): `npm test` in web/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  toScaled,
  formatYuan,
  formatWan,
  formatYi,
  formatMoney,
  formatMu,
  formatRate,
  formatDate,
  formatDateTime,
} from '../src/format.js'

test('toScaled parses decimal strings exactly', () => {
  assert.equal(toScaled('366000000.00'), 36600000000n)
  assert.equal(toScaled('0.1'), 10n)
  assert.equal(toScaled('-12.345'), -1235n)
  assert.equal(toScaled('12.344'), 1234n)
  assert.equal(toScaled('1,234.5'), 123450n)
  assert.equal(toScaled(''), null)
  assert.equal(toScaled('abc'), null)
  assert.equal(toScaled('.'), null)
  assert.equal(toScaled(null), null)
  assert.equal(toScaled(7), 700n)
})

test('money in 万元 and 亿元', () => {
  assert.equal(formatWan('366000000.00'), '36,600.00')
  assert.equal(formatWan('396250.00'), '39.63') // 39.625万 rounds half up
  assert.equal(formatWan('41560000'), '4,156.00')
  assert.equal(formatWan('124530000.00', { group: false, unit: true }), '12453.00 万元')
  assert.equal(formatWan('0.00'), '0.00')
  assert.equal(formatWan('-50000.00'), '-5.00')
  assert.equal(formatWan('-49.99'), '0.00')
  assert.equal(formatYi('366000000.00'), '3.66')
  assert.equal(formatYi('10000000000.00', { unit: true }), '100.00 亿元')
  assert.equal(formatYi('1234567890123456789.00'), '12,345,678,901.23')
  assert.equal(formatYi('500000000', { digits: 1 }), '5.0')
  assert.equal(formatYuan('366000000'), '366,000,000.00')
  assert.equal(formatWan(null), '')
  assert.equal(formatWan('x'), '')
})

test('formatMoney picks the unit', () => {
  assert.equal(formatMoney('8000000000.00'), '80.00 亿元')
  assert.equal(formatMoney('99999999.99'), '10,000.00 万元')
  assert.equal(formatMoney('100000000.00'), '1.00 亿元')
})

test('area in 亩', () => {
  assert.equal(formatMu('3110.6'), '3,110.60 亩')
  assert.equal(formatMu('4191.26', { unit: false, group: false }), '4191.26')
  assert.equal(formatMu(''), '')
})

test('rates with two decimals', () => {
  assert.equal(formatRate('118', '120'), '98.33%')
  assert.equal(formatRate('4191.26', '4291.26'), '97.67%')
  assert.equal(formatRate('1', '3'), '33.33%')
  assert.equal(formatRate('2', '3'), '66.67%')
  assert.equal(formatRate('5', '0'), '')
})

test('dates', () => {
  assert.equal(formatDate('2020-12-12'), '2020-12-12')
  assert.equal(formatDate('2020-12-12 08:00:00'), '2020-12-12')
  assert.equal(formatDate(''), '')
  assert.equal(formatDateTime('2022-03-04 05:06:07'), '2022-03-04 05:06')
  assert.equal(formatDateTime('2022-03-04T05:06:07', { seconds: true }), '2022-03-04 05:06:07')
  const d = new Date(2021, 0, 2, 3, 4, 5)
  assert.equal(formatDateTime(d, { seconds: true }), '2021-01-02 03:04:05')
  assert.equal(formatDate(d.toISOString()), '2021-01-02')
})
