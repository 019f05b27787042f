import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The console, built to console/dist and served by the API at `/` (api/console-assets.ts). */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, sourcemap: false },
});
