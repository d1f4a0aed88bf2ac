import { describeHostile } from './hostile-suite';
import { SECRET_NEW, SECRET_OLD } from './security-helpers';

describeHostile('encrypted cookie mode', {
  options: () => ({ encrypt: { keys: [SECRET_NEW, SECRET_OLD] } }),
  keys: null,
  foreignOptions: () => ({ encrypt: { keys: ['w'.repeat(40)] } }),
  foreignKeys: null,
  codec: 'sealed',
  trusted: true,
});
