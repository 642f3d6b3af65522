import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// A fixed port, because the chat server allows browser origins only from its exact
// ALLOWED_ORIGINS list: this page is http://localhost:5175 and nothing else.
const port = 5175;

export default defineConfig({
  plugins: [react()],
  server: { port, strictPort: true },
  preview: { port, strictPort: true },
  build: { target: 'es2022', sourcemap: true },
});
