/** The chat server: `VITE_CHAT_SERVER=https://chat.example.com npm run dev` points elsewhere. */
export const defaultServer = import.meta.env.VITE_CHAT_SERVER || 'http://localhost:8080';
