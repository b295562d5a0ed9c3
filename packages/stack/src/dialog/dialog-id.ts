/** Dialog identifiers (RFC 3261 §12: Call-ID, local tag, remote tag). */
import type { SipMessage } from '@tsvoip/sip';

/** The key of a dialog in a UA's tables: Call-ID, local tag and remote tag (RFC 3261 §12). */
export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\n${localTag}\n${remoteTag}`;
}

/** The key of a dialog set (the dialogs of one request, RFC 3261 §12.1.2 forking): Call-ID and local tag. */
export function dialogSetKey(callId: string, localTag: string): string {
  return `${callId}\n${localTag}`;
}

/**
 * The key of the dialog a received in-dialog request belongs to: at the UAS of that request the
 * local tag is its To tag and the remote tag its From tag (RFC 3261 §12.2.2). Undefined when a
 * tag or the Call-ID is missing.
 */
export function dialogKeyOfRequest(request: SipMessage): string | undefined {
  const callId = request.callId;
  const local = request.to?.tag;
  const remote = request.from?.tag;
  if (callId === undefined || local === undefined || remote === undefined) return undefined;
  return dialogKey(callId, local, remote);
}

/**
 * The key of the dialog a received response belongs to (at the UAC: local tag = From tag,
 * remote tag = To tag, RFC 3261 §12.1.2). Undefined without a To tag.
 */
export function dialogKeyOfResponse(response: SipMessage): string | undefined {
  const callId = response.callId;
  const local = response.from?.tag;
  const remote = response.to?.tag;
  if (callId === undefined || local === undefined || remote === undefined) return undefined;
  return dialogKey(callId, local, remote);
}
