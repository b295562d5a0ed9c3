/** The start-up output of `tsvoip pbx`: what listens where, how to register a softphone, how to stop. */
import type { PbxConfig } from '../config/schema.js';
import type { RunningPbx } from './server.js';

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The banner lines (no password except the demo ones created by this very start). */
export function startupBanner(pbx: RunningPbx, config: PbxConfig): string[] {
  const listening = pbx.addresses.map((a) => `${a.transport.toLowerCase()}:${hostPort(a.host, a.port)}`);
  const first = pbx.addresses[0];
  const server = first === undefined ? pbx.advertise : hostPort(pbx.advertise, first.port);
  const transports = [...new Set(pbx.addresses.map((a) => a.transport))].join(' or ');
  const lines = [
    `tsvoip pbx listening on ${listening.join(', ')}`,
    `  domains: ${pbx.domains.join(', ')} (realm ${config.realm})`,
    `  database: ${pbx.database} (${pbx.userCount} user${pbx.userCount === 1 ? '' : 's'})`,
  ];
  if (config.trusted.length > 0) lines.push(`  trusted (not challenged): ${config.trusted.join(', ')}`);
  for (const t of config.trunks)
    lines.push(
      `  trunk ${t.name}: ${t.transport}:${t.address}${t.prefixes.length > 0 ? ` prefixes ${t.prefixes.join(',')}` : ''}${t.domains.length > 0 ? ` domains ${t.domains.join(',')}` : ''}`,
    );
  if (pbx.demoUsers.length > 0) {
    lines.push('  demo users created (passwords shown only this once):');
    for (const u of pbx.demoUsers) lines.push(`    user ${u.username}  password ${u.password}`);
  }
  const example = pbx.demoUsers[0]?.username ?? '1000';
  lines.push(
    `  register a softphone: server ${server} (${transports}), user ${example}, its password` +
      (pbx.demoUsers.length > 0 ? ' (above)' : ' (set with: tsvoip users passwd <user> --password ...)'),
    `  dial another extension by number (sip:1001@${pbx.advertise}) or by name`,
    '  users: tsvoip users list | add <user> --password ... | passwd | remove (same --config)',
    '  stop: Ctrl-C (SIGINT) or SIGTERM',
  );
  return lines;
}
