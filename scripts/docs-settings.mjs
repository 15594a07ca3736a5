#!/usr/bin/env node
// Rewrite the README's configuration table from the settings table (packages/vault-proxy/src/settings).
// A test fails when the two differ; run `pnpm docs:settings` after changing a setting (builds first).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { settingsMarkdownTable } = await import(join(root, 'packages/vault-proxy/dist/settings.js'));
const readme = join(root, 'README.md');
const text = readFileSync(readme, 'utf8');
const start = '<!-- settings:start -->';
const end = '<!-- settings:end -->';
const a = text.indexOf(start);
const b = text.indexOf(end);
if (a === -1 || b === -1) throw new Error(`README.md needs the markers ${start} and ${end}`);
writeFileSync(readme, `${text.slice(0, a + start.length)}\n${settingsMarkdownTable()}\n${text.slice(b)}`);
process.stdout.write('README.md: configuration table rewritten from the settings table\n');
