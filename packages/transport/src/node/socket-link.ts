/**
 * A {@link ConnectionLink} over a `net.Socket` (TCP) or `tls.TLSSocket`.
 * @module
 */
import type { Socket } from 'node:net';
import { TransportError } from '../errors.js';
import type { ConnectionLink } from './connection.js';

/** Wraps a connected socket as a link. */
export function socketLink(socket: Socket): ConnectionLink {
  return {
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed || !socket.writable) {
          reject(new TransportError('closed', 'connection closed'));
          return;
        }
        socket.write(bytes, (err) => (err ? reject(err) : resolve()));
      }),
    end: () => socket.end(),
    destroy: () => socket.destroy(),
  };
}

/** Resolves when `socket` emits `readyEvent`; rejects on error or after `timeoutMs` (destroying it). */
export function whenConnected(
  socket: Socket,
  readyEvent: string,
  timeoutMs: number,
  remote: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy();
      reject(new TransportError('timeout', `${remote}: connect timed out after ${timeoutMs} ms`, { remote }));
    }, timeoutMs);
    const onError = (err: Error) => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off(readyEvent, onReady);
    };
    socket.once('error', onError);
    socket.once(readyEvent, onReady);
  });
}
