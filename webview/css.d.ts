// esbuild bundles imported stylesheets into dist/webview.css; to TypeScript they are side effects.
declare module '*.css';
