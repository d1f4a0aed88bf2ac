/**
 * Keeps the documentation honest: every relative link of README.md, SECURITY.md and docs/*.md
 * points at a file that exists, and every `#anchor` at a heading of the page it names (GitHub's
 * heading ids). External links (http:, https:, mailto:) are not followed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const pages = [
  'README.md',
  'SECURITY.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Removes fenced code blocks and inline code, where brackets are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of markdown.replace(/^```[\s\S]*?^```/gm, '').split('\n')) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

/** The targets of inline links and images: `[text](target)` and `![alt](target "title")`. */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const m of prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
  return targets;
}

function brokenLinks(page: string): string[] {
  const text = readFileSync(join(root, page), 'utf8');
  const broken: string[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    const [path = '', anchor] = target.split('#') as [string, string | undefined];
    const file = path === '' ? join(root, page) : resolve(dirname(join(root, page)), decodeURI(path));
    if (!file.startsWith(root) || !existsSync(file)) {
      broken.push(`${target} (no file ${relative(root, file)})`);
      continue;
    }
    if (anchor !== undefined && anchor !== '') {
      if (!statSync(file).isFile() || !file.endsWith('.md')) {
        broken.push(`${target} (an anchor into something that is not a Markdown file)`);
      } else if (!headingIds(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${target} (no heading #${anchor} in ${relative(root, file)})`);
      }
    }
  }
  return broken;
}

describe('documentation links', () => {
  it('checks the README, SECURITY.md and at least the manual pages', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'SECURITY.md', 'docs/options.md']));
  });

  it.each(pages)('%s: every relative link and #anchor resolves', (page) => {
    expect(brokenLinks(page)).toEqual([]);
  });

  it('reads GitHub heading ids and link targets as GitHub does', () => {
    const ids = headingIds('# Typed sessions: load, edit, save\n## `ctx.session` API\n## Options\n## Options\n');
    expect([...ids]).toEqual(['typed-sessions-load-edit-save', 'ctxsession-api', 'options', 'options-1']);
    expect(linkTargets('see [a](docs/a.md#x), ![i](s.png "t"), `[no](code.md)`\n```\n[no](x)\n```')).toEqual([
      'docs/a.md#x',
      's.png',
    ]);
  });
});
