// The embed script (`/embed.js`, see src/embed/): a library build apart from the SvelteKit app,
// one ES module plus the map chunk loaded on demand, served by the sync-server from dist/embed.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/embed',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: { entry: 'src/embed/main.ts', formats: ['es'], fileName: () => 'embed.js' },
    rollupOptions: { output: { chunkFileNames: 'embed-[name]-[hash].js' } },
  },
});
