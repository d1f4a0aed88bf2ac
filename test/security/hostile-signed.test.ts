import { describeHostile } from './hostile-suite';

describeHostile('signed cookie mode (the default)', {
  options: () => ({}),
  keys: ['fuzz-key-new', 'fuzz-key-old'],
  foreignOptions: () => ({}),
  foreignKeys: ['some-other-app-key'],
  codec: 'base64json',
  trusted: true,
});
