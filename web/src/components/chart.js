// ECharts for module pages, tree-shaken to the common chart kinds, canvas renderer (CSP-safe).
//   import VChart from '../../components/chart.js'
//   <VChart :option="option" autoresize style="height: 320px" />
// Register further kinds a page needs with `use([...])` from 'echarts/core' in that page.
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, LineChart, PieChart, GaugeChart, ScatterChart } from 'echarts/charts'
import {
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  DatasetComponent,
  MarkLineComponent,
  DataZoomComponent,
} from 'echarts/components'
import VChart from 'vue-echarts'
import 'vue-echarts/style.css'

use([
  CanvasRenderer,
  BarChart,
  LineChart,
  PieChart,
  GaugeChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  DatasetComponent,
  MarkLineComponent,
  DataZoomComponent,
])

/** Government-report palette: blue first, then green, orange, red, purple, cyan. */
export const PALETTE = ['#1a5fd1', '#36a852', '#f59a23', '#e5484d', '#7b61ff', '#13a8c2', '#8c9bb0']

export default VChart
