import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API server (apps/server) listens on :3000 in development (GUOTU_API_URL points the
// proxy elsewhere); in production it serves this build from apps/web/dist with an SPA
// fallback to index.html.
const apiTarget = process.env.GUOTU_API_URL ?? 'http://localhost:3000';
const proxied = ['/api', '/healthz', '/readyz', '/openapi.json', '/docs'];

/** Big libraries in their own chunks so a route only downloads what it renders. */
function chunkFor(id: string): string | undefined {
  if (!id.includes('node_modules')) return undefined;
  if (/node_modules\/(ol|rbush|quickselect|earcut|geotiff|pbf)\//.test(id)) return 'ol';
  if (/node_modules\/(bpmn-js|diagram-js|bpmn-moddle|moddle|min-dash|min-dom|tiny-svg)\//.test(id)) return 'bpmn';
  if (/node_modules\/(echarts|zrender)\//.test(id)) return 'echarts';
  if (/node_modules\/(antd|@ant-design|rc-[^/]+|@rc-component|dayjs)\//.test(id)) return 'antd';
  if (/node_modules\/(react|react-dom|react-router|react-router-dom|scheduler)\//.test(id)) return 'react';
  return undefined;
}

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: apiTarget, changeOrigin: false }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: { manualChunks: chunkFor },
    },
  },
});
