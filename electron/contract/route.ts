// The shape of one route: its input and output schemas.
import type { z } from 'zod';

export const route = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
