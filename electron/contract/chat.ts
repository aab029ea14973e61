// Routes and events of the chat sidebar (issue: chat). Kept in their own file so the chat's contract can grow
// without touching the others; routes.ts and events.ts merge these tables.
// import { z } from 'zod';
// import { route } from './route.js';

export const chatRoutes = {} as const;

export const chatEvents = {} as const;
