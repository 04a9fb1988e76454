/**
 * Debian's Chromium driven by playwright-core (the package's own browser download cannot work
 * here). Flags keep it off the network and out of first-run work; Playwright gives each launch
 * a fresh temporary profile.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM)
    ? false
    : `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
