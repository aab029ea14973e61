// Error codes that cross the contract. Every failure a caller can see is one of these,
// so the renderer and the CLI can react to a code rather than parse a message.
export const ErrorCodes = [
  'bad_input', // the input failed its schema or names something unusable
  'not_found',
  'unsupported', // this transport or platform cannot do it (a native dialog in the browser)
  'too_large',
  'unauthorized',
  'busy',
  'internal',
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

export class EngramError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngramError';
  }
}

export interface WireError {
  code: ErrorCode;
  message: string;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof EngramError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
