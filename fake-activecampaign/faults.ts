import type { FakeFaults, Reply } from './types.ts';

const errorStatuses = [500, 502, 503] as const;
const errorTexts: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export type FaultOutcome =
  | { kind: 'error'; reply: Reply }
  | { kind: 'drop' }
  | { kind: 'drop-after' }
  | undefined;

/** Injected faults of one account. Their parameters are real time: the time scale does not apply. */
export class Faults {
  /** `random`: the draws of errors and drops (seeded, so a failing test's faults can be drawn again). */
  constructor(private readonly random: () => number = Math.random) {}

  latencyMs = 0;
  private errorRate = 0;
  private dropRate = 0;
  private stormUntil = Number.NEGATIVE_INFINITY;
  private stuckBatches = 0;

  set(faults: FakeFaults, now: number): void {
    const checked = checkFaults(faults);
    this.latencyMs = checked.latencyMs ?? 0;
    this.errorRate = checked.errorRate ?? 0;
    this.dropRate = checked.dropConnectionRate ?? 0;
    this.stormUntil = checked.rateLimitStormMs ? now + checked.rateLimitStormMs : Number.NEGATIVE_INFINITY;
    this.stuckBatches = checked.stuckBatches ?? 0;
  }

  /** Milliseconds left in a 429 storm (0 = none). */
  stormMs(now: number): number {
    return Math.max(this.stormUntil - now, 0);
  }

  /**
   * 5xx answers (with a gateway-style HTML body: clients must not assume JSON) and dropped connections.
   * Half the drops of an import happen after it was queued, like a reset on the way back.
   */
  roll(isImport: boolean): FaultOutcome {
    if (this.errorRate > 0 && this.random() < this.errorRate) {
      const status = errorStatuses[Math.floor(this.random() * errorStatuses.length)] ?? 500;
      const text = `<html><head><title>${status} ${errorTexts[status]}</title></head><body><h1>${status} ${errorTexts[status]}</h1></body></html>`;
      return { kind: 'error', reply: { status, raw: { contentType: 'text/html', text } } };
    }
    if (this.dropRate > 0 && this.random() < this.dropRate) {
      return isImport && this.random() < 0.5 ? { kind: 'drop-after' } : { kind: 'drop' };
    }
    return undefined;
  }

  /** Whether the import being accepted now is one of the stuck ones. */
  takeStuck(): boolean {
    if (this.stuckBatches <= 0) return false;
    this.stuckBatches--;
    return true;
  }
}

/** Validates a FakeFaults object (it may come over HTTP); throws with a readable message. */
export function checkFaults(value: unknown): FakeFaults {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('faults must be an object');
  const known = ['latencyMs', 'errorRate', 'rateLimitStormMs', 'dropConnectionRate', 'stuckBatches'];
  const faults = value as Record<string, unknown>;
  for (const key of Object.keys(faults)) {
    const v = faults[key];
    if (!known.includes(key)) throw new Error(`unknown fault: ${key}`);
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`${key} must be a number >= 0`);
    if ((key === 'errorRate' || key === 'dropConnectionRate') && v > 1)
      throw new Error(`${key} must be within 0..1`);
    if (key === 'stuckBatches' && !Number.isInteger(v)) throw new Error('stuckBatches must be an integer');
  }
  return faults as FakeFaults;
}
