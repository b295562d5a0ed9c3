/**
 * Captures a real Chromium WebRTC offer into src/fixtures/chromium-offer.sdp.
 *
 * Run: `node --import tsx packages/sdp/scripts/capture-chromium-offer.ts` (needs /usr/bin/chromium and
 * the playwright-core devDependency). Launch flags follow /work/shared/BROWSER-TESTING.md.
 * The tests read the fixture; they never start the browser.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'fixtures', 'chromium-offer.sdp');

const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

const userDataDir = mkdtempSync(join(tmpdir(), 'tsvoip-sdp-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args,
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto('about:blank');
  const sdp = await page.evaluate(async () => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('audio', { direction: 'sendrecv' });
    const gathered = new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve();
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') resolve();
      });
    });
    await pc.setLocalDescription(await pc.createOffer());
    await Promise.race([gathered, new Promise((r) => setTimeout(r, 5000))]);
    const text = pc.localDescription?.sdp ?? '';
    pc.close();
    return text;
  });
  if (!sdp.startsWith('v=0')) throw new Error(`unexpected offer: ${sdp.slice(0, 80)}`);
  writeFileSync(out, sdp);
  console.log(`wrote ${out} (${sdp.length} bytes)`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
