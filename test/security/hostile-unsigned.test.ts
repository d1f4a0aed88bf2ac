import { describeHostile } from './hostile-suite';

// Unsigned cookies are plain base64 JSON: anyone can write any session, so this suite checks only
// that hostile input never crashes, never answers 500 and never pollutes a prototype.
describeHostile('unsigned cookie mode (signed: false)', {
  options: () => ({ signed: false }),
  keys: null,
  foreignOptions: () => ({ signed: false }),
  foreignKeys: null,
  codec: 'base64json',
  trusted: false,
});
