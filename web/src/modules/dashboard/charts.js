// ECharts options for the dashboard and the big screen, from the /dashboard answer. Money
// arrives as exact yuan strings; charts show 亿元 (display only — the figures stay exact in
// the tables and drill-downs). Each series item carries the drill {dimension, key}.
import { PALETTE } from '../../components/chart.js'
import { t } from '../../i18n.js'
import { monthName } from '../../format.js'

export const yi = (s) => Math.round(Number(s || 0) / 1e6) / 100 // yuan string → 亿 with 2 decimals
export const LIGHT_COLORS = { red: '#e5484d', yellow: '#f5b72b', green: '#36a852' }

function base(dark) {
  const fg = dark ? '#cfe3ff' : '#333'
  const line = dark ? 'rgba(120,170,255,0.25)' : '#e5e6eb'
  return {
    color: PALETTE,
    textStyle: { color: fg },
    tooltip: { trigger: 'axis', confine: true },
    legend: { textStyle: { color: fg }, top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    axis: { axisLine: { lineStyle: { color: line } }, splitLine: { lineStyle: { color: line } }, axisLabel: { color: fg } },
  }
}

export function monthlyOption(d, dark = false) {
  const b = base(dark)
  const months = d.monthly.map((m) => monthName(m.month))
  const upto = (m, v) => (m.in_range ? v : null)
  return {
    color: b.color, textStyle: b.textStyle, legend: b.legend, grid: b.grid,
    tooltip: { ...b.tooltip, valueFormatter: (v) => (v == null ? '—' : `${v} ${t('dashboard.yi')}`) },
    xAxis: { type: 'category', data: months, ...b.axis },
    yAxis: { type: 'value', name: t('dashboard.yi'), ...b.axis },
    series: [
      { name: t('dashboard.monthActual'), type: 'bar', data: d.monthly.map((m) => ({ value: upto(m, yi(m.actual)), drill: { dimension: 'month', key: m.period } })) },
      { name: t('dashboard.cumActual'), type: 'line', smooth: true, data: d.monthly.map((m) => ({ value: upto(m, yi(m.cumulative)), drill: { dimension: 'month', key: m.period } })) },
      { name: t('dashboard.cumPlan'), type: 'line', lineStyle: { type: 'dashed' }, data: d.monthly.map((m) => yi(m.plan_cumulative)) },
      { name: t('dashboard.lastYear'), type: 'line', lineStyle: { type: 'dotted' }, data: d.monthly.map((m) => upto(m, yi(m.last_year_cumulative))) },
    ],
  }
}

function groupBars(list, dimension, dark, limit) {
  const b = base(dark)
  const rows = list.slice(0, limit).reverse()
  return {
    color: b.color, textStyle: b.textStyle, legend: b.legend, grid: { ...b.grid, top: 30 },
    tooltip: { ...b.tooltip, axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', name: t('dashboard.yi'), ...b.axis },
    yAxis: { type: 'category', data: rows.map((g) => g.name), ...b.axis, axisLabel: { ...b.axis.axisLabel, width: 110, overflow: 'truncate' } },
    series: [
      { name: t('dashboard.plan'), type: 'bar', data: rows.map((g) => ({ value: yi(g.annual_plan), drill: { dimension, key: g.key, name: g.name } })), itemStyle: { color: dark ? '#2b4f8a' : '#c6d8f7' } },
      { name: t('dashboard.ytd'), type: 'bar', barGap: '-100%', data: rows.map((g) => ({ value: yi(g.ytd_investment), drill: { dimension, key: g.key, name: g.name } })), label: { show: true, position: 'right', color: dark ? '#cfe3ff' : '#333', formatter: (p) => `${rows[p.dataIndex].completion_rate}%` } },
    ],
  }
}
export const unitOption = (d, dark = false, limit = 12) => groupBars(d.by_unit, 'unit', dark, limit)
export const chainOption = (d, dark = false, limit = 12) => groupBars(d.by_chain, 'chain', dark, limit)

export function lightsOption(d, dark = false) {
  const b = base(dark)
  const data = ['red', 'yellow', 'green'].map((k) => ({ name: t('dashboard.' + k), value: d.lights[k], itemStyle: { color: LIGHT_COLORS[k] }, drill: { dimension: 'light', key: k, name: t('dashboard.' + k) } }))
  return {
    textStyle: b.textStyle,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    // names and counts in the legend, the count inside its segment: an outside label was cut to
    // "…" in a narrow card (issue 20 #8), and nothing here depends on the card's width
    legend: { ...b.legend, bottom: 0, top: 'auto', formatter: (name) => `${name} ${data.find((x) => x.name === name)?.value ?? ''}` },
    series: [{ type: 'pie', radius: ['45%', '70%'], center: ['50%', '45%'], label: { show: true, position: 'inside', formatter: (p) => (p.value ? String(p.value) : ''), color: '#fff', fontWeight: 600 }, labelLine: { show: false }, data }],
  }
}

export function rankingOption(d, dark = false, limit = 15) {
  const b = base(dark)
  const rows = d.unit_ranking.filter((u) => Number(u.annual_plan) > 0).slice(0, limit).reverse()
  return {
    textStyle: b.textStyle, grid: { ...b.grid, top: 10 },
    tooltip: { ...b.tooltip, axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${v}%` },
    xAxis: { type: 'value', max: (v) => Math.max(100, Math.ceil(v.max / 10) * 10), ...b.axis, axisLabel: { ...b.axis.axisLabel, formatter: '{value}%' } },
    yAxis: { type: 'category', data: rows.map((u) => `${u.rank}. ${u.name}`), ...b.axis, axisLabel: { ...b.axis.axisLabel, width: 120, overflow: 'truncate' } },
    series: [{
      type: 'bar',
      data: rows.map((u) => ({ value: Number(u.completion_rate), drill: { dimension: 'unit', key: u.key, name: u.name }, itemStyle: { color: Number(u.completion_rate) >= 80 ? '#36a852' : Number(u.completion_rate) >= 60 ? '#f5b72b' : '#e5484d' } })),
      label: { show: true, position: 'right', formatter: '{c}%', color: b.textStyle.color },
    }],
  }
}
