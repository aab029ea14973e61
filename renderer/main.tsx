// Entry point: connects the one client, starts syncing the store with the engine, and mounts the app.
// Nothing here knows which transport it got; api/client.ts decided.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getClient } from './api/client';
import { App } from './App';
import { startSync, useStore } from './store';
import './styles.css';

startSync(getClient(), useStore);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
