// Vite config for the guatu web UI.
// `npm run build` writes web/dist/ (index.html + hashed files under assets/), which the C
// server embeds and serves at / with SPA fallback under a strict CSP (no inline script, no eval).
// `npm run dev` proxies /api to a running server: GUATU_API=http://127.0.0.1:8080 (default).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const api = process.env.GUATU_API || 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  base: '/',
  server: {
    port: 5173,
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    // Element Plus and ECharts are big on their own; the warning only adds noise.
    chunkSizeWarningLimit: 1500,
    // Small assets would become data: URIs; CSP allows data: only for images, so keep files.
    assetsInlineLimit: 0,
    // Libraries in their own long-lived chunks, so a UI change does not re-download them.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', priority: 3, test: /node_modules[\\/](echarts|zrender|vue-echarts)[\\/]/ },
            { name: 'element-plus', priority: 2, test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@vueuse|async-validator|dayjs|lodash|lodash-es|lodash-unified|memoize-one|normalize-wheel-es|@ctrl)[\\/]/ },
            { name: 'vue', priority: 4, test: /node_modules[\\/](vue|@vue|vue-router)[\\/]/ },
          ],
        },
      },
    },
  },
})
