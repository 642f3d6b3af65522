/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The chat server's base URL; `http://localhost:8080` when unset. */
  readonly VITE_CHAT_SERVER?: string;
}
