import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequest, createResponse, parseMessage, serializeMessage } from '@tsvoip/sip';
import { Dialog } from './dialog.js';
import { dialogKeyOfRequest, dialogKeyOfResponse } from './dialog-id.js';
import { defaultResolver, uriOfRoute } from './resolve.js';

function reparse(m: ReturnType<typeof createRequest>) {
  return parseMessage(serializeMessage(m));
}

function inviteAndAnswer() {
  const invite = reparse(
    createRequest({
      method: 'INVITE',
      requestUri: 'sip:bob@b.example',
      from: '<sip:alice@a.example>;tag=at',
      to: '<sip:bob@b.example>',
      callId: 'c1',
      cseq: 7,
      contact: '<sip:alice@10.0.0.1>',
      via: 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1',
      headers: [['Record-Route', '<sip:p1.example;lr>, <sip:p2.example;lr>']],
    }),
  );
  const ok = parseMessage(
    serializeMessage(
      createResponse(invite, 200, undefined, {
        toTag: 'bt',
        copyRecordRoute: true,
        headers: [['Contact', '<sip:bob@10.0.0.2:5062>']],
      }),
    ),
  );
  return { invite, ok };
}

describe('Dialog (RFC 3261 §12)', () => {
  it('UAC side: route set is the Record-Route reversed, remote target the Contact of the 2xx (§12.1.2)', () => {
    const { invite, ok } = inviteAndAnswer();
    const d = Dialog.fromResponse(invite, ok);
    assert.deepEqual(d.routeSet, ['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
    assert.equal(d.remoteTarget, 'sip:bob@10.0.0.2:5062');
    assert.equal(d.localSeq, 7);
    assert.equal(d.remoteSeq, undefined);
    assert.equal(d.state, 'confirmed');
    assert.equal(d.id, dialogKeyOfResponse(ok));
  });

  it('UAS side: route set in order, remote target the Contact of the request, remote CSeq set (§12.1.1)', () => {
    const { invite } = inviteAndAnswer();
    const d = Dialog.fromRequest(invite, 'bt', '<sip:bob@10.0.0.2>', 'early');
    assert.deepEqual(d.routeSet, ['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    assert.equal(d.remoteTarget, 'sip:alice@10.0.0.1');
    assert.equal(d.remoteSeq, 7);
    assert.equal(d.localParty, '<sip:bob@b.example>;tag=bt');
  });

  it('in-dialog requests: remote target as Request-URI, route set as Route, CSeq +1 (§12.2.1.1)', () => {
    const { invite, ok } = inviteAndAnswer();
    const d = Dialog.fromResponse(invite, ok);
    const bye = reparse(d.createRequest('BYE'));
    assert.equal(bye.requestUri, 'sip:bob@10.0.0.2:5062');
    assert.deepEqual(bye.getHeaders('Route'), ['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
    assert.equal(bye.cseq?.seq, 8);
    assert.equal(bye.from?.tag, 'at');
    assert.equal(bye.to?.tag, 'bt');
    assert.equal(bye.callId, 'c1');
    const info = reparse(d.createRequest('INFO'));
    assert.equal(info.cseq?.seq, 9);
    // The request as received by the peer names the peer's side of the same dialog.
    assert.equal(dialogKeyOfRequest(info), Dialog.fromRequest(invite, 'bt', '', 'confirmed').id);
    // ACK for the 2xx reuses the INVITE's CSeq number (§13.2.2.4) and does not count.
    const ack = d.createRequest('ACK', { cseq: 7 });
    assert.equal(ack.cseq?.seq, 7);
    assert.equal(d.localSeq, 9);
  });

  it('a strict router first: Request-URI is that route and the remote target goes last (§12.2.1.1)', () => {
    const d = new Dialog({
      callId: 'c',
      localTag: 'l',
      remoteTag: 'r',
      localParty: '<sip:a@x>;tag=l',
      remoteParty: '<sip:b@y>;tag=r',
      localContact: '<sip:a@1.1.1.1>',
      remoteTarget: 'sip:b@2.2.2.2',
      routeSet: ['<sip:strict.example>', '<sip:p2.example;lr>'],
      localSeq: 1,
      remoteSeq: 1,
      isUac: true,
      state: 'confirmed',
    });
    const m = reparse(d.createRequest('INFO'));
    assert.equal(m.requestUri, 'sip:strict.example');
    assert.deepEqual(m.getHeaders('Route'), ['<sip:p2.example;lr>', '<sip:b@2.2.2.2>']);
    assert.equal(d.nextHopUri(), 'sip:strict.example');
  });

  it('remote CSeq: lower is refused, equal-or-higher accepted; ACK/CANCEL not counted (§12.2.2)', () => {
    const { invite } = inviteAndAnswer();
    const d = Dialog.fromRequest(invite, 'bt', '', 'confirmed');
    const mk = (method: string, seq: number) =>
      reparse(
        createRequest({
          method,
          requestUri: 'sip:b@y',
          from: '<sip:a@x>;tag=at',
          to: '<sip:b@y>;tag=bt',
          callId: 'c1',
          cseq: seq,
        }),
      );
    assert.equal(d.acceptRemoteCSeq(mk('INFO', 9)), true);
    assert.equal(d.remoteSeq, 9);
    assert.equal(d.acceptRemoteCSeq(mk('INFO', 8)), false);
    assert.equal(d.acceptRemoteCSeq(mk('ACK', 7)), true);
    assert.equal(d.remoteSeq, 9);
  });

  it('target refresh replaces the remote target with the Contact (§12.2)', () => {
    const { invite, ok } = inviteAndAnswer();
    const d = Dialog.fromResponse(invite, ok);
    const reinvite = reparse(
      createRequest({
        method: 'INVITE',
        requestUri: 'sip:a@x',
        from: '<sip:b@y>;tag=bt',
        to: '<sip:a@x>;tag=at',
        callId: 'c1',
        contact: '<sip:bob@10.9.9.9;transport=tcp>',
      }),
    );
    d.refreshTarget(reinvite);
    assert.equal(d.remoteTarget, 'sip:bob@10.9.9.9;transport=tcp');
    assert.deepEqual(defaultResolver(uriOfRoute(d.remoteTarget)), {
      transport: 'TCP',
      host: '10.9.9.9',
      port: 5060,
    });
    assert.deepEqual(defaultResolver(uriOfRoute('<sips:x.example>')), {
      transport: 'TLS',
      host: 'x.example',
      port: 5061,
    });
  });
});
