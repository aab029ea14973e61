// Every call the renderer (or any client) can make, with its input and output schema.
// The router's handler map is typed from this table, so a route without a handler does not compile.
import { z } from 'zod';
import { AppInfo, ForgetReport, GpuInstallResult, ForgettingCurve, Job, Memory, MemoryEvent, Mode, QueueProgress, ScoreParts, Settings, Stats, TimelineAt, TimelinePoint, WatchedFolder } from './models.js';

import { chatRoutes } from './chat.js';
import { captureRoutes } from './capture.js';

import { route } from './route.js';
const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const routes = {
  'app.info': route(Empty, AppInfo),
  /** Fetch onnxruntime's CUDA providers (a network and an NVIDIA GPU needed), then report the provider a fresh session runs on. */
  'app.gpuInstall': route(Empty, GpuInstallResult),

  'memory.list': route(
    z.object({ limit: z.number().int().min(1).max(5000).default(500), offset: z.number().int().min(0).default(0) }).strict(),
    z.object({ memories: z.array(Memory), total: z.number().int() }),
  ),
  'memory.get': route(
    z.object({ id: z.string().min(1) }).strict(),
    z.object({ memory: Memory, events: z.array(MemoryEvent), tokenDim: z.number().int(), score: ScoreParts, sourceExists: z.boolean() }),
  ),
  /** Text decoded from the memory's tokens alone, at its level or (faded further, as the timeline shows) a lower one. */
  'memory.decode': route(
    z.object({ id: z.string().min(1), level: z.string().optional() }).strict(),
    z.object({ id: z.string(), level: z.string(), tokens: z.number().int(), text: z.string().nullable(), note: z.string().nullable() }),
  ),
  'memory.setImportance': route(z.object({ id: z.string().min(1), importance: z.number().min(0).max(10) }).strict(), z.object({ memory: Memory })),
  /** Pinned = importance 10: never faded or dropped. Unpinning restores the importance it had before. */
  'memory.pin': route(z.object({ id: z.string().min(1), pinned: z.boolean() }).strict(), z.object({ memory: Memory })),
  /** Re-encode from the source file at the memory's own mode (full fidelity), where the file still exists unchanged. */
  'memory.refresh': route(z.object({ id: z.string().min(1) }).strict(), z.object({ memory: Memory })),

  'forget.run': route(
    z.object({ now: z.iso.datetime({ offset: true }).optional(), dryRun: z.boolean().default(false) }).strict(),
    ForgetReport,
  ),
  'timeline.at': route(z.object({ at: z.iso.datetime({ offset: true }) }).strict(), TimelineAt),
  'timeline.series': route(
    z.object({ horizonDays: z.number().int().min(0).max(3660).default(365) }).strict(),
    z.object({ start: z.string().nullable(), now: z.string(), budget: z.number().int(), points: z.array(TimelinePoint) }),
  ),
  'timeline.curve': route(z.object({ horizonDays: z.number().int().min(1).max(3660).default(365) }).strict(), z.object({ curves: z.array(ForgettingCurve) })),
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

  ...chatRoutes,
  ...captureRoutes,
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export type RouteInput<N extends RouteName> = z.input<Routes[N]['input']>;
export type RouteParsedInput<N extends RouteName> = z.output<Routes[N]['input']>;
export type RouteOutput<N extends RouteName> = z.output<Routes[N]['output']>;
export const routeNames = Object.keys(routes) as RouteName[];
