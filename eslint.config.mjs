// ESLint flat config: typescript-eslint everywhere, its type-aware rules on the library (src/),
// ESLint's recommended rules on JavaScript. Formatting is Prettier's job (.prettierrc), not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * `no-explicit-any` is an error; the rare justified `any` (e.g. koa-session's `ctx.session` index
 * signature) carries an `eslint-disable-next-line @typescript-eslint/no-explicit-any -- reason`
 * comment. This rule makes the reason mandatory for every directive that silences `no-explicit-any`
 * (naming it, or naming no rule at all, which silences everything).
 */
const explicitAnyNeedsReason = {
  meta: {
    type: 'problem',
    docs: { description: 'require a `-- reason` on eslint-disable comments that allow `any`' },
    schema: [],
    messages: { missing: 'Say why `any` is needed: `{{directive}} @typescript-eslint/no-explicit-any -- reason`.' },
  },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          const match = /^\s*(eslint-disable(?:-next-line|-line)?)\b([^]*)$/.exec(comment.value);
          if (!match) continue;
          const [rules = '', reason] = match[2].split(/\s--\s/);
          const allowsAny = rules.trim() === '' || rules.includes('no-explicit-any');
          if (allowsAny && !reason?.trim()) {
            context.report({ loc: comment.loc, messageId: 'missing', data: { directive: match[1] } });
          }
        }
      },
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-samples/',
      'coverage/',
      'docs/api/',
      '.ci-out/',
      '.redis-test/',
      '.bench-build/',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { local: { rules: { 'explicit-any-needs-reason': explicitAnyNeedsReason } } },
    rules: { 'local/explicit-any-needs-reason': 'error' },
  },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `_`-prefixed names are deliberately unused (ignored parameters, destructured-away keys).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The library itself gets the type-aware rules (they need the TypeScript program, so they cost time).
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Off by choice: assertions at the option-validation boundary document the checked type
      // even where TypeScript already narrowed it; removing them would only churn the code.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Off by choice: config error messages deliberately show whatever the user passed via String().
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
);
