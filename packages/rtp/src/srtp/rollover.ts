/**
 * The receiver's estimate of the rollover counter of an SRTP packet (RFC 3711 §3.3.1 and the
 * pseudo-code of Appendix A): the value v among ROC-1, ROC, ROC+1 that puts the packet index
 * `v * 2^16 + SEQ` closest to the highest index received so far, `ROC * 2^16 + s_l`.
 *
 * @param roc the rollover counter of the highest index received
 * @param highestSeq s_l, the sequence number of the highest index received
 * @param seq SEQ of the packet
 * @returns the guessed ROC v (can be -1 for a packet from before the first one received)
 */
export function estimateRoc(roc: number, highestSeq: number, seq: number): number {
  // RFC 3711 Appendix A.
  if (highestSeq < 32768) {
    return seq - highestSeq > 32768 ? roc - 1 : roc;
  }
  return highestSeq - 32768 > seq ? roc + 1 : roc;
}
