// Child process of durability.test.ts: opens the registrar database in a PGlite directory, writes one
// user and one binding, prints "written" once both promises resolved, then idles until killed.
import { openDatabase } from '../store/open-database.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: durability-child.ts DATA_DIR');
// The parent created the database; this process reopens it, like a PBX restarting on its data.
const db = await openDatabase(dir);
await db.users.add({ username: '1001', realm: 'pbx.example', password: 'pw' }, 1_000);
await db.locations.upsert({
  aor: 'sip:1001@pbx.example',
  contact: 'sip:1001@192.0.2.1',
  expiresAt: 60_000,
  q: 1,
  callId: 'kill-9',
  cseq: 1,
  path: [],
  updatedAt: 1_000,
});
process.stdout.write('written\n');
setInterval(() => {}, 60_000);
