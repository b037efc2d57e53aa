// The app is a client-side SPA: the server only serves the shell.
export const ssr = false;
export const prerender = false;
