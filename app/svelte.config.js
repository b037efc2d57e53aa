import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * SPA shell: the sync-server serves build/ and falls back to index.html.
 * The Content-Security-Policy below lands in index.html as a <meta> with the hash of SvelteKit's
 * inline boot script; the server reads it back, adds what only it knows (the basemap's origin,
 * frame-ancestors, which a <meta> cannot carry) and sends it as a header
 * (sync-server/src/http/security-headers.ts).
 */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // precompress: a .br and a .gz beside every text file, served as they are (no work per request).
    adapter: adapter({ fallback: 'index.html', precompress: true }),
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte and Leaflet set style attributes from markup; a script cannot run from a style.
        'style-src': ['self', 'unsafe-inline'],
        // Leaflet's images and marker icons; the basemap's tile origin is added by the server.
        'img-src': ['self', 'data:', 'blob:'],
        // The API and the websocket rooms are on this origin ('self' covers ws: and wss:).
        'connect-src': ['self'],
        'worker-src': ['self'],
        'manifest-src': ['self'],
        'font-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
      },
    },
  },
};
