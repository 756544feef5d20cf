/**
 * The setup most journeys share: the web build, one real server (startServer) and one headless
 * Chromium for the whole file, started in beforeAll and stopped in afterAll. Call it once at the
 * top level of a journey file:
 *
 *   const env = journeyEnvironment();
 *   … env.server.baseUrl … env.browser.newContext() …
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { ensureWebBuild, startServer, type RunningServer } from './server.ts';

export interface JourneyEnvironment {
  /** the running server; throws before beforeAll has started it */
  readonly server: RunningServer;
  /** the launched Chromium; throws before beforeAll has launched it */
  readonly browser: Browser;
}

export interface JourneyOptions {
  /** extra setup once the server and the browser run (e.g. importing data through the API) */
  afterStart?: (env: JourneyEnvironment) => Promise<void> | void;
}

/** Registers the beforeAll/afterAll hooks of a journey file and gives access to what they start. */
export function journeyEnvironment(options: JourneyOptions = {}): JourneyEnvironment {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const env: JourneyEnvironment = {
    get server(): RunningServer {
      if (!server) throw new Error('journeyEnvironment: env.server used before beforeAll started the server');
      return server;
    },
    get browser(): Browser {
      if (!browser) throw new Error('journeyEnvironment: env.browser used before beforeAll launched the browser');
      return browser;
    },
  };

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
    browser = await launchBrowser();
    await options.afterStart?.(env);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return env;
}
