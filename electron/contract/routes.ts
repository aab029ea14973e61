// Every call the renderer (or any client) can make, with its input and output schema.
// The router's handler map is typed from this table, so a route without a handler does not compile.
import { z } from 'zod';
import { AppInfo, Job, Memory, MemoryEvent, Mode, QueueProgress, Settings, Stats, WatchedFolder } from './models.js';

const route = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const routes = {
  'app.info': route(Empty, AppInfo),

  'memory.list': route(
    z.object({ limit: z.number().int().min(1).max(5000).default(500), offset: z.number().int().min(0).default(0) }).strict(),
    z.object({ memories: z.array(Memory), total: z.number().int() }),
  ),
  'memory.get': route(
    z.object({ id: z.string().min(1) }).strict(),
    z.object({ memory: Memory, events: z.array(MemoryEvent), tokenDim: z.number().int() }),
  ),
  'memory.stats': route(Empty, Stats),

  /** Ingest files or folders already on this machine, by path. */
  'ingest.addPaths': route(z.object({ paths: z.array(z.string().min(1)).min(1).max(10000), mode: Mode.optional() }).strict(), z.object({ jobs: z.array(Job) })),
  /** Ingest a file's bytes (a drop in a browser, where a dropped file has no path). */
  'ingest.upload': route(
    z.object({ name: z.string().min(1).max(512), dataBase64: z.string(), mode: Mode.optional() }).strict(),
    z.object({ job: Job }),
  ),
  'ingest.list': route(Empty, z.object({ jobs: z.array(Job), progress: QueueProgress })),
  'ingest.cancel': route(z.object({ jobId: z.string().min(1) }).strict(), z.object({ job: Job })),
  'ingest.clearFinished': route(Empty, Ok),

  'watch.list': route(Empty, z.object({ folders: z.array(WatchedFolder) })),
  'watch.add': route(z.object({ path: z.string().min(1) }).strict(), z.object({ folder: WatchedFolder })),
  'watch.remove': route(z.object({ path: z.string().min(1) }).strict(), Ok),

  'settings.get': route(Empty, Settings),
  'settings.set': route(Settings.partial().strict(), Settings),

  /** Native pickers; answered with `unsupported` where there is no native dialog (the loopback host). */
  'dialog.pickPaths': route(z.object({ folders: z.boolean().default(false) }).strict(), z.object({ paths: z.array(z.string()) })),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export type RouteInput<N extends RouteName> = z.input<Routes[N]['input']>;
export type RouteParsedInput<N extends RouteName> = z.output<Routes[N]['input']>;
export type RouteOutput<N extends RouteName> = z.output<Routes[N]['output']>;
export const routeNames = Object.keys(routes) as RouteName[];
