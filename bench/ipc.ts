/** Messages between the harness and its server children. */
export type ParentMessage = { type: 'stats' } | { type: 'stop' };

/** What a server child reports. CPU time is the process's user + system time since it started. */
export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'unavailable'; reason: string }
  | { type: 'failed'; reason: string }
  | { type: 'stats'; rss: number; peakRss: number; cpuMicros: number; appErrors: number };

/** The `stats` reply. */
export type ServerStats = Extract<ChildMessage, { type: 'stats' }>;
