/**
 * @tsvoip/transport: SIP transports (UDP, TCP, TLS, WS, WSS) for Node, RFC 3263 server location
 * with an injectable resolver, Via received/rport handling, and a simulated network on virtual
 * time for testing the layers above without sockets.
 * @module
 */
export {
  addressKey,
  formatHostPort,
  isSecureTransport,
  isStreamTransport,
  parseTransportProtocol,
  TRANSPORT_PROTOCOLS,
  type TransportAddress,
  type TransportProtocol,
} from './address.js';
export {
  LocateError,
  type LocateErrorCode,
  ResolverError,
  type ResolverErrorCode,
  SimulationError,
  TransportError,
  type TransportErrorCode,
  TransportPackageError,
} from './errors.js';
export { expandIPv6, isIPv4, isIPv6, isNumericHost, sameHost, stripBrackets } from './ip.js';
export {
  type DnsBackend,
  DnsResolver,
  type DnsResolverOptions,
  dnsErrorCode,
} from './location/dns-resolver.js';
export {
  type AddressFamilyPreference,
  type LocateOptions,
  type LocateTarget,
  locate,
} from './location/locate.js';
export { naptrServiceTransport, type SipNaptr, selectNaptr } from './location/naptr.js';
export type { NaptrRecord, Resolver, SrvRecord } from './location/resolver.js';
export {
  decideLocate,
  defaultPort,
  fallbackTransport,
  type LocateDecision,
  type LocateUri,
  srvName,
  uriParamTransport,
} from './location/select-transport.js';
export { isNullSrvTarget, orderSrv, type RandomSource } from './location/srv-order.js';
export { type StaticQuery, StaticResolver, type StaticZone } from './location/static-resolver.js';
export { type FailoverReason, TargetCursor } from './location/target-cursor.js';
export type { Connection, ConnectionLink } from './node/connection.js';
export {
  ConnectionTransport,
  type ConnectionTransportOptions,
  normalizeAddress,
} from './node/connection-transport.js';
export { type InboundTarget, ReceiveBatch, SendBatch } from './node/datagram-batch.js';
export { lookupNumeric } from './node/numeric-lookup.js';
export { TcpTransport } from './node/tcp-transport.js';
export { TlsTransport, type TlsTransportOptions } from './node/tls-transport.js';
export {
  type CloseReason,
  type ConnectionInfo,
  DEFAULT_MAX_MESSAGE_SIZE,
  fromSystemError,
  type InvalidMessage,
  type ReceivedMessage,
  type SendResult,
  type SendTarget,
  systemErrorCode,
  type Transport,
  type TransportEvents,
  type TransportOptions,
} from './node/transport.js';
export {
  type LayerSendResult,
  type LayerTarget,
  TransportLayer,
  type TransportLayerOptions,
} from './node/transport-layer.js';
export { UdpTransport, type UdpTransportOptions } from './node/udp-transport.js';
export {
  offersSipSubprotocol,
  SIP_SUBPROTOCOL,
  WsTransport,
  type WsTransportOptions,
} from './node/ws-transport.js';
export { createPrng } from './sim/prng.js';
export {
  type Delivery,
  type DeliveryHandler,
  type LinkConditions,
  type SendOutcome,
  SimNetwork,
  type SimNetworkOptions,
  type SimNetworkStats,
} from './sim/sim-network.js';
export { type RunOptions, type SimParticipant, VirtualClock } from './sim/virtual-clock.js';
export { needsCongestionControl, transportForRequest, UNKNOWN_MTU_LIMIT } from './sip/message-size.js';
export { type PacketSource, type ResponseTarget, responseTarget, stampVia } from './sip/via-received.js';
