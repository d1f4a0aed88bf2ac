/** The results as a markdown table: medians with min–max over the rounds, ratios from the same rounds. */
import type { Row } from './scenarios';

/** Everything measured for one scenario over the rounds. */
export interface ScenarioResult {
  /** req/s of each round. */
  rps: number[];
  /** Server CPU time per request (µs) of each round. */
  cpuPerRequest: number[];
  latencyP99: number[];
  peakRssMb: number;
  failures: number;
  samples: string[];
  /** Set when the scenario could not run (feature missing, no redis-server). */
  skipped?: string;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function rpsCell(result: ScenarioResult | undefined): string {
  if (!result) return '–';
  if (result.skipped) return 'skipped';
  if (result.rps.length === 0) return '–';
  const failed = result.failures > 0 ? ' **FAILED checks**' : '';
  return `${fmt(median(result.rps))} (${fmt(Math.min(...result.rps))}–${fmt(Math.max(...result.rps))})${failed}`;
}

function cpuCell(result: ScenarioResult | undefined): string {
  return result && !result.skipped && result.cpuPerRequest.length ? `${median(result.cpuPerRequest).toFixed(0)}` : '–';
}

/** The per-round ratio subject/baseline, then its median: drift of the machine affects both sides alike. */
export function ratio(subject: ScenarioResult | undefined, baseline: ScenarioResult | undefined): number | undefined {
  if (!subject || !baseline || subject.skipped || baseline.skipped) return undefined;
  const n = Math.min(subject.rps.length, baseline.rps.length);
  if (n === 0) return undefined;
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push(subject.rps[i]! / baseline.rps[i]!);
  return median(ratios);
}

/** baseline CPU µs/req over ours (medians): what the ratio would be with a core to itself. */
export function cpuRatio(
  subject: ScenarioResult | undefined,
  baseline: ScenarioResult | undefined,
): number | undefined {
  if (!subject || !baseline || subject.skipped || baseline.skipped) return undefined;
  if (!subject.cpuPerRequest.length || !baseline.cpuPerRequest.length) return undefined;
  return median(baseline.cpuPerRequest) / median(subject.cpuPerRequest);
}

/** Options of {@link renderTable}. */
export interface TableInput {
  rows: Row[];
  results: Map<string, ScenarioResult>;
}

/** The results table; a row is "met" when its median ratio reaches the target and no check failed. */
export function renderTable({ rows, results }: TableInput): { markdown: string; missed: string[] } {
  const lines = [
    '| scenario | baseline req/s, median (min–max) | subject req/s, median (min–max) | ratio | target | met | CPU ratio | server CPU µs/req (baseline / subject) | peak RSS MB (baseline / subject) |',
    '|---|---:|---:|---:|---:|:-:|---:|---:|---:|',
  ];
  const missed: string[] = [];
  for (const row of rows) {
    const subject = results.get(row.subject);
    const base = row.baseline ? results.get(row.baseline) : undefined;
    const r = ratio(subject, base);
    const failed = (subject?.failures ?? 0) > 0 || (base?.failures ?? 0) > 0;
    let met = '';
    if (row.target !== undefined) {
      if (r === undefined) met = 'n/a';
      else if (r >= row.target && !failed) met = 'yes';
      else {
        met = 'no';
        missed.push(`${row.label}: ${r.toFixed(2)}x, target ${row.target}x${failed ? ' (failed checks)' : ''}`);
      }
    }
    const c = cpuRatio(subject, base);
    const rss = (x: ScenarioResult | undefined): string => (x && !x.skipped ? x.peakRssMb.toFixed(0) : '–');
    lines.push(
      `| ${row.label} | ${row.baseline ? `${rpsCell(base)} \`${row.baseline}\`` : ''} | ${rpsCell(subject)} | ${r === undefined ? '–' : `${r.toFixed(2)}x`} | ${row.target === undefined ? '' : `≥ ${row.target}x`} | ${met} | ${c === undefined ? '–' : `${c.toFixed(2)}x`} | ${row.baseline ? `${cpuCell(base)} / ` : ''}${cpuCell(subject)} | ${row.baseline ? `${rss(base)} / ` : ''}${rss(subject)} |`,
    );
  }
  return { markdown: lines.join('\n'), missed };
}
