import type { TestProject } from 'vitest/node';
import { ensureChromium } from './browser.ts';

/** The browser project's global setup, after global-setup.ts: a Chromium, installed when missing. */
export default function setup(project: TestProject) {
  project.provide('chromiumPath', ensureChromium());
}
