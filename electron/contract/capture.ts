// Routes and events of screen capture (issue: capture). Kept in their own file so capture's contract can grow
// without touching the others; routes.ts and events.ts merge these tables.
// import { z } from 'zod';
// import { route } from './route.js';

export const captureRoutes = {} as const;

export const captureEvents = {} as const;
