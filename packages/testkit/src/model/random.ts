import { randomBytes, randomUUID } from 'node:crypto';

/** A random UUID v4, the shape of every Infisical id. @internal */
export const uuid = (): string => randomUUID();

/** `bytes` random bytes as lower-case hex. @internal */
export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
