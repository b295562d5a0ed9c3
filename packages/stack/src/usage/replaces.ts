/** The Replaces header (RFC 3891 §6.1): `call-id;to-tag=x;from-tag=y[;early-only]`. */

/** A parsed Replaces header. */
export interface Replaces {
  /** Call-ID of the dialog to replace. */
  readonly callId: string;
  /** Its To tag, compared with the local tag of the UA receiving it (RFC 3891 §3). */
  readonly toTag: string;
  /** Its From tag, compared with the remote tag (RFC 3891 §3). */
  readonly fromTag: string;
  /** Only replace an early dialog (RFC 3891 §3: a confirmed one then gets 486). */
  readonly earlyOnly: boolean;
}

/** Parses a Replaces value; undefined when a part is missing (the UAS answers 400, RFC 3891 §3). */
export function parseReplaces(value: string): Replaces | undefined {
  const parts = value.split(';');
  const callId = parts[0].trim();
  let toTag: string | undefined;
  let fromTag: string | undefined;
  let earlyOnly = false;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i].trim();
    const eq = p.indexOf('=');
    const k = (eq < 0 ? p : p.slice(0, eq)).toLowerCase();
    const v = eq < 0 ? '' : p.slice(eq + 1).trim();
    if (k === 'to-tag') toTag = v;
    else if (k === 'from-tag') fromTag = v;
    else if (k === 'early-only') earlyOnly = true;
  }
  if (callId === '' || toTag === undefined || fromTag === undefined) return undefined;
  return { callId, toTag, fromTag, earlyOnly };
}

/** Formats a Replaces value. */
export function formatReplaces(r: Replaces): string {
  return `${r.callId};to-tag=${r.toTag};from-tag=${r.fromTag}${r.earlyOnly ? ';early-only' : ''}`;
}

/** What a UAS does with an INVITE carrying Replaces (RFC 3891 §3). */
export type ReplacesDecision =
  /** Accept the INVITE and end the replaced dialog (BYE if confirmed, CANCEL/reject if early and ours). */
  | { readonly kind: 'replace'; readonly dialogId: string }
  /** Reject the INVITE with this status. */
  | { readonly kind: 'reject'; readonly status: 400 | 481 | 486 | 603 };

/** The facts about a dialog that RFC 3891 §3 decides on. */
export interface ReplaceableDialog {
  /** Dialog id. */
  readonly id: string;
  /** Its state. */
  readonly state: 'early' | 'confirmed' | 'terminated';
  /** True when this UA initiated it (sent the INVITE). */
  readonly isUac: boolean;
  /** True when it has an INVITE session usage. */
  readonly hasInviteSession: boolean;
}

/**
 * RFC 3891 §3: no match → 481; terminated → 603; not INVITE-created → 481; confirmed with
 * `early-only` → 486; early and not initiated by this UA → 481; otherwise replace it.
 */
export function decideReplaces(
  r: Replaces | undefined,
  dialog: ReplaceableDialog | undefined,
): ReplacesDecision {
  if (r === undefined) return { kind: 'reject', status: 400 };
  if (dialog === undefined) return { kind: 'reject', status: 481 };
  if (dialog.state === 'terminated') return { kind: 'reject', status: 603 };
  if (!dialog.hasInviteSession) return { kind: 'reject', status: 481 };
  if (dialog.state === 'confirmed' && r.earlyOnly) return { kind: 'reject', status: 486 };
  if (dialog.state === 'early' && !dialog.isUac) return { kind: 'reject', status: 481 };
  return { kind: 'replace', dialogId: dialog.id };
}
