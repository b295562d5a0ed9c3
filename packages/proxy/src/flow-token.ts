/**
 * Flow tokens (RFC 5626 §5.2): the flow a UA uses, written into our Record-Route URI so a later
 * in-dialog request routed through us toward that UA goes back over the same connection.
 * Encoding: base64url of `transport|host|port|connectionId`, followed by `.` and a truncated
 * HMAC-SHA256 when a key is configured (RFC 5626 §5.2 asks for integrity protection).
 */
import { createHmac } from 'node:crypto';
import { transportOf } from '@tsvoip/stack';
import { FlowTokenError } from './errors.js';
import type { Flow } from './types.js';

/** Encodes `flow` as a token usable as a URI user part. */
export function encodeFlowToken(flow: Flow, key?: Uint8Array): string {
  const text = `${flow.transport}|${flow.host}|${flow.port}|${flow.connectionId ?? ''}`;
  const body = Buffer.from(text, 'utf8').toString('base64url');
  return key === undefined ? body : `${body}.${mac(body, key)}`;
}

/** Decodes a token made by {@link encodeFlowToken}; throws {@link FlowTokenError} if it is not one. */
export function decodeFlowToken(token: string, key?: Uint8Array): Flow {
  let body = token;
  if (key !== undefined) {
    const dot = token.lastIndexOf('.');
    if (dot < 0 || token.slice(dot + 1) !== mac(token.slice(0, dot), key)) {
      throw new FlowTokenError('flow token integrity check failed');
    }
    body = token.slice(0, dot);
  }
  const parts = Buffer.from(body, 'base64url').toString('utf8').split('|');
  if (parts.length !== 4) throw new FlowTokenError('malformed flow token');
  const transport = transportOf(parts[0]);
  const port = Number(parts[2]);
  if (
    transport === undefined ||
    parts[1].length === 0 ||
    !Number.isInteger(port) ||
    port < 1 ||
    port > 65535
  ) {
    throw new FlowTokenError('malformed flow token');
  }
  return parts[3].length > 0
    ? { transport, host: parts[1], port, connectionId: parts[3] }
    : { transport, host: parts[1], port };
}

/** True when two flows are the same (transport, address, and connection when both have one). */
export function sameFlow(a: Flow, b: Flow): boolean {
  if (a.transport !== b.transport || a.host !== b.host || a.port !== b.port) return false;
  return a.connectionId === undefined || b.connectionId === undefined || a.connectionId === b.connectionId;
}

function mac(body: string, key: Uint8Array): string {
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, 12);
}
