import { chromium } from 'playwright-core';
import { round } from './figures.ts';

/** One cold load of GraphiQL: a fresh browser context, so nothing comes from the browser's cache. */
export type GraphiqlLoad = {
  /** From navigation to the query editor shown and the Run button enabled. */
  interactiveMs: number;
  /** Kilobytes of response bodies as sent (compressed) until then, and once the page is idle. */
  kilobytesAtInteractive: number;
  kilobytesTotal: number;
  /** The main thread's time in script (parse, compile, run) and in all tasks, until interactive. */
  scriptMs: number;
  taskMs: number;
  requests: number;
};

/**
 * Loads `url` (a GraphiQL page) `runs` times in headless Chromium, each in a fresh context (cold HTTP
 * and code caches), and measures each load through the DevTools protocol.
 */
export async function measureGraphiqlLoads(
  chromiumPath: string,
  url: string,
  runs: number,
): Promise<GraphiqlLoad[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const loads: GraphiqlLoad[] = [];
    for (let run = 0; run < runs; run++) loads.push(await loadOnce(browser, url));
    return loads;
  } finally {
    await browser.close();
  }
}

async function loadOnce(browser: import('playwright-core').Browser, url: string): Promise<GraphiqlLoad> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    let bytes = 0;
    let requests = 0;
    let inFlight = 0;
    let lastChange = performance.now();
    const settled = () => {
      inFlight--;
      lastChange = performance.now();
    };
    // Playwright reports the workers' requests on the page too.
    page.on('request', () => {
      inFlight++;
      lastChange = performance.now();
    });
    page.on('requestfailed', settled);
    page.on('requestfinished', async (request) => {
      requests++;
      // As sent: compressed (Chromium's own sizes leave the workers' out).
      const response = await request.response().catch(() => null);
      bytes += Number(response?.headers()['content-length'] ?? 0);
      settled();
    });
    const metric = async (name: string) =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name)?.value ?? 0;
    const started = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      () => {
        const run = document.querySelector<HTMLButtonElement>('.graphiql-execute-button');
        return !!run && !run.disabled && run.getBoundingClientRect().width > 0;
      },
      undefined,
      { timeout: 120_000, polling: 16 },
    );
    const interactiveMs = performance.now() - started;
    const scriptMs = (await metric('ScriptDuration')) * 1000;
    const taskMs = (await metric('TaskDuration')) * 1000;
    const kilobytesAtInteractive = bytes / 1024;
    // Then the rest (Monaco's workers, the schema): until nothing was requested or answered for 1 s.
    const until = performance.now() + 30_000;
    while ((inFlight > 0 || performance.now() - lastChange < 1000) && performance.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 100));
    return {
      interactiveMs: Math.round(interactiveMs),
      kilobytesAtInteractive: round(kilobytesAtInteractive, 0),
      kilobytesTotal: round(bytes / 1024, 0),
      scriptMs: Math.round(scriptMs),
      taskMs: Math.round(taskMs),
      requests,
    };
  } finally {
    await context.close();
  }
}

/** The median of each figure over the loads. */
export function medianLoad(loads: GraphiqlLoad[]): GraphiqlLoad {
  const median = (pick: (load: GraphiqlLoad) => number) => {
    const sorted = loads.map(pick).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2
      ? (sorted[middle] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  };
  return {
    interactiveMs: median((l) => l.interactiveMs),
    kilobytesAtInteractive: median((l) => l.kilobytesAtInteractive),
    kilobytesTotal: median((l) => l.kilobytesTotal),
    scriptMs: median((l) => l.scriptMs),
    taskMs: median((l) => l.taskMs),
    requests: median((l) => l.requests),
  };
}
