/**
 * The scriptable modes of `tsvoip phone`: `call <uri>` (dial, run the plan, end after
 * `--duration` or when the far end hangs up) and `listen` (answer the first incoming call, run
 * the plan, exit when it ends).
 * @module
 */
import { CallFailedError, RegistrationError } from '@tsvoip/session';
import { PhoneCallError } from './errors.js';
import type { CallSummary } from './report.js';
import type { Softphone } from './softphone.js';

/** Options of the scripted modes. */
export interface ScriptOptions {
  /** REGISTER before calling or listening. */
  readonly register: boolean;
  /** Give up on an unanswered outgoing call after this long, ms. */
  readonly answerTimeoutMs: number;
}

async function registerIfAsked(phone: Softphone, o: ScriptOptions): Promise<void> {
  if (!o.register) return;
  try {
    await phone.register();
  } catch (e) {
    if (e instanceof RegistrationError)
      throw new PhoneCallError(`registration failed: ${e.message}`, undefined, { cause: e });
    throw e;
  }
}

/** Resolves when `signal` aborts (never when it does not). */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * Calls `target` and resolves with the call's summary once it ended (our `--duration`, the far
 * end's BYE, or `signal`: hang up). Rejects with {@link PhoneCallError} when the call fails.
 */
export async function runScriptedCall(
  phone: Softphone,
  target: string,
  o: ScriptOptions,
  signal: AbortSignal,
): Promise<CallSummary> {
  await registerIfAsked(phone, o);
  const timeout = AbortSignal.timeout(o.answerTimeoutMs);
  const ended = phone.nextCallEnded();
  try {
    await phone.dial(target, AbortSignal.any([signal, timeout]));
  } catch (e) {
    if (e instanceof CallFailedError) {
      if (e.aborted && timeout.aborted)
        throw new PhoneCallError(
          `call to ${target}: no answer within ${o.answerTimeoutMs / 1000} s`,
          e.status,
        );
      if (e.aborted) throw new PhoneCallError(`call to ${target} cancelled`, e.status);
      throw new PhoneCallError(`call to ${target} failed: ${e.status} ${e.reason}`, e.status, { cause: e });
    }
    throw e;
  }
  const stop = () => void phone.hangup().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    return (await ended).summary;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/**
 * Waits for the first incoming call (answered by the phone's auto-answer), and resolves with its
 * summary once it ended; resolves undefined when `signal` aborts before a call came.
 */
export async function runScriptedListen(
  phone: Softphone,
  o: ScriptOptions,
  signal: AbortSignal,
): Promise<CallSummary | undefined> {
  await registerIfAsked(phone, o);
  const ended = phone.nextCallEnded();
  const stop = () => void phone.hangup().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    const r = await Promise.race([ended, aborted(signal).then(() => undefined)]);
    if (r !== undefined) return r.summary;
    // Aborted: a call being hung up still reports its end.
    if (phone.call !== undefined) return (await ended).summary;
    return undefined;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
