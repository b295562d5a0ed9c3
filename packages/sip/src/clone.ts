/**
 * cloneMessage: an independent copy of a message without re-parsing it. A proxy makes one copy
 * of a request per target (RFC 3261 §16.6 item 1) and edits each copy; serializing and parsing
 * again would redo work whose result is already in the header index.
 */
import { SipMessage } from './message.js';

/**
 * An independent copy of `msg`. The copy shares the original (immutable) received bytes and a
 * body set with `setBody` (do not write into either), and copies the header index and the
 * parsed views: mutating one message (adding a Via, setting Max-Forwards, Record-Route or the
 * Request-URI) never changes the other. Untouched headers of both still serialize from the
 * original bytes, and an unmodified copy serializes exactly as `msg` does.
 */
export function cloneMessage(msg: SipMessage): SipMessage {
  const copy = new SipMessage(msg._cloneInit());
  copy._adoptDerived(msg);
  return copy;
}
