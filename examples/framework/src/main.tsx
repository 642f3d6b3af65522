// Importing the widget defines <ephemeral-chat> before React first renders it, so React 19 finds
// its properties (`strings`) on the element and sets them as properties, not attributes.
import '@ephemeral-chat/widget';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
